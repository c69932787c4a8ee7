// Small helpers shared by CLI commands: reading inputs, printing results.
import { PortholeError } from '../../shared/errors.ts';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandContext } from './command.ts';

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
