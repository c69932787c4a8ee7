// Imports servers a person brings themselves: share links, subscriptions (base64 or plain lists,
// Clash/mihomo YAML, sing-box JSON), Outline keys (ssconf:// fetched). Unsigned, so they become
// the person's own servers (like Add server). Bad lines are reported with their line and reason;
// everything good is still added.
import type { Entry } from '../../../shared/entry.ts';
import { isLinkError, type ParsedLink } from '../../../shared/proxy-link.ts';
import { parseSubscription, type SubscriptionFormat, type SubscriptionProblem } from '../../../shared/links/subscription.ts';
import { UserServerStore } from './user-servers.ts';
import { fetchOutlineKey, type OutlineKeyOptions } from './outline-key.ts';

/** At most this many ssconf:// keys are fetched from one paste. */
const MAX_DYNAMIC_KEYS = 16;

export interface ServerImportOptions {
  /** The store to add to (the running engine's); otherwise the data dir's file is opened. */
  users?: UserServerStore;
  /** How ssconf:// keys are fetched (the bridge's proxy URL, a test CA). */
  outlineKeys?: OutlineKeyOptions;
}

export type ServersOutcome =
  | {
      kind: 'servers';
      status: 'added' | 'already-added';
      format: SubscriptionFormat;
      servers: Entry[];
      already: number;
      /** Entries kept although Porthole cannot speak their protocol yet. */
      unsupported: number;
      problems: SubscriptionProblem[];
      message: string;
    }
  | { kind: 'servers'; status: 'rejected'; reason: 'malformed'; problems: SubscriptionProblem[]; message: string };

/** The outcome, or null when the text carries no servers in any format Porthole reads. */
export async function importServers(dataDir: string, text: string, options: ServerImportOptions = {}): Promise<ServersOutcome | null> {
  let sub;
  try {
    sub = parseSubscription(text);
  } catch (err) {
    if (isLinkError(err)) return { kind: 'servers', status: 'rejected', reason: 'malformed', problems: [], message: err.message };
    throw err;
  }
  if (!sub) return null;
  const entries: ParsedLink[] = [...sub.entries];
  const problems = [...sub.problems];
  for (const key of sub.dynamicKeys.slice(0, MAX_DYNAMIC_KEYS)) {
    try {
      entries.push(await fetchOutlineKey(key.url, options.outlineKeys));
    } catch (err) {
      if (!isLinkError(err)) throw err;
      problems.push({ line: key.line, message: `${key.line === null ? '' : `line ${key.line}: `}${err.message}` });
    }
  }
  if (sub.dynamicKeys.length > MAX_DYNAMIC_KEYS) problems.push({ line: null, message: `only the first ${MAX_DYNAMIC_KEYS} Outline keys were fetched` });
  if (entries.length === 0) {
    const first = problems[0]?.message ?? 'no servers found';
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    return { kind: 'servers', status: 'rejected', reason: 'malformed', problems, message: `${first}${more}` };
  }
  const users = options.users ?? (await new UserServerStore(dataDir).load());
  const result = await users.addEntries(entries);
  if (result.full > 0) problems.push({ line: null, message: `${result.full} servers were not added: your own servers are limited to ${users.limit}` });
  const unsupported = result.added.filter((e) => e.protocol === 'unsupported').length;
  const parts = [`added ${result.added.length} server${result.added.length === 1 ? '' : 's'} of your own`];
  if (unsupported > 0) parts.push(`${unsupported} of them need a protocol Porthole doesn't speak yet`);
  if (result.already > 0) parts.push(`${result.already} already there`);
  if (problems.length > 0) parts.push(`${problems.length} line${problems.length === 1 ? '' : 's'} could not be read`);
  return {
    kind: 'servers',
    status: result.added.length === 0 ? 'already-added' : 'added',
    format: sub.format,
    servers: result.added,
    already: result.already,
    unsupported,
    problems,
    message: parts.join('; '),
  };
}
