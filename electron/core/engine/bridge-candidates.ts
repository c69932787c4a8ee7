// The upstreams the bridge tries for each new connection, best known first (the current server
// first): working servers, then degraded ones, then the rest. With nothing working, new connections
// still try them in that order instead of failing at once.
import { upstreamFor } from '../bridge/upstreams/index.ts';
import type { Upstream } from '../bridge/upstreams/types.ts';
import type { Candidate } from '../selection/selection.ts';

export function bridgeCandidates(candidates: readonly Candidate[], max: number): Upstream[] {
  const list: Upstream[] = [];
  for (const c of candidates) {
    if (list.length >= max) break;
    try {
      list.push(upstreamFor(c.entry, c.port));
    } catch {
      // a server the bridge cannot carry (e.g. a kind that is only probed): skipped
    }
  }
  return list;
}
