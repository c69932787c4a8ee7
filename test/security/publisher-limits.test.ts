// One publisher cannot freeze the others (per-publisher time floors, no issued-at from the
// future), a code sender's key speaks only for its codes, a threshold publisher's root key
// cannot sign a code alone, and removing trust removes what the publisher brought.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openClient } from '../../electron/core/catalog/open.ts';
import { importInput } from '../../electron/core/catalog/import.ts';
import { bareKeyChain } from '../../electron/core/lists/roots.ts';
import { loadStoredLists } from '../../electron/core/catalog/stored.ts';
import { untrustPublisher } from '../../electron/core/catalog/untrust.ts';
import { generateKey } from '../../electron/core/crypto/ed25519.ts';
import { freshClient, makeCode, makeList, makePublisher, type TestPublisher } from '../helpers/publishers.ts';

const DAY = 86400_000;
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('anti-freeze floors are per publisher', () => {
  it("a publisher's far-ahead list does not expire another publisher's fresh list", async () => {
    const a = makePublisher();
    const b = makePublisher();
    const stores = await freshClient();
    await stores.trust.add(a.chain, 'manual');
    await stores.trust.add(b.chain, 'manual');
    // A's list is accepted on a machine whose clock (then) said ten days from now.
    const later = new Date(Date.now() + 10 * DAY);
    const [first] = await importInput(stores, text(makeList(a, { version: 1, issuedAt: later })), { now: later });
    expect(first).toMatchObject({ status: 'added' });
    // Today B's fresh list, valid for 7 days, is not "expired" because of A.
    const [fresh] = await importInput(stores, text(makeList(b, { version: 1 })));
    expect(fresh).toMatchObject({ kind: 'list', status: 'added' });
    // A's own floor still holds: its list that expired before A's newest issued-at stays refused.
    const [old] = await importInput(stores, text(makeList(a, { version: 2, issuedAt: new Date(Date.now() - DAY), expires: new Date(Date.now() + DAY) })));
    expect(old).toMatchObject({ status: 'rejected', reason: 'expired' });
  });

  it('refuses an issued-at more than a day ahead of the clock, and says to check the clock', async () => {
    const a = makePublisher();
    const b = makePublisher();
    const stores = await freshClient([a.chain, b.chain]);
    const years = new Date(Date.now() + 3 * 365 * DAY);
    const [ahead] = await importInput(stores, text(makeList(a, { version: 1, issuedAt: years, expires: new Date(years.getTime() + DAY) })));
    expect(ahead).toMatchObject({ status: 'rejected', reason: 'from-the-future' });
    expect(ahead!.message).toMatch(/signed for \d{4}-\d\d-\d\d \d\d:\d\d UTC, but this computer's clock says .*check the date, time and time zone/);
    // Nothing was recorded: B's fresh list and A's honest one are fine.
    expect(stores.state.issuedAtFloor(a.chain.publisher)).toBeUndefined();
    expect((await importInput(stores, text(makeList(b, { version: 1 }))))[0]).toMatchObject({ status: 'added' });
    expect((await importInput(stores, text(makeList(a, { version: 2 }))))[0]).toMatchObject({ status: 'added' });
    // A few hours ahead (a wrong time zone) is still accepted.
    expect((await importInput(stores, text(makeList(a, { version: 3, issuedAt: new Date(Date.now() + 14 * 3600_000) }))))[0]).toMatchObject({ status: 'updated' });
  });

  it('a floor from an older state file (one for everybody) is not trusted', async () => {
    const b = makePublisher();
    const stores = await freshClient([b.chain]);
    await writeFile(join(stores.dataDir, 'state.json'), JSON.stringify({ format: 'porthole-state/1', highestVersion: {}, newestIssuedAt: '2035-01-01T00:00:00.000Z', codes: [] }));
    const reopened = await openClient(stores.dataDir, { pinned: [b.chain] });
    expect((await importInput(reopened, text(makeList(b, { version: 1 }))))[0]).toMatchObject({ status: 'added' });
  });
});

describe("a code sender's key is limited to its code's servers", () => {
  async function senderTrustedByCode(): Promise<{ stores: Awaited<ReturnType<typeof freshClient>>; sender: TestPublisher }> {
    const key = generateKey();
    const sender: TestPublisher = { chain: bareKeyChain(key.publicKey), listKey: key, rootKeys: [key] };
    const stores = await freshClient();
    const [added] = await importInput(stores, makeCode(key), { acceptNewKey: true });
    expect(added).toMatchObject({ kind: 'code', status: 'added', newPublisher: true });
    return { stores, sender };
  }

  it('refuses lists signed by a key trusted only through a code, naming the way to trust it', async () => {
    const { stores, sender } = await senderTrustedByCode();
    const other = makePublisher();
    await stores.trust.add(other.chain, 'manual');
    const far = new Date(Date.now() + 20 * 365 * DAY);
    for (const issuedAt of [new Date(), far]) {
      const [list] = await importInput(stores, text(makeList(sender, { version: 1, issuedAt, expires: new Date(issuedAt.getTime() + DAY) })), { now: issuedAt });
      expect(list).toMatchObject({ status: 'rejected', reason: 'code-only' });
      expect(list!.message).toMatch(/trusted only for the servers in its codes.*porthole trust add/);
    }
    expect(stores.state.issuedAtFloor(sender.chain.publisher)).toBeUndefined();
    expect((await importInput(stores, text(makeList(other, { version: 1 }))))[0]).toMatchObject({ status: 'added' });
    // More codes from the same sender still work.
    expect((await importInput(stores, makeCode(sender.listKey, { short: true })))[0]).toMatchObject({ status: 'added' });
  });

  it('trusting the sender by hand makes its lists count', async () => {
    const { stores, sender } = await senderTrustedByCode();
    expect(await stores.trust.add(sender.chain, 'manual')).toBe('updated');
    expect(stores.trust.get(sender.chain.publisher)?.via).toBe('manual');
    expect((await importInput(stores, text(makeList(sender, { version: 1 }))))[0]).toMatchObject({ status: 'added' });
  });
});

describe('a threshold publisher', () => {
  it('cannot have a code signed by one root key alone; its list key can', async () => {
    const p = makePublisher(2, 3);
    const stores = await freshClient([p.chain]);
    const [byRoot] = await importInput(stores, makeCode(p.rootKeys[0]!), { acceptNewKey: true });
    expect(byRoot).toMatchObject({ status: 'rejected', reason: 'below-threshold' });
    expect(byRoot!.message).toMatch(/one root key of publisher .* needs 2 of its root keys/);
    expect(stores.trust.list()).toHaveLength(1); // the root key did not become a new sender either
    const [byListKey] = await importInput(stores, makeCode(p.listKey, { short: true }));
    expect(byListKey).toMatchObject({ status: 'added', publisher: p.chain.publisher });
  });

  it('with a threshold of one, its root key may still sign a code', async () => {
    const p = makePublisher(1, 1);
    const stores = await freshClient([p.chain]);
    expect((await importInput(stores, makeCode(p.rootKeys[0]!, { short: true })))[0]).toMatchObject({ status: 'added' });
  });
});

describe('removing trust removes what it brought', () => {
  it("drops a code sender's servers and channels, and a publisher's cached list", async () => {
    const key = generateKey();
    const publisher = makePublisher();
    const stores = await freshClient();
    await importInput(stores, makeCode(key, { channels: ['https://mirror.example.org/l.signed'] }), { acceptNewKey: true });
    await stores.trust.add(publisher.chain, 'manual');
    await importInput(stores, text(makeList(publisher, { version: 4, channels: ['dns:l.example.org'] })));
    const before = await loadStoredLists(stores);
    expect(before.codes.flatMap((c) => c.channels)).toEqual(['https://mirror.example.org/l.signed']);
    expect(before.lists).toHaveLength(1);

    const sender = bareKeyChain(key.publicKey).publisher;
    const removed = await untrustPublisher(stores, sender);
    expect(removed.message).toBe(`removed publisher ${sender} and the servers and channels of 1 code`);
    expect((await untrustPublisher(stores, publisher.chain.publisher)).message).toMatch(/and its cached list$/);

    const reopened = await openClient(stores.dataDir, { pinned: [] });
    const after = await loadStoredLists(reopened);
    expect(after).toEqual({ lists: [], codes: [], problems: [] });
    // Trusting the publisher again does not let an older list back in.
    await reopened.trust.add(publisher.chain, 'manual');
    expect((await importInput(reopened, text(makeList(publisher, { version: 3 }))))[0]).toMatchObject({ status: 'rejected', reason: 'rolled-back' });
  });
});
