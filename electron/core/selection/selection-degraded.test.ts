// Degraded servers (the proxy answers, the probe URLs do not) and real traffic teaching selection.
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../shared/entry.ts';
import type { ProbeResult } from '../probe/types.ts';
import { Selection } from './selection.ts';

function entry(id: string, ports = [1080]): Entry {
  return { id, protocol: 'socks5', host: '127.0.0.1', ports, label: id.toUpperCase() };
}

function ok(e: Entry, latencyMs: number): ProbeResult {
  return { id: e.id, entry: e, port: e.ports[0]!, ok: true, connectMs: 1, handshakeMs: 1, firstRequestMs: latencyMs, latencyMs, reused: true, probeUrl: 'http://x/', status: 204, error: null, at: 0 };
}

function degraded(e: Entry, port = e.ports[0]!): ProbeResult {
  return { ...ok(e, 0), port, ok: false, latencyMs: null, firstRequestMs: null, status: null, degraded: true, error: { kind: 'blocked', stage: 'request', message: 'proxy works, but the probe URL is blocked (request)' } };
}

function dead(e: Entry): ProbeResult {
  return { ...ok(e, 0), ok: false, latencyMs: null, firstRequestMs: null, error: { kind: 'timeout', stage: 'connect', message: 'timed out (connect)' } };
}

function setup(entries: Entry[]) {
  const clock = { t: 1_000_000 };
  const sel = new Selection({ clock: () => clock.t, rng: () => 0 });
  sel.setEntries(entries);
  const changes: { previous: string | null; current: string | null; reason: string }[] = [];
  sel.on('change', (c) => changes.push(c));
  return { sel, clock, changes };
}

const [A, B, C] = ['a', 'b', 'c'].map((id) => entry(id)) as [Entry, Entry, Entry];

describe('Selection: degraded servers', () => {
  it('uses a degraded server when nothing better exists, and says why', () => {
    const { sel, changes } = setup([A, B]);
    sel.recordProbe(dead(A));
    sel.recordProbe(degraded(B));
    expect(sel.current()?.id).toBe('b');
    expect(changes.at(-1)).toMatchObject({ current: 'b', reason: 'degraded' });
    const why = sel.explain();
    expect(why.current?.status).toBe('degraded');
    expect(why.text).toMatch(/answers but could not fetch the test addresses/);
    expect(sel.server('b')).toMatchObject({ status: 'ok', degraded: true, failure: { kind: 'blocked' } });
    // Candidates: the degraded one first, then the dead one (still tried: nothing else is left).
    expect(sel.candidates().map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('ranks degraded below fully working servers: a working one takes over at once', () => {
    const { sel, changes } = setup([A, B]);
    sel.recordProbe(degraded(A));
    expect(sel.current()?.id).toBe('a');
    sel.recordProbe(ok(B, 300));
    expect(sel.current()?.id).toBe('b');
    expect(changes.map((c) => c.current)).toEqual(['a', 'b']);
    expect(sel.candidates().map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('is promoted by real traffic (a bridge success), and a later degraded probe does not demote it', () => {
    const { sel, clock } = setup([A, B]);
    sel.recordProbe(degraded(A));
    sel.recordProbe(dead(B));
    expect(sel.explain().current?.status).toBe('degraded');
    clock.t += 1000;
    sel.reportSuccess('a:1080');
    expect(sel.explain().current?.status).toBe('ok');
    expect(sel.explain().text).toMatch(/real traffic through it works/);
    clock.t += 60_000;
    sel.recordProbe(degraded(A));
    expect(sel.explain().current).toMatchObject({ id: 'a', status: 'ok' });
    expect(sel.server('a')?.degraded).toBe(false);
  });

  it('a real-traffic failure after promotion makes it failing, and a fully working server wins', () => {
    const { sel, clock } = setup([A, C]);
    sel.recordProbe(degraded(A));
    sel.reportSuccess('a');
    clock.t += 2000;
    sel.reportFailure('a:1080', 'reset');
    expect(sel.current()).toBeNull();
    sel.recordProbe(ok(C, 100));
    expect(sel.current()?.id).toBe('c');
  });

  it('remembers the port whose handshake worked for a degraded server', () => {
    const multi = entry('m', [1080, 8443]);
    const { sel } = setup([multi]);
    sel.recordProbe(degraded(multi, 8443));
    expect(sel.candidates()).toEqual([{ id: 'm', entry: multi, port: 8443 }]);
  });
});
