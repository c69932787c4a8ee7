// What a client keeps when lists arrive, as a person importing them sees it: newer versions update,
// older ones are refused as rolled back, an identical re-import is "already added (unchanged)", two
// lists arriving at once leave the newer one, and a clock set back cannot revive an expired list
// (the time floor is the newest signed issued-at the client has seen). All of it survives a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { acceptList } from '../../electron/core/catalog/accept.ts';
import { importInput } from '../../electron/core/catalog/import.ts';
import { loadStoredLists } from '../../electron/core/catalog/stored.ts';
import { at, client, publisher, reopen, T0 } from './fixtures.ts';

const open: { close(): Promise<void> }[] = [];
async function newClient(...args: Parameters<typeof client>) {
  const c = await client(...args);
  open.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('versions only go forward', () => {
  it('a newer version updates; an older one is refused as rolled back and the held list stays', async () => {
    const pub = publisher();
    const c = await newClient([pub]);
    expect(await importInput(c, text(pub.list(2)), { now: T0 })).toEqual([expect.objectContaining({ kind: 'list', status: 'added', version: 2 })]);
    expect(await importInput(c, text(pub.list(3)), { now: T0 })).toEqual([expect.objectContaining({ status: 'updated', version: 3 })]);
    const old = await importInput(c, text(pub.list(1)), { now: T0 });
    expect(old).toEqual([{ kind: 'list', status: 'rejected', reason: 'rolled-back', message: 'rolled back (have v3, got v1)' }]);
    expect((await loadStoredLists(await reopen(c), T0)).lists.map((l) => l.payload.version)).toEqual([3]);
    // The next start remembers: v2 is still a rollback.
    const again = await acceptList(await reopen(c), pub.list(2), { now: T0 });
    expect(again).toMatchObject({ status: 'rejected', reason: 'rolled-back', message: 'rolled back (have v3, got v2)' });
  });

  it('an identical re-import is "already added (unchanged)" and changes nothing', async () => {
    const pub = publisher();
    const c = await newClient([pub]);
    const v4 = pub.list(4);
    expect(await acceptList(c, v4, { now: T0 })).toMatchObject({ status: 'added', version: 4 });
    expect(await acceptList(c, v4, { now: T0 })).toEqual({ kind: 'list', status: 'already-added', reason: 'unchanged', message: 'already added: unchanged (already have v4)' });
    // The same version with other content is not taken either: a version names one list.
    expect(await acceptList(c, pub.list(4, { entries: 5 }), { now: T0 })).toMatchObject({ status: 'already-added', reason: 'unchanged' });
    const stored = await loadStoredLists(c, T0);
    expect(stored.lists.map((l) => [l.payload.version, l.payload.entries.length])).toEqual([[4, 2]]);
    expect(stored.problems).toEqual([]);
  });

  it('two lists accepted at the same moment leave the higher version, on disk too', async () => {
    const pub = publisher();
    const c = await newClient([pub]);
    await acceptList(c, pub.list(1), { now: T0 });
    const [v5, v4] = await Promise.all([acceptList(c, pub.list(5), { now: T0 }), acceptList(c, pub.list(4), { now: T0 })]);
    expect(v5).toMatchObject({ status: 'updated', version: 5 });
    expect(v4).toMatchObject({ status: 'rejected', reason: 'rolled-back', message: 'rolled back (have v5, got v4)' });
    expect(c.state.highestVersion(pub.chain.publisher)).toBe(5);
    const next = await reopen(c);
    expect(next.state.highestVersion(pub.chain.publisher)).toBe(5);
    const stored = await loadStoredLists(next, T0);
    expect(stored.problems).toEqual([]);
    expect(stored.lists.map((l) => l.payload.version)).toEqual([5]);
    expect(await acceptList(next, pub.list(4), { now: T0 })).toMatchObject({ status: 'rejected', reason: 'rolled-back', message: 'rolled back (have v5, got v4)' });
  });

  it('a lower version recorded after a higher one does not lower what is kept', async () => {
    const pub = publisher();
    const c = await newClient([pub]);
    await c.state.recordList(pub.chain.publisher, 7, at(0).toISOString());
    await c.state.recordList(pub.chain.publisher, 6, at(0).toISOString());
    expect(c.state.highestVersion(pub.chain.publisher)).toBe(7);
    expect((await reopen(c)).state.highestVersion(pub.chain.publisher)).toBe(7);
  });

  it('each publisher has its own versions', async () => {
    const a = publisher();
    const b = publisher();
    const c = await newClient([a, b]);
    await acceptList(c, a.list(9), { now: T0 });
    expect(await acceptList(c, b.list(1), { now: T0 })).toMatchObject({ status: 'added', version: 1 });
  });
});

describe('expiry and the time floor', () => {
  it('an expired list is refused on import; a held one keeps working after it expires, flagged', async () => {
    const pub = publisher();
    const c = await newClient([pub]);
    expect(await acceptList(c, pub.list(1, { issued: -10, validDays: 3 }), { now: T0 })).toEqual({
      kind: 'list', status: 'rejected', reason: 'expired', message: `expired on ${at(-7).toISOString().slice(0, 10)} (${at(-7).toISOString()})`,
    });
    await acceptList(c, pub.list(2, { validDays: 3 }), { now: T0 });
    const later = await loadStoredLists(c, at(30));
    expect(later.lists.map((l) => [l.payload.version, l.expired])).toEqual([[2, true]]);
    expect((await loadStoredLists(c, at(1))).lists.map((l) => l.expired)).toEqual([false]);
  });

  it('a list that expires exactly now is expired', async () => {
    const pub = publisher();
    const c = await newClient([pub]);
    expect(await acceptList(c, pub.list(1, { issued: -7, validDays: 7 }), { now: T0 })).toMatchObject({ reason: 'expired' });
  });

  it('with the clock set back, a list that expired before the newest issued-at already seen is refused', async () => {
    const pub = publisher();
    const c = await newClient([pub]);
    // Seen: v1, issued at T0 (the clock said T0).
    expect(await acceptList(c, pub.list(1), { now: T0 })).toMatchObject({ status: 'added' });
    // Now the clock says T0 − 10 days (a wrong clock, or someone set it back on purpose). A list that
    // expired at T0 − 5 days looks valid to that clock, but the client has seen a list signed at T0.
    const stale = pub.list(2, { issued: -20, validDays: 15 });
    const r = await acceptList(c, stale, { now: at(-10) });
    expect(r).toMatchObject({ status: 'rejected', reason: 'expired' });
    // The floor survives a restart.
    expect(await acceptList(await reopen(c), stale, { now: at(-10) })).toMatchObject({ status: 'rejected', reason: 'expired' });
    expect(c.state.highestVersion(pub.chain.publisher)).toBe(1);
  });

  it('the floor follows the newest issued-at only: an older list accepted later does not pull it back', async () => {
    const pub = publisher();
    const c = await newClient([pub]);
    await acceptList(c, pub.list(1, { issued: 0 }), { now: T0 });
    await acceptList(c, pub.list(2, { issued: -3, validDays: 30 }), { now: T0 }); // signed earlier, numbered later
    const stale = pub.list(3, { issued: -20, validDays: 19 }); // expired at T0 − 1 day
    expect(await acceptList(c, stale, { now: at(-10) })).toMatchObject({ status: 'rejected', reason: 'expired' });
  });

  it('without a newer list seen, the system clock decides', async () => {
    const pub = publisher();
    const c = await newClient([pub]);
    expect(await acceptList(c, pub.list(1, { issued: -20, validDays: 15 }), { now: at(-10) })).toMatchObject({ status: 'added' });
    const id = pub.chain.publisher;
    expect(c.state.timeFloor(id, at(-10)).toISOString()).toBe(at(-10).toISOString());
    expect(c.state.timeFloor(id, at(-30)).toISOString()).toBe(at(-20).toISOString());
    // Another publisher's lists do not move this one's clock.
    expect(c.state.timeFloor(publisher().chain.publisher, at(-30)).toISOString()).toBe(at(-30).toISOString());
  });
});
