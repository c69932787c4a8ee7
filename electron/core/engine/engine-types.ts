// The engine's options, state snapshot and events (engine.ts), in a file of their own.
import type { FailureCode } from '../../../shared/failures.ts';
import type { ChannelSettings } from '../channels/index.ts';
import type { ChannelReport } from '../catalog/refresh.ts';
import type { RootChain } from '../lists/roots.ts';
import type { ProbeOptions, ProbeResult } from '../probe/types.ts';
import type { PortConflict } from './bridge-port.ts';
import type { CatalogServer } from '../catalog/catalog.ts';
import type { SearchDriverOptions } from './search-driver.ts';

export interface EngineOptions {
  dataDir: string;
  /** `remember`: keep the first port got in the data dir and use it again (see bridge-port.ts). */
  listen?: { host: string; port: number; strictPort?: boolean; remember?: boolean };
  /** Channels given on the command line, fetched with the ones the lists name. */
  channels?: string[];
  channelSettings?: Partial<ChannelSettings>;
  probe?: ProbeOptions;
  /** Trusted publishers to use instead of build/bootstrap (tests, demo). */
  pinned?: RootChain[];
  /** Skip the embedded bootstrap list (tests). */
  skipBootstrap?: boolean;
  refreshDeadlineMs?: number;
  /** Background refresh period; it backs off while channels fail (default 30 min). */
  refreshEveryMs?: number;
  /** Re-probe period for all servers (default 5 min). */
  reprobeEveryMs?: number;
  share?: boolean | { username?: string; password?: string };
  /** The never-ending search's timing (tests shorten it). */
  search?: SearchDriverOptions;
}

export type Phase = 'idle' | 'searching' | 'connected' | 'offline';

export interface EngineState {
  phase: Phase;
  tested: number;
  total: number;
  probing: boolean;
  current: CatalogServer | null;
  currentLatencyMs: number | null;
  reason: string;
  bridge: { host: string; port: number } | null;
  refreshing: boolean;
  since: string;
  /** While nothing works: when the search tries again (ms since epoch), or null. */
  retryAt: number | null;
  /** The remembered bridge port is held by another program; the bridge uses another for now. */
  portConflict: PortConflict | null;
}

export interface EngineEvents {
  progress: [{ tested: number; total: number; result: ProbeResult }];
  ready: [{ socks: string; http: string; server: CatalogServer; port: number; latencyMs: number | null }];
  switch: [{ from: string | null; to: string | null; reason: string }];
  failure: [{ server: string; kind: FailureCode; message: string }];
  state: [EngineState];
  servers: [CatalogServer[]];
  sources: [ChannelReport[]];
  log: [{ level: 'debug' | 'info' | 'warn' | 'error'; message: string }];
}
