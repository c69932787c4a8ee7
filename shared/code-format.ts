// One-time codes: a compact signed binary record, written as "PH1:" + base64url so that a
// code for one server fits one SMS (160 GSM-7 characters) in the default form, which carries
// the sender's whole key. Layout (v2, written today; big-endian):
//
//   header u8      0x20 | 1 when the full 32-byte key follows (else an 8-byte key id)
//                       | 2 when channels follow | 4 when the sender's name follows
//   length         the whole record's length in bytes (signature included): one byte below
//                  128, else two (0x80 | high 7 bits, low 8 bits). It tells a cut-off code
//                  from a damaged one.
//   key            32 bytes (full) or 8 bytes (key id)
//   expires u16    hours since 1970, modulo 65536: read as the nearest such hour to the
//                  reader's clock (a code lives days, the window is ±3.7 years)
//   name           len u8 + UTF-8, at most 32 bytes (only with header bit 4, full form):
//                  the name the sender gave its key (keygen --name), self-declared, unchecked
//   channels u8, each len u8 + UTF-8     (only with header bit 2)
//   servers        1..8 up to the signature (the length says where it starts), each:
//     a u8         protocol(2 bits) | hostType<<2 | hasUser<<4 | hasPass<<5 | passRaw<<6 | hasLabel<<7
//     b u8         method(2 bits: 0 none, 1 chacha20, 2 aes-256, 3 aes-128) | (ports-1)<<2
//     host         4 (IPv4) | 16 (IPv6) | len u8 + ASCII name
//     ports        u16 each
//     user, pass, label   len u8 + bytes (pass raw when it was canonical base64url)
//   signature      64 bytes, Ed25519 over "porthole-code-v1\n" + everything before it
//
// v1 (still read; codes made before v2): header 0x10 | full, no length, key, expires u32
// (unix seconds), an 8-byte nonce, servers u8 + the servers as above, channels u8 + the
// channels, signature. A v2 code has no
// nonce: the first 8 bytes of its (deterministic) signature identify it instead.
import { decodeBase64Url, encodeBase64Url, encodedLength, fromUtf8, isBase64UrlChar, toHex, utf8 } from './base64url.ts';
import { codeFailure, Reader, Writer, type CodeProblem } from './code-bytes.ts';
import { isPortholeError, type Failure } from './errors.ts';
import { CODE_PROBLEMS } from './failures.ts';
import { formatIPv6, parseIPv6 } from './ip.ts';
import { hostKind, SS_CIPHERS, type Protocol, type SsCipher } from './entry.ts';
import type { ParsedLink } from './proxy-link.ts';
import { normalizePasted } from './text-normalize.ts';
import { codable, EXTENDED, needsExtension, readExtension, writeExtension } from './code-servers.ts';

export const CODE_PREFIX = 'PH1:';
export const CODE_LINK_PREFIX = 'porthole://import/';
const PROTOS: Protocol[] = ['socks5', 'http', 'https', 'shadowsocks'];
const MAX_SERVERS = 8;
const SIG = 64;
const HOUR = 3600_000;
export const MAX_NAME = 32;

export interface CodeContent {
  /** base64url public key when the code carries it, else undefined. */
  publicKey?: string;
  /** hex key id (always set: computed by the caller for the full form). */
  keyIdHex?: string;
  keyIdBytes?: Uint8Array;
  expires: Date;
  nonce: string;
  servers: ParsedLink[];
  channels: string[];
  /** The sender's own name for itself (v2 full form only): self-declared, never verified. */
  name?: string;
}

export interface DecodedCode {
  content: CodeContent;
  signedBytes: Uint8Array;
  signature: Uint8Array;
  /** The canonical text of the code (prefix + body). */
  text: string;
}


/**
 * Encodes everything but the signature (v2). `key` is 32 bytes (full form) or 8 (key-id form).
 * The length field counts the 64-byte signature that the caller appends.
 */
export function encodeCodeBody(key: Uint8Array, content: Omit<CodeContent, 'publicKey' | 'keyIdHex' | 'keyIdBytes' | 'nonce'>): Uint8Array {
  if (key.length !== 32 && key.length !== 8) throw new Error('key must be 32 bytes or an 8-byte key id');
  if (content.servers.length < 1 || content.servers.length > MAX_SERVERS) throw new Error(`a code carries 1 to ${MAX_SERVERS} servers`);
  const w = new Writer();
  w.raw(key);
  const hours = Math.ceil(content.expires.getTime() / HOUR);
  if (!(hours > 0)) throw new Error('the expiry must lie after 1970');
  w.u16(hours % 65536);
  const name = content.name ? utf8(content.name) : undefined;
  if (name && key.length !== 32) throw new Error("only the full form carries the sender's name");
  if (name && name.length > MAX_NAME) throw new Error(`the sender's name is longer than ${MAX_NAME} bytes`);
  if (name) w.str(name, 'name');
  if (content.channels.length > 255) throw new Error('too many channels');
  if (content.channels.length > 0) {
    w.u8(content.channels.length);
    for (const c of content.channels) w.str(utf8(c), 'channel');
  }
  for (const s of content.servers) writeServer(w, s);
  const rest = w.done();
  let total = 1 + 1 + rest.length + SIG;
  if (total >= 128) total += 1;
  if (total >= 0x8000) throw new Error('the code is too long: use fewer servers or shorter names');
  const head = new Writer();
  head.u8(0x20 | (key.length === 32 ? 1 : 0) | (content.channels.length > 0 ? 2 : 0) | (name ? 4 : 0));
  if (total < 128) head.u8(total);
  else head.u16(0x8000 | total);
  head.raw(rest);
  return head.done();
}

function writeServer(w: Writer, s: ParsedLink): void {
  const kind = hostKind(s.host);
  if (!kind) throw new Error(`bad host ${s.host}`);
  const hostType = kind === 'ipv4' ? 0 : kind === 'ipv6' ? 1 : 2;
  const rawPass = s.password !== undefined ? canonicalB64(s.password) : null;
  if (s.ports.length < 1 || s.ports.length > 8) throw new Error('a code server has 1 to 8 ports');
  if (!codable(s)) throw new Error(`a code cannot carry this ${s.protocol} server: share it as a link or in a signed list`);
  const extended = needsExtension(s); // the 2026 kinds: code-servers.ts
  w.u8((extended ? 0 : PROTOS.indexOf(s.protocol)) | (hostType << 2) | ((s.username !== undefined ? 1 : 0) << 4) | ((s.password !== undefined ? 1 : 0) << 5) | ((rawPass ? 1 : 0) << 6) | ((s.label ? 1 : 0) << 7));
  w.u8((s.method ? SS_CIPHERS.indexOf(s.method) + 1 : 0) | ((s.ports.length - 1) << 2) | (extended ? EXTENDED : 0));
  if (hostType === 0) w.raw(Uint8Array.from(s.host.split('.').map(Number)));
  else if (hostType === 1) {
    const v6 = parseIPv6(s.host);
    if (!v6) throw new Error(`bad IPv6 ${s.host}`);
    w.raw(v6);
  }
  else w.str(utf8(s.host), 'host');
  for (const p of s.ports) w.u16(p);
  if (s.username !== undefined) w.str(utf8(s.username), 'user name');
  if (s.password !== undefined) w.str(rawPass ?? utf8(s.password), 'password');
  if (s.label) w.str(utf8(s.label), 'label');
  if (extended) writeExtension(w, s);
}

/** Parses the structure of a whole code (no signature check). Throws a code problem (codeFailure). */
export function decodeCodeBytes(bytes: Uint8Array, now = Date.now()): Omit<DecodedCode, 'text'> {
  const r = new Reader(bytes);
  const parsed = parseRecord(r, now);
  if (parsed.declared !== undefined && parsed.declared !== bytes.length) throw codeFailure('damaged', 'length does not match');
  if (r.offset !== bytes.length) throw codeFailure('damaged', 'trailing bytes');
  return { content: parsed.content, signedBytes: bytes.slice(0, parsed.signedLength), signature: parsed.signature };
}

interface ParsedRecord {
  content: CodeContent;
  signedLength: number;
  signature: Uint8Array;
  /** v2: the length the record says it has. */
  declared?: number;
}

/** The hour (mod 65536) nearest to `now`, as a date. */
function nearestHour(value: number, now: number): Date {
  const nowH = Math.floor(now / HOUR);
  const back = (((nowH - value) % 65536) + 65536) % 65536;
  const h = back < 32768 ? nowH - back : nowH - back + 65536;
  return new Date(h * HOUR);
}

/** Walks one record (v1 or v2) from the reader; the reader may run into padding (cut off). */
function parseRecord(r: Reader, now: number): ParsedRecord {
  const header = r.u8();
  const version = header >> 4;
  if (version > 2 && version < 8) throw codeFailure('newer-version');
  if (version === 1 ? (header & 0x0e) !== 0 : version !== 2 || (header & 0x08) !== 0 || (header & 5) === 4) throw codeFailure('damaged', 'unknown header');
  const full = (header & 1) === 1;
  let declared: number | undefined;
  if (version === 2) {
    declared = r.u8();
    if (declared & 0x80) declared = ((declared & 0x7f) << 8) | r.u8();
  }
  const key = r.raw(full ? 32 : 8);
  const expires = version === 1 ? new Date(r.u32() * 1000) : nearestHour(r.u16(), now);
  const nonce = version === 1 ? toHex(r.raw(8)) : '';
  const channels: string[] = [];
  const servers: ParsedLink[] = [];
  let name: string | undefined;
  if (version === 1) {
    const n = r.u8();
    if (n < 1 || n > MAX_SERVERS) throw codeFailure('damaged', 'bad server count');
    for (let i = 0; i < n; i++) servers.push(readServer(r));
    const nc = r.u8();
    for (let i = 0; i < nc; i++) channels.push(text(r.str()));
  } else {
    if (header & 4) {
      name = text(r.str());
      if (name.length === 0 || utf8(name).length > MAX_NAME) throw codeFailure('damaged', 'bad sender name');
    }
    const nc = header & 2 ? r.u8() : 0;
    if (header & 2 && nc === 0) throw codeFailure('damaged', 'empty channel list');
    for (let i = 0; i < nc; i++) channels.push(text(r.str()));
    const end = declared! - SIG;
    while (r.offset < end && servers.length <= MAX_SERVERS) servers.push(readServer(r));
    if (r.offset !== end || servers.length < 1 || servers.length > MAX_SERVERS) throw codeFailure('damaged', 'servers do not end where the length says');
  }
  const signedLength = r.offset;
  const signature = r.raw(SIG);
  const content: CodeContent = { expires, nonce: nonce || toHex(signature.subarray(0, 8)), servers, channels, ...(name ? { name } : {}) };
  if (full) content.publicKey = encodeBase64Url(key);
  else {
    content.keyIdBytes = key;
    content.keyIdHex = toHex(key);
  }
  return { content, signedLength, signature, ...(declared !== undefined ? { declared } : {}) };
}

function readServer(r: Reader): ParsedLink {
  const a = r.u8();
  const b = r.u8();
  const protocol = PROTOS[a & 3]!;
  const hostType = (a >> 2) & 3;
  let host: string;
  if (hostType === 0) host = Array.from(r.raw(4)).join('.');
  else if (hostType === 1) host = formatIPv6(r.raw(16));
  else if (hostType === 2) host = text(r.str());
  else throw codeFailure('damaged', 'bad host type');
  if (!hostKind(host)) throw codeFailure('damaged', 'bad host');
  const ports: number[] = [];
  const np = ((b >> 2) & 7) + 1;
  for (let i = 0; i < np; i++) {
    const p = r.u16();
    if (p === 0) throw codeFailure('damaged', 'bad port');
    ports.push(p);
  }
  const s: ParsedLink = { protocol, host, ports };
  if (a & 0x10) s.username = text(r.str());
  if (a & 0x20) s.password = a & 0x40 ? encodeBase64Url(r.str()) : text(r.str());
  if (a & 0x80) s.label = text(r.str());
  const method = b & 3;
  if (b & EXTENDED) {
    if ((b >> 5) & 3 || a & 3) throw codeFailure('damaged', 'bad flags');
    return readExtension(r, s, method);
  }
  if (b >> 5) throw codeFailure('damaged', 'bad flags');
  if (protocol === 'shadowsocks') {
    if (!method || s.password === undefined) throw codeFailure('damaged', 'shadowsocks server without cipher or password');
    s.method = SS_CIPHERS[method - 1] as SsCipher;
  } else if (method) throw codeFailure('damaged', 'cipher on a non-shadowsocks server');
  return s;
}

function text(b: Uint8Array): string {
  try {
    return fromUtf8(b);
  } catch {
    throw codeFailure('damaged', 'bad text');
  }
}

function canonicalB64(password: string): Uint8Array | null {
  if (password.length < 2 || !/^[A-Za-z0-9_-]+$/.test(password)) return null;
  const raw = decodeBase64Url(password);
  return raw && raw.length <= 255 && encodeBase64Url(raw) === password ? raw : null;
}

export function formatCode(bytes: Uint8Array): string {
  return CODE_PREFIX + encodeBase64Url(bytes);
}

// Linear: no two quantifiers can match the same character (P, H, 1 and ':' are not spaces).
const PREFIX_RE = /P\s*H\s*1\s*:/gi;
/** Prefixes looked at, and decoded, per input: a paste holds a few codes; thousands of "PH1:" are noise. */
const MAX_PREFIXES = 256;
const MAX_CODE_ATTEMPTS = 16;
/** The shortest code (v2): header, length, key id, expiry, one IPv4 server with one port, signature. */
const MIN_CODE_CHARS = encodedLength(1 + 1 + 8 + 2 + (2 + 4 + 2) + SIG);

/**
 * Finds and decodes a code inside pasted text: a whole SMS with line breaks and spaces,
 * the porthole:// link form, lookalike characters. Returns null when there is no code;
 * throws a code problem (a PortholeError with one of CODE_PROBLEMS) when there is one but it is damaged.
 */
export function findCode(input: string): DecodedCode | null {
  const normalized = normalizePasted(decodeLinkEscapes(input));
  let damage: Failure<CodeProblem> | null = null;
  let attempts = 0;
  let prefixes = 0;
  for (const m of normalized.matchAll(PREFIX_RE)) {
    if (++prefixes > MAX_PREFIXES) break;
    const chars: string[] = [];
    for (let i = (m.index ?? 0) + m[0].length; i < normalized.length && chars.length < 2000; i++) {
      const ch = normalized[i]!;
      if (isBase64UrlChar(ch)) chars.push(ch);
      else if (!/\s/.test(ch)) break;
    }
    if (chars.length < MIN_CODE_CHARS) {
      damage ??= codeFailure(chars.length >= 2 && looksCaseChanged(chars.join('')) ? 'wrong-case' : 'cut-off');
      continue;
    }
    if (++attempts > MAX_CODE_ATTEMPTS) break;
    try {
      return decodeFromChars(chars.join(''));
    } catch (err) {
      if (isPortholeError(err, ...CODE_PROBLEMS)) damage ??= err;
      else throw err;
    }
  }
  if (damage) throw damage;
  return null;
}

function decodeFromChars(chars: string): DecodedCode {
  // The record is self-delimiting: walk its structure over what arrived (padded with zeros),
  // learn its length, then strictly decode exactly that many characters (ignoring any words
  // after it). Every failure says what happened: cut off, wrong letter case, newer version,
  // or damaged.
  const loose = decodeBase64Url(chars.slice(0, chars.length - (chars.length % 4))) ?? new Uint8Array(0);
  if (loose.length < 2) throw chars.length >= 2 && looksCaseChanged(chars) ? codeFailure('wrong-case') : codeFailure('cut-off');
  const padded = new Uint8Array(loose.length + 2 * SIG + 8 * 300);
  padded.set(loose);
  const walker = new Reader(padded, loose.length);
  const caseOr = (problem: 'damaged' | 'cut-off'): Failure<CodeProblem> => codeFailure(looksCaseChanged(chars) ? 'wrong-case' : problem);
  let walked: ParsedRecord | undefined;
  try {
    walked = parseRecord(walker, Date.now());
  } catch (err) {
    if (!isPortholeError(err, ...CODE_PROBLEMS)) throw err;
    if (err.code === 'newer-version' && !looksCaseChanged(chars)) throw err;
    // v2 says its length up front: only a code shorter than that can be cut off.
    const declared = declaredLength(loose);
    const arrived = declared === undefined ? !walker.overran : chars.length >= encodedLength(declared);
    throw arrived ? caseOr('damaged') : caseOr('cut-off');
  }
  const length = walked.declared ?? walker.offset;
  const need = encodedLength(length);
  if (chars.length < need) throw codeFailure('cut-off', `${chars.length} of ${need} characters`);
  const body = chars.slice(0, need);
  const bytes = decodeBase64Url(body);
  if (!bytes) throw caseOr('damaged');
  return { ...decodeCodeBytes(bytes), text: CODE_PREFIX + body };
}

function declaredLength(bytes: Uint8Array): number | undefined {
  if (bytes[0]! >> 4 !== 2 || bytes.length < 3) return undefined;
  const b = bytes[1]!;
  return b & 0x80 ? ((b & 0x7f) << 8) | bytes[2]! : b;
}

/** A code's letters are a random mix of both cases: all one case means a phone changed them. */
export function looksCaseChanged(chars: string): boolean {
  let upper = 0;
  let lower = 0;
  for (const ch of chars) {
    if (ch >= 'A' && ch <= 'Z') upper++;
    else if (ch >= 'a' && ch <= 'z') lower++;
  }
  return upper + lower >= 16 && (upper === 0 || lower === 0);
}

function decodeLinkEscapes(input: string): string {
  return input.replace(/porthole:\/\/import\/([^\s]+)/gi, (_m, rest: string) => {
    try {
      return decodeURIComponent(rest);
    } catch {
      return rest;
    }
  });
}

export function isGsm7Basic(text: string): boolean {
  return /^[A-Za-z0-9 @£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà]*$/.test(text);
}
