// Pieces every share-link codec uses: which errors are link errors (a PortholeError, 'bad-link' and
// its kin), a linear URL splitter (indexOf only, no regex over the whole link), host/port/label
// parsing and loose base64. Hand-written because share links are not WHATWG URLs (base64 userinfo,
// '#' names with spaces, opaque schemes).
import { hostKind, type Entry } from '../entry.ts';
import { fromUtf8 } from '../base64url.ts';
import { isPortholeError, PortholeError, type Failure } from '../errors.ts';
import { LINK_FAILURES, type LinkFailureCode } from '../failures.ts';

/** Whether `err` says why a link, a config or an Outline key was not read: a PortholeError with
 * one of LINK_FAILURES ('bad-link', 'dynamic-key', 'bad-config', 'provider-message'); its message
 * is for people. */
export function isLinkError(err: unknown): err is Failure<LinkFailureCode> {
  return isPortholeError(err, ...LINK_FAILURES);
}

export type ParsedLink = Omit<Entry, 'id'>;

/** The longest single link Porthole reads (an entry keeps at most this much of an unknown one). */
export const MAX_LINK = 4096;

export interface SplitUrl {
  scheme: string;
  /** Text between '://' and '@' (still %-encoded), when there is an '@'. */
  userinfo?: string;
  /** Host and port as written ("[::1]:443"). */
  hostPort: string;
  path: string;
  query: URLSearchParams;
  rawQuery: string;
  fragment?: string;
}

/** Splits scheme://userinfo@host:port/path?query#fragment in one pass of indexOf calls. */
export function splitUrl(link: string): SplitUrl {
  const sep = link.indexOf('://');
  if (sep <= 0) throw new PortholeError('bad-link', `"${clip(link)}" is not a link (no "://")`);
  const scheme = link.slice(0, sep).toLowerCase();
  let rest = link.slice(sep + 3);
  let fragment: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let path = '';
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    path = rest.slice(slash);
    rest = rest.slice(0, slash);
  }
  const at = rest.lastIndexOf('@');
  const out: SplitUrl = { scheme, hostPort: at >= 0 ? rest.slice(at + 1) : rest, path, query: new URLSearchParams(rawQuery), rawQuery };
  if (at >= 0) out.userinfo = rest.slice(0, at);
  if (fragment !== undefined) out.fragment = fragment;
  return out;
}

/** "host:port", "[v6]:port" or "host" → parts (port may be missing). */
export function splitHostPort(hostPort: string): { host: string; port?: string } {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw new PortholeError('bad-link', `"${clip(hostPort)}" has an unclosed "["`);
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw new PortholeError('bad-link', `"${clip(hostPort)}" is not host:port`);
    return after === '' ? { host: hostPort.slice(0, close + 1) } : { host: hostPort.slice(0, close + 1), port: after.slice(1) };
  }
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) return { host: hostPort };
  if (hostPort.indexOf(':') !== colon) return { host: hostPort }; // a bare IPv6 address: parseHost rejects it
  return { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) };
}

export function parseHost(raw: string): string {
  const bracketed = raw.startsWith('[') && raw.endsWith(']');
  const host = bracketed ? raw.slice(1, -1) : raw;
  if (host === '') throw new PortholeError('bad-link', 'the link has no host');
  const kind = hostKind(host);
  if (!kind || (kind === 'ipv6' && !bracketed)) throw new PortholeError('bad-link', `"${clip(host)}" is not a valid host name or IP address`);
  return kind === 'name' ? host.toLowerCase().replace(/\.$/, '') : host.toLowerCase();
}

/** A host name used as SNI or Host header: a name or IP without brackets. */
export function parseName(raw: string, what: string): string {
  const host = raw.trim();
  const kind = hostKind(host);
  if (!kind) throw new PortholeError('bad-link', `the ${what} "${clip(host)}" is not a valid host name or IP address`);
  return kind === 'name' ? host.toLowerCase().replace(/\.$/, '') : host.toLowerCase();
}

export function parsePort(raw: string | number | undefined, fallback: number | null): number {
  if (raw === undefined || raw === '') {
    if (fallback === null) throw new PortholeError('bad-link', 'the link has no port');
    return fallback;
  }
  const text = String(raw).trim();
  if (!/^\d{1,5}$/.test(text)) throw new PortholeError('bad-link', `port "${clip(text)}" is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new PortholeError('bad-link', `port ${port} is out of range (1-65535)`);
  return port;
}

export function parseLabel(fragment: string | undefined): string | undefined {
  if (fragment === undefined || fragment === '') return undefined;
  let label: string;
  try {
    label = decodeURIComponent(fragment);
  } catch {
    label = fragment; // a name with a stray '%' is still a name
  }
  return cleanLabel(label);
}

/** Trims a name and cuts it to what an entry keeps (100 characters, no control characters). */
export function cleanLabel(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let out = '';
  for (const ch of raw) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || c === 0x7f ? ' ' : ch;
  }
  const label = out.trim();
  return label === '' ? undefined : [...label].slice(0, 100).join('').slice(0, 100);
}

export function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new PortholeError('bad-link', `the link's ${what} has a broken %-escape`);
  }
}

const B64 = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('').forEach((c, i) => (B64[c.charCodeAt(0)] = i));
B64['+'.charCodeAt(0)] = 62;
B64['-'.charCodeAt(0)] = 62;
B64['/'.charCodeAt(0)] = 63;
B64['_'.charCodeAt(0)] = 63;

/** Base64 or base64url, padded or not, whitespace ignored (links in the wild use every form). */
export function decodeLooseBase64Bytes(text: string): Uint8Array | null {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let o = 0;
  let acc = 0;
  let bits = 0;
  let padding = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) { padding = true; continue; }
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (padding) return null;
    const v = c < 128 ? (B64[c] ?? -1) : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return o === 0 ? null : out.slice(0, o);
}

export function decodeLooseBase64(text: string): string | null {
  const bytes = decodeLooseBase64Bytes(text);
  if (!bytes) return null;
  try {
    return fromUtf8(bytes);
  } catch {
    return null;
  }
}

export function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + sep.length)];
}

export function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** "1", "true", "yes" → true. */
export function truthy(value: string | null | undefined): boolean {
  return value !== null && value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}
