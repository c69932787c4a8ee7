import { PortholeError } from '../../../shared/errors.ts';
import { jsonOption, requireStr, type Command } from '../command.ts';
import { listInInputFile, printJson, readInputFile } from '../io.ts';
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
    const bytes = listInInputFile(raw);
    const v = verifyList(bytes, { trusted: [chain], now: new Date() });
    const p = v.payload;
    if (values.json) {
      printJson(ctx, { publisher: p.publisher, name: p.name, version: p.version, issuedAt: p.issuedAt, expires: p.expires, entries: p.entries.length, channels: p.channels, rootVersion: v.chain.root.version });
    } else {
      ctx.stdout.write(`ok: publisher ${p.publisher}${p.name ? ` (${p.name})` : ''}, version ${p.version}, expires ${p.expires}, ${p.entries.length} entries\n`);
    }
  },
};
