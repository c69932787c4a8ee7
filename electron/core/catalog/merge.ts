// Merges the verified lists of several publishers (and servers from codes) into the set of
// servers the engine tests: the highest version of each publisher wins, each entry keeps its
// source, and revoked or expired entries drop out. A publisher's list can only withdraw its
// own servers: revocations never reach across publishers.
import type { Entry, SourcedEntry } from '../../../shared/entry.ts';
import type { CodeRecord } from './state-store.ts';
import type { VerifiedList } from '../lists/verify.ts';

export interface MergeResult {
  entries: SourcedEntry[];
  /** Why entries were left out, for the UI ("3 expired, 1 revoked"). */
  dropped: { publisher: string; id: string; why: 'revoked' | 'expired' }[];
}

export function mergeLists(lists: readonly VerifiedList[], codes: readonly CodeRecord[], now: Date): MergeResult {
  const newest = new Map<string, VerifiedList>();
  for (const l of lists) {
    const have = newest.get(l.publisher);
    if (!have || l.payload.version > have.payload.version) newest.set(l.publisher, l);
  }
  const out = new Map<string, SourcedEntry>();
  const dropped: MergeResult['dropped'] = [];
  const add = (publisher: string, listVersion: number, e: Entry, revoked: ReadonlySet<string>): void => {
    if (revoked.has(e.id)) return void dropped.push({ publisher, id: e.id, why: 'revoked' });
    if (e.expires && Date.parse(e.expires) <= now.getTime()) return void dropped.push({ publisher, id: e.id, why: 'expired' });
    const key = `${publisher}/${e.id}`;
    if (!out.has(key)) out.set(key, { ...e, publisher, listVersion });
  };
  const revokedBy = new Map<string, Set<string>>();
  for (const l of newest.values()) {
    const revoked = new Set(l.payload.revoked ?? []);
    revokedBy.set(l.publisher, revoked);
    for (const e of l.payload.entries) add(l.publisher, l.payload.version, e, revoked);
  }
  for (const c of codes) {
    const revoked = revokedBy.get(c.publisher) ?? new Set<string>();
    for (const e of c.servers) add(c.publisher, 0, e, revoked);
  }
  return { entries: [...out.values()], dropped };
}
