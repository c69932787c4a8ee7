// Expiry is not only an import check: expired lists and code servers are flagged, tried after
// fresh ones, shown with the date they stop being used, and dropped after the grace period.
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../electron/core/crypto/ed25519.ts';
import { buildCatalog } from '../../electron/core/catalog/catalog.ts';
import { UserServerStore } from '../../electron/core/catalog/user-servers.ts';
import { importInput } from '../../electron/core/catalog/import.ts';
import { EXPIRED_GRACE_DAYS } from '../../electron/core/lists/expiry.ts';
import { loadStoredLists } from '../../electron/core/catalog/stored.ts';
import { freshClient, makeCode, makeList, makePublisher } from '../helpers/publishers.ts';

const DAY = 86400_000;
const ago = (days: number): Date => new Date(Date.now() - days * DAY);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('expired lists and codes', () => {
  it('are flagged and tried after fresh servers during the grace period', async () => {
    const stale = makePublisher();
    const fresh = makePublisher();
    const stores = await freshClient([stale.chain, fresh.chain]);
    // Imported 12 days ago, expired 10 days ago.
    await importInput(stores, text(makeList(stale, { version: 1, issuedAt: ago(12), expires: ago(10), urls: ['socks5://203.0.113.1:1080'] })), { now: ago(11) });
    await importInput(stores, text(makeList(fresh, { version: 1, urls: ['socks5://203.0.113.2:1080'] })));
    const key = generateKey();
    await importInput(stores, makeCode(key, { expires: ago(1), servers: [{ protocol: 'socks5', host: '203.0.113.3', ports: [1080] }] }), { acceptNewKey: true, now: ago(2) });

    const stored = await loadStoredLists(stores);
    expect(stored.lists.map((l) => [l.publisher, l.expired])).toEqual(expect.arrayContaining([[stale.chain.publisher, true], [fresh.chain.publisher, false]]));
    expect(stored.codes).toHaveLength(1);
    const catalog = await buildCatalog(stores, await new UserServerStore(stores.dataDir).load());
    expect(catalog.servers.map((s) => [s.entry.host, s.expired !== undefined])).toEqual([['203.0.113.2', false], ['203.0.113.1', true], ['203.0.113.3', true]]);
    const staleServer = catalog.servers.find((s) => s.entry.host === '203.0.113.1')!;
    expect(Date.parse(staleServer.expired!.dropAt) - Date.parse(staleServer.expired!.since)).toBe(EXPIRED_GRACE_DAYS * DAY);
  });

  it('are dropped after the grace period, and the log says when and why', async () => {
    const stale = makePublisher();
    const stores = await freshClient([stale.chain]);
    await importInput(stores, text(makeList(stale, { version: 1, issuedAt: ago(EXPIRED_GRACE_DAYS + 12), expires: ago(EXPIRED_GRACE_DAYS + 10) })), { now: ago(EXPIRED_GRACE_DAYS + 11) });
    await importInput(stores, makeCode(generateKey(), { expires: ago(EXPIRED_GRACE_DAYS + 1) }), { acceptNewKey: true, now: ago(EXPIRED_GRACE_DAYS + 2) });
    const stored = await loadStoredLists(stores);
    expect(stored.lists).toEqual([]);
    expect(stored.codes).toEqual([]);
    expect(stored.problems.join('\n')).toMatch(new RegExp(`list v1 of ${stale.chain.publisher} expired on \\d{4}-\\d\\d-\\d\\d and is no longer used since \\d{4}-\\d\\d-\\d\\d \\(${EXPIRED_GRACE_DAYS} days later\\)`));
    expect((await buildCatalog(stores, await new UserServerStore(stores.dataDir).load())).servers).toEqual([]);
  });
});
