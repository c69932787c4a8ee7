import { PortholeError } from '../../../shared/errors.ts';
import { readFile, stat } from 'node:fs/promises';
import { dataDirOption, jsonOption, type Command, type CommandContext } from '../command.ts';
import { printJson } from '../io.ts';
import { openClientFor } from '../client-dir.ts';
import { importInput, type ImportOutcome } from '../../core/catalog/import.ts';
import { unsupportedReason } from '../../../shared/proxy-link.ts';

export const importCmd: Command = {
  name: 'import',
  summary: 'verify and store a signed list, a page with armored blocks, a code, or servers of your own',
  help: `Usage: porthole import FILE|CODE|LINK|- [--data-dir D] [--yes] [--json]

Takes a signed list file, any text or HTML holding armored blocks, or a one-time code
(a whole pasted SMS is fine; so is a porthole:// link). Verifies, then stores.
A code from a sender you do not trust yet shows the sender's name (as the sender wrote it,
not checked), publisher ID and check numbers: compare the numbers with the sender, then
run again with --yes to accept the new key.
Also takes servers of your own: share links (vless://, vmess://, trojan://, ss://, socks5://,
http(s)://, tg://proxy), subscriptions (plain or base64 lists of links, Clash/mihomo YAML,
sing-box JSON) and Outline keys (ssconf:// is fetched). A line that cannot be read is named
with its reason; the rest is still added.
Exit codes: 0 all added, 3 something was rejected (or some lines could not be read),
5 a new sender needs --yes.`,
  options: { ...dataDirOption, ...jsonOption, yes: { type: 'boolean' } },
  positionals: true,
  async run(values, positionals, ctx) {
    if (positionals.length === 0) throw new PortholeError('usage', 'import takes FILE, CODE or - (stdin)');
    const input = await readArgument(positionals.join(' '), ctx);
    const stores = await openClientFor(values, ctx);
    const outcomes = await importInput(stores, input, { acceptNewKey: Boolean(values.yes) });
    if (values.json) printJson(ctx, outcomes);
    else for (const o of outcomes) printOutcome(o, ctx);
    if (outcomes.some((o) => o.status === 'rejected')) {
      if (!values.json) {
        const first = outcomes.find((o) => o.status === 'rejected')!;
        throw new PortholeError('rejected', `rejected: ${first.message}`);
      }
      return 3;
    }
    if (outcomes.some((o) => o.status === 'needs-trust')) return 5;
    if (outcomes.some((o) => o.kind === 'servers' && o.problems.length > 0)) return 3;
    return 0;
  },
};

async function readArgument(arg: string, ctx: CommandContext): Promise<Uint8Array | string> {
  if (arg === '-') return ctx.readStdin();
  const info = await stat(arg).catch(() => null);
  if (info?.isFile()) return readFile(arg);
  if (info?.isDirectory()) throw new PortholeError('other', `${arg} is a folder: import a file inside it`);
  return arg; // a code or link given on the command line
}

function printOutcome(o: ImportOutcome, ctx: CommandContext): void {
  if (o.kind === 'servers' && o.status !== 'rejected') {
    ctx.stdout.write(`${o.message}\n`);
    for (const s of o.servers) if (s.protocol === 'unsupported') ctx.stdout.write(`  kept, not usable yet: ${s.label ?? s.host} needs ${unsupportedReason(s.scheme)}\n`);
    for (const s of o.servers) if (s.tls?.insecure) ctx.stdout.write(`  warning: ${s.label ?? s.host} does not check its TLS certificate (the link asks for that)\n`);
    for (const p of o.problems) ctx.stderr.write(`  could not read ${p.message}\n`);
    return;
  }
  if (o.kind === 'servers') {
    for (const p of o.problems.slice(1)) ctx.stderr.write(`  could not read ${p.message}\n`);
    return;
  }
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
