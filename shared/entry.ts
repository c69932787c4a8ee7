// A proxy entry: one server that a list or a code carries, in its normalized form.
import { z } from 'zod';

export const PROTOCOLS = ['socks5', 'http', 'https', 'shadowsocks', 'trojan', 'vless', 'vmess', 'mtproto', 'unsupported'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Protocols whose traffic the local bridge carries. 'mtproto' is Telegram's own (handed to
 * Telegram, probed, never bridged); 'unsupported' is kept and shown but never dialled. */
export const BRIDGED_PROTOCOLS = ['socks5', 'http', 'https', 'shadowsocks', 'trojan', 'vless', 'vmess'] as const;
export type BridgedProtocol = (typeof BRIDGED_PROTOCOLS)[number];
export function isBridged(p: Protocol): p is BridgedProtocol {
  return (BRIDGED_PROTOCOLS as readonly string[]).includes(p);
}

/** VMess body ciphers (AEAD header, alterId 0). */
export const VMESS_SECURITY = ['auto', 'aes-128-gcm', 'chacha20-poly1305', 'none', 'zero'] as const;
export type VmessSecurity = (typeof VMESS_SECURITY)[number];

/** Shadowsocks AEAD ciphers (SIP004) that the client implements. */
export const SS_CIPHERS = ['chacha20-ietf-poly1305', 'aes-256-gcm', 'aes-128-gcm'] as const;
export type SsCipher = (typeof SS_CIPHERS)[number];

const HOST_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_RE = /^[0-9A-Fa-f:.]+$/;

export function hostKind(host: string): 'ipv4' | 'ipv6' | 'name' | null {
  if (IPV4_RE.test(host)) return 'ipv4';
  if (host.includes(':')) return IPV6_RE.test(host) && host.split(':').length >= 3 ? 'ipv6' : null;
  if (host.length <= 253 && HOST_RE.test(host)) return 'name';
  return null;
}

export const HostSchema = z.string().min(1).max(253).refine((h) => hostKind(h) !== null, 'not a host name, IPv4 or IPv6 address');
export const PortSchema = z.number().int().min(1).max(65535);
const IsoDate = z.iso.datetime({ offset: true });
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** How the proxy protocol's bytes travel: raw TCP, or WebSocket frames (path, Host header). */
export const TransportSchema = z.strictObject({
  type: z.enum(['tcp', 'ws']),
  /** ws: the request path with its query, default "/". */
  path: z.string().min(1).max(1024).regex(/^\/[\x21-\x7e]*$/, 'a path starting with /').optional(),
  /** ws: the Host header, when a front name differs from the server's address. */
  host: HostSchema.optional(),
});
export type Transport = z.infer<typeof TransportSchema>;

/** TLS around the transport. Present means TLS is on (trojan always has it). */
export const TlsSchema = z.strictObject({
  /** Server name sent in the ClientHello; default: the entry's host (an IP sends none). */
  sni: HostSchema.optional(),
  alpn: z.array(z.string().min(1).max(32)).max(4).optional(),
  /** SHA-256 of the server certificate (DER), base64url without padding: for self-signed servers. */
  pinSha256: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'SHA-256, base64url without padding').optional(),
  /** No certificate check at all: only when the link says so; the UI warns. */
  insecure: z.boolean().optional(),
});
export type Tls = z.infer<typeof TlsSchema>;

export const EntrySchema = z.strictObject({
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  protocol: z.enum(PROTOCOLS),
  host: HostSchema,
  ports: z.array(PortSchema).min(1).max(16),
  username: z.string().max(255).optional(),
  password: z.string().max(255).optional(),
  /** Shadowsocks only: the AEAD cipher. */
  method: z.enum(SS_CIPHERS).optional(),
  label: z.string().max(100).optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2, upper case').optional(),
  region: z.string().max(100).optional(),
  probeUrls: z.array(z.url().max(2048)).max(8).optional(),
  tags: z.array(z.string().min(1).max(32).regex(/^[a-z0-9-]+$/, 'lower-case tag')).max(16).optional(),
  expires: IsoDate.optional(),
  /** vless, vmess: the user id. */
  uuid: z.string().regex(UUID_RE, 'a UUID').optional(),
  /** vmess only: the body cipher (default auto). */
  security: z.enum(VMESS_SECURITY).optional(),
  /** trojan, vless, vmess, shadowsocks: raw TCP (default) or WebSocket. */
  transport: TransportSchema.optional(),
  /** TLS settings; trojan always uses TLS, others only when this is present. */
  tls: TlsSchema.optional(),
  /** shadowsocks only: bytes sent before the salt (Outline's "prefix"), base64url, at most 16 bytes. */
  prefix: z.string().regex(/^[A-Za-z0-9_-]{1,22}$/, 'base64url, at most 16 bytes').optional(),
  /** mtproto only: the proxy secret in hex (32 hex digits, or dd/ee-prefixed forms). */
  secret: z.string().regex(/^[0-9a-fA-F]{32,512}$/, 'hex').optional(),
  /** unsupported only: the link or config as it was given, and the protocol's name ("hysteria2", "vless+reality"). */
  link: z.string().min(1).max(4096).optional(),
  scheme: z.string().min(1).max(32).optional(),
}).superRefine((e, ctx) => {
  const need = (field: keyof typeof e, message: string) => {
    if (e[field] === undefined || e[field] === '') ctx.addIssue({ code: 'custom', path: [field], message });
  };
  const only = (field: keyof typeof e, protocols: readonly Protocol[]) => {
    if (e[field] !== undefined && !protocols.includes(e.protocol)) {
      ctx.addIssue({ code: 'custom', path: [field], message: `${field} is only for ${protocols.join(', ')}` });
    }
  };
  if (e.protocol === 'shadowsocks') {
    need('method', 'shadowsocks needs a cipher method');
    need('password', 'shadowsocks needs a password');
  }
  if (e.protocol === 'trojan') need('password', 'trojan needs a password');
  if (e.protocol === 'vless' || e.protocol === 'vmess') need('uuid', `${e.protocol} needs a user id (UUID)`);
  if (e.protocol === 'mtproto') need('secret', 'an MTProto proxy needs its secret');
  if (e.protocol === 'unsupported') need('link', 'an unsupported entry keeps the link it came from');
  only('method', ['shadowsocks']);
  only('prefix', ['shadowsocks']);
  only('uuid', ['vless', 'vmess']);
  only('security', ['vmess']);
  only('secret', ['mtproto']);
  only('link', ['unsupported']);
  only('scheme', ['unsupported']);
  only('transport', ['trojan', 'vless', 'vmess', 'shadowsocks']);
  only('tls', ['https', 'trojan', 'vless', 'vmess', 'shadowsocks']);
});
export type Entry = z.infer<typeof EntrySchema>;

/** Where an entry came from, kept when lists of several publishers are merged. */
export interface SourcedEntry extends Entry {
  publisher: string;
  listVersion: number;
}
