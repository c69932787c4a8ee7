import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import {
  assembleChunks, DEFAULT_MAX_ANSWER_BYTES, dnsPointerRecord, dnsTxtRecords, dnsZoneFragment, listId, parseTxtRecord,
  type TxtItem, type TxtRecord,
} from './dns-txt-format.ts';
import { fakeSignedList } from '../../../test/fixtures/channels/lists.ts';

type Chunk = Extract<TxtItem, { kind: 'chunk' }>;

/** The exact size of the DNS answer a server sends for `name` (one EDNS OPT record included). */
function answerSize(name: string, records: TxtRecord[]): number {
  return dnsPacket.encode({
    type: 'response',
    id: 1,
    questions: [{ type: 'TXT', name }],
    answers: records.filter((r) => r.name === name).map((r) => ({ type: 'TXT' as const, name, ttl: 300, data: r.strings })),
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  }).length;
}

function reassemble(records: TxtRecord[], maxBytes = 1 << 20): Uint8Array[] {
  const chunks = records.map((r) => parseTxtRecord(r.strings)).filter((i): i is Chunk => i?.kind === 'chunk');
  return assembleChunks(chunks, maxBytes).blobs;
}

describe('dnsTxtRecords', () => {
  it('puts a small list inline on the name, in one record', () => {
    const list = fakeSignedList(300);
    const records = dnsTxtRecords('Lists.Example.Test.', list);
    expect(records).toHaveLength(1);
    expect(records[0]?.name).toBe('lists.example.test');
    expect(records[0]?.strings.join('')).toMatch(new RegExp(`^ph1 ${listId(list)} 1/1 [A-Za-z0-9_-]+$`));
    for (const s of records[0]?.strings ?? []) expect(s.length).toBeLessThanOrEqual(255);
    expect(reassemble(records)).toEqual([list]);
  });

  it.each([900, 1200, 5_000, 40_000])('splits a %i-byte list over names whose answers each fit 1232 bytes', (size) => {
    const list = fakeSignedList(size, `s${size}`);
    const records = dnsTxtRecords('lists.example.test', list);
    for (const r of records) {
      expect(answerSize(r.name, records)).toBeLessThanOrEqual(DEFAULT_MAX_ANSWER_BYTES);
      for (const s of r.strings) expect(Buffer.byteLength(s)).toBeLessThanOrEqual(255);
    }
    if (records.length > 1) {
      const index = parseTxtRecord(records[0]?.strings ?? []);
      expect(index).toEqual({ kind: 'parts', id: listId(list), parts: records.length - 1, size });
      expect(records.slice(1).map((r) => r.name)).toEqual(records.slice(1).map((_, j) => `${j}.lists.example.test`));
    }
    expect(reassemble(records)).toEqual([list]);
  });

  it('uses the room it has: a 40 kB list needs few names, and a bigger budget needs fewer', () => {
    const list = fakeSignedList(40_000);
    const normal = dnsTxtRecords('l.example.test', list);
    // Over 800 data bytes in each 1232-byte answer: at most 50 parts for 40 000 bytes.
    expect(normal.length - 1).toBeLessThanOrEqual(50);
    const big = dnsTxtRecords('l.example.test', list, { maxAnswerBytes: 4096 });
    expect(big.length).toBeLessThan(normal.length / 3);
    for (const r of big) expect(answerSize(r.name, big)).toBeLessThanOrEqual(4096);
  });

  it('refuses lists that need more than 255 names', () => {
    expect(() => dnsTxtRecords('l.example.test', fakeSignedList(300_000))).toThrow(/at most 255/);
  });

  it('refuses invalid names', () => {
    expect(() => dnsTxtRecords('bad name.example', fakeSignedList(10))).toThrow(/not a valid DNS name/);
    expect(() => dnsTxtRecords(`${'a'.repeat(64)}.example`, fakeSignedList(10))).toThrow(/not a valid DNS name/);
  });
});

describe('parseTxtRecord', () => {
  it('reads chunks, indexes and pointers, and joins strings without separator', () => {
    expect(parseTxtRecord(['ph1 AAAAAAAA 2/', '3 aGVsbG8'])).toEqual({ kind: 'chunk', id: 'AAAAAAAA', index: 2, total: 3, data: 'aGVsbG8' });
    expect(parseTxtRecord(['ph1 AAAAAAAA parts=4 size=3000'])).toEqual({ kind: 'parts', id: 'AAAAAAAA', parts: 4, size: 3000 });
    expect(parseTxtRecord(['ph1 url=https://mirror.example/l.signed'])).toEqual({ kind: 'url', url: 'https://mirror.example/l.signed' });
  });

  it.each([
    ['v=spf1 -all'],
    ['ph1'],
    ['ph1 short 1/1 aGVsbG8'],
    ['ph1 AAAAAAAA 0/1 aGVsbG8'],
    ['ph1 AAAAAAAA 3/2 aGVsbG8'],
    ['ph1 AAAAAAAA 1/1 not+base64'],
    ['ph1 AAAAAAAA parts=0'],
    ['ph1 AAAAAAAA parts=256'],
    ['ph1 url=ftp://x.example/l'],
    ['ph1 url=not a url'],
  ])('ignores %j', (text) => {
    expect(parseTxtRecord([text])).toBeNull();
  });
});

describe('assembleChunks', () => {
  const list = fakeSignedList(3_000);
  const records = dnsTxtRecords('l.example.test', list);
  const chunks = records.map((r) => parseTxtRecord(r.strings)).filter((i): i is Chunk => i?.kind === 'chunk');

  it('reports a missing chunk instead of returning a partial list', () => {
    const out = assembleChunks(chunks.slice(1), 1 << 20);
    expect(out.blobs).toEqual([]);
    expect(out.problems).toEqual([`list ${listId(list)}: ${chunks.length - 1} of ${chunks.length} chunks`]);
  });

  it('keeps chunks of two versions apart (a cache serving old parts)', () => {
    const other = fakeSignedList(3_000, 'other');
    const otherChunks = dnsTxtRecords('l.example.test', other).map((r) => parseTxtRecord(r.strings)).filter((i): i is Chunk => i?.kind === 'chunk');
    // New index, but one part still old: the new list is incomplete, the old one too.
    const mixed = [...chunks.slice(0, -1), ...otherChunks.slice(-1)];
    const out = assembleChunks(mixed, 1 << 20);
    expect(out.blobs).toEqual([]);
    expect(out.problems).toHaveLength(2);
    // Both complete: both delivered, the verifier picks.
    expect(assembleChunks([...chunks, ...otherChunks], 1 << 20).blobs).toEqual([list, other]);
  });

  it('rejects chunks whose bytes do not hash to the id', () => {
    const tampered = chunks.map((c, i) => (i === 0 ? { ...c, data: `${c.data.slice(0, -4)}AAAA` } : c));
    const out = assembleChunks(tampered, 1 << 20);
    expect(out.blobs).toEqual([]);
    expect(out.problems[0]).toMatch(/do not match the id/);
  });

  it('enforces the byte cap before decoding', () => {
    expect(() => assembleChunks(chunks, 1_000)).toThrow(/exceeded 1000 bytes/);
  });
});

describe('zone fragment and pointer', () => {
  it('writes BIND lines with quoted strings, absolute names and a TTL', () => {
    const list = fakeSignedList(2_000);
    const records = [...dnsTxtRecords('l.example.test', list), dnsPointerRecord('l.example.test', 'https://m.example/a "b".signed')];
    const zone = dnsZoneFragment(records, { ttl: 120 });
    const lines = zone.trimEnd().split('\n');
    expect(lines).toHaveLength(records.length);
    expect(lines[0]).toMatch(/^l\.example\.test\. +120 IN TXT "ph1 [A-Za-z0-9_-]{8} parts=\d+ size=2000"$/);
    expect(lines[1]).toMatch(/^0\.l\.example\.test\. +120 IN TXT "ph1 [A-Za-z0-9_-]{8} 1\/\d+ [A-Za-z0-9_-]+"( "[A-Za-z0-9_-]+")+$/);
    expect(lines.at(-1)).toBe('l.example.test.   120 IN TXT "ph1 url=https://m.example/a%20%22b%22.signed"');
  });

  it('refuses non-http pointers', () => {
    expect(() => dnsPointerRecord('l.example.test', 'file:///etc/passwd')).toThrow(/http/);
  });
});
