// Builds and signs a list from publisher input: entries written as links or in full form.
import { PortholeError } from '../../../shared/errors.ts';
import { utf8 } from '../../../shared/base64url.ts';
import { EntrySchema, type Entry } from '../../../shared/entry.ts';
import { DOMAIN, ListInputSchema, ListPayloadSchema, type ListEnvelope, type ListPayload } from '../../../shared/list-format.ts';
import { zodMessage } from '../../../shared/zod-message.ts';
import { entryIdFor, isLinkError, parseProxyLink } from '../../../shared/proxy-link.ts';
import type { SecretKey } from '../crypto/ed25519.ts';
import type { RootChain } from './roots.ts';
import { parseJsonWith, signDocument } from './signed.ts';

/** Normalizes one input entry: `{url, ...extra}` or a full entry; the id defaults to a stable hash. */
function normalizeEntry(raw: Record<string, unknown>, index: number): Entry {
  const { url, ...extra } = raw;
  let base: Record<string, unknown> = extra;
  if (url !== undefined) {
    if (typeof url !== 'string') throw new PortholeError('malformed', `malformed at entries.${index}.url: not a string`);
    try {
      base = { ...parseProxyLink(url), ...extra };
    } catch (err) {
      if (isLinkError(err)) throw new PortholeError('malformed', `malformed at entries.${index}.url: ${err.message}`);
      throw err;
    }
  }
  if (base.id === undefined && typeof base.protocol === 'string' && typeof base.host === 'string' && Array.isArray(base.ports)) {
    base.id = entryIdFor(base as Parameters<typeof entryIdFor>[0]);
  }
  const parsed = EntrySchema.safeParse(base);
  if (!parsed.success) throw new PortholeError('malformed', `malformed at entries.${index}.${zodMessage(parsed.error)}`);
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
  // An id the publisher wrote must be unique; one derived from the server (two accounts on one
  // server share it) gets a suffix, so nobody is blamed for a field they never wrote.
  const written = new Map<string, number>();
  input.entries.forEach((e, i) => {
    if (e.id === undefined) return;
    const first = written.get(entries[i]!.id);
    if (first !== undefined) throw new PortholeError('malformed', `malformed at entries.${i}.id: "${entries[i]!.id}" is also the id of entries.${first}`);
    written.set(entries[i]!.id, i);
  });
  const seen = new Set(written.keys());
  const sameServer = new Map<string, number>();
  for (const [i, e] of entries.entries()) {
    if (input.entries[i]!.id !== undefined) continue;
    const key = JSON.stringify({ ...e, id: undefined });
    const twin = sameServer.get(key);
    if (twin !== undefined) throw new PortholeError('malformed', `malformed at entries.${i}: the same server as entries.${twin} (same address, user and password)`);
    sameServer.set(key, i);
    let id = e.id;
    for (let n = 2; seen.has(id); n++) id = `${e.id.slice(0, 60)}-${n}`;
    e.id = id;
    seen.add(id);
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
  if (!checked.success) throw new PortholeError('malformed', `malformed at list.${zodMessage(checked.error)}`);
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
