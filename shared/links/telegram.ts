// Telegram's proxy links: tg://socks?server=…&port=…&user=…&pass=… and https://t.me/socks?… (SOCKS5,
// bridged like any other), and tg://proxy?server=…&port=…&secret=… / https://t.me/proxy?… (MTProto:
// Telegram speaks it itself; Porthole carries, probes and hands it to Telegram).
import { toHex } from '../base64url.ts';
import { decodeLooseBase64Bytes, parseHost, parseLabel, parsePort, type ParsedLink } from './common.ts';
import { PortholeError } from '../errors.ts';

export function isTelegramLink(link: string): 'socks' | 'proxy' | null {
  const lower = link.slice(0, 40).toLowerCase();
  for (const prefix of ['tg://', 'https://t.me/', 'http://t.me/', 'https://telegram.me/', 'https://www.t.me/', 'https://telegram.dog/']) {
    if (!lower.startsWith(prefix)) continue;
    const rest = lower.slice(prefix.length);
    if (rest.startsWith('socks?') || rest.startsWith('socks/?')) return 'socks';
    if (rest.startsWith('proxy?') || rest.startsWith('proxy/?')) return 'proxy';
  }
  return null;
}

function params(link: string): URLSearchParams {
  const q = link.indexOf('?');
  if (q < 0) throw new PortholeError('bad-link', 'the Telegram proxy link has no parameters (server=…&port=…)');
  const hash = link.indexOf('#', q);
  return new URLSearchParams(link.slice(q + 1, hash >= 0 ? hash : undefined));
}

function server(p: URLSearchParams): string {
  const s = p.get('server');
  if (!s) throw new PortholeError('bad-link', 'the Telegram proxy link has no server=');
  return parseHost(s.includes(':') && !s.startsWith('[') ? `[${s}]` : s);
}

export function parseTelegramSocks(link: string): ParsedLink {
  const p = params(link);
  const out: ParsedLink = { protocol: 'socks5', host: server(p), ports: [parsePort(p.get('port') ?? undefined, null)] };
  const user = p.get('user');
  const pass = p.get('pass');
  if (user) out.username = user;
  if (pass) out.password = pass;
  return out;
}

export function parseMtproto(link: string): ParsedLink {
  const p = params(link);
  const host = server(p);
  const port = parsePort(p.get('port') ?? undefined, 443);
  const secret = mtprotoSecret(p.get('secret') ?? '');
  const out: ParsedLink = { protocol: 'mtproto', host, ports: [port], secret };
  const hash = link.indexOf('#');
  const label = parseLabel(hash >= 0 ? link.slice(hash + 1) : undefined);
  if (label) out.label = label;
  return out;
}

/** A proxy secret in hex or base64 (ee-secrets are often shared as base64) → lower-case hex. */
export function mtprotoSecret(raw: string): string {
  const text = raw.trim();
  if (text === '') throw new PortholeError('bad-link', 'the MTProto link has no secret=');
  if (text.length > 512) throw new PortholeError('bad-link', 'the MTProto secret is too long');
  let hex: string | null = null;
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) hex = text.toLowerCase();
  else {
    const bytes = decodeLooseBase64Bytes(text);
    if (bytes) hex = toHex(bytes);
  }
  if (hex === null) throw new PortholeError('bad-link', 'the MTProto secret is neither hex nor base64');
  const valid = hex.length === 32 || (hex.startsWith('dd') && hex.length === 34) || (hex.startsWith('ee') && hex.length > 34);
  if (!valid) throw new PortholeError('bad-link', 'the MTProto secret has the wrong length (16 bytes, or dd/ee followed by 16 bytes)');
  return hex;
}
