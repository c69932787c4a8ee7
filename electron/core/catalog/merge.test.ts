import { describe, expect, it } from 'vitest';
import type { VerifiedList } from '../lists/verify.ts';
import { mergeLists } from './merge.ts';
import type { Entry } from '../../../shared/entry.ts';

const e = (id: string, extra: Partial<Entry> = {}): Entry => ({ id, protocol: 'socks5', host: '127.0.0.1', ports: [1080], ...extra });
const list = (publisher: string, version: number, entries: Entry[], revoked?: string[]): VerifiedList => ({
  publisher,
  bytes: new Uint8Array(),
  expired: false,
  chain: { publisher, root: {} as never, chain: [] },
  payload: { type: 'porthole-list', publisher, version, issuedAt: '2026-01-01T00:00:00Z', expires: '2027-01-01T00:00:00Z', entries, channels: [], ...(revoked ? { revoked } : {}) },
});
const now = new Date('2026-06-01T00:00:00Z');

describe('mergeLists', () => {
  it('keeps the highest version per publisher and the source of each entry', () => {
    const r = mergeLists([list('aaaaaaaaaaaaaaaa', 1, [e('old')]), list('aaaaaaaaaaaaaaaa', 3, [e('new')]), list('bbbbbbbbbbbbbbbb', 1, [e('new')])], [], now);
    expect(r.entries.map((x) => `${x.publisher}/${x.id}@${x.listVersion}`).sort()).toEqual(['aaaaaaaaaaaaaaaa/new@3', 'bbbbbbbbbbbbbbbb/new@1']);
  });

  it('drops revoked and expired entries, including code servers revoked by their own publisher only', () => {
    const code = { nonce: 'n', publisher: 'aaaaaaaaaaaaaaaa', importedAt: '', expires: '', channels: [], servers: [e('gift'), e('keep')] };
    const foreign = { ...code, nonce: 'm', publisher: 'bbbbbbbbbbbbbbbb', servers: [e('gift')] };
    const r = mergeLists([list('aaaaaaaaaaaaaaaa', 2, [e('x'), e('y', { expires: '2026-05-01T00:00:00Z' })], ['x', 'gift'])], [code, foreign], now);
    expect(r.entries.map((x) => `${x.publisher}/${x.id}`).sort()).toEqual(['aaaaaaaaaaaaaaaa/keep', 'bbbbbbbbbbbbbbbb/gift']);
    expect(r.dropped).toEqual(expect.arrayContaining([{ publisher: 'aaaaaaaaaaaaaaaa', id: 'x', why: 'revoked' }, { publisher: 'aaaaaaaaaaaaaaaa', id: 'y', why: 'expired' }, { publisher: 'aaaaaaaaaaaaaaaa', id: 'gift', why: 'revoked' }]));
  });
});
