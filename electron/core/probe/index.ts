// Probing proxies end to end: see prober.ts for a round, probe-entry.ts for one server.
export { startProbe, ProbeRun } from './prober.ts';
export type { ProbeOptions, ProbeProgress, ProbeResult, TcpCheck } from './types.ts';
