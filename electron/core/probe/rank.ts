// Orders one probe round's results: working servers by latency, then failures, the most telling first.
import { failureRank } from './classify.ts';
import type { ProbeResult } from './types.ts';

function byId(a: ProbeResult, b: ProbeResult): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function rankResults(results: readonly ProbeResult[]): ProbeResult[] {
  return [...results].sort((a, b) => {
    if (a.ok !== b.ok) return a.ok ? -1 : 1;
    if (a.ok && b.ok) return (a.latencyMs ?? Infinity) - (b.latencyMs ?? Infinity) || (a.firstRequestMs ?? 0) - (b.firstRequestMs ?? 0) || byId(a, b);
    const ka = a.error ? failureRank(a.error.kind) : -1;
    const kb = b.error ? failureRank(b.error.kind) : -1;
    return kb - ka || byId(a, b);
  });
}
