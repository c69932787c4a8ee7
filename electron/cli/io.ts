// Small helpers shared by CLI commands: reading inputs, printing results.
import { PortholeError } from '../../shared/errors.ts';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandContext } from './command.ts';
import { listInFile } from '../../shared/sniff.ts';

/** Reads FILE, or standard input for "-". */
export async function readInputFile(path: string, ctx: CommandContext): Promise<Buffer> {
  if (path === '-') return ctx.readStdin();
  return readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new PortholeError('other', `cannot read ${resolve(path)}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder' : err.message}`);
  });
}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/**
 * The signed list in an input file (raw, or the first armored LIST block of a text or page), or a
 * PortholeError saying why there is none. `name` is how the messages call the file, e.g. "the --list file".
 */
export function listInInputFile(raw: Uint8Array, name?: string): Uint8Array {
  const found = listInFile(raw);
  if (found.ok) return found.bytes;
  if (found.problem === 'not-text') throw new PortholeError('other', `${name ?? 'the file'} is neither a signed list nor text with an armored block`);
  if (found.problem === 'none') throw new PortholeError('other', `no signed list or armored list block found${name ? ` in ${name}` : ''}`);
  throw new PortholeError('other', found.error ?? 'the armored list block is damaged');
}
