// A proxy entry: one server that a list or a code carries, in its normalized form.
import { z } from 'zod';

export const PROTOCOLS = ['socks5', 'http', 'https', 'shadowsocks'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

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
}).superRefine((e, ctx) => {
  if (e.protocol === 'shadowsocks') {
    if (!e.method) ctx.addIssue({ code: 'custom', path: ['method'], message: 'shadowsocks needs a cipher method' });
    if (!e.password) ctx.addIssue({ code: 'custom', path: ['password'], message: 'shadowsocks needs a password' });
  } else if (e.method) {
    ctx.addIssue({ code: 'custom', path: ['method'], message: 'method is only for shadowsocks' });
  }
});
export type Entry = z.infer<typeof EntrySchema>;

/** Where an entry came from, kept when lists of several publishers are merged. */
export interface SourcedEntry extends Entry {
  publisher: string;
  listVersion: number;
}
