// Server ids, made and read in this one file. A server id names one server across every source:
// "<entry id>@<publisher id>" for a server of a publisher's list or code, "<entry id>@user" for a
// person's own. Entry ids never hold '@' or ':' (shared/entry.ts), so both parts read back
// unambiguously. The bridge names each port of a server "<server id>:<port>" (an upstream id).
// The Api checks the ids it is given with ServerIdSchema (a bounded character check, no parsing).
import { z } from 'zod';

declare const serverIdBrand: unique symbol;
/** A server's id in the catalog (and in the Api): only made by serverIdFor. */
export type ServerId = string & { readonly [serverIdBrand]: true };

/** A server id as the Api accepts it from the UI (the engine then looks it up). */
export const ServerIdSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:@-]+$/, 'server id characters');

/** The source part of the ids of a person's own servers. */
const USER = 'user';

/** The id of entry `entryId` of `publisher` (null: one of the person's own servers). */
export function serverIdFor(entryId: string, publisher: string | null): ServerId {
  return `${entryId}@${publisher ?? USER}` as ServerId;
}

export interface ServerIdParts {
  entryId: string;
  /** null for a person's own server. */
  publisher: string | null;
}

/** The parts of a server id, or null when the text is not one. */
export function parseServerId(id: string): ServerIdParts | null {
  const at = id.lastIndexOf('@');
  if (at <= 0 || at === id.length - 1 || id.includes(':')) return null;
  const source = id.slice(at + 1);
  return { entryId: id.slice(0, at), publisher: source === USER ? null : source };
}

/** The bridge's id of one port of a server. */
export function upstreamIdFor(serverId: string, port: number): string {
  return `${serverId}:${port}`;
}

/** The server id and port of an upstream id, or null when the text is not "<id>:<port>". */
export function parseUpstreamId(id: string): { serverId: string; port: number } | null {
  const colon = id.lastIndexOf(':');
  if (colon <= 0) return null;
  const digits = id.slice(colon + 1);
  if (!/^\d{1,5}$/.test(digits)) return null;
  return { serverId: id.slice(0, colon), port: Number(digits) };
}
