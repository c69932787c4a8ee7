// The state that must never go backwards, as the next start of the app reads it from disk: the
// highest version and the time floor per publisher, and the codes used (each nonce once, at most
// 1000 kept, the oldest dropped first, a forgotten publisher's codes gone for good).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore, type CodeRecord } from './state-store.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function newDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-state-'));
  dirs.push(dir);
  return dir;
}

/** The store as the next start of the app opens it. */
const reopen = (dir: string): Promise<StateStore> => new StateStore(dir).load();

const code = (nonce: string, publisher: string, servers = 1): CodeRecord => ({
  nonce,
  publisher,
  importedAt: '2026-03-01T12:00:00.000Z',
  expires: '2026-03-08T12:00:00.000Z',
  servers: Array.from({ length: servers }, (_, i) => ({ id: `${nonce}-${i}`, protocol: 'socks5' as const, host: '127.0.0.1', ports: [3000 + i] })),
  channels: [],
});

/** Every file of the data folder with its bytes. */
async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

describe('the time floor per publisher', () => {
  it('rises with a newer issued-at and never falls back with an older one, across restarts', async () => {
    const dir = await newDir();
    const s = await reopen(dir);
    expect(s.issuedAtFloor('p1')).toBeUndefined();
    await s.recordList('p1', 1, '2026-03-01T12:00:00.000Z');
    await s.recordList('p1', 2, '2026-03-05T12:00:00.000Z');
    expect(s.issuedAtFloor('p1')?.toISOString()).toBe('2026-03-05T12:00:00.000Z');
    await s.recordList('p1', 3, '2026-03-02T12:00:00.000Z'); // numbered later, signed earlier
    const next = await reopen(dir);
    expect(next.issuedAtFloor('p1')?.toISOString()).toBe('2026-03-05T12:00:00.000Z');
    expect(next.highestVersion('p1')).toBe(3);
    // The clock behind the floor reads as the floor; ahead of it, as itself.
    expect(next.timeFloor('p1', new Date('2026-03-01T00:00:00Z')).toISOString()).toBe('2026-03-05T12:00:00.000Z');
    expect(next.timeFloor('p1', new Date('2026-04-01T00:00:00Z')).toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });

  it('one publisher\'s lists never move another\'s floor or version', async () => {
    const dir = await newDir();
    const s = await reopen(dir);
    await s.recordList('p1', 9, '2026-06-01T00:00:00.000Z');
    await s.recordList('p2', 1, '2026-03-01T00:00:00.000Z');
    const next = await reopen(dir);
    expect(next.issuedAtFloor('p2')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(next.highestVersion('p2')).toBe(1);
    expect(next.timeFloor('p3', new Date('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('the old single floor any signer could push is read, never trusted, and dropped on the next write', async () => {
    const dir = await newDir();
    await writeFile(join(dir, 'state.json'), JSON.stringify({ format: 'porthole-state/1', highestVersion: { p1: 4 }, newestIssuedAt: '2030-01-01T00:00:00.000Z', codes: [] }));
    const s = await reopen(dir);
    expect(s.highestVersion('p1')).toBe(4);
    expect(s.issuedAtFloor('p1')).toBeUndefined();
    expect(s.timeFloor('p1', new Date('2026-03-01T00:00:00Z')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    await s.recordList('p1', 5, '2026-03-01T00:00:00.000Z');
    expect(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'))).not.toHaveProperty('newestIssuedAt');
  });
});

describe('codes used', () => {
  it('a code is found by its nonce, also after a restart; another nonce finds nothing', async () => {
    const dir = await newDir();
    const s = await reopen(dir);
    await s.recordCode(code('n1', 'p1'));
    await s.recordCode(code('n2', 'p2'));
    const next = await reopen(dir);
    expect(next.codeByNonce('n2')).toEqual(code('n2', 'p2'));
    expect(next.codeByNonce('n1')?.publisher).toBe('p1');
    expect(next.codeByNonce('n3')).toBeUndefined();
    expect(next.codes().map((c) => c.nonce)).toEqual(['n1', 'n2']);
  });

  it('the same nonce recorded again is kept once, with what was recorded last, after the others', async () => {
    const dir = await newDir();
    const s = await reopen(dir);
    await s.recordCode(code('n1', 'p1'));
    await s.recordCode(code('n2', 'p1'));
    await s.recordCode(code('n1', 'p1', 3));
    const next = await reopen(dir);
    expect(next.codes().map((c) => [c.nonce, c.servers.length])).toEqual([['n2', 1], ['n1', 3]]);
  });

  it('the list of codes it hands out is a copy: changing it changes nothing stored', async () => {
    const s = await reopen(await newDir());
    await s.recordCode(code('n1', 'p1'));
    s.codes().pop();
    expect(s.codes().map((c) => c.nonce)).toEqual(['n1']);
  });

  it('keeps the 1000 newest codes: the oldest goes first', async () => {
    const dir = await newDir();
    const held = Array.from({ length: 1000 }, (_, i) => code(`old-${i}`, 'p1'));
    await writeFile(join(dir, 'state.json'), JSON.stringify({ format: 'porthole-state/1', highestVersion: {}, issuedAtFloor: {}, codes: held }));
    const s = await reopen(dir);
    await s.recordCode(code('new', 'p1'));
    const kept = (await reopen(dir)).codes().map((c) => c.nonce);
    expect(kept).toHaveLength(1000);
    expect(kept[0]).toBe('old-1');
    expect(kept.at(-1)).toBe('new');
    expect(kept).not.toContain('old-0');
  });
});

describe('forgetting a publisher\'s codes', () => {
  it('drops exactly its codes, says how many, and keeps its version and floor', async () => {
    const dir = await newDir();
    const s = await reopen(dir);
    await s.recordList('p1', 3, '2026-03-01T00:00:00.000Z');
    for (const c of [code('a', 'p1'), code('b', 'p2'), code('c', 'p1')]) await s.recordCode(c);
    expect(await s.forgetCodesOf('p1')).toBe(2);
    expect(s.codes().map((c) => c.nonce)).toEqual(['b']);
    const next = await reopen(dir);
    expect(next.codes().map((c) => c.nonce)).toEqual(['b']);
    expect(next.codeByNonce('a')).toBeUndefined();
    expect(next.highestVersion('p1')).toBe(3);
    expect(next.issuedAtFloor('p1')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('the previous good copy cannot bring forgotten codes back when the state file is damaged', async () => {
    const dir = await newDir();
    const s = await reopen(dir);
    await s.recordCode(code('a', 'p1'));
    await s.recordCode(code('b', 'p2'));
    await s.forgetCodesOf('p1');
    await writeFile(join(dir, 'state.json'), '{"format": "porthole-st'); // cut off mid-write by a crash
    const next = await reopen(dir);
    expect(next.recovered).toMatch(/restored the previous good copy/);
    expect(next.codes().map((c) => c.nonce)).toEqual(['b']);
  });

  it('a publisher that brought no codes: nothing is written, the previous good copy stays as it was', async () => {
    const dir = await newDir();
    const s = await reopen(dir);
    await s.recordCode(code('a', 'p1'));
    await s.recordList('p1', 2, '2026-03-01T00:00:00.000Z');
    const before = await filesOf(dir);
    expect(await s.forgetCodesOf('p2')).toBe(0);
    expect(await filesOf(dir)).toEqual(before);
  });
});

describe('a damaged state file', () => {
  it('is replaced by the previous good copy, and the store says so', async () => {
    const dir = await newDir();
    const s = await reopen(dir);
    await s.recordList('p1', 1, '2026-03-01T00:00:00.000Z');
    await s.recordList('p1', 2, '2026-03-02T00:00:00.000Z');
    expect((await reopen(dir)).recovered).toBeUndefined();
    await writeFile(join(dir, 'state.json'), 'not json');
    const next = await reopen(dir);
    expect(next.recovered).toMatch(/restored the previous good copy/);
    expect(next.highestVersion('p1')).toBe(1);
  });
});
