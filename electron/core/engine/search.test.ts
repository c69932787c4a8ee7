// The never-ending search: backoff from seconds to about a minute, what is due when, the channel
// rhythm while nothing works, and a new search when the network changes.
import { describe, expect, it } from 'vitest';
import { backoffDelay, RetrySchedule } from './search.ts';
import { SearchDriver, type SearchHost } from './search-driver.ts';

const mid = (): number => 0.5; // no jitter

describe('backoff', () => {
  it('starts within seconds and settles at about a minute', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 10, 50].map((n) => backoffDelay(n, undefined, mid));
    expect(delays).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
    // Jitter stays within ±20 %.
    expect(backoffDelay(1, undefined, () => 0)).toBe(1600);
    expect(backoffDelay(9, undefined, () => 0.999999)).toBeLessThanOrEqual(72_000);
  });

  it('a retry schedule gives what is due, soonest first; a pass clears; restart makes all due', () => {
    const s = new RetrySchedule({}, mid);
    s.note('a', false, 0);
    s.note('b', false, 0);
    s.note('b', false, 2000); // b failed twice: next after 4 s
    expect(s.due(1999)).toEqual([]);
    expect(s.due(2000)).toEqual(['a']);
    expect(s.due(6000)).toEqual(['a', 'b']);
    s.note('a', true, 6000);
    expect(s.due(100_000)).toEqual(['b']);
    expect(s.nextAt()).toBe(6000);
    s.note('b', false, 6000);
    s.restart(7000);
    expect(s.due(7000)).toEqual(['b']);
  });
});

function fakeHost(): SearchHost & { probes: string[][]; fetches: number; again: string[]; isConnected: boolean } {
  const h = {
    probes: [] as string[][],
    fetches: 0,
    again: [] as string[],
    isConnected: false,
    connected: () => h.isConnected,
    busy: () => false,
    probe: (ids: readonly string[]) => {
      h.probes.push([...ids]);
      return Promise.resolve();
    },
    order: () => ['c', 'b', 'a'],
    refreshChannels: () => {
      h.fetches++;
      return Promise.resolve();
    },
    searchAgain: (why: string) => {
      h.again.push(why);
    },
  };
  return h;
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('SearchDriver', () => {
  it('re-tests failed servers in the probe order once their backoff is over, and re-fetches channels while offline', async () => {
    const clock = { t: 0 };
    const host = fakeHost();
    const d = new SearchDriver(host, { now: () => clock.t, networkSignature: () => 'net-1', backoff: { jitter: 0 } });
    d.note('a', false);
    d.note('b', false);
    d.note('c', true);
    d.tick();
    expect(host.probes).toEqual([]);
    clock.t = 2000;
    d.tick();
    await flush();
    expect(host.probes).toEqual([['b', 'a']]); // the order the host gives (remembered first)
    expect(host.fetches).toBe(1); // channels: first re-fetch after 2 s
    expect(d.nextAttemptAt()).toBe(2000); // a and b are due again once noted
    d.note('a', false);
    d.note('b', false);
    clock.t = 5000;
    d.tick();
    await flush();
    expect(host.probes).toHaveLength(1); // next after 4 s
    expect(host.fetches).toBe(1);
    clock.t = 6000;
    d.tick();
    await flush();
    expect(host.probes).toHaveLength(2);
    expect(host.fetches).toBe(2); // channels: 2 s, then 4 s later
  });

  it('stops re-fetching channels once something works, but keeps re-testing failed servers', async () => {
    const clock = { t: 0 };
    const host = fakeHost();
    const d = new SearchDriver(host, { now: () => clock.t, networkSignature: () => 'net-1', backoff: { jitter: 0 } });
    host.isConnected = true;
    d.note('a', false);
    for (let i = 0; i < 10; i++) {
      d.note('a', false);
      clock.t += 60_000;
      d.tick();
      await flush();
    }
    expect(host.fetches).toBe(0);
    expect(host.probes.length).toBe(10); // each within a minute of the last failure
    expect(d.nextAttemptAt()).toBeNull();
  });

  it('a network change starts a new search, at most once per quiet time', () => {
    let sig = 'eth0/10.0.0.2';
    const clock = { t: 0 };
    const host = fakeHost();
    const d = new SearchDriver(host, { now: () => clock.t, networkSignature: () => sig, networkCheckMs: 5000, networkQuietMs: 30_000 });
    d.start();
    clock.t = 5000;
    d.tick();
    expect(host.again).toEqual([]);
    sig = 'eth0/10.0.0.2,wlan0/192.168.1.5';
    clock.t = 6000;
    d.tick();
    expect(host.again).toEqual([]); // read every 5 s only
    clock.t = 10_000;
    d.tick();
    expect(host.again).toEqual(['the network changed']);
    sig = 'wlan0/192.168.1.5';
    clock.t = 20_000;
    d.tick();
    expect(host.again).toHaveLength(1); // flapping virtual interfaces: not again within 30 s
    sig = 'wlan0/192.168.1.6';
    clock.t = 45_000;
    d.tick();
    expect(host.again).toHaveLength(2);
    d.stop();
  });
});
