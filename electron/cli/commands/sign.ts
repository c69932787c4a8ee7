import { PortholeError } from '../../../shared/errors.ts';
import { dirname, join, resolve } from 'node:path';
import { requireStr, str, type Command } from '../command.ts';
import { readInputFile } from '../io.ts';
import { lastSignedVersion, PUB_FILE, readPublisherFile, readSecretKey, recordSignedVersion } from '../../core/lists/keyfiles.ts';
import { buildPayload, signList } from '../../core/lists/sign.ts';
import { parseExpiryTime } from '../../../shared/duration.ts';
import { writeFileAtomic } from '../../core/fs/atomic.ts';

export const sign: Command = {
  name: 'sign',
  summary: 'sign a list (entries as proxy links or full entries)',
  help: `Usage: porthole sign --key DIR/publisher.key --in list.json --out FILE [--version N] [--expires 7d] [--roots PUB]

list.json: {"name":"…","entries":[{"url":"socks5://user:pass@host:1080","label":"Frankfurt-1"},
            {"url":"ss://…#Almaty","country":"KZ","tags":["telegram-only"]}],"channels":["https://…"]}
The version defaults to one above the last version signed with this key; a lower or equal
--version is refused, so a publisher cannot roll back by mistake. --expires takes a duration
(7d, 12h, 30m) or a date; default 7d. --roots defaults to publisher.pub beside the key.`,
  options: { key: { type: 'string' }, in: { type: 'string' }, out: { type: 'string' }, version: { type: 'string' }, expires: { type: 'string' }, roots: { type: 'string' } },
  async run(values, _pos, ctx) {
    const keyFile = requireStr(values, 'key');
    const key = await readSecretKey(keyFile);
    const chain = await readPublisherFile(str(values, 'roots') ?? join(dirname(keyFile), PUB_FILE));
    if (!chain.root.listKeys.includes(key.publicKey)) {
      throw new PortholeError('other', `${keyFile} is not a list-signing key of publisher ${chain.publisher} (root v${chain.root.version})`);
    }
    const last = await lastSignedVersion(keyFile, chain.publisher);
    const requested = str(values, 'version');
    let version = (last ?? 0) + 1;
    if (requested !== undefined) {
      if (!/^\d+$/.test(requested) || Number(requested) < 1) throw new PortholeError('usage', `--version "${requested}" is not a positive whole number`);
      version = Number(requested);
      if (last !== undefined && version <= last) {
        throw new PortholeError('other', `version ${version} is not above the last version signed for ${chain.publisher} (v${last})`);
      }
    }
    const now = new Date();
    const expires = parseExpiryTime(str(values, 'expires') ?? '7d', now);
    const input = await readInputFile(requireStr(values, 'in'), ctx);
    const payload = buildPayload(input, { publisher: chain.publisher, version, issuedAt: now, expires });
    const out = resolve(requireStr(values, 'out'));
    await writeFileAtomic(out, signList(payload, key, chain));
    await recordSignedVersion(keyFile, chain.publisher, version);
    ctx.stdout.write(`signed ${out}: publisher ${chain.publisher}, v${version}, ${payload.entries.length} entries, expires ${payload.expires}\n`);
  },
};
