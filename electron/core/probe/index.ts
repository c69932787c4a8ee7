// Probing proxies end to end: see prober.ts for a round, probe-entry.ts for one server.
export { startProbe, probeOne, ProbeRun, DEFAULT_TIMEOUTS } from './prober.ts';
export { probeEntry } from './probe-entry.ts';
export type { EntryProbeContext } from './probe-entry.ts';
export { DEFAULT_PROBE_URLS, parseProbeUrl, probeUrlsFor } from './probe-url.ts';
export type { ProbeTarget } from './probe-url.ts';
export { AdaptiveLimit, DEFAULT_CONCURRENCY } from './concurrency.ts';
export { describeFailure, failureKind } from './classify.ts';
export { sampleThroughput } from './throughput.ts';
export { tcpCheck } from './tcp-check.ts';
export type {
  ConcurrencyOptions, ProbeFailure, ProbeFailureKind, ProbeOptions, ProbeProgress, ProbeResult, ProbeStage,
  StageTimeouts, TcpCheck, ThroughputOptions, UpstreamFactory,
} from './types.ts';
