// An error thrown in the engine process, carried to the shell or the CLI with what decides how it
// is told to a person (and, in the CLI, the exit code): its kind, message, errno code and path.
// Revived on arrival as the same kind of error, so `up --ui` fails exactly as `up` does.
import { z } from 'zod';
import { ApiError, ApiErrorPayloadSchema } from '../../../shared/api.ts';
import { DurationError } from '../../../shared/duration.ts';
import { StorageError } from '../fs/atomic.ts';
import { Rejection } from '../lists/signed.ts';
import type { RejectionReason } from '../lists/signed.ts';

export const ErrorWireSchema = z.strictObject({
  kind: z.enum(['api', 'storage', 'rejection', 'duration', 'errno', 'other']),
  message: z.string().max(4000),
  /** ApiError code, Rejection reason or errno code (ENOENT…). */
  code: z.string().max(64).optional(),
  path: z.string().max(4096).optional(),
});
export type ErrorWire = z.infer<typeof ErrorWireSchema>;

const cap = (s: string, max: number) => s.slice(0, max);

export function toErrorWire(err: unknown): ErrorWire {
  const message = cap(err instanceof Error ? err.message : String(err), 4000);
  if (err instanceof ApiError) return { kind: 'api', message, code: err.code };
  if (err instanceof StorageError) return { kind: 'storage', message };
  if (err instanceof Rejection) return { kind: 'rejection', message, code: err.reason };
  if (err instanceof DurationError) return { kind: 'duration', message };
  const e = err as NodeJS.ErrnoException | null;
  if (e && typeof e.code === 'string' && typeof e.path === 'string') return { kind: 'errno', message, code: cap(e.code, 64), path: cap(e.path, 4096) };
  return { kind: 'other', message };
}

export function fromErrorWire(wire: ErrorWire): Error {
  switch (wire.kind) {
    case 'api': {
      const code = ApiErrorPayloadSchema.shape.code.safeParse(wire.code);
      return new ApiError(code.success ? code.data : 'internal', wire.message);
    }
    case 'storage':
      return new StorageError(wire.message);
    case 'rejection':
      return new Rejection((wire.code ?? 'malformed') as RejectionReason, wire.message);
    case 'duration':
      return new DurationError(wire.message);
    case 'errno':
      return Object.assign(new Error(wire.message), { code: wire.code, path: wire.path });
    default:
      return new Error(wire.message);
  }
}
