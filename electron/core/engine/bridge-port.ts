// A stable bridge port: the first port the bridge got is remembered in the data dir and used again
// on every reconnect and restart, so what people set up by hand (Telegram, a browser) keeps working.
// When another program holds it, the bridge takes the next free one for now and says so.
import { join } from 'node:path';
import { z } from 'zod';
import { startBridge, type Bridge, type BridgeOptions } from '../bridge/index.ts';
import { JsonFile } from '../fs/json-file.ts';

const PortFileSchema = z.strictObject({ port: z.number().int().min(1).max(65535) });
type PortFile = z.infer<typeof PortFileSchema>;

/** The remembered port, or a temporary one because another program holds it. */
export interface PortConflict {
  /** The port Porthole always uses (remembered). */
  wanted: number;
  /** The port it listens on for now. */
  using: number;
}

function file(dataDir: string): JsonFile<PortFile | null> {
  return new JsonFile<PortFile | null>(join(dataDir, 'bridge-port.json'), PortFileSchema.nullable(), () => null);
}

export async function rememberedPort(dataDir: string): Promise<number | null> {
  try {
    return (await file(dataDir).load()).value?.port ?? null;
  } catch {
    return null; // a damaged file: the next bind writes a good one
  }
}

export async function rememberPort(dataDir: string, port: number): Promise<void> {
  await file(dataDir).save({ port });
}

function inUse(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';
}

/**
 * Starts the bridge on the remembered port (or `fallback` the first time, remembering what it got).
 * Returns the conflict when another program holds the remembered port.
 */
export async function startOnStablePort(dataDir: string, fallback: number, options: Omit<BridgeOptions, 'port' | 'strictPort'>): Promise<{ bridge: Bridge; conflict: PortConflict | null }> {
  const remembered = await rememberedPort(dataDir);
  if (remembered === null) {
    const bridge = await startBridge({ ...options, port: fallback });
    await rememberPort(dataDir, bridge.port);
    return { bridge, conflict: null };
  }
  try {
    return { bridge: await startBridge({ ...options, port: remembered, strictPort: true }), conflict: null };
  } catch (err) {
    if (!inUse(err)) throw err;
    const bridge = await startBridge({ ...options, port: remembered < 65535 ? remembered + 1 : 1024 });
    return { bridge, conflict: { wanted: remembered, using: bridge.port } };
  }
}

/** The engine's bridge: on the remembered port when `remember` is set, else exactly as asked. */
export async function startEngineBridge(
  dataDir: string,
  listen: { host: string; port: number; strictPort?: boolean; remember?: boolean },
  options: Omit<BridgeOptions, 'port' | 'strictPort' | 'host'>,
): Promise<{ bridge: Bridge; conflict: PortConflict | null }> {
  if (listen.remember) return startOnStablePort(dataDir, listen.port, { ...options, host: listen.host });
  return { bridge: await startBridge({ ...options, host: listen.host, port: listen.port, ...(listen.strictPort ? { strictPort: true } : {}) }), conflict: null };
}
