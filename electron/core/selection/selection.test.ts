import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/entry.ts';
import type { ProbeResult } from '../probe/types.ts';
import { NetworkMemory } from './network-memory.ts';
import { Selection, type SelectionOptions } from './selection.ts';
import { seeded } from '../../../test/helpers/seeded.ts';

function entry(id: string, ports = [1080]): Entry {
  return { id, protocol: 'socks5', host: '127.0.0.1', ports, label: id.toUpperCase() };
}

function ok(e: Entry, latencyMs: number, port = e.ports[0]!): ProbeResult {
  return { id: e.id, entry: e, port, ok: true, connectMs: 1, handshakeMs: 1, firstRequestMs: latencyMs * 2, latencyMs, reused: true, probeUrl: 'http://x/', status: 204, error: null, at: 0 };
}

function failed(e: Entry, kind: 'timeout' | 'refused' | 'local' = 'timeout'): ProbeResult {
  return { ...ok(e, 0), ok: false, latencyMs: null, firstRequestMs: null, error: { kind, stage: 'handshake', message: `${kind} (handshake)` } };
}

function setup(entries: Entry[], options: Partial<SelectionOptions> = {}) {
  const clock = { t: 1_000_000 };
  const sel = new Selection({ clock: () => clock.t, rng: seeded(42), ...options });
  sel.setEntries(entries);
  const changes: { previous: string | null; current: string | null; reason: string }[] = [];
  sel.on('change', (c) => changes.push(c));
  return { sel, clock, changes };
}

const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((id) => entry(id)) as [Entry, Entry, Entry, Entry];

describe('Selection: automatic choice', () => {
  it('chooses the first working server, then does not flap on noisy near-equal latencies', () => {
    const { sel, clock, changes } = setup([A, B]);
    const rng = seeded(7);
    const noisy = (): number => 100 + (rng() - 0.5) * 80; // 60..140 ms
    for (let round = 0; round < 200; round++) {
      sel.recordProbe(ok(A, noisy()));
      sel.recordProbe(ok(B, noisy()));
      // A latency spike on either now and then.
      if (round % 17 === 5) sel.recordProbe(ok(round % 2 ? A : B, 900));
      clock.t += 30_000;
    }
    expect(changes).toHaveLength(1); // the first choice, and never a switch
    expect(changes[0]!.reason).toBe('first-choice');
  });

  it('switches to a clearly faster server only after the margin held for the sustain time', () => {
    const { sel, clock, changes } = setup([A, B]);
    sel.recordProbe(ok(A, 200));
    clock.t += 60_000; // past the settling time of the first round
    for (let i = 0; i < 3; i++) {
      sel.recordProbe(ok(A, 200));
      sel.recordProbe(ok(B, 60));
      clock.t += 5_000;
    }
    // B is clearly better (140 ms ≥ max(50, 30% of 200)), but only for 10 s so far.
    expect(sel.current()?.id).toBe('a');
    expect(sel.explain().challenger).toMatchObject({ id: 'b' });
    clock.t += 25_000;
    sel.recordProbe(ok(B, 60));
    expect(sel.current()?.id).toBe('b');
    expect(changes.at(-1)).toEqual({ previous: 'a', current: 'b', reason: 'better-by-margin' });
  });

  it('does not switch for a gain under the margin (30 % and 50 ms), however long it lasts', () => {
    const { sel, clock } = setup([A, B]);
    sel.recordProbe(ok(A, 120));
    clock.t += 60_000;
    for (let i = 0; i < 50; i++) {
      sel.recordProbe(ok(A, 120));
      sel.recordProbe(ok(B, 80)); // 40 ms better: under 50 ms
      clock.t += 20_000;
    }
    expect(sel.current()?.id).toBe('a');
    expect(sel.explain().text).toMatch(/not faster by the 50 ms needed/);
  });

  it('while the first round is still coming in, a clearly faster server takes over at once', () => {
    const { sel, clock, changes } = setup([A, B, C]);
    sel.recordProbe(ok(A, 800));
    clock.t += 200;
    sel.recordProbe(ok(B, 300));
    clock.t += 200;
    sel.recordProbe(ok(C, 280)); // not clearly better than B
    expect(changes.map((c) => c.current)).toEqual(['a', 'b']);
    expect(changes[1]!.reason).toBe('settling');
  });

  it('fails over at once on reportFailure, asks for a re-test, and orders candidates best first', () => {
    const { sel, changes } = setup([A, B, C]);
    sel.recordProbe(ok(A, 50));
    sel.recordProbe(ok(B, 400));
    sel.recordProbe(ok(C, 150));
    expect(sel.current()?.id).toBe('a');
    expect(sel.candidates().map((c) => c.id)).toEqual(['a', 'c', 'b']);
    const retests: string[][] = [];
    sel.on('retest', (r) => retests.push(r.ids));
    sel.reportFailure('a:1080', 'reset'); // an upstream id, as the bridge reports it
    expect(sel.current()?.id).toBe('c');
    expect(changes.at(-1)).toMatchObject({ previous: 'a', current: 'c', reason: 'current-failed' });
    expect(sel.candidates().map((c) => c.id)).toEqual(['c', 'b', 'a']);
    expect(retests).toEqual([['a']]);
    expect(sel.server('a')).toMatchObject({ status: 'failed', failure: { kind: 'reset' }, active: false });
  });

  it('ignores failures that are not the server\'s fault (local, aborted)', () => {
    const { sel } = setup([A, B]);
    sel.recordProbe(ok(A, 50));
    sel.recordProbe(failed(A, 'local'));
    sel.reportFailure('a', 'aborted');
    expect(sel.current()?.id).toBe('a');
    expect(sel.server('a')!.samples).toEqual([50]);
  });

  it('requires K consecutive successes before returning to a server that failed', () => {
    const { sel, clock, changes } = setup([A, B, C]);
    sel.recordProbe(ok(A, 50));
    sel.recordProbe(ok(B, 300));
    sel.recordProbe(ok(C, 600));
    clock.t += 60_000;
    sel.reportFailure('a', 'timeout');
    expect(sel.current()?.id).toBe('b');
    for (let i = 1; i <= 2; i++) {
      clock.t += 40_000;
      sel.recordProbe(ok(A, 50));
      expect(sel.server('a')!.status).toBe('ok');
      expect(sel.explain().alternatives.find((a) => a.id === 'a')).toMatchObject({ status: 'recovering' });
    }
    // Two successes in a row are not enough: when B fails, the slow C is used, not A.
    sel.reportFailure('b', 'reset');
    expect(sel.current()?.id).toBe('c');
    clock.t += 40_000;
    sel.recordProbe(ok(A, 50)); // the third
    expect(sel.explain().alternatives.find((a) => a.id === 'a')).toMatchObject({ status: 'ok' });
    sel.reportFailure('c', 'reset');
    expect(sel.current()?.id).toBe('a');
    expect(changes.map((c) => c.current)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('with nothing else working, a recovering server is used rather than none', () => {
    const { sel } = setup([A, B]);
    sel.recordProbe(ok(A, 50));
    sel.recordProbe(failed(A));
    sel.recordProbe(failed(B));
    expect(sel.current()).toBeNull();
    expect(sel.explain().reason).toBe('no-working');
    sel.recordProbe(ok(A, 60));
    expect(sel.current()?.id).toBe('a');
  });

  it('spreads users over near-equal servers, never onto a clearly slower one', () => {
    const E = entry('e');
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, d: 0 };
    for (let user = 0; user < 300; user++) {
      const sel = new Selection({ clock: () => 0, rng: seeded(1000 + user) });
      sel.setEntries([A, B, C, D, E]);
      sel.recordProbe(ok(E, 50));
      for (const [e, ms] of [[A, 100], [B, 105], [C, 112], [D, 400]] as const) sel.recordProbe(ok(e, ms));
      expect(sel.current()?.id).toBe('e');
      // The choice that matters: where the users of a failed server go.
      sel.reportFailure('e', 'reset');
      counts[sel.current()!.id]!++;
    }
    expect(counts.d).toBe(0);
    for (const id of ['a', 'b', 'c']) expect(counts[id]!).toBeGreaterThan(300 * 0.2);
  });

  it('with an RNG that always says 0, everyone lands on the same server (the RNG really decides)', () => {
    const picks = new Set<string>();
    for (let user = 0; user < 20; user++) {
      const sel = new Selection({ clock: () => 0, rng: () => 0 });
      sel.setEntries([A, B, C]);
      sel.recordProbe(ok(C, 50));
      sel.recordProbe(ok(A, 100));
      sel.recordProbe(ok(B, 101));
      sel.reportFailure('c', 'reset');
      picks.add(sel.current()!.id);
    }
    expect(picks.size).toBe(1);
  });
});

describe('Selection: the set the catalog publishes', () => {
  it('keeps only servers the bridge carries: MTProto and not-yet-spoken entries are never chosen, probed in order or picked', () => {
    const tg: Entry = { id: 'tg', protocol: 'mtproto', host: '127.0.0.1', ports: [443], secret: '0123456789abcdef0123456789abcdef' };
    const later: Entry = { id: 'later', protocol: 'unsupported', host: '127.0.0.1', ports: [443] };
    const { sel } = setup([tg, A, later, B]);
    expect(sel.probeOrder().map((e) => e.id)).toEqual(['a', 'b']);
    sel.recordProbe(ok(tg, 5));
    sel.recordProbe(ok(B, 80));
    expect(sel.current()?.id).toBe('b');
    expect(sel.candidates().map((c) => c.id)).toEqual(['b', 'a']);
    expect(sel.server('tg')).toBeNull();
    expect(() => sel.pick('tg')).toThrow('unknown server tg');
  });
});

describe('Selection: manual override', () => {
  it('pin overrides auto-selection until released, and comes back when it works again', () => {
    const { sel, changes } = setup([A, B, C]);
    sel.recordProbe(ok(A, 50));
    sel.recordProbe(ok(C, 500));
    sel.pin('c');
    expect(sel.current()?.id).toBe('c');
    expect(sel.explain()).toMatchObject({ mode: 'pinned', reason: 'pinned', pinned: 'c' });
    for (let i = 0; i < 10; i++) sel.recordProbe(ok(A, 40));
    expect(sel.current()?.id).toBe('c');
    sel.recordProbe(failed(C));
    expect(sel.current()?.id).toBe('a');
    expect(sel.explain().reason).toBe('pinned-failing');
    expect(sel.explain().text).toMatch(/pinned server does not work/);
    sel.recordProbe(ok(C, 500));
    expect(sel.current()?.id).toBe('c');
    sel.unpin();
    expect(sel.pinned).toBeNull();
    expect(sel.explain().mode).toBe('auto');
    // C has just one success since its failure: automatic selection goes back to the proven A.
    expect(sel.current()?.id).toBe('a');
    expect(changes.map((c) => c.reason)).toEqual(['first-choice', 'pinned', 'pinned-failing', 'pinned', 'current-failed']);
  });

  it('pick is a one-time choice: it holds until the server fails', () => {
    const { sel } = setup([A, B, C]);
    sel.recordProbe(ok(A, 50));
    sel.recordProbe(ok(B, 300));
    sel.pick('b');
    expect(sel.current()?.id).toBe('b');
    expect(sel.explain()).toMatchObject({ mode: 'picked', picked: 'b' });
    for (let i = 0; i < 5; i++) sel.recordProbe(ok(A, 40));
    expect(sel.current()?.id).toBe('b');
    sel.reportFailure('b', 'reset');
    expect(sel.picked).toBeNull();
    expect(sel.current()?.id).toBe('a');
    expect(() => sel.pick('nope')).toThrow(/unknown server/);
  });
});

describe('Selection: counts without looking at each server', () => {
  it('counts().working is the number of servers whose stats say ok (ok, recovering, degraded), as time passes', () => {
    const E = entry('e');
    const { sel, clock } = setup([A, B, C, D, E]);
    const byStats = (): number => ['a', 'b', 'c', 'd', 'e'].filter((id) => sel.server(id)?.status === 'ok').length;
    expect(sel.counts().working).toBe(0);
    sel.recordProbe(ok(A, 50));
    sel.recordProbe(failed(B));
    sel.recordProbe(failed(C));
    sel.recordProbe(ok(C, 70)); // works again: recovering
    sel.recordProbe({ ...failed(D, 'timeout'), degraded: true }); // answers, but the probe URLs failed
    expect(sel.server('c')?.status).toBe('ok');
    expect(sel.counts().working).toBe(byStats());
    expect(sel.counts().working).toBe(3);
    clock.t += 3_600_000; // every sample out of its window
    expect(sel.counts().working).toBe(byStats());
  });
});

describe('Selection: network memory', () => {
  it('remembers what worked on a network and tries it first there next time, not elsewhere', () => {
    const memory = new NetworkMemory();
    const first = setup([A, B, C], { memory, network: 'home-fingerprint-000000' });
    first.sel.recordProbe(ok(C, 80, 1080));
    first.sel.recordProbe(ok(C, 80));
    expect(memory.preferred('home-fingerprint-000000')).toEqual([{ id: 'c', port: 1080 }]);

    const again = setup([A, B, C], { memory: new NetworkMemory(memory.toJSON()), network: 'home-fingerprint-000000' });
    expect(again.sel.current()).toBeNull(); // nothing tested in this session yet
    expect(again.sel.candidates()[0]?.id).toBe('c');
    expect(again.sel.probeOrder()[0]?.id).toBe('c');
    expect(again.sel.counts().remembered).toBe(1); // the head start of the probe round
    expect(again.sel.explain().network).toEqual({ known: true, remembered: 1 });
    // A remembered server no longer listed gets no head start.
    expect(setup([A, B], { memory, network: 'home-fingerprint-000000' }).sel.counts().remembered).toBe(0);

    const elsewhere = setup([A, B, C], { memory, network: 'cafe-fingerprint-000000' });
    expect(elsewhere.sel.candidates().map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(elsewhere.sel.counts().remembered).toBe(0);
    // Memory loaded later, and the network found later, as the engine does at start-up.
    const late = setup([A, B, C]);
    late.sel.setMemory(memory);
    late.sel.setNetwork('home-fingerprint-000000');
    expect(late.sel.probeOrder().map((e) => e.id)).toEqual(['c', 'a', 'b']);
  });

  it('candidates use the port that won the race', () => {
    const multi = entry('m', [8080, 443, 1080]);
    const { sel } = setup([multi]);
    sel.recordProbe(ok(multi, 90, 443));
    expect(sel.candidates()).toEqual([{ id: 'm', entry: multi, port: 443 }]);
  });
});

describe('Selection: explain', () => {
  it('says why, in words and in fields', () => {
    const { sel } = setup([A, B]);
    expect(sel.explain()).toMatchObject({ reason: 'none', current: null });
    sel.recordProbe(ok(A, 120));
    sel.recordProbe(ok(B, 130));
    const e = sel.explain();
    expect(e.current).toMatchObject({ id: 'a', label: 'A', medianMs: 120, successRatio: 1, samples: 1, status: 'ok' });
    expect(e.alternatives.map((a) => a.id)).toEqual(['b']);
    expect(e.text).toMatch(/^Using A \(median 120 ms, 100% success over 1 sample\)/);
  });
});

describe('Selection: bridge reports', () => {
  it('a burst of failures is one sample; untimed successes do not crowd out the probe latencies', () => {
    const { sel, clock } = setup([A, B]);
    sel.recordProbe(ok(A, 80));
    sel.recordProbe(ok(B, 300));
    const retests: string[][] = [];
    sel.on('retest', (r) => retests.push(r.ids));
    clock.t += 60_000;
    for (let i = 0; i < 20; i++) sel.reportFailure('a', 'reset');
    expect(sel.server('a')!.samples).toEqual([80, null]);
    expect(retests).toEqual([['a']]);
    clock.t += 5_000;
    sel.recordProbe(ok(A, 80));
    // 200 s of busy use: about 20 untimed successes, more than the 8-sample window.
    for (let i = 0; i < 2000; i++) {
      clock.t += 100;
      sel.reportSuccess('b:1080');
    }
    const b = sel.server('b')!;
    expect(b.samples).toEqual([300]);
    expect(b.latencyMs).toBe(300);
    expect(b.successRate).toBe(1);
  });
});
