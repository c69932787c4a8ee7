// The engine's set of servers: every verified list (newest version per publisher), servers
// from codes and the user's own, each with a unique id and its source.
import type { Entry } from '../../../shared/entry.ts';
import type { ClientStores } from '../client.ts';
import { mergeLists } from '../lists/merge.ts';
import { loadStoredLists } from '../lists/stored.ts';
import type { VerifiedList } from '../lists/verify.ts';
import type { UserServerStore } from './user-servers.ts';

export type ServerOrigin = 'publisher' | 'code' | 'user';

export interface CatalogServer {
  /** Unique across publishers: "<entry id>@<publisher>", or "<entry id>@user". */
  id: string;
  entry: Entry;
  origin: ServerOrigin;
  publisher: string | null;
  publisherName: string | null;
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
  const fromCodes = new Set(stored.codes.flatMap((c) => c.servers.map((s) => `${s.id}@${c.publisher}`)));
  const servers: CatalogServer[] = merged.entries.map((e) => {
    const { publisher, listVersion: _v, ...entry } = e;
    const id = `${entry.id}@${publisher}`;
    return { id, entry: { ...entry, id }, origin: fromCodes.has(id) && _v === 0 ? 'code' : 'publisher', publisher, publisherName: names.get(publisher) ?? null };
  });
  for (const u of users.list()) servers.push({ id: `${u.id}@user`, entry: { ...u, id: `${u.id}@user` }, origin: 'user', publisher: null, publisherName: null });
  const channels = [...new Set([...stored.lists.flatMap((l) => l.payload.channels), ...stored.codes.flatMap((c) => c.channels)])];
  return { servers, lists: stored.lists, channels, problems: stored.problems };
}
