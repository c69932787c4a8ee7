// The host's restart policy, with scripted engine processes: a crash restarts the engine, a
// restart that dies while starting is tried again, and after more deaths than the budget allows
// in a minute the host stops trying and says so; a deliberate stop is never taken for a crash.
import { describe, expect, it } from 'vitest';
import { hostEngine } from './host.ts';
import type { ChildHandle } from './process-engine.ts';

type Script = 'starts' | 'dies-starting';

function scriptedSpawner(script: Script[]) {
  const spawned: Array<{ die(): void }> = [];
  const spawn = (): ChildHandle => {
    const how = script[spawned.length] ?? 'starts';
    let onMessage: (m: unknown) => void = () => {};
    let onExit: (code: number | null, signal?: string | null) => void = () => {};
    let exited = false;
    const die = () => {
      if (exited) return;
      exited = true;
      onExit(null, 'SIGKILL');
    };
    spawned.push({ die });
    return {
      pid: 1000 + spawned.length,
      send: (m) => {
        if (exited) return;
        if (m.t === 'init') setTimeout(() => (how === 'starts' ? onMessage({ t: 'ready' }) : die()), 1);
        if (m.t === 'stop') setTimeout(() => onMessage({ t: 'stopped', id: m.id }), 1);
      },
      onMessage: (l) => void (onMessage = l),
      onExit: (l) => void (onExit = l),
      kill: die,
    };
  };
  return { spawn, spawned };
}

const init = () => ({ t: 'init' as const, dataDir: '/nonexistent', secretKey: null });

describe('engine host restarts', () => {
  it('restarts after a crash, retries a restart that died while starting, then gives up past the budget', async () => {
    const { spawn, spawned } = scriptedSpawner(['starts', 'dies-starting', 'dies-starting', 'dies-starting']);
    const crashes: boolean[] = [];
    const failed: boolean[] = [];
    let restarted = 0;
    const host = hostEngine({
      spawn, init, maxRestartsPerMinute: 3,
      onCrash: (_exit, restarting) => crashes.push(restarting),
      onRestartFailed: (_err, retrying) => failed.push(retrying),
      onRestarted: () => restarted++,
    });
    await host.engine.start();
    expect(spawned).toHaveLength(1);
    spawned[0]!.die();
    await new Promise((r) => setTimeout(r, 0));
    await host.restarting();
    // 1 crash + 3 failed starts = 4 deaths: the 4th is past the budget of 3.
    expect(crashes).toEqual([true]);
    expect(failed).toEqual([true, true, false]);
    expect(spawned).toHaveLength(4);
    expect(restarted).toBe(0);
    // The next call tries again (here the engine starts) and counts as the restart.
    await host.engine.start();
    expect(spawned).toHaveLength(5);
    expect(restarted).toBe(1);
    await host.engine.stop();
    expect(crashes).toHaveLength(1);
  });

  it('a stop is not a crash', async () => {
    const { spawn, spawned } = scriptedSpawner([]);
    const crashes: unknown[] = [];
    const host = hostEngine({ spawn, init, onCrash: (e) => crashes.push(e) });
    await host.engine.start();
    await host.engine.stop();
    expect(spawned).toHaveLength(1);
    expect(crashes).toEqual([]);
  });
});
