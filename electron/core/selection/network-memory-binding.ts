// Connects the selection to the per-network memory on disk: what worked on this network goes
// first next time, keyed by a private fingerprint of the local network.
import { loadNetworkMemory, saveNetworkMemory } from './network-memory.ts';
import { currentNetworkFingerprint } from './network-fingerprint.ts';
import type { Selection } from './selection.ts';

export interface NetworkMemoryBinding {
  /** Re-reads the network (a laptop moved) so its remembered servers go first. */
  refreshNetwork(): void;
  save(): Promise<void>;
  /** From now on, once a minute: re-reads the network and saves. */
  keepUp(): void;
  /** Stops keeping up and saves. */
  close(): Promise<void>;
}

export async function bindNetworkMemory(selection: Selection, file: string, warn: (message: string) => void): Promise<NetworkMemoryBinding | null> {
  try {
    const memory = await loadNetworkMemory(file);
    selection.setMemory(memory);
    selection.setNetwork(currentNetworkFingerprint(memory.secret));
    const save = (): Promise<void> => saveNetworkMemory(file, memory).catch((err: Error) => warn(`could not save network memory: ${err.message}`));
    await save(); // keeps the secret stable from the first run on
    const refreshNetwork = (): void => selection.setNetwork(currentNetworkFingerprint(memory.secret));
    let timer: NodeJS.Timeout | null = null;
    return {
      save,
      refreshNetwork,
      keepUp: () => {
        if (timer) return;
        timer = setInterval(() => {
          refreshNetwork();
          void save();
        }, 60_000);
        timer.unref();
      },
      close: async () => {
        if (timer) clearInterval(timer);
        timer = null;
        await save();
      },
    };
  } catch (err) {
    warn(`network memory unavailable: ${(err as Error).message}`);
    return null;
  }
}
