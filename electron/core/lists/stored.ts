// Reads the cached lists back, re-verifying each against the trust store; a held list
// keeps working after it expires (flagged), because people may be offline for weeks.
import type { ClientStores } from '../client.ts';
import type { CodeRecord } from '../store/state-store.ts';
import { checkCodeChannels } from '../codes/code-channels.ts';
import { Rejection } from './signed.ts';
import { verifyList, type VerifiedList } from './verify.ts';

export interface StoredLists {
  lists: VerifiedList[];
  codes: CodeRecord[];
  problems: string[];
}

export async function loadStoredLists(stores: ClientStores, now = new Date()): Promise<StoredLists> {
  const lists: VerifiedList[] = [];
  const problems: string[] = [];
  const trusted = stores.trust.listChains();
  for (const { publisher, bytes } of await stores.cache.all()) {
    try {
      const v = verifyList(bytes, {
        trusted,
        now,
        floor: (p) => stores.state.issuedAtFloor(p),
        highestVersion: (p) => stores.state.highestVersion(p),
        allowExpired: true,
        allowEqual: true,
        allowFuture: true,
      });
      if (v.publisher !== publisher) throw new Rejection('malformed', `cached under ${publisher} but signed by ${v.publisher}`);
      lists.push(v);
    } catch (err) {
      problems.push(`cached list of ${publisher} ignored: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  lists.sort((a, b) => a.publisher.localeCompare(b.publisher));
  // A code counts only while its sender is trusted (removing trust removes what it brought).
  // Its channels pass the code rules again: a code stored before they existed may name any.
  const codes = stores.state.codes()
    .filter((c) => stores.trust.get(c.publisher) !== undefined)
    .map((c) => ({ ...c, channels: checkCodeChannels(c.channels).kept }));
  return { lists, codes, problems };
}
