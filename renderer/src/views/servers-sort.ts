// Sorting of the servers table. Servers without a value (never tested) always sort last.
import type { Server } from '../../../shared/api.ts';

export const SORT_KEYS = ['label', 'protocol', 'country', 'latency', 'success', 'lastTested', 'publisher'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

function value(s: Server, key: SortKey): string | number | null {
  switch (key) {
    case 'label': return s.label.toLowerCase();
    case 'protocol': return s.protocol;
    case 'country': return s.country ?? null;
    case 'latency': return s.status === 'failed' ? null : s.latencyMs;
    case 'success': return s.successRate;
    case 'lastTested': return s.lastTested ? Date.parse(s.lastTested) : null;
    case 'publisher': return s.publisher;
  }
}

export function sortServers(servers: readonly Server[], sort: Sort): Server[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...servers].sort((a, b) => {
    const va = value(a, sort.key);
    const vb = value(b, sort.key);
    if (va === null && vb === null) return a.label.localeCompare(b.label);
    if (va === null) return 1;
    if (vb === null) return -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c === 0 ? a.label.localeCompare(b.label) : sign * c;
  });
}

/** Clicking a column: first its natural direction, then the other. */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'success' || key === 'lastTested' ? 'desc' : 'asc' };
}
