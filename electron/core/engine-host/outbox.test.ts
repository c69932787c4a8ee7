// The engine process's outbox: one batch per turn of the event loop, in order; of the Api events
// that only set a value, the latest of a batch is sent and the earlier ones dropped; log lines,
// `up` events and replies are all sent.
import { describe, expect, it } from 'vitest';
import { createOutbox } from './outbox.ts';
import { MAX_BATCH, type FromEngine, type FromEngineBatch } from './protocol.ts';

function harness() {
  const posted: Array<FromEngine | FromEngineBatch> = [];
  const turns: Array<() => void> = [];
  const out = createOutbox((m) => void posted.push(m), (run) => void turns.push(run));
  const turn = () => turns.splice(0).forEach((run) => run());
  return { out, posted, turn, turns };
}

const server = (id: string, latencyMs: number) => ({ t: 'event', event: { type: 'server', server: { id, latencyMs } } }) as FromEngine;
const progress = (tested: number) => ({ t: 'event', event: { type: 'progress', progress: { tested, total: 3, running: tested < 3 } } }) as FromEngine;
const up = (tested: number): FromEngine => ({ t: 'up', event: { event: 'progress', tested, total: 3, server: `s${tested}`, ok: false, latencyMs: null, error: 'refused' } });
const log = (message: string) => ({ t: 'event', event: { type: 'log', entry: { at: '2026-01-01T00:00:00.000Z', level: 'debug', message } } }) as FromEngine;

describe('the engine process outbox', () => {
  it('sends nothing until the turn ends, then one batch in order with only the latest value events', () => {
    const h = harness();
    h.out.send(up(1));
    h.out.send(progress(1));
    h.out.send(server('a', 5));
    h.out.send(log('a refused'));
    h.out.send(up(2));
    h.out.send(progress(2));
    h.out.send(server('b', 7));
    h.out.send(server('a', 6));
    h.out.send({ t: 'reply', id: 3, reply: { ok: true, result: 1 } });
    expect(h.posted).toEqual([]);
    expect(h.turns).toHaveLength(1);
    h.turn();
    expect(h.posted).toEqual([{
      t: 'batch',
      messages: [up(1), log('a refused'), up(2), progress(2), server('b', 7), server('a', 6), { t: 'reply', id: 3, reply: { ok: true, result: 1 } }],
    }]);
  });

  it('a lone message goes as it is, and the next turn starts a new batch', () => {
    const h = harness();
    h.out.send({ t: 'ready' });
    h.turn();
    h.out.send(progress(1));
    h.out.send(progress(2));
    h.turn();
    expect(h.posted).toEqual([{ t: 'ready' }, progress(2)]);
  });

  it('flush sends at once (before the process exits), and very long turns are split into batches of at most MAX_BATCH', () => {
    const h = harness();
    for (let i = 0; i < MAX_BATCH + 10; i++) h.out.send(up(i));
    h.out.flush();
    expect(h.posted.map((m) => (m.t === 'batch' ? m.messages.length : 1))).toEqual([MAX_BATCH, 10]);
    h.turn(); // the scheduled flush finds nothing left
    expect(h.posted).toHaveLength(2);
  });
});
