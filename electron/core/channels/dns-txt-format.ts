// The DNS TXT record format of signed lists ("ph1"), both ways. See docs/dns-txt.md.
//   NAME      TXT "ph1 <id> 1/1 <base64url of the whole list>"         (fits one answer)
//   NAME      TXT "ph1 <id> parts=<k> size=<bytes>"                      (does not fit)
//   j.NAME    TXT "ph1 <id> <j+1>/<k> <base64url of chunk j>"           j = 0 … k-1
//   NAME      TXT "ph1 url=https://…"                                    (a pointer; any number)
// A record's strings (≤255 bytes each) are joined without separator before parsing.
// <id> is the first 6 bytes of SHA-256(list) in base64url: it keeps chunks of two list
// versions (a cache serving old parts) from being mixed, and checks the reassembly.
import { createHash } from 'node:crypto';
import { tooLarge } from './result.ts';

const TXT_TAG = 'ph1';
/** Fits a UDP answer without truncation on resolvers following DNS Flag Day 2020. */
export const DEFAULT_MAX_ANSWER_BYTES = 1232;
export const MAX_PARTS = 255;
const MAX_STRING = 255;

export interface TxtRecord {
  /** Fully qualified, no trailing dot. */
  name: string;
  /** The character-strings of ONE TXT record, each ≤ 255 bytes. */
  strings: string[];
}

export type TxtItem =
  | { kind: 'chunk'; id: string; index: number; total: number; data: string }
  | { kind: 'parts'; id: string; parts: number; size?: number }
  | { kind: 'url'; url: string };

const NAME_RE = /^(?=.{1,253}$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/;
const ID_RE = /^[A-Za-z0-9_-]{8}$/;
const B64URL_RE = /^[A-Za-z0-9_-]*$/;

/** Lower-cased, without trailing dot; throws on a name DNS cannot carry. */
export function normalizeDnsName(name: string): string {
  const n = name.trim().replace(/\.$/, '').toLowerCase();
  if (!NAME_RE.test(n)) throw new Error(`"${name}" is not a valid DNS name`);
  return n;
}

export function listId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest().subarray(0, 6).toString('base64url');
}

/** Splits a record's text into character-strings of at most 255 bytes (the text is ASCII). */
function splitTxtStrings(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += MAX_STRING) out.push(text.slice(i, i + MAX_STRING));
  return out.length > 0 ? out : [''];
}

/** Bytes of a DNS answer carrying one TXT record of `textLength` on a name of `nameLength` chars. */
function answerBytes(nameLength: number, textLength: number): number {
  const header = 12;
  const question = nameLength + 2 + 4;
  const rdata = textLength + Math.ceil(Math.max(textLength, 1) / MAX_STRING);
  // Counted uncompressed (servers usually point back to the question: 2 bytes), to be safe.
  const answer = nameLength + 2 + 10 + rdata;
  const opt = 11;
  return header + question + answer + opt;
}

/** The longest record text that keeps an answer for `nameLength` within `maxAnswerBytes`. */
function maxText(nameLength: number, maxAnswerBytes: number): number {
  let lo = 0;
  let hi = 65_000;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (answerBytes(nameLength, mid) <= maxAnswerBytes) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function record(name: string, text: string): TxtRecord {
  return { name, strings: splitTxtStrings(text) };
}

export interface DnsTxtOptions {
  /** Keep each name's answer within this many bytes (default 1232). */
  maxAnswerBytes?: number;
}

/**
 * The TXT records that carry `bytes` (a signed list) under `name`: one record on `name`
 * when it fits one answer, else an index on `name` and one chunk on each `j.name`.
 */
export function dnsTxtRecords(name: string, bytes: Uint8Array, opts: DnsTxtOptions = {}): TxtRecord[] {
  const base = normalizeDnsName(name);
  const maxAnswer = opts.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  const id = listId(bytes);
  const all = Buffer.from(bytes).toString('base64url');
  const inline = `${TXT_TAG} ${id} 1/1 ${all}`;
  if (answerBytes(base.length, inline.length) <= maxAnswer) return [record(base, inline)];

  // Every chunk gets the room of the worst case: the longest part name and index.
  const digits = String(MAX_PARTS).length;
  const partNameLength = digits + 1 + base.length;
  const header = `${TXT_TAG} ${id} ${'9'.repeat(digits)}/${'9'.repeat(digits)} `.length;
  const dataChars = Math.floor((maxText(partNameLength, maxAnswer) - header) / 4) * 4;
  const chunkBytes = (dataChars / 4) * 3;
  if (chunkBytes <= 0) throw new Error(`maxAnswerBytes ${maxAnswer} leaves no room for data on ${base}`);
  const parts = Math.ceil(bytes.length / chunkBytes);
  if (parts > MAX_PARTS) {
    throw new Error(`the list needs ${parts} DNS names (at most ${MAX_PARTS}); raise maxAnswerBytes or use a pointer`);
  }
  const out: TxtRecord[] = [record(base, `${TXT_TAG} ${id} parts=${parts} size=${bytes.length}`)];
  for (let j = 0; j < parts; j++) {
    const chunk = Buffer.from(bytes.subarray(j * chunkBytes, (j + 1) * chunkBytes)).toString('base64url');
    out.push(record(`${j}.${base}`, `${TXT_TAG} ${id} ${j + 1}/${parts} ${chunk}`));
  }
  return out;
}

/** A pointer record: the list is at `url` (fetched like an HTTPS mirror). */
export function dnsPointerRecord(name: string, url: string): TxtRecord {
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`a pointer must be an http(s) URL, got ${u.protocol}`);
  return record(normalizeDnsName(name), `${TXT_TAG} url=${u.href}`);
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** BIND zone-file lines for the records (absolute names), ready to paste into a zone. */
export function dnsZoneFragment(records: TxtRecord[], opts: { ttl?: number } = {}): string {
  const ttl = opts.ttl ?? 300;
  const width = Math.max(0, ...records.map((r) => r.name.length + 1));
  return records.map((r) => `${`${r.name}.`.padEnd(width)} ${ttl} IN TXT ${r.strings.map(quote).join(' ')}`).join('\n') + '\n';
}

/** Parses one TXT record (its strings); null when it is not a ph1 record or is malformed. */
export function parseTxtRecord(strings: readonly string[]): TxtItem | null {
  const tokens = strings.join('').trim().split(/\s+/);
  if (tokens[0] !== TXT_TAG || tokens.length < 2) return null;
  const second = tokens[1] ?? '';
  if (second.startsWith('url=')) {
    try {
      const u = new URL(second.slice(4));
      return u.protocol === 'https:' || u.protocol === 'http:' ? { kind: 'url', url: u.href } : null;
    } catch {
      return null;
    }
  }
  if (!ID_RE.test(second)) return null;
  const third = tokens[2] ?? '';
  const pos = /^(\d{1,3})\/(\d{1,3})$/.exec(third);
  if (pos) {
    const index = Number(pos[1]);
    const total = Number(pos[2]);
    const data = tokens[3] ?? '';
    if (index < 1 || total < 1 || index > total || total > MAX_PARTS || !B64URL_RE.test(data)) return null;
    return { kind: 'chunk', id: second, index, total, data };
  }
  const fields = new Map(tokens.slice(2).map((t) => t.split('=', 2) as [string, string | undefined]));
  const parts = Number(fields.get('parts'));
  if (!Number.isInteger(parts) || parts < 1 || parts > MAX_PARTS) return null;
  const size = Number(fields.get('size'));
  return Number.isInteger(size) && size >= 0 ? { kind: 'parts', id: second, parts, size } : { kind: 'parts', id: second, parts };
}

export interface Assembled {
  blobs: Uint8Array[];
  /** One line per id whose chunks did not make a whole list. */
  problems: string[];
}

/** Joins the chunks of each id into the list; checks completeness, size and the id. */
export function assembleChunks(chunks: Extract<TxtItem, { kind: 'chunk' }>[], maxBytes: number): Assembled {
  const byId = new Map<string, Map<number, string>>();
  const totals = new Map<string, Set<number>>();
  const conflicts = new Set<string>();
  for (const c of chunks) {
    const slots = byId.get(c.id) ?? new Map<number, string>();
    byId.set(c.id, slots);
    const t = totals.get(c.id) ?? new Set<number>();
    totals.set(c.id, t.add(c.total));
    const prev = slots.get(c.index);
    if (prev !== undefined && prev !== c.data) conflicts.add(c.id);
    slots.set(c.index, c.data);
  }
  const out: Assembled = { blobs: [], problems: [] };
  for (const [id, slots] of byId) {
    const t = [...(totals.get(id) ?? [])];
    const total = t[0] ?? 0;
    if (t.length !== 1 || conflicts.has(id)) {
      out.problems.push(`list ${id}: conflicting chunks`);
      continue;
    }
    const have = [...slots.keys()].filter((i) => i <= total).length;
    if (have < total) {
      out.problems.push(`list ${id}: ${have} of ${total} chunks`);
      continue;
    }
    let chars = 0;
    for (const d of slots.values()) chars += d.length;
    if (Math.floor((chars * 3) / 4) > maxBytes) throw tooLarge(maxBytes);
    const bytes = Buffer.concat(Array.from({ length: total }, (_, i) => Buffer.from(slots.get(i + 1) ?? '', 'base64url')));
    if (listId(bytes) !== id) {
      out.problems.push(`list ${id}: reassembled bytes do not match the id`);
      continue;
    }
    out.blobs.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return out;
}
