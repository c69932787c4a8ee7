// An error thrown in the engine process, carried to the shell or the CLI with what decides how it
// is told to a person (and, in the CLI, the exit code): its kind, message, errno code and path.
// Revived on arrival as the same kind of error, so `up --ui` fails exactly as `up` does.
import { z } from 'zod';
import { PortholeError } from '../../../shared/errors.ts';
import { isFailureCode } from '../../../shared/failures.ts';

export const ErrorWireSchema = z.strictObject({
  /** 'failure': a PortholeError, `code` its failure code; 'errno': a system error, `code` ENOENT… */
  kind: z.enum(['failure', 'errno', 'other']),
  message: z.string().max(4000),
  code: z.string().max(64).optional(),
  path: z.string().max(4096).optional(),
});
export type ErrorWire = z.infer<typeof ErrorWireSchema>;

const cap = (s: string, max: number) => s.slice(0, max);

export function toErrorWire(err: unknown): ErrorWire {
  const message = cap(err instanceof Error ? err.message : String(err), 4000);
  if (err instanceof PortholeError) return { kind: 'failure', message, code: err.code };
  const e = err as NodeJS.ErrnoException | null;
  if (e && typeof e.code === 'string' && typeof e.path === 'string') return { kind: 'errno', message, code: cap(e.code, 64), path: cap(e.path, 4096) };
  return { kind: 'other', message };
}

export function fromErrorWire(wire: ErrorWire): Error {
  switch (wire.kind) {
    case 'failure':
      return new PortholeError(isFailureCode(wire.code) ? wire.code : 'internal', wire.message);
    case 'errno':
      return Object.assign(new Error(wire.message), { code: wire.code, path: wire.path });
    default:
      return new Error(wire.message);
  }
}
