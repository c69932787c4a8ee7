import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armor } from '../../../shared/armor.ts';
import type { Command } from '../command.ts';
import { createSimplePublisher } from '../../core/lists/keyfiles.ts';
import { buildPayload, signList } from '../../core/lists/sign.ts';
import { createCode } from '../../core/codes/codes.ts';
import { openClient } from '../../core/catalog/open.ts';
import { importInput } from '../../core/catalog/import.ts';
import { loadStoredLists } from '../../core/catalog/stored.ts';
import { parseProxyLink } from '../../../shared/proxy-link.ts';

export const demo: Command = {
  name: 'demo',
  summary: 'offline walk-through: publish a signed list and a code, then import both',
  help: `Usage: porthole demo [--keep]

Runs the whole publishing round trip offline in a temporary folder: a volunteer makes a key,
signs a list, posts it as an armored block inside a noisy web page, and texts a one-time code;
a client imports both, and tampered or replayed inputs are refused. --keep keeps the folder.`,
  options: { keep: { type: 'boolean' } },
  async run(values, _pos, ctx) {
    const dir = await mkdtemp(join(tmpdir(), 'porthole-demo-'));
    const say = (line: string): void => void ctx.stdout.write(`${line}\n`);
    try {
      say('1. A volunteer makes a publisher key');
      const { key, chain } = await createSimplePublisher(join(dir, 'publisher'), 'Demo volunteers');
      say(`   publisher ${chain.publisher}`);

      say('2. …signs a list of two local proxies (valid 7 days)');
      const input = JSON.stringify({ name: 'Demo list', entries: [{ url: 'socks5://127.0.0.1:1081', label: 'Local-SOCKS' }, { url: 'ss://chacha20-ietf-poly1305:demo-secret@127.0.0.1:8388#Local-SS', country: 'KZ' }], channels: ['https://mirror.example/porthole.signed'] });
      const now = new Date();
      const signed = signList(buildPayload(input, { publisher: chain.publisher, version: 1, issuedAt: now, expires: new Date(now.getTime() + 7 * 86400_000) }), key, chain);

      say('3. …and posts it as an armored block in a Telegram channel (noisy HTML)');
      const page = `<html><body><div class="tgme_widget_message_text">Новый список / New list:<br/>${armor('LIST', signed).replace(/\n/g, '<br/>')}</div><p>Спасибо!</p></body></html>`;
      await writeFile(join(dir, 'post.html'), page);

      say('4. A client that trusts this publisher imports the page');
      const client = await openClient(join(dir, 'client'), { pinned: [chain] });
      for (const o of await importInput(client, page)) say(`   ${o.status}: ${o.message}`);

      say('5. The same page again, and a tampered copy, change nothing');
      for (const o of await importInput(client, page)) say(`   ${o.status}: ${o.message}`);
      // Change one character inside the signed payload (a port number, say).
      const text = new TextDecoder().decode(signed);
      const at = text.lastIndexOf('"signed":"') + 200;
      const tampered = new TextEncoder().encode(text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1));
      for (const o of await importInput(client, tampered)) say(`   ${o.status}: ${o.message}`);

      say('6. A relative gets a one-time code by SMS, pasted whole into a fresh client');
      const code = createCode({ key, servers: [parseProxyLink('socks5://127.0.0.1:1081#Home')], expires: new Date(now.getTime() + 3 * 86400_000) });
      const sms = `Mom, paste this into Porthole:\n${code.slice(0, 60)}\n${code.slice(60)}\nlove, A.`;
      say(`   SMS (${code.length} characters of code):\n     ${sms.replace(/\n/g, '\n     ')}`);
      const family = await openClient(join(dir, 'family'), { pinned: [] });
      const first = await importInput(family, sms);
      for (const o of first) say(`   ${o.status}: ${o.message}`);
      for (const o of await importInput(family, sms, { acceptNewKey: true })) say(`   after confirming the words — ${o.status}: ${o.message}`);
      for (const o of await importInput(family, sms, { acceptNewKey: true })) say(`   pasted twice — ${o.status}: ${o.message}`);

      say('7. What the first client now holds');
      const stored = await loadStoredLists(client);
      for (const l of stored.lists) say(`   ${l.payload.name} v${l.payload.version}: ${l.payload.entries.map((e) => e.label).join(', ')}`);
      say(values.keep ? `files kept in ${dir}` : 'done');
    } finally {
      if (!values.keep) await rm(dir, { recursive: true, force: true });
    }
  },
};
