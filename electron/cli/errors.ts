// Turns any error into the one line the CLI prints, and its exit code: an expected failure (a
// PortholeError) prints its message, its exit code from the failure table (a list check's
// rejection reads "rejected: …"); a file error says which file; anything else is a bug.
import { resolve } from 'node:path';
import { exitCodeOf, PortholeError } from '../../shared/errors.ts';
import { FAILURES } from '../../shared/failures.ts';
import { isRejection } from '../core/lists/signed.ts';

export function describeError(err: unknown): { message: string; code: number } {
  if (err instanceof PortholeError && FAILURES[err.code].category !== 'internal') {
    return { message: isRejection(err) ? `rejected: ${err.message}` : err.message, code: exitCodeOf(err.code) };
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && typeof e.path === 'string') {
    const what = e.code === 'ENOENT' ? 'no such file or folder' : e.code === 'EACCES' ? 'permission denied' : e.code === 'ENOSPC' ? 'the disk is full' : e.message;
    return { message: `${resolve(e.path)}: ${what}`, code: 1 };
  }
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return { message: `internal error: ${message} (run with --debug for details)`, code: 70 };
}
