// One-time codes: a compact signed binary record, written as "PH1:" + base64url so that
// one server with a 16-byte secret fits one SMS (160 GSM-7 characters) in the key-id
// form and two SMS (306) with the full key. Layout (v1, big-endian):
//
//   header u8      0x10 | 1 when the full 32-byte key follows, else an 8-byte key id
//   key            32 bytes (full) or 8 bytes (key id)
//   expires u32    unix seconds
//   nonce          8 bytes
//   servers u8     1..8, each:
//     a u8         protocol(2 bits) | hostType<<2 | hasUser<<4 | hasPass<<5 | passRaw<<6 | hasLabel<<7
//     b u8         method(2 bits: 0 none, 1 chacha20, 2 aes-256, 3 aes-128) | (ports-1)<<2
//     host         4 (IPv4) | 16 (IPv6) | len u8 + ASCII name
//     ports        u16 each
//     user, pass, label   len u8 + bytes (pass raw when it was canonical base64url)
//   channels u8, each len u8 + UTF-8
//   signature      64 bytes, Ed25519 over "porthole-code-v1\n" + everything before it
import { decodeBase64Url, encodeBase64Url, encodedLength, fromUtf8, isBase64UrlChar, toHex, utf8 } from './base64url.ts';
import { hostKind, SS_CIPHERS, type Protocol, type SsCipher } from './entry.ts';
import type { ParsedLink } from './proxy-link.ts';
import { normalizePasted } from './text-normalize.ts';

export const CODE_PREFIX = 'PH1:';
export const CODE_LINK_PREFIX = 'porthole://import/';
const PROTOS: Protocol[] = ['socks5', 'http', 'https', 'shadowsocks'];
const MAX_SERVERS = 8;
const SIG = 64;

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
}

export interface DecodedCode {
  content: CodeContent;
  signedBytes: Uint8Array;
  signature: Uint8Array;
  /** The canonical text of the code (prefix + body). */
  text: string;
}

export class CodeDamaged extends Error {
  constructor(detail: string) {
    super(`this code is damaged — ask the sender to send it again (${detail})`);
    this.name = 'CodeDamaged';
  }
}

class Writer {
  private bytes: number[] = [];
  u8(v: number): void { this.bytes.push(v & 0xff); }
  u16(v: number): void { this.bytes.push((v >> 8) & 0xff, v & 0xff); }
  u32(v: number): void { this.bytes.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff); }
  raw(b: Uint8Array): void { for (const x of b) this.bytes.push(x); }
  str(b: Uint8Array, what: string): void {
    if (b.length > 255) throw new Error(`${what} is longer than 255 bytes`);
    this.u8(b.length);
    this.raw(b);
  }
  done(): Uint8Array { return Uint8Array.from(this.bytes); }
}

class Reader {
  private o = 0;
  private readonly b: Uint8Array;
  constructor(b: Uint8Array) { this.b = b; }
  get offset(): number { return this.o; }
  need(n: number): void { if (this.o + n > this.b.length) throw new CodeDamaged('too short'); }
  u8(): number { this.need(1); return this.b[this.o++]!; }
  u16(): number { return (this.u8() << 8) | this.u8(); }
  u32(): number { return ((this.u8() << 24) >>> 0) + (this.u8() << 16) + (this.u8() << 8) + this.u8(); }
  raw(n: number): Uint8Array { this.need(n); const out = this.b.slice(this.o, this.o + n); this.o += n; return out; }
  str(): Uint8Array { return this.raw(this.u8()); }
}

/** Encodes everything but the signature. `key` is 32 bytes (full form) or 8 (key-id form). */
export function encodeCodeBody(key: Uint8Array, content: Omit<CodeContent, 'publicKey' | 'keyIdHex' | 'keyIdBytes'>): Uint8Array {
  if (key.length !== 32 && key.length !== 8) throw new Error('key must be 32 bytes or an 8-byte key id');
  if (content.servers.length < 1 || content.servers.length > MAX_SERVERS) throw new Error(`a code carries 1 to ${MAX_SERVERS} servers`);
  const w = new Writer();
  w.u8(0x10 | (key.length === 32 ? 1 : 0));
  w.raw(key);
  w.u32(Math.floor(content.expires.getTime() / 1000));
  const nonce = decodeHex(content.nonce);
  if (nonce.length !== 8) throw new Error('nonce must be 8 bytes');
  w.raw(nonce);
  w.u8(content.servers.length);
  for (const s of content.servers) writeServer(w, s);
  if (content.channels.length > 255) throw new Error('too many channels');
  w.u8(content.channels.length);
  for (const c of content.channels) w.str(utf8(c), 'channel');
  return w.done();
}

function writeServer(w: Writer, s: ParsedLink): void {
  const kind = hostKind(s.host);
  if (!kind) throw new Error(`bad host ${s.host}`);
  const hostType = kind === 'ipv4' ? 0 : kind === 'ipv6' ? 1 : 2;
  const rawPass = s.password !== undefined ? canonicalB64(s.password) : null;
  if (s.ports.length < 1 || s.ports.length > 8) throw new Error('a code server has 1 to 8 ports');
  w.u8(PROTOS.indexOf(s.protocol) | (hostType << 2) | ((s.username !== undefined ? 1 : 0) << 4) | ((s.password !== undefined ? 1 : 0) << 5) | ((rawPass ? 1 : 0) << 6) | ((s.label ? 1 : 0) << 7));
  w.u8((s.method ? SS_CIPHERS.indexOf(s.method) + 1 : 0) | ((s.ports.length - 1) << 2));
  if (hostType === 0) w.raw(Uint8Array.from(s.host.split('.').map(Number)));
  else if (hostType === 1) w.raw(ipv6Bytes(s.host));
  else w.str(utf8(s.host), 'host');
  for (const p of s.ports) w.u16(p);
  if (s.username !== undefined) w.str(utf8(s.username), 'user name');
  if (s.password !== undefined) w.str(rawPass ?? utf8(s.password), 'password');
  if (s.label) w.str(utf8(s.label), 'label');
}

/** Parses the structure of a code (no signature check). Throws CodeDamaged. */
export function decodeCodeBytes(bytes: Uint8Array): Omit<DecodedCode, 'text'> {
  const r = new Reader(bytes);
  const header = r.u8();
  if ((header & 0xf0) !== 0x10 || (header & 0x0e) !== 0) throw new CodeDamaged('unknown version');
  const full = (header & 1) === 1;
  const key = r.raw(full ? 32 : 8);
  const expires = new Date(r.u32() * 1000);
  const nonce = toHex(r.raw(8));
  const n = r.u8();
  if (n < 1 || n > MAX_SERVERS) throw new CodeDamaged('bad server count');
  const servers: ParsedLink[] = [];
  for (let i = 0; i < n; i++) servers.push(readServer(r));
  const channels: string[] = [];
  const nc = r.u8();
  for (let i = 0; i < nc; i++) channels.push(text(r.str()));
  const signedLength = r.offset;
  const signature = r.raw(SIG);
  if (r.offset !== bytes.length) throw new CodeDamaged('trailing bytes');
  const content: CodeContent = { expires, nonce, servers, channels };
  if (full) content.publicKey = encodeBase64Url(key);
  else {
    content.keyIdBytes = key;
    content.keyIdHex = toHex(key);
  }
  return { content, signedBytes: bytes.slice(0, signedLength), signature };
}

function readServer(r: Reader): ParsedLink {
  const a = r.u8();
  const b = r.u8();
  const protocol = PROTOS[a & 3]!;
  const hostType = (a >> 2) & 3;
  let host: string;
  if (hostType === 0) host = Array.from(r.raw(4)).join('.');
  else if (hostType === 1) host = ipv6Text(r.raw(16));
  else if (hostType === 2) host = text(r.str());
  else throw new CodeDamaged('bad host type');
  if (!hostKind(host)) throw new CodeDamaged('bad host');
  const ports: number[] = [];
  const np = ((b >> 2) & 7) + 1;
  for (let i = 0; i < np; i++) {
    const p = r.u16();
    if (p === 0) throw new CodeDamaged('bad port');
    ports.push(p);
  }
  const s: ParsedLink = { protocol, host, ports };
  if (a & 0x10) s.username = text(r.str());
  if (a & 0x20) s.password = a & 0x40 ? encodeBase64Url(r.str()) : text(r.str());
  if (a & 0x80) s.label = text(r.str());
  const method = b & 3;
  if (b >> 5) throw new CodeDamaged('bad flags');
  if (protocol === 'shadowsocks') {
    if (!method || s.password === undefined) throw new CodeDamaged('shadowsocks server without cipher or password');
    s.method = SS_CIPHERS[method - 1] as SsCipher;
  } else if (method) throw new CodeDamaged('cipher on a non-shadowsocks server');
  return s;
}

function text(b: Uint8Array): string {
  try {
    return fromUtf8(b);
  } catch {
    throw new CodeDamaged('bad text');
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
/** The shortest code: header, key id, expiry, nonce, one IPv4 server with one port, no channels, signature. */
const MIN_CODE_CHARS = encodedLength(1 + 8 + 4 + 8 + 1 + (2 + 4 + 2) + 1 + SIG);

/**
 * Finds and decodes a code inside pasted text: a whole SMS with line breaks and spaces,
 * the porthole:// link form, lookalike characters. Returns null when there is no code;
 * throws CodeDamaged when there is one but it is damaged.
 */
export function findCode(input: string): DecodedCode | null {
  const normalized = normalizePasted(decodeLinkEscapes(input));
  let damage: CodeDamaged | null = null;
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
      damage ??= new CodeDamaged('too short');
      continue;
    }
    if (++attempts > MAX_CODE_ATTEMPTS) break;
    try {
      return decodeFromChars(chars.join(''));
    } catch (err) {
      if (err instanceof CodeDamaged) damage ??= err;
      else throw err;
    }
  }
  if (damage) throw damage;
  return null;
}

function decodeFromChars(chars: string): DecodedCode {
  // The record is self-delimiting: parse its structure from a loose decode to learn its
  // length, then strictly decode exactly that many characters (ignoring trailing words).
  const loose = decodeBase64Url(chars.slice(0, chars.length - (chars.length % 4)));
  if (!loose || loose.length < 1) throw new CodeDamaged('too short');
  const length = structureLength(loose);
  const need = encodedLength(length);
  if (chars.length < need) throw new CodeDamaged('too short');
  const body = chars.slice(0, need);
  const bytes = decodeBase64Url(body);
  if (!bytes) throw new CodeDamaged('bad characters');
  return { ...decodeCodeBytes(bytes), text: CODE_PREFIX + body };
}

function structureLength(bytes: Uint8Array): number {
  // Decode with a fake signature appended so the parser can walk the structure.
  const padded = new Uint8Array(bytes.length + SIG + 300);
  padded.set(bytes);
  const r = new Reader(padded);
  const header = r.u8();
  if ((header & 0xf0) !== 0x10) throw new CodeDamaged('unknown version');
  r.raw(header & 1 ? 32 : 8);
  r.u32();
  r.raw(8);
  const n = r.u8();
  if (n < 1 || n > MAX_SERVERS) throw new CodeDamaged('bad server count');
  for (let i = 0; i < n; i++) {
    const a = r.u8();
    const b = r.u8();
    const hostType = (a >> 2) & 3;
    r.raw(hostType === 0 ? 4 : hostType === 1 ? 16 : r.u8());
    r.raw((((b >> 2) & 7) + 1) * 2);
    if (a & 0x10) r.str();
    if (a & 0x20) r.str();
    if (a & 0x80) r.str();
  }
  const nc = r.u8();
  for (let i = 0; i < nc; i++) r.str();
  return r.offset + SIG;
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

function decodeHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function ipv6Bytes(host: string): Uint8Array {
  let parts = host.split('::');
  if (parts.length > 2) throw new Error(`bad IPv6 ${host}`);
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts[1] ? parts[1].split(':') : [];
  const fill = parts.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array(fill).fill('0'), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) throw new Error(`bad IPv6 ${host}`);
  parts = groups;
  const out = new Uint8Array(16);
  parts.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

function ipv6Text(b: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  // Compress the longest run of zero groups.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export function isGsm7Basic(text: string): boolean {
  return /^[A-Za-z0-9 @£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&'()*+,\-./:;<=>?¡ÄÖÑÜ§¿äöñüà]*$/.test(text);
}
