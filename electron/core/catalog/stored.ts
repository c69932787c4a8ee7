// The lists and codes the client holds, as the catalog uses them: lists verified once against the
// trust store (held-lists.ts); a held list or code keeps working after it expires (flagged),
// because people may be offline for weeks, until the grace period of lists/expiry.ts is over.
import type { ClientStores } from './open.ts';
import type { CodeRecord } from './state-store.ts';
import { checkCodeChannels } from '../codes/code-channels.ts';
import { EXPIRED_GRACE_DAYS, expiryStatus } from '../lists/expiry.ts';
import type { VerifiedList } from '../lists/verify.ts';

export interface StoredLists {
  lists: VerifiedList[];
  codes: CodeRecord[];
  problems: string[];
}

export async function loadStoredLists(stores: ClientStores, now = new Date()): Promise<StoredLists> {
  const lists: VerifiedList[] = [];
  const problems: string[] = [];
  for (const held of await stores.lists.read(now)) {
    if ('problem' in held) {
      problems.push(`cached list of ${held.publisher} ignored: ${held.problem}`);
      continue;
    }
    const v = held.list;
    const status = expiryStatus(v.payload.expires, now);
    if (status.dropped) {
      problems.push(`list v${v.payload.version} of ${held.publisher} expired on ${v.payload.expires.slice(0, 10)} and is no longer used since ${status.dropAt.slice(0, 10)} (${EXPIRED_GRACE_DAYS} days later): waiting for a newer one`);
      continue;
    }
    lists.push(v);
  }
  lists.sort((a, b) => a.publisher.localeCompare(b.publisher));
  // A code counts only while its sender is trusted (removing trust removes what it brought).
  // Its channels pass the code rules again: a code stored before they existed may name any.
  // An expired code's servers are kept (flagged) for the grace period, then dropped.
  const codes = stores.state.codes()
    .filter((c) => stores.trust.get(c.publisher) !== undefined && !expiryStatus(c.expires, now).dropped)
    .map((c) => ({ ...c, channels: checkCodeChannels(c.channels).kept }));
  return { lists, codes, problems };
}
