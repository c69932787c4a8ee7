// The shape of one `porthole` CLI command. An expected failure is a PortholeError (shared/errors.ts):
// printed as one line on stderr, its exit code from the code's row of the failure table.
import { PortholeError } from '../../shared/errors.ts';
import type { Writable } from 'node:stream';
import type { ParseArgsOptionsConfig } from 'node:util';

export interface CommandContext {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly when it fires. */
  signal: AbortSignal;
  /** Reads all of standard input (for `-` arguments). */
  readStdin(): Promise<Buffer>;
}

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full help text shown by `porthole NAME --help`. */
  help: string;
  options: ParseArgsOptionsConfig;
  /** Whether positional arguments are allowed. */
  positionals?: boolean;
  /** Sub-commands (e.g. `trust add`), dispatched on the first positional. */
  subcommands?: Command[];
  run(values: OptionValues, positionals: string[], ctx: CommandContext): Promise<number | void>;
}

/** Options every client-side command accepts. */
export const dataDirOption = { 'data-dir': { type: 'string' } } as const satisfies ParseArgsOptionsConfig;
export const jsonOption = { json: { type: 'boolean' } } as const satisfies ParseArgsOptionsConfig;

export function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}
export function strs(values: OptionValues, name: string): string[] {
  const v = values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}
export function requireStr(values: OptionValues, name: string): string {
  const v = str(values, name);
  if (v === undefined || v === '') throw new PortholeError('usage', `missing --${name}`);
  return v;
}
