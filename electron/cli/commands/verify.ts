import { PortholeError } from '../../../shared/errors.ts';
import { fromUtf8 } from '../../../shared/base64url.ts';
import { extractArmored } from '../../../shared/armor.ts';
import { jsonOption, requireStr, type Command } from '../command.ts';
import { printJson, readInputFile } from '../io.ts';
import { readPublisherFile } from '../../core/lists/keyfiles.ts';
import { verifyList } from '../../core/lists/verify.ts';

export const verify: Command = {
  name: 'verify',
  summary: 'check a signed list against a publisher file (stateless)',
  help: `Usage: porthole verify --trust DIR/publisher.pub FILE [--json]

FILE is a signed list, or text/HTML holding an armored list block ("-" reads stdin).
Prints publisher, version, expiry and entry count; exits 3 with the reason when rejected.`,
  options: { trust: { type: 'string' }, ...jsonOption },
  positionals: true,
  async run(values, positionals, ctx) {
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new PortholeError('usage', 'verify takes exactly one FILE');
    const chain = await readPublisherFile(requireStr(values, 'trust'));
    const raw = await readInputFile(file, ctx);
    const bytes = raw.subarray(0, 1).toString() === '{' ? raw : firstListBlock(raw);
    const v = verifyList(bytes, { trusted: [chain], now: new Date() });
    const p = v.payload;
    if (values.json) {
      printJson(ctx, { publisher: p.publisher, name: p.name, version: p.version, issuedAt: p.issuedAt, expires: p.expires, entries: p.entries.length, channels: p.channels, rootVersion: v.chain.root.version });
    } else {
      ctx.stdout.write(`ok: publisher ${p.publisher}${p.name ? ` (${p.name})` : ''}, version ${p.version}, expires ${p.expires}, ${p.entries.length} entries\n`);
    }
  },
};

function firstListBlock(raw: Buffer): Uint8Array {
  let text: string;
  try {
    text = fromUtf8(raw);
  } catch {
    throw new PortholeError('other', 'the file is neither a signed list nor text with an armored block');
  }
  const block = extractArmored(text).find((b) => b.kind === 'LIST');
  if (!block) throw new PortholeError('other', 'no signed list or armored list block found');
  if (!block.ok) throw new PortholeError('other', block.error);
  return block.bytes;
}
