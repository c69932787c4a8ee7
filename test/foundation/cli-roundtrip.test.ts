// The publisher → channel → client round trips of the foundation, through the real CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { porthole } from '../helpers/cli.ts';

let dir: string;
const p = (...parts: string[]): string => join(dir, ...parts);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-cli-'));
  await writeFile(p('list.json'), JSON.stringify({
    name: 'Volunteers KZ',
    entries: [
      { url: 'socks5://user:pass@127.0.0.1:1080', label: 'Frankfurt-1' },
      { url: 'ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpzZWNyZXQ@127.0.0.2:8388#Almaty', country: 'KZ', tags: ['telegram-only'] },
      { url: 'http://[::1]:3128', ports: [3128, 8080] },
    ],
    channels: ['https://mirror.example/list.signed', 'dns:list.example.org'],
  }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('porthole CLI: publisher to client', { timeout: 120_000 }, () => {
  it('keygen writes a secret key with mode 0600 and never prints it', async () => {
    const r = await porthole(['keygen', '--out', p('pub'), '--name', 'Volunteers KZ']);
    expect(r.code).toBe(0);
    const mode = (await stat(p('pub', 'publisher.key'))).mode & 0o777;
    expect(mode).toBe(0o600);
    const secret = JSON.parse(await readFile(p('pub', 'publisher.key'), 'utf8')) as { seed: string };
    expect(r.stdout + r.stderr).not.toContain(secret.seed);
    expect((await porthole(['keygen', '--out', p('pub')])).code).not.toBe(0); // no silent overwrite
  });

  it('sign → verify → armor → paste into noisy HTML → import → lists', async () => {
    const s = await porthole(['sign', '--key', p('pub', 'publisher.key'), '--in', p('list.json'), '--out', p('v1.signed'), '--expires', '7d']);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/v1, 3 entries/);

    const v = await porthole(['verify', '--trust', p('pub', 'publisher.pub'), p('v1.signed'), '--json']);
    expect(v.code).toBe(0);
    const info = JSON.parse(v.stdout) as { version: number; entries: number; name: string };
    expect(info).toMatchObject({ version: 1, entries: 3, name: 'Volunteers KZ' });

    const a = await porthole(['armor', p('v1.signed')]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^-----BEGIN PORTHOLE LIST-----\n/);
    // A Telegram channel preview: HTML-escaped, <br> line breaks, a link tag inside the block,
    // lines re-wrapped by the messenger and dashes turned into em dashes.
    const lines = a.stdout.trim().split('\n');
    const body = lines.slice(1, -1).join('').match(/.{1,37}/g)!;
    const html = `<!doctype html><html><head><script>var x="-----BEGIN PORTHOLE LIST-----";</script></head><body>
      <div class="tgme_widget_message_text js-message_text">Свежий список — fresh list &amp; mirrors:<br/>
      —— BEGIN PORTHOLE LIST ——<br/>${body.slice(0, 2).join('<br/>')}<br/><a href="https://x">${body[2]}</a><wbr>${body.slice(3).join('<br/>\n')}<br/>
      -----END PORTHOLE LIST-----</div><p>Пишите &lt;в личку&gt;</p></body></html>`;
    await writeFile(p('post.html'), html);

    await porthole(['trust', 'add', p('pub', 'publisher.pub'), '--data-dir', p('client')]);
    const i = await porthole(['import', p('post.html'), '--data-dir', p('client')]);
    expect(i.stderr).toBe('');
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(/added list v1 of Volunteers KZ: 3 servers/);

    const l = await porthole(['lists', '--json'], { env: { PORTHOLE_DATA_DIR: p('client') } });
    const stored = JSON.parse(l.stdout) as { lists: { version: number; entries: number }[] };
    expect(stored.lists).toEqual([expect.objectContaining({ version: 1, entries: 3 })]);
  });

  it('sign refuses a version that is not above the last one signed', async () => {
    const r = await porthole(['sign', '--key', p('pub', 'publisher.key'), '--in', p('list.json'), '--out', p('x.signed'), '--version', '1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(/^porthole: version 1 is not above the last version signed for [a-z2-7]{16} \(v1\)$/);
  });

  it('rejects tampering, rollback, expiry, unknown keys and oversize, each with its reason, leaving stored lists untouched', async () => {
    const client = p('client');
    const key = p('pub', 'publisher.key');
    expect((await porthole(['sign', '--key', key, '--in', p('list.json'), '--out', p('v5.signed'), '--version', '5'])).code).toBe(0);
    expect((await porthole(['import', p('v5.signed'), '--data-dir', client])).stdout).toMatch(/updated list v5/);
    const snapshot = async (): Promise<Record<string, string>> => {
      const out: Record<string, string> = {};
      for (const f of await readdir(join(client, 'lists'))) out[f] = await readFile(join(client, 'lists', f), 'base64');
      out.state = JSON.stringify(JSON.parse(await readFile(join(client, 'state.json'), 'utf8')).highestVersion);
      return out;
    };
    const before = await snapshot();
    const expectRejected = async (file: string, message: RegExp): Promise<void> => {
      const r = await porthole(['import', file, '--data-dir', client]);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    };

    // tampered: one character of the signed list payload changed
    const text = await readFile(p('v5.signed'), 'utf8');
    const at = text.lastIndexOf('"signed":"') + 150;
    await writeFile(p('tampered.signed'), text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1));
    await expectRejected(p('tampered.signed'), /^porthole: rejected: bad signature: the list does not verify with the keys of publisher [a-z2-7]{16}$/);

    // rollback: a validly signed older version
    await expectRejected(p('v1.signed'), /^porthole: rejected: rolled back \(have v5, got v1\)$/);

    // expired: signed with an expiry in the past (only the signer's clock is bent)
    const exp = await porthole(['sign', '--key', key, '--in', p('list.json'), '--out', p('exp.signed'), '--version', '6', '--expires', '2026-01-01T00:00:00Z']);
    expect(exp.stderr).toMatch(/in the past/);
    // so build the expired list by signing with a fake clock through the library
    const { buildPayload, signList } = await import('../../electron/core/lists/sign.ts');
    const { readSecretKey, readPublisherFile } = await import('../../electron/core/lists/keyfiles.ts');
    const sk = await readSecretKey(key);
    const chain = await readPublisherFile(p('pub', 'publisher.pub'));
    const old = buildPayload(await readFile(p('list.json')), { publisher: chain.publisher, version: 9, issuedAt: new Date('2025-12-01T00:00:00Z'), expires: new Date('2026-01-01T00:00:00Z') });
    await writeFile(p('expired.signed'), signList(old, sk, chain));
    await expectRejected(p('expired.signed'), /^porthole: rejected: expired on 2026-01-01 \(2026-01-01T00:00:00.000Z\)$/);

    // unknown key: a different publisher
    await porthole(['keygen', '--out', p('stranger')]);
    await porthole(['sign', '--key', p('stranger', 'publisher.key'), '--in', p('list.json'), '--out', p('stranger.signed')]);
    await expectRejected(p('stranger.signed'), /^porthole: rejected: not trusted: this list is from publisher [a-z2-7]{16}.*porthole trust add publisher.pub/);

    // oversize: more than 1 MiB is refused before parsing
    await writeFile(p('huge.signed'), `{"format":"porthole-list/1",${' '.repeat(1024 * 1024)}}`);
    await expectRejected(p('huge.signed'), /^porthole: rejected: too large: 1048605 bytes \(limit 1048576\)$/);

    // malformed: names the field
    await writeFile(p('bad.signed'), JSON.stringify({ format: 'porthole-list/1', roots: [], list: { signed: 'AAAA', signatures: [{ keyId: 'zz', sig: 'x' }] } }));
    await expectRejected(p('bad.signed'), /^porthole: rejected: malformed at list\.signatures\.0\.keyId: 16 hex digits$/);

    // garbage paste
    await expectRejected(p('list.json'), /^porthole: rejected: malformed at \(top level\)|^porthole: rejected: malformed at format/);

    expect(await snapshot()).toEqual(before);
  });

  it('code new → paste the whole SMS → import (new sender needs --yes) → second import says already added', async () => {
    const c = await porthole(['code', 'new', '--key', p('pub', 'publisher.key'), '--server', 'socks5://u:s3cret@127.0.0.1:1080#Home', '--expires', '3d', '--json']);
    expect(c.code).toBe(0);
    const { code, sms, gsm7 } = JSON.parse(c.stdout) as { code: string; sms: number; gsm7: boolean };
    expect(sms).toBeLessThanOrEqual(2);
    expect(gsm7).toBe(true);
    const message = `Привет, это папа. Установи Porthole и вставь:\n${code.slice(0, 70)}\n${code.slice(70)}\nПозвони, если не получится.`;
    const family = p('family');
    const first = await porthole(['import', '-', '--data-dir', family], { input: message });
    expect(first.code).toBe(5);
    expect(first.stdout).toMatch(/new sender .*publisher ID [a-z2-7]{16}: check these numbers with the sender before you accept: (\d{4} ){4}\d{4}/);
    const ok = await porthole(['import', '-', '--data-dir', family, '--yes'], { input: message });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/added 1 server from/);
    const again = await porthole(['import', '-', '--data-dir', family, '--yes'], { input: message });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/this code was already added/);
    const lists = JSON.parse((await porthole(['lists', '--json', '--data-dir', family])).stdout) as { codes: { servers: number }[] };
    expect(lists.codes).toEqual([expect.objectContaining({ servers: 1 })]);

    // once the sender is trusted, the short key-id form works too and fits one SMS
    const short = await porthole(['code', 'new', '--key', p('pub', 'publisher.key'), '--server', `ss://chacha20-ietf-poly1305:${Buffer.alloc(16, 1).toString('base64url')}@203.0.113.9:8388`, '--short', '--json']);
    const s = JSON.parse(short.stdout) as { code: string; sms: number };
    expect(s.sms).toBe(1);
    expect((await porthole(['import', s.code, '--data-dir', family])).stdout).toMatch(/added 1 server/);

    const inspect = await porthole(['code', 'inspect', message]);
    expect(inspect.stdout).toMatch(/socks5:\/\/127\.0\.0\.1:1080#Home/);
    expect(inspect.stdout).not.toContain('s3cret');

    const damaged = await porthole(['import', message.replace(code.slice(20, 22), code.slice(20, 22) === 'zz' ? 'yy' : 'zz'), '--data-dir', p('family2'), '--yes']);
    expect(damaged.code).toBe(3);
    expect(damaged.stderr.trim()).toMatch(/^porthole: rejected: this code is damaged: a character is wrong — check it letter by letter, or ask the sender to send it again/);
  });

  it('every command has --help; errors are one line with a non-zero exit', async () => {
    for (const cmd of [['import'], ['lists'], ['trust', 'add'], ['trust', 'list'], ['trust', 'remove'], ['keygen'], ['root', 'init'], ['root', 'rotate'], ['sign'], ['verify'], ['armor'], ['code', 'new'], ['code', 'inspect'], ['demo']]) {
      const r = await porthole([...cmd, '--help']);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage: porthole /);
    }
    const bad = await porthole(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('porthole: unknown command "frobnicate": run `porthole --help` for the list\n');
    const missing = await porthole(['verify', '--trust', p('nope.pub'), p('v1.signed')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
