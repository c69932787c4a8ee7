// The signed lists the client holds, verified once: the cache on disk is read and verified the first
// time they are needed, and every accepted list replaces its publisher's in memory and on disk. A
// held list is verified again only when what its verification depended on changed (its publisher's
// trusted chain, a higher version recorded) or when it did not verify before; its expiry is judged
// anew at each read, against the clock and the publisher's time floor.
import { PortholeError } from '../../../shared/errors.ts';
import { ListCache } from './list-cache.ts';
import type { StateStore } from './state-store.ts';
import type { TrustStore } from './trust-store.ts';
import type { RootChain } from '../lists/roots.ts';
import { verifyList, type VerifiedList } from '../lists/verify.ts';

interface Held {
  /** The cached bytes. */
  bytes: Uint8Array;
  /** The list they verified to, and the trusted chain it verified against; null: they did not verify. */
  verified: { list: VerifiedList; anchor: string } | null;
}

/** A held list verified (with `expired` judged now), or why it was left out (it does not verify with the trust there is now). */
export type HeldList = { publisher: string; list: VerifiedList } | { publisher: string; problem: string };

export class HeldLists {
  private readonly cache: ListCache;
  private readonly trust: TrustStore;
  private readonly state: StateStore;
  private held: Map<string, Held> | null = null;
  private loading: Promise<Map<string, Held>> | null = null;

  constructor(dataDir: string, trust: TrustStore, state: StateStore) {
    this.cache = new ListCache(dataDir);
    this.trust = trust;
    this.state = state;
  }

  /** Every held list, verified once; `now` judges expiry. */
  async read(now: Date): Promise<HeldList[]> {
    const held = await this.load();
    const trusted = this.trust.listChains();
    const out: HeldList[] = [];
    for (const [publisher, h] of held) {
      let list: VerifiedList;
      try {
        list = this.verified(publisher, h, trusted, now);
      } catch (err) {
        out.push({ publisher, problem: err instanceof Error ? err.message : String(err) });
        continue;
      }
      const floor = this.state.issuedAtFloor(publisher)?.getTime() ?? 0;
      out.push({ publisher, list: { ...list, expired: Date.parse(list.payload.expires) <= Math.max(now.getTime(), floor) } });
    }
    return out;
  }

  /** The held list these very bytes are, verified (once), or null (an identical arrival needs no new check). */
  async holds(bytes: Uint8Array): Promise<VerifiedList | null> {
    for (const [publisher, h] of await this.load()) {
      if (!sameBytes(h.bytes, bytes)) continue;
      try {
        return this.verified(publisher, h, this.trust.listChains(), new Date());
      } catch {
        return null; // the arrival is checked in full, and refused with its own reason
      }
    }
    return null;
  }

  /** Keeps a list that just verified: on disk, and in memory as verified. */
  async put(list: VerifiedList): Promise<void> {
    const held = await this.load();
    await this.cache.put(list.publisher, list.bytes);
    held.set(list.publisher, { bytes: list.bytes, verified: { list, anchor: anchorText(list.chain) } });
  }

  /** Deletes a publisher's held list; true when there was one. */
  async remove(publisher: string): Promise<boolean> {
    const held = await this.load();
    held.delete(publisher);
    return this.cache.remove(publisher);
  }

  private load(): Promise<Map<string, Held>> {
    if (this.held) return Promise.resolve(this.held);
    this.loading ??= this.cache.all().then((all) => {
      this.held = new Map(all.map(({ publisher, bytes }) => [publisher, { bytes, verified: null }]));
      return this.held;
    });
    return this.loading;
  }

  /** A held list as verified, verified again only when what that depended on changed; throws a Rejection when it does not verify. */
  private verified(publisher: string, h: Held, trusted: readonly RootChain[], now: Date): VerifiedList {
    const anchor = anchorOf(trusted, publisher);
    const have = this.state.highestVersion(publisher);
    if (!h.verified || h.verified.anchor !== anchor || (have !== undefined && h.verified.list.payload.version < have)) {
      h.verified = null;
      h.verified = { list: this.verify(publisher, h.bytes, trusted, now), anchor };
    }
    return h.verified.list;
  }

  private verify(publisher: string, bytes: Uint8Array, trusted: readonly RootChain[], now: Date): VerifiedList {
    const v = verifyList(bytes, {
      trusted,
      now,
      floor: (p) => this.state.issuedAtFloor(p),
      highestVersion: (p) => this.state.highestVersion(p),
      allowExpired: true,
      allowEqual: true,
      allowFuture: true,
    });
    if (v.publisher !== publisher) throw new PortholeError('malformed', `cached under ${publisher} but signed by ${v.publisher}`);
    return v;
  }
}

/** What a held list's verification depended on in the trust store: its publisher's chain (none: not trusted). */
function anchorOf(trusted: readonly RootChain[], publisher: string): string {
  const chain = trusted.find((t) => t.publisher === publisher);
  return chain ? anchorText(chain) : '';
}

function anchorText(chain: RootChain): string {
  return `${chain.publisher}/${chain.root.version}/${chain.chain.length}/${chain.root.listKeys.join(',')}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
