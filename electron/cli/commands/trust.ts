import { PortholeError } from '../../../shared/errors.ts';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fromUtf8 } from '../../../shared/base64url.ts';
import { extractArmored } from '../../../shared/armor.ts';
import { looksLikeJson } from '../../../shared/sniff.ts';
import { dataDirOption, jsonOption, str, type Command } from '../command.ts';
import { printJson, table } from '../io.ts';
import { openClientFor } from '../client-dir.ts';
import { publisherCheck, publisherWords } from '../../core/crypto/fingerprint.ts';
import { parsePublisherFile } from '../../core/lists/keyfiles.ts';
import { bareKeyChain, type RootChain } from '../../core/lists/roots.ts';
import { untrustPublisher } from '../../core/catalog/untrust.ts';

const add: Command = {
  name: 'add',
  summary: 'trust a publisher (publisher.pub, an armored KEY block, or a bare key)',
  help: `Usage: porthole trust add FILE|KEY [--label NAME] [--data-dir D]

Shows the publisher's ID and check numbers: compare the numbers with the publisher over the phone.`,
  options: { ...dataDirOption, label: { type: 'string' } },
  positionals: true,
  async run(values, positionals, ctx) {
    const arg = positionals[0];
    if (!arg || positionals.length > 1) throw new PortholeError('usage', 'trust add takes exactly one FILE or KEY');
    const chain = await readTrustArgument(arg);
    const stores = await openClientFor(values, ctx);
    const result = await stores.trust.add(chain, 'manual', str(values, 'label'));
    const name = str(values, 'label') ?? chain.root.name;
    ctx.stdout.write(`${result === 'unchanged' ? 'already trusted' : result}: publisher ${chain.publisher}${name ? ` ("${name}")` : ''}\ncheck numbers: ${publisherCheck(chain.publisher).join(' ')}\n`);
  },
};

async function readTrustArgument(arg: string): Promise<RootChain> {
  if (/^[A-Za-z0-9_-]{43}$/.test(arg) && !(await stat(arg).catch(() => null))) return bareKeyChain(arg);
  const bytes = await readFile(arg).catch((err: NodeJS.ErrnoException) => {
    throw new PortholeError('other', `cannot read ${resolve(arg)}: ${err.code === 'ENOENT' ? 'no such file (and not a 43-character key)' : err.message}`);
  });
  const text = fromUtf8(bytes);
  if (looksLikeJson(text)) return parsePublisherFile(bytes);
  const block = extractArmored(text).find((b) => b.kind === 'KEY');
  if (!block) throw new PortholeError('other', `${resolve(arg)} holds no publisher file or armored KEY block`);
  if (!block.ok) throw new PortholeError('other', block.error);
  return parsePublisherFile(block.bytes);
}

const list: Command = {
  name: 'list',
  summary: 'show trusted publishers with their check numbers',
  help: 'Usage: porthole trust list [--data-dir D] [--json]',
  options: { ...dataDirOption, ...jsonOption },
  async run(values, _pos, ctx) {
    const stores = await openClientFor(values, ctx);
    const all = stores.trust.list().map((p) => ({
      publisher: p.publisher,
      name: p.label ?? p.root.name,
      rootVersion: p.root.version,
      threshold: `${p.root.threshold} of ${p.root.rootKeys.length}`,
      via: p.via,
      pinned: p.pinned,
      check: publisherCheck(p.publisher).join(' '),
      /** The older fingerprint form (six English words), for what stored it. */
      words: publisherWords(p.publisher),
    }));
    if (values.json) return printJson(ctx, all);
    const rows = [['PUBLISHER ID', 'NAME', 'ROOT', 'VIA', 'CHECK NUMBERS']];
    for (const p of all) rows.push([p.publisher, p.name ?? '-', `v${p.rootVersion} (${p.threshold})`, p.pinned ? 'pinned' : p.via ?? '-', p.check]);
    ctx.stdout.write(table(rows));
  },
};

const remove: Command = {
  name: 'remove',
  summary: 'stop trusting a publisher',
  help: 'Usage: porthole trust remove ID [--data-dir D]',
  options: { ...dataDirOption },
  positionals: true,
  async run(values, positionals, ctx) {
    const id = positionals[0];
    if (!id || positionals.length > 1) throw new PortholeError('usage', 'trust remove takes exactly one publisher ID');
    const stores = await openClientFor(values, ctx);
    const result = await untrustPublisher(stores, id);
    ctx.stdout.write(`${result.message}\n`);
  },
};

export const trust: Command = {
  name: 'trust',
  summary: 'manage trusted publishers (add, list, remove)',
  help: 'Usage: porthole trust add|list|remove …',
  options: {},
  subcommands: [add, list, remove],
  run: async () => 2,
};
