// Turns any error into the one line the CLI prints, and its exit code.
import { resolve } from 'node:path';
import { CliError } from './command.ts';
import { Rejection } from '../core/lists/signed.ts';
import { StorageError } from '../core/fs/atomic.ts';
import { DurationError } from '../../shared/duration.ts';

export function describeError(err: unknown): { message: string; code: number } {
  if (err instanceof CliError) return { message: err.message, code: err.code };
  if (err instanceof DurationError) return { message: err.message, code: 2 };
  if (err instanceof Rejection) return { message: `rejected: ${err.message}`, code: 3 };
  if (err instanceof StorageError) return { message: err.message, code: 4 };
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && typeof e.path === 'string') {
    const what = e.code === 'ENOENT' ? 'no such file or folder' : e.code === 'EACCES' ? 'permission denied' : e.code === 'ENOSPC' ? 'the disk is full' : e.message;
    return { message: `${resolve(e.path)}: ${what}`, code: 1 };
  }
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return { message: `internal error: ${message} (run with --debug for details)`, code: 70 };
}
