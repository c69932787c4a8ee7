// Builds and signs a list from publisher input: entries written as links or in full form.
import { utf8 } from '../../../shared/base64url.ts';
import { EntrySchema, type Entry } from '../../../shared/entry.ts';
import { DOMAIN, describeZodError, ListInputSchema, ListPayloadSchema, type ListEnvelope, type ListPayload } from '../../../shared/list-format.ts';
import { entryIdFor, LinkError, parseProxyLink } from '../../../shared/proxy-link.ts';
import type { SecretKey } from '../crypto/ed25519.ts';
import type { RootChain } from './roots.ts';
import { parseJsonWith, Rejection, signDocument } from './signed.ts';

/** Normalizes one input entry: `{url, ...extra}` or a full entry; the id defaults to a stable hash. */
export function normalizeEntry(raw: Record<string, unknown>, index: number): Entry {
  const { url, ...extra } = raw;
  let base: Record<string, unknown> = extra;
  if (url !== undefined) {
    if (typeof url !== 'string') throw new Rejection('malformed', `malformed at entries.${index}.url: not a string`);
    try {
      base = { ...parseProxyLink(url), ...extra };
    } catch (err) {
      if (err instanceof LinkError) throw new Rejection('malformed', `malformed at entries.${index}.url: ${err.message}`);
      throw err;
    }
  }
  if (base.id === undefined && typeof base.protocol === 'string' && typeof base.host === 'string' && Array.isArray(base.ports)) {
    base.id = entryIdFor(base as Parameters<typeof entryIdFor>[0]);
  }
  const parsed = EntrySchema.safeParse(base);
  if (!parsed.success) throw new Rejection('malformed', `malformed at entries.${index}.${describeZodError(parsed.error)}`);
  return parsed.data;
}

export interface BuildOptions {
  publisher: string;
  version: number;
  issuedAt: Date;
  expires: Date;
}

export function buildPayload(inputText: string | Uint8Array, opts: BuildOptions): ListPayload {
  const input = parseJsonWith(inputText, ListInputSchema, 'list input');
  const entries = input.entries.map((e, i) => normalizeEntry(e, i));
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    if (seen.has(e.id)) throw new Rejection('malformed', `malformed at entries.${i}.id: "${e.id}" appears twice`);
    seen.add(e.id);
  }
  const payload: ListPayload = {
    type: 'porthole-list',
    publisher: opts.publisher,
    version: opts.version,
    issuedAt: opts.issuedAt.toISOString(),
    expires: opts.expires.toISOString(),
    entries,
    channels: input.channels ?? [],
  };
  if (input.name) payload.name = input.name;
  if (input.revoked?.length) payload.revoked = input.revoked;
  const checked = ListPayloadSchema.safeParse(payload);
  if (!checked.success) throw new Rejection('malformed', `malformed at list.${describeZodError(checked.error)}`);
  return checked.data;
}

export function signList(payload: ListPayload, key: SecretKey, chain: RootChain): Uint8Array {
  const envelope: ListEnvelope = {
    format: 'porthole-list/1',
    roots: chain.chain,
    list: signDocument(utf8(JSON.stringify(payload)), DOMAIN.list, [key]),
  };
  return utf8(`${JSON.stringify(envelope)}\n`);
}

/** Parses "7d", "12h", "30m", "90s" or an ISO date into an absolute time. */
export function parseExpiry(text: string, from: Date): Date {
  const rel = /^(\d+)\s*([smhdw])$/.exec(text.trim());
  if (rel) {
    const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[rel[2] as 's' | 'm' | 'h' | 'd' | 'w'];
    return new Date(from.getTime() + Number(rel[1]) * unit * 1000);
  }
  const abs = Date.parse(text);
  if (Number.isNaN(abs)) throw new Rejection('malformed', `"${text}" is not a duration (7d, 12h, 30m) or a date`);
  return new Date(abs);
}
