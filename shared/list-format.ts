// The signed list format (docs/list-format.md): envelopes, root documents and list payloads.
import { z } from 'zod';
import { EntrySchema } from './entry.ts';
import { readFutureEntries } from './list-entries.ts';

export const LIMITS = {
  /** Maximum bytes of one signed list file (checked before anything is parsed). */
  maxListBytes: 1024 * 1024,
  maxEntries: 5000,
  maxChannels: 64,
  maxRoots: 32,
  maxSignatures: 16,
  maxRootKeys: 16,
} as const;

/** Domain-separation prefixes: a signature over one kind of document never verifies as another. */
export const DOMAIN = {
  root: 'porthole-root-v1\n',
  list: 'porthole-list-v1\n',
  code: 'porthole-code-v1\n',
  publisher: 'porthole-publisher-v1\n',
} as const;

const B64 = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url');
const KeyB64 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url Ed25519 public key (43 characters)');
export const KeyIdSchema = z.string().regex(/^[0-9a-f]{16}$/, '16 hex digits');
export const PublisherIdSchema = z.string().regex(/^[a-z2-7]{16}$/, '16 base32 characters');
const IsoDate = z.iso.datetime({ offset: true });

export const SignatureSchema = z.strictObject({ keyId: KeyIdSchema, sig: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'a base64url Ed25519 signature') });

/** A signed document: the exact payload bytes (base64url) and signatures over DOMAIN + those bytes. */
export const SignedSchema = z.strictObject({
  signed: B64.min(1),
  signatures: z.array(SignatureSchema).min(1).max(LIMITS.maxSignatures),
});
export type Signed = z.infer<typeof SignedSchema>;

/** A root document: who may sign roots (threshold of rootKeys) and who may sign lists (listKeys). */
export const RootSchema = z.strictObject({
  type: z.literal('porthole-root'),
  publisher: PublisherIdSchema,
  version: z.number().int().min(1),
  issuedAt: IsoDate,
  name: z.string().max(100).optional(),
  rootKeys: z.array(KeyB64).min(1).max(LIMITS.maxRootKeys),
  threshold: z.number().int().min(1),
  listKeys: z.array(KeyB64).min(1).max(LIMITS.maxRootKeys),
}).refine((r) => r.threshold <= r.rootKeys.length, { message: 'threshold is above the number of root keys', path: ['threshold'] });
export type Root = z.infer<typeof RootSchema>;

/** Channel specs a list names for its own updates: https://…, page:https://…, dns:NAME, doh:URL#NAME. */
// A list may name mirrors, pages, DNS names and DoH endpoints, but never a DNS server of its
// own choosing (dns:NAME@IP is for the person running `fetch`, not for signed lists).
export const ChannelSpecSchema = z.string().min(1).max(2048).regex(/^(https?:\/\/\S+|page:https?:\/\/\S+|dns:[A-Za-z0-9._-]+|doh:https?:\/\/\S+#[A-Za-z0-9._-]+)$/, 'a channel (https://…, page:https://…, dns:NAME or doh:URL#NAME)');

export const ListPayloadSchema = z.strictObject({
  type: z.literal('porthole-list'),
  publisher: PublisherIdSchema,
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  issuedAt: IsoDate,
  expires: IsoDate,
  name: z.string().max(100).optional(),
  /** Entries of kinds a newer publisher added are read as 'unsupported' ones (list-entries.ts). */
  entries: z.preprocess(readFutureEntries, z.array(EntrySchema).max(LIMITS.maxEntries)),
  channels: z.array(ChannelSpecSchema).max(LIMITS.maxChannels),
  /** Entry ids this publisher withdraws, including servers handed out in codes. */
  revoked: z.array(z.string().max(64)).max(LIMITS.maxEntries).optional(),
}).refine((l) => Date.parse(l.expires) > Date.parse(l.issuedAt), { message: 'expires is not after issuedAt', path: ['expires'] })
  .refine((l) => new Set(l.entries.map((e) => e.id)).size === l.entries.length, { message: 'entry ids are not unique', path: ['entries'] });
export type ListPayload = z.infer<typeof ListPayloadSchema>;

/** The file a publisher uploads (`.signed`): the list plus the publisher's root chain. */
export const ListEnvelopeSchema = z.strictObject({
  format: z.literal('porthole-list/1'),
  roots: z.array(SignedSchema).max(LIMITS.maxRoots),
  list: SignedSchema,
});
export type ListEnvelope = z.infer<typeof ListEnvelopeSchema>;

/** A publisher's public file (`publisher.pub`): its root chain, oldest first. */
export const PublisherFileSchema = z.strictObject({
  format: z.literal('porthole-publisher/1'),
  roots: z.array(SignedSchema).min(1).max(LIMITS.maxRoots),
});
export type PublisherFile = z.infer<typeof PublisherFileSchema>;

/** Publisher input to `sign`: entries as links (`url`) or in full form, plus optional fields. */
export const ListInputSchema = z.strictObject({
  name: z.string().max(100).optional(),
  entries: z.array(z.record(z.string(), z.unknown())).max(LIMITS.maxEntries),
  channels: z.array(ChannelSpecSchema).max(LIMITS.maxChannels).optional(),
  revoked: z.array(z.string().max(64)).optional(),
});

