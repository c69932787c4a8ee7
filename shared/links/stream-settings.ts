// The transport and TLS part that trojan://, vless:// and vmess:// links (and Clash/sing-box
// configs) share: network type, WebSocket path and Host, security, SNI, ALPN, pinning, insecure.
// Returns either the entry fields or the name of the feature Porthole does not speak yet.
import type { Tls, Transport } from '../entry.ts';
import { decodeLooseBase64Bytes, parseName } from './common.ts';
import { PortholeError } from '../errors.ts';
import { encodeBase64Url } from '../base64url.ts';

export interface StreamInput {
  /** tcp, raw, ws, grpc, h2, http, httpupgrade, xhttp, splithttp, kcp, quic… ('' = tcp). */
  network?: string | undefined;
  /** tcp header obfuscation ("http" is not spoken). */
  headerType?: string | undefined;
  path?: string | undefined;
  wsHost?: string | undefined;
  /** none, '', tls, reality, xtls. */
  security?: string | undefined;
  sni?: string | undefined;
  alpn?: string | string[] | undefined;
  insecure?: boolean;
  pin?: string | undefined;
}

export type StreamResult =
  | { ok: true; transport?: Transport; tls?: Tls }
  | { ok: false; feature: string };

export function readStream(input: StreamInput, tlsByDefault: boolean): StreamResult {
  const network = (input.network ?? '').trim().toLowerCase();
  const security = (input.security ?? '').trim().toLowerCase();
  if (security === 'reality') return { ok: false, feature: 'reality' };
  if (security === 'xtls') return { ok: false, feature: 'xtls' };
  if (security !== '' && security !== 'none' && security !== 'tls') return { ok: false, feature: security.slice(0, 16) };
  const useTls = security === 'tls' || (security === '' && tlsByDefault);
  if (!useTls && tlsByDefault && security === 'none') return { ok: false, feature: 'no-tls' };

  let transport: Transport | undefined;
  if (network === '' || network === 'tcp' || network === 'raw') {
    const header = (input.headerType ?? '').trim().toLowerCase();
    if (header !== '' && header !== 'none') return { ok: false, feature: `tcp-${header}`.slice(0, 16) };
  } else if (network === 'ws' || network === 'websocket') {
    transport = { type: 'ws', path: wsPath(input.path) };
    const host = firstOf(input.wsHost);
    if (host) transport.host = parseName(host, 'WebSocket Host');
  } else {
    return { ok: false, feature: network.slice(0, 16) };
  }

  if (!useTls) return transport ? { ok: true, transport } : { ok: true };
  const tls: Tls = {};
  const sni = firstOf(input.sni);
  if (sni) tls.sni = parseName(sni, 'server name (SNI)');
  const alpn = (Array.isArray(input.alpn) ? input.alpn : (input.alpn ?? '').split(',')).map((a) => a.trim()).filter((a) => a !== '');
  if (alpn.length > 0) {
    if (alpn.length > 4 || alpn.some((a) => a.length > 32)) throw new PortholeError('bad-link', 'the ALPN list is too long (at most 4 names of 32 characters)');
    tls.alpn = alpn;
  }
  if (input.pin) tls.pinSha256 = parsePin(input.pin);
  if (input.insecure) tls.insecure = true;
  return transport ? { ok: true, transport, tls } : { ok: true, tls };
}

/** A WebSocket path as the entry keeps it: starts with '/', printable ASCII (others %-encoded). */
export function wsPath(raw: string | undefined): string {
  const text = (raw ?? '').trim();
  if (text === '') return '/';
  if (text.length > 1024) throw new PortholeError('bad-link', 'the WebSocket path is longer than 1024 characters');
  let out = text.startsWith('/') ? '' : '/';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c > 0x20 && c < 0x7f ? ch : encodeURIComponent(ch);
  }
  return out.slice(0, 1024);
}

/** A SHA-256 certificate pin in hex (with or without colons), base64 or base64url → base64url. */
export function parsePin(raw: string): string {
  const text = raw.trim().split(',')[0]!.trim();
  const hex = text.replaceAll(':', '');
  let bytes: Uint8Array | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(hex)) {
    bytes = new Uint8Array(32);
    for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  } else if (text.length <= 48) {
    bytes = decodeLooseBase64Bytes(text);
  }
  if (!bytes || bytes.length !== 32) throw new PortholeError('bad-link', 'the certificate pin is not a SHA-256 (64 hex digits or 43 base64 characters)');
  return encodeBase64Url(bytes);
}

function firstOf(value: string | undefined): string | undefined {
  const first = (value ?? '').split(',')[0]?.trim();
  return first === '' ? undefined : first;
}
