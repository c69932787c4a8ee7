// The core engine behind the Api: callers that arrive together share one opening of the data dir,
// nothing runs before Connect (an 'unavailable' error says so), and after stop() a new engine is
// made. Real core engines on temporary data dirs.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../engine.ts';
import { CoreSlot } from './core-slot.ts';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function slot(): Promise<{ slot: CoreSlot; made: Engine[]; opens: { n: number } }> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-core-slot-'));
  dirs.push(dir);
  const made: Engine[] = [];
  const opens = { n: 0 };
  const s = new CoreSlot(() => {
    const core = new Engine({ dataDir: join(dir, `data-${made.length}`), listen: { host: '127.0.0.1', port: 0 }, pinned: [], skipBootstrap: true });
    const open = core.open.bind(core);
    core.open = () => {
      opens.n++;
      return open();
    };
    made.push(core);
    return core;
  });
  return { slot: s, made, opens };
}

describe('the core engine slot', () => {
  it('opens one engine for callers that arrive together, and keeps it while disconnected', async () => {
    const { slot: s, made, opens } = await slot();
    expect(s.current).toBeNull();
    const [a, b] = await Promise.all([s.open(), s.open()]);
    expect(a).toBe(b);
    expect(made).toHaveLength(1);
    expect(opens.n).toBe(1);
    expect(s.current).toBe(a);
    expect(await s.open()).toBe(a);
    expect(opens.n).toBe(1);
    expect(s.running).toBeNull();
  });

  it('nothing runs before Connect: requireRunning says so with an unavailable error', async () => {
    const { slot: s } = await slot();
    await s.open();
    let thrown: unknown;
    try {
      s.requireRunning();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ code: 'unavailable', message: 'not connected: press Connect first' });
  });

  it('runs once started, and after stop() the next open() makes a new engine', async () => {
    const { slot: s, made } = await slot();
    const core = await s.open();
    await core.start();
    try {
      expect(s.running).toBe(core);
      expect(s.requireRunning()).toBe(core);
    } finally {
      await s.stop();
    }
    expect(s.current).toBeNull();
    expect(s.running).toBeNull();
    const next = await s.open();
    expect(next).not.toBe(core);
    expect(made).toHaveLength(2);
  });
});
