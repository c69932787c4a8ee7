// Accepting a signed list's bytes, wherever they came from (a channel, a paste, the embedded
// bootstrap list): verified once against the trust store, the version and the time floor, then
// held (held-lists.ts), recorded and its root chain kept. Bytes identical to a list already held
// and still verified need no new check: they are the same list again.
import { isRejection } from '../lists/signed.ts';
import { PortholeError } from '../../../shared/errors.ts';
import type { RejectionReason } from '../lists/signed.ts';
import { verifyList, type VerifiedList } from '../lists/verify.ts';
import type { ClientStores } from './open.ts';

/** Refused input, or input already held. */
export interface NotAccepted {
  kind: 'list' | 'code' | 'key' | 'input';
  status: 'rejected' | 'already-added';
  reason: RejectionReason | 'nothing-found' | 'publisher-key';
  message: string;
}

export type ListOutcome =
  | { kind: 'list'; status: 'added' | 'updated'; publisher: string; version: number; entries: number; expires: string; message: string }
  | NotAccepted;

export interface AcceptOptions {
  now?: Date;
}

/**
 * One accept at a time per client: verifying, caching and recording must each see the previous
 * accept's result, or two lists arriving at once (a refresh round and a paste) could both pass the
 * version check and leave the older one in the cache and the state.
 */
const lanes = new WeakMap<object, Promise<unknown>>();
export function oneAtATime<T>(stores: ClientStores, fn: () => Promise<T>): Promise<T> {
  const run = lanes.get(stores.state) ?? Promise.resolve();
  const p = run.then(fn, fn);
  lanes.set(stores.state, p.catch(() => undefined));
  return p;
}

export function acceptList(stores: ClientStores, bytes: Uint8Array, options: AcceptOptions = {}): Promise<ListOutcome> {
  return oneAtATime(stores, () => acceptNow(stores, bytes, options));
}

async function acceptNow(stores: ClientStores, bytes: Uint8Array, options: AcceptOptions): Promise<ListOutcome> {
  try {
    const verified = await verifyOnce(stores, bytes, options.now ?? new Date());
    const had = stores.state.highestVersion(verified.publisher);
    await stores.lists.put(verified);
    await stores.state.recordList(verified.publisher, verified.payload.version, verified.payload.issuedAt);
    await stores.trust.add(verified.chain, 'list');
    const p = verified.payload;
    return {
      kind: 'list',
      status: had === undefined ? 'added' : 'updated',
      publisher: p.publisher,
      version: p.version,
      entries: p.entries.length,
      expires: p.expires,
      message: `${had === undefined ? 'added' : 'updated'} list v${p.version} of ${p.name ?? p.publisher}: ${p.entries.length} servers, expires ${p.expires.slice(0, 10)}`
        + (verified.strippedRoots ? `; the publisher roots it carried did not verify and were not kept` : ''),
    };
  } catch (err) {
    return rejected('list', err);
  }
}

/** The verified list, or a Rejection; the held list's own bytes again are "unchanged" without a new check. */
async function verifyOnce(stores: ClientStores, bytes: Uint8Array, now: Date): Promise<VerifiedList> {
  const held = await stores.lists.holds(bytes);
  const have = held ? stores.state.highestVersion(held.publisher) : undefined;
  if (held && have === held.payload.version) throw new PortholeError('unchanged', `unchanged (already have v${have})`);
  return verifyList(bytes, {
    trusted: stores.trust.listChains(),
    codeOnly: stores.trust.codeOnlyChains(),
    now,
    floor: (p) => stores.state.issuedAtFloor(p),
    highestVersion: (p) => stores.state.highestVersion(p),
  });
}

/** A Rejection as an outcome ("unchanged" is already-added); anything else is a bug and goes on. */
export function rejected(kind: 'list' | 'code', err: unknown): NotAccepted {
  if (isRejection(err) && err.code === 'unchanged') return { kind, status: 'already-added', reason: 'unchanged', message: `already added: ${err.message}` };
  if (isRejection(err)) return { kind, status: 'rejected', reason: err.code, message: err.message };
  throw err;
}
