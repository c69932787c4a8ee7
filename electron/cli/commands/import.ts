import { readFile, stat } from 'node:fs/promises';
import { CliError, dataDirOption, jsonOption, type Command, type CommandContext } from '../command.ts';
import { printJson } from '../io.ts';
import { openClientFor } from '../client-dir.ts';
import { importInput, type ImportOutcome } from '../../core/importer.ts';

export const importCmd: Command = {
  name: 'import',
  summary: 'verify and store a signed list, a page with armored blocks, or a code',
  help: `Usage: porthole import FILE|CODE|- [--data-dir D] [--yes] [--json]

Takes a signed list file, any text or HTML holding armored blocks, or a one-time code
(a whole pasted SMS is fine; so is a porthole:// link). Verifies, then stores.
A code from a sender you do not trust yet shows the sender's name (as the sender wrote it,
not checked), publisher ID and check numbers: compare the numbers with the sender, then
run again with --yes to accept the new key.
Exit codes: 0 all added, 3 something was rejected, 5 a new sender needs --yes.`,
  options: { ...dataDirOption, ...jsonOption, yes: { type: 'boolean' } },
  positionals: true,
  async run(values, positionals, ctx) {
    if (positionals.length === 0) throw new CliError('import takes FILE, CODE or - (stdin)', 2);
    const input = await readArgument(positionals.join(' '), ctx);
    const stores = await openClientFor(values, ctx);
    const outcomes = await importInput(stores, input, { acceptNewKey: Boolean(values.yes) });
    if (values.json) printJson(ctx, outcomes);
    else for (const o of outcomes) printOutcome(o, ctx);
    if (outcomes.some((o) => o.status === 'rejected')) {
      if (!values.json) {
        const first = outcomes.find((o) => o.status === 'rejected')!;
        throw new CliError(`rejected: ${first.message}`, 3);
      }
      return 3;
    }
    if (outcomes.some((o) => o.status === 'needs-trust')) return 5;
    return 0;
  },
};

async function readArgument(arg: string, ctx: CommandContext): Promise<Uint8Array | string> {
  if (arg === '-') return ctx.readStdin();
  const info = await stat(arg).catch(() => null);
  if (info?.isFile()) return readFile(arg);
  if (info?.isDirectory()) throw new CliError(`${arg} is a folder: import a file inside it`);
  return arg; // a code or link given on the command line
}

function printOutcome(o: ImportOutcome, ctx: CommandContext): void {
  switch (o.status) {
    case 'added':
    case 'updated':
      ctx.stdout.write(`${o.message}\n`);
      break;
    case 'needs-trust':
      ctx.stdout.write(`${o.message}\nrun again with --yes to accept this sender\n`);
      break;
    case 'already-added':
      ctx.stdout.write(`${o.message}\n`);
      break;
    case 'rejected':
      break; // reported as the error line
  }
}
