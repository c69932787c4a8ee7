// Held lists are verified once: reading them again, or the same bytes arriving again, does not
// verify anything; a new list, a changed trust or a new start does, and the answers stay those of
// a full verification.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { freshClient, makeList, makePublisher } from '../../../test/helpers/publishers.ts';
import { acceptList } from './accept.ts';
import { openClient } from './open.ts';
import { loadStoredLists } from './stored.ts';
import type * as VerifyModule from '../lists/verify.ts';

const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock('../lists/verify.ts', async (importOriginal) => {
  const real = await importOriginal<typeof VerifyModule>();
  return { ...real, verifyList: (...args: Parameters<typeof real.verifyList>) => (verifications.count++, real.verifyList(...args)) };
});

beforeEach(() => {
  verifications.count = 0;
});

describe('held lists', () => {
  it('verify the cache once, then answer from memory; the same bytes again are unchanged without a new check', async () => {
    const p = makePublisher();
    const first = await freshClient([p.chain]);
    const v1 = makeList(p, { version: 1, urls: ['socks5://203.0.113.1:1080', 'socks5://203.0.113.2:1080'] });
    expect(await acceptList(first, v1)).toMatchObject({ status: 'added', version: 1 });

    // A new start where the same bytes arrive first (the embedded list, a mirror): one check in all.
    const stores = await openClient(first.dataDir, { pinned: [p.chain] });
    verifications.count = 0;
    expect(await acceptList(stores, v1)).toEqual({ kind: 'list', status: 'already-added', reason: 'unchanged', message: 'already added: unchanged (already have v1)' });
    for (let i = 0; i < 5; i++) expect((await loadStoredLists(stores)).lists.map((l) => l.payload.entries.length)).toEqual([2]);
    expect(await acceptList(stores, v1)).toMatchObject({ status: 'already-added', reason: 'unchanged' });
    expect(verifications.count).toBe(1);

    expect(await acceptList(stores, makeList(p, { version: 2 }))).toMatchObject({ status: 'updated', version: 2 });
    expect(verifications.count).toBe(2);
    expect((await loadStoredLists(stores)).lists.map((l) => l.payload.version)).toEqual([2]);
    expect(verifications.count).toBe(2);
  });

  it('are read from disk again only on a new start, which still refuses a damaged file', async () => {
    const p = makePublisher();
    const stores = await freshClient([p.chain]);
    await acceptList(stores, makeList(p, { version: 1 }));
    expect((await loadStoredLists(stores)).lists).toHaveLength(1);
    await writeFile(join(stores.dataDir, 'lists', `${p.chain.publisher}.signed`), '{"roots":[]}');
    expect((await loadStoredLists(stores)).lists).toHaveLength(1);
    const reopened = await loadStoredLists(await openClient(stores.dataDir, { pinned: [p.chain] }));
    expect(reopened.lists).toEqual([]);
    expect(reopened.problems).toEqual([expect.stringMatching(new RegExp(`^cached list of ${p.chain.publisher} ignored: `))]);
  });

  it('are verified again when the trust behind them changes, with the answer a full check gives', async () => {
    const p = makePublisher();
    const stores = await freshClient([]);
    await stores.trust.add(p.chain, 'manual');
    await acceptList(stores, makeList(p, { version: 1 }));
    expect((await loadStoredLists(stores)).lists).toHaveLength(1);
    verifications.count = 0;
    await stores.trust.remove(p.chain.publisher);
    const after = await loadStoredLists(stores);
    expect(verifications.count).toBe(1);
    expect(after.lists).toEqual([]);
    expect(after.problems).toEqual([expect.stringMatching(new RegExp(`^cached list of ${p.chain.publisher} ignored: not trusted`))]);
  });
});
