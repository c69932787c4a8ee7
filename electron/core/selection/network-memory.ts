// Which servers worked on which network (by fingerprint only), so they are tried first next time.
// Persisted as JSON with a zod schema; the lead stores it in the data dir (loadNetworkMemory/save…).
import { z } from 'zod';
import { JsonFile } from '../fs/json-file.ts';
import { newFingerprintSecret } from './network-fingerprint.ts';

const MAX_NETWORKS = 50;
export const MAX_SERVERS_PER_NETWORK = 20;

const Ms = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const NetworkMemorySchema = z.strictObject({
  version: z.literal(1),
  /** The per-install HMAC secret (32 random bytes, base64url). */
  secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  networks: z.array(z.strictObject({
    fingerprint: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
    lastSeen: Ms,
    servers: z.array(z.strictObject({
      id: z.string().min(1).max(64),
      port: z.number().int().min(1).max(65535),
      lastOk: Ms,
      okCount: z.number().int().min(1).max(1_000_000),
    })).max(MAX_SERVERS_PER_NETWORK),
  })).max(MAX_NETWORKS),
});
export type NetworkMemoryData = z.infer<typeof NetworkMemorySchema>;

export interface RememberedServer {
  id: string;
  port: number;
}

export class NetworkMemory {
  private readonly data: NetworkMemoryData;

  constructor(data?: NetworkMemoryData) {
    this.data = data ? structuredClone(data) : { version: 1, secret: newFingerprintSecret(), networks: [] };
  }

  get secret(): string {
    return this.data.secret;
  }

  /** Records that server `id` worked on port `port` on network `fingerprint` at time `at`. */
  remember(fingerprint: string, id: string, port: number, at: number): void {
    let net = this.data.networks.find((n) => n.fingerprint === fingerprint);
    if (!net) {
      net = { fingerprint, lastSeen: at, servers: [] };
      this.data.networks.push(net);
      if (this.data.networks.length > MAX_NETWORKS) {
        this.data.networks.sort((a, b) => b.lastSeen - a.lastSeen);
        this.data.networks.length = MAX_NETWORKS;
      }
    }
    net.lastSeen = Math.max(net.lastSeen, at);
    const known = net.servers.find((s) => s.id === id);
    if (known) {
      known.port = port;
      known.lastOk = Math.max(known.lastOk, at);
      known.okCount = Math.min(known.okCount + 1, 1_000_000);
    } else {
      net.servers.push({ id, port, lastOk: at, okCount: 1 });
    }
    net.servers.sort((a, b) => b.lastOk - a.lastOk);
    if (net.servers.length > MAX_SERVERS_PER_NETWORK) net.servers.length = MAX_SERVERS_PER_NETWORK;
  }

  /** Servers that worked on this network, most recently working first. */
  preferred(fingerprint: string | null): RememberedServer[] {
    if (fingerprint === null) return [];
    const net = this.data.networks.find((n) => n.fingerprint === fingerprint);
    return net ? net.servers.map((s) => ({ id: s.id, port: s.port })) : [];
  }

  /** Drops a server everywhere (removed or revoked). */
  forget(id: string): void {
    for (const net of this.data.networks) net.servers = net.servers.filter((s) => s.id !== id);
  }

  toJSON(): NetworkMemoryData {
    return structuredClone(this.data);
  }
}

function file(path: string): JsonFile<NetworkMemoryData> {
  return new JsonFile(path, NetworkMemorySchema, () => new NetworkMemory().toJSON());
}

/** Loads the memory (a fresh one with a new secret when the file does not exist yet). */
export async function loadNetworkMemory(path: string): Promise<NetworkMemory> {
  const loaded = await file(path).load();
  return new NetworkMemory(loaded.value);
}

export async function saveNetworkMemory(path: string, memory: NetworkMemory): Promise<void> {
  await file(path).save(memory.toJSON());
}
