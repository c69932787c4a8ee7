// Publishers and signed lists made in-process for the trust tests: a bare-key publisher, or one
// with root keys and a threshold; lists signed at any version and time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, type SecretKey } from '../../electron/core/crypto/ed25519.ts';
import { openClient, type ClientStores } from '../../electron/core/catalog/open.ts';
import { bareKeyChain, newRoot, signRoot, verifyRootChain, type RootChain } from '../../electron/core/lists/roots.ts';
import { buildPayload, signList } from '../../electron/core/lists/sign.ts';
import { isRejection } from '../../electron/core/lists/signed.ts';

export const DAY = 86_400_000;
/** A fixed "now" for the tests: the system clock is never read where it matters. */
export const T0 = new Date('2026-03-01T12:00:00Z');
export const at = (days: number): Date => new Date(T0.getTime() + days * DAY);

export interface Publisher {
  key: SecretKey;
  chain: RootChain;
  /** A signed list of this publisher: version, issued `issued` days from T0, valid `validDays`. */
  list(version: number, opts?: { issued?: number; validDays?: number; entries?: number; key?: SecretKey; chain?: RootChain; name?: string }): Uint8Array;
}

export function publisher(): Publisher {
  const key = generateKey();
  const chain = bareKeyChain(key.publicKey);
  return withLists(key, chain);
}

/** A publisher whose root v1 has `rootKeys` with a threshold, and one online list key. */
export function thresholdPublisher(threshold: number, rootKeyCount: number): Publisher & { rootKeys: SecretKey[] } {
  const rootKeys = Array.from({ length: rootKeyCount }, () => generateKey());
  const key = generateKey();
  const root = newRoot({ rootKeys: rootKeys.map((k) => k.publicKey), threshold, listKeys: [key.publicKey], issuedAt: at(-30) });
  const chain = verifyRootChain([signRoot(root, rootKeys.slice(0, threshold))]);
  return { ...withLists(key, chain), rootKeys };
}

function withLists(key: SecretKey, chain: RootChain): Publisher {
  return {
    key,
    chain,
    list(version, opts = {}) {
      const entries = Array.from({ length: opts.entries ?? 2 }, (_, i) => ({ url: `socks5://127.0.0.1:${2000 + i}` }));
      const c = opts.chain ?? chain;
      const payload = buildPayload(JSON.stringify({ entries, ...(opts.name ? { name: opts.name } : {}) }), {
        publisher: c.publisher,
        version,
        issuedAt: at(opts.issued ?? 0),
        expires: at((opts.issued ?? 0) + (opts.validDays ?? 7)),
      });
      return signList(payload, opts.key ?? key, c);
    },
  };
}

/** A client data dir that trusts the given publishers; removed by `close`. */
export async function client(trusting: Publisher[] = []): Promise<ClientStores & { close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-trust-'));
  const stores = await openClient(dir, { pinned: [] });
  for (const p of trusting) await stores.trust.add(p.chain, 'manual');
  return { ...stores, close: () => rm(dir, { recursive: true, force: true }) };
}

/** The same data dir opened again, as the next start of the app would. */
export async function reopen(stores: ClientStores): Promise<ClientStores> {
  return openClient(stores.dataDir, { pinned: [] });
}

/** The refusal a list or code check throws, as "reason: message"; fails when the check accepts. */
export function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isRejection(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  throw new Error('accepted');
}
