// One-time codes for the 2026 server kinds (Trojan, VLESS, VMess, MTProto, and Shadowsocks with
// an Outline prefix or over WebSocket/TLS): an extension of a code server, marked by bit 7 of its
// second flag byte (code-format.ts). Decoders made before it refuse such a code as damaged
// ("bad flags") rather than misreading it. Layout after the usual a and b bytes (a's protocol
// bits are 0, user/pass/label flags keep their meaning; Trojan's password is the pass field):
//   kind u8    0 trojan, 1 vless, 2 vmess, 3 mtproto, 4 shadowsocks (b's cipher bits set)
//              | ws<<3 | tls<<4
//   flags u8   wsHost | sni<<1 | alpn<<2 | pin<<3 | insecure<<4 | prefix<<5 (vmess: security<<5, 3 bits)
//   uuid       16 bytes (vless, vmess)     secret  len u8 + bytes (mtproto)
//   prefix     len u8 + bytes (shadowsocks with flag)
//   ws         path len u8 + ASCII ('' = "/"), then Host (with flag) len u8 + ASCII
//   tls        SNI (flag) len u8 + ASCII; ALPN (flag) count u8 + len u8 + ASCII each; pin (flag) 32 bytes
import { decodeBase64Url, encodeBase64Url, toHex, utf8 } from './base64url.ts';
import { codeFailure, decodeHex, type Reader, type Writer } from './code-bytes.ts';
import { SS_CIPHERS, VMESS_SECURITY, type Protocol, type SsCipher, type VmessSecurity } from './entry.ts';
import type { ParsedLink } from './proxy-link.ts';
import { checkEntry } from './links/check.ts';

const KINDS: Protocol[] = ['trojan', 'vless', 'vmess', 'mtproto', 'shadowsocks'];
export const EXTENDED = 0x80;

/** Whether a server needs the extension (a new kind, or Shadowsocks with prefix/ws/TLS). */
export function needsExtension(s: ParsedLink): boolean {
  if (s.protocol === 'shadowsocks') return Boolean(s.prefix || s.transport || s.tls);
  return KINDS.includes(s.protocol);
}

/** Whether a code can carry this server at all. */
export function codable(s: ParsedLink): boolean {
  if (s.protocol === 'unsupported') return false;
  if (s.protocol === 'https' || s.protocol === 'http' || s.protocol === 'socks5') return !s.tls && !s.transport;
  return true;
}

const ascii = (t: string): Uint8Array => utf8(t);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

export function writeExtension(w: Writer, s: ParsedLink): void {
  const kind = KINDS.indexOf(s.protocol);
  if (kind < 0) throw new Error(`a code cannot carry a ${s.protocol} server`);
  const ws = s.transport?.type === 'ws';
  w.u8(kind | (ws ? 8 : 0) | (s.tls ? 16 : 0));
  const sec = s.protocol === 'vmess' ? VMESS_SECURITY.indexOf(s.security ?? 'auto') : 0;
  const flags = (s.transport?.host ? 1 : 0) | (s.tls?.sni ? 2 : 0) | (s.tls?.alpn?.length ? 4 : 0) | (s.tls?.pinSha256 ? 8 : 0) | (s.tls?.insecure ? 16 : 0)
    | (s.protocol === 'vmess' ? sec << 5 : s.prefix ? 32 : 0);
  w.u8(flags);
  if (s.protocol === 'vless' || s.protocol === 'vmess') w.raw(decodeHex((s.uuid ?? '').replace(/-/g, '')));
  if (s.protocol === 'mtproto') w.str(decodeHex(s.secret ?? ''), 'secret');
  if (s.protocol === 'shadowsocks' && s.prefix) w.str(decodeBase64Url(s.prefix) ?? new Uint8Array(), 'prefix');
  if (ws) {
    const path = s.transport?.path ?? '/';
    w.str(ascii(path === '/' ? '' : path), 'path');
    if (s.transport?.host) w.str(ascii(s.transport.host), 'ws host');
  }
  if (s.tls?.sni) w.str(ascii(s.tls.sni), 'sni');
  if (s.tls?.alpn?.length) {
    w.u8(s.tls.alpn.length);
    for (const a of s.tls.alpn) w.str(ascii(a), 'alpn');
  }
  if (s.tls?.pinSha256) w.raw(decodeBase64Url(s.tls.pinSha256) ?? new Uint8Array(32));
}

/** Reads the extension into `s` (which has host, ports, user, pass, label already). */
export function readExtension(r: Reader, s: ParsedLink, cipherBits: number): ParsedLink {
  const k = r.u8();
  const f = r.u8();
  const protocol = KINDS[k & 7];
  if (!protocol || k >> 5) throw codeFailure('damaged', 'bad server kind');
  const out: ParsedLink = { ...s, protocol };
  if ((protocol === 'shadowsocks') !== (cipherBits !== 0)) throw codeFailure('damaged', 'cipher on the wrong server kind');
  if (cipherBits) out.method = SS_CIPHERS[cipherBits - 1] as SsCipher;
  if (protocol === 'vless' || protocol === 'vmess') {
    const h = toHex(r.raw(16));
    out.uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  if (protocol === 'vmess') {
    const sec = VMESS_SECURITY[f >> 5];
    if (!sec) throw codeFailure('damaged', 'bad VMess security');
    if (sec !== 'auto') out.security = sec as VmessSecurity;
  } else if (f >> 6) throw codeFailure('damaged', 'bad flags');
  if (protocol === 'mtproto') out.secret = toHex(r.str());
  if (protocol === 'shadowsocks' && f & 32) out.prefix = encodeBase64Url(r.str());
  if (protocol !== 'shadowsocks' && protocol !== 'vmess' && f & 32) throw codeFailure('damaged', 'bad flags');
  if (k & 8) {
    const path = text(r.str());
    out.transport = { type: 'ws', path: path === '' ? '/' : path };
    if (f & 1) out.transport.host = text(r.str());
  }
  if (k & 16 || protocol === 'trojan') {
    const tls: NonNullable<ParsedLink['tls']> = {};
    if (f & 2) tls.sni = text(r.str());
    if (f & 4) {
      const n = r.u8();
      tls.alpn = Array.from({ length: n }, () => text(r.str()));
    }
    if (f & 8) tls.pinSha256 = encodeBase64Url(r.raw(32));
    if (f & 16) tls.insecure = true;
    out.tls = tls;
  }
  try {
    return checkEntry(out);
  } catch (err) {
    throw codeFailure('damaged', `bad server: ${(err as Error).message}`);
  }
}
