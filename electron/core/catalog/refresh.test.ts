// One refresh round to its end (what `porthole fetch` runs): every channel at once under one
// deadline, reports in the order the channels were given, the same bytes from two channels
// verified once, the byte cap passed to each channel, and bad specs named once each.
import { describe, expect, it } from 'vitest';
import type { Channel, ChannelFetchResult } from '../channels/index.ts';
import { freshClient, makeList, makePublisher } from '../../../test/helpers/publishers.ts';
import { channelsOf, refreshOnce } from './refresh.ts';

function fake(spec: string, ms: number, blobs: Uint8Array[] = [], caps: number[] = []): Channel {
  return {
    spec,
    fetch: ({ signal, maxBytes }) => new Promise<ChannelFetchResult>((resolve) => {
      caps.push(maxBytes);
      const out = (status: ChannelFetchResult['status'], sent: Uint8Array[]): void => resolve({ channel: spec, status, blobs: sent, fetchedAt: new Date().toISOString(), elapsedMs: ms });
      const t = setTimeout(() => out('ok', blobs), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        out('timeout', []);
      });
    }),
  };
}

describe('refreshOnce', () => {
  it('runs every channel at once under one deadline, keeps their order and verifies the same bytes once', async () => {
    const p = makePublisher();
    const stores = await freshClient([p.chain]);
    const list = makeList(p, { version: 1 });
    const caps: number[] = [];
    const t0 = Date.now();
    const rounds = await refreshOnce(stores, [fake('a', 150, [list], caps), fake('b', 50, [list], caps), fake('c', 60_000, [], caps)], { timeoutMs: 3_000, maxBytes: 4096 });
    expect(Date.now() - t0).toBeLessThan(30_000); // the 3 s deadline, not c's 60 s
    expect(rounds.map((r) => [r.fetched.channel, r.fetched.status, r.candidates, r.outcomes.map((o) => o.status)])).toEqual([
      ['a', 'ok', 1, ['added']],
      ['b', 'ok', 1, ['added']], // b answered first: its list was added, and a's copy is that same outcome
      ['c', 'timeout', 0, []],
    ]);
    expect(rounds[0]!.outcomes[0]).toBe(rounds[1]!.outcomes[0]);
    expect(caps).toEqual([4096, 4096, 4096]);
    expect(stores.state.highestVersion(p.chain.publisher)).toBe(1);
  });

  it('names each channel spec it cannot read, and keeps the first of two that are the same', () => {
    const bad: string[] = [];
    const channels = channelsOf(['https://a.example/l', 'ftp://x', 'https://a.example/l', 'file:/tmp/l'], {}, (spec) => bad.push(spec));
    expect(channels.map((c) => c.spec)).toEqual(['https://a.example/l', 'file:/tmp/l']);
    expect(bad).toEqual(['ftp://x']);
  });
});
