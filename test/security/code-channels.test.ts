// A code's channels follow the list rules (no file:, no DNS server of the code's choosing) and
// may not point at this computer, on import and when codes stored earlier are read back.
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../electron/core/crypto/ed25519.ts';
import { importInput } from '../../electron/core/catalog/import.ts';
import { loadStoredLists } from '../../electron/core/catalog/stored.ts';
import { pointsAtThisComputer } from '../../electron/core/codes/code-channels.ts';
import { freshClient, makeCode } from '../helpers/publishers.ts';

const BAD = [
  'file:/etc/passwd',
  'file:///home/user/.ssh',
  'dns:list.example.org@127.0.0.1:5353',
  'http://127.0.0.1:8080/list.signed',
  'https://[::1]/list.signed',
  'page:http://localhost:3000/',
  'doh:https://127.0.0.2/dns-query#list.example.org',
  'http://[::ffff:127.0.0.1]/x',
  'http://169.254.169.254/latest/meta-data/',
  'http://0.0.0.0:9/',
  'ftp://mirror.example.org/l.signed',
];
const GOOD = ['https://mirror.example.org/l.signed', 'dns:l.example.org', 'page:https://t.me/s/porthole', 'doh:https://dns.example/dns-query#l.example.org'];

describe('channels named by a code', () => {
  it('keeps the servers and the good channels, drops the rest and says which', async () => {
    const stores = await freshClient();
    const [added] = await importInput(stores, makeCode(generateKey(), { channels: [...BAD.slice(0, 6), ...GOOD] }), { acceptNewKey: true });
    expect(added).toMatchObject({ kind: 'code', status: 'added' });
    expect(added!.message).toMatch(/; ignored 6 channels: file:\/etc\/passwd \(a code may name https:\/\/, page:https:\/\/, dns:NAME or doh:URL#NAME channels only\), .*http:\/\/127\.0\.0\.1:8080\/list\.signed \(it points at this computer\)/);
    const stored = await loadStoredLists(stores);
    expect(stored.codes.flatMap((c) => c.channels)).toEqual(GOOD);
    expect(stored.codes.flatMap((c) => c.servers)).toHaveLength(1);
  });

  it('re-checks the channels of codes stored before the rule', async () => {
    const stores = await freshClient();
    await importInput(stores, makeCode(generateKey(), { channels: GOOD.slice(0, 1) }), { acceptNewKey: true });
    const [record] = stores.state.codes();
    await stores.state.recordCode({ ...record!, channels: [...BAD, ...GOOD.slice(0, 1)] });
    expect((await loadStoredLists(stores)).codes.flatMap((c) => c.channels)).toEqual(GOOD.slice(0, 1));
  });

  it('knows which hosts are this computer', () => {
    for (const h of ['localhost', 'a.localhost', '127.0.0.1', '127.9.9.9', '[::1]', '::', '0.0.0.0', '169.254.1.1', '[fe80::1]', '[::ffff:7f00:1]']) expect(pointsAtThisComputer(h), h).toBe(true);
    for (const h of ['mirror.example.org', '203.0.113.5', '192.168.1.10', '[2001:db8::1]', '[::ffff:cb00:7105]', 'localhost.example.org']) expect(pointsAtThisComputer(h), h).toBe(false);
  });
});
