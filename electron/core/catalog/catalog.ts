// The engine's set of servers: every verified list (newest version per publisher), servers
// from codes and the user's own, each with a unique id and its source.
import type { Entry } from '../../../shared/entry.ts';
import { serverIdFor, type ServerId } from '../../../shared/server-id.ts';
import type { ClientStores } from './open.ts';
import { expiryStatus } from '../lists/expiry.ts';
import { mergeLists } from './merge.ts';
import { loadStoredLists } from './stored.ts';
import type { VerifiedList } from '../lists/verify.ts';
import type { UserServerStore } from './user-servers.ts';

export type ServerOrigin = 'publisher' | 'code' | 'user';

export interface CatalogServer {
  /** Unique across publishers: "<entry id>@<publisher>", or "<entry id>@user" (shared/server-id.ts). */
  id: ServerId;
  entry: Entry;
  origin: ServerOrigin;
  publisher: string | null;
  publisherName: string | null;
  /** Set when its list or code has expired: it is still used, after the fresh ones, until `dropAt`. */
  expired?: { since: string; dropAt: string };
}

export interface Catalog {
  servers: CatalogServer[];
  lists: VerifiedList[];
  /** Channels named by the stored lists and codes. */
  channels: string[];
  problems: string[];
}

export async function buildCatalog(stores: ClientStores, users: UserServerStore, now = new Date()): Promise<Catalog> {
  const stored = await loadStoredLists(stores, now);
  const merged = mergeLists(stored.lists, stored.codes, now);
  const names = new Map(stored.lists.map((l) => [l.publisher, l.payload.name ?? null]));
  const fromCodes = new Set(stored.codes.flatMap((c) => c.servers.map((s) => serverIdFor(s.id, c.publisher))));
  const expiredSource = new Map<string, { since: string; dropAt: string }>();
  for (const l of stored.lists) if (l.expired) expiredSource.set(`${l.publisher}/list`, { since: l.payload.expires, dropAt: expiryStatus(l.payload.expires, now).dropAt });
  for (const c of stored.codes) {
    const st = expiryStatus(c.expires, now);
    if (st.expired) for (const s of c.servers) expiredSource.set(`${c.publisher}/${s.id}/code`, { since: c.expires, dropAt: st.dropAt });
  }
  const servers: CatalogServer[] = merged.entries.map((e) => {
    const { publisher, listVersion: _v, ...entry } = e;
    const id = serverIdFor(entry.id, publisher);
    const origin: ServerOrigin = fromCodes.has(id) && _v === 0 ? 'code' : 'publisher';
    const expired = expiredSource.get(origin === 'code' ? `${publisher}/${entry.id}/code` : `${publisher}/list`);
    return { id, entry: { ...entry, id }, origin, publisher, publisherName: names.get(publisher) ?? null, ...(expired ? { expired } : {}) };
  });
  // Fresh servers are tested and chosen first; expired ones only after them.
  servers.sort((a, b) => Number(a.expired !== undefined) - Number(b.expired !== undefined));
  for (const u of users.list()) {
    const id = serverIdFor(u.id, null);
    servers.push({ id, entry: { ...u, id }, origin: 'user', publisher: null, publisherName: null });
  }
  const channels = [...new Set([...stored.lists.flatMap((l) => l.payload.channels), ...stored.codes.flatMap((c) => c.channels)])];
  return { servers, lists: stored.lists, channels, problems: stored.problems };
}
