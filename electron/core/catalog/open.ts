// Opens a client's data folder: trust store (with the pinned bootstrap publisher),
// state (versions, time floor, code nonces) and the lists it holds.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePublisherFile } from '../lists/keyfiles.ts';
import type { RootChain } from '../lists/roots.ts';
import { bootstrapDir } from '../paths.ts';
import { HeldLists } from './held-lists.ts';
import { StateStore } from './state-store.ts';
import { TrustStore } from './trust-store.ts';

export interface ClientStores {
  dataDir: string;
  trust: TrustStore;
  state: StateStore;
  /** The signed lists held, verified once (held-lists.ts). */
  lists: HeldLists;
  /** Problems found and repaired while loading (a corrupt file replaced by its previous good copy). */
  warnings: string[];
}

async function loadPinnedPublishers(dir = bootstrapDir()): Promise<RootChain[]> {
  const text = await readFile(join(dir, 'publisher.pub')).catch(() => null);
  return text ? [parsePublisherFile(text)] : [];
}

export async function openClient(dataDir: string, options: { pinned?: RootChain[] } = {}): Promise<ClientStores> {
  const pinned = options.pinned ?? (await loadPinnedPublishers());
  const trust = await new TrustStore(dataDir, pinned).load();
  const state = await new StateStore(dataDir).load();
  const warnings = [trust.recovered, state.recovered].filter((w): w is string => Boolean(w));
  return { dataDir, trust, state, lists: new HeldLists(dataDir, trust, state), warnings };
}
