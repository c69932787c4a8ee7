// The engine process started early (`up --ui` forks it before loading the rest of its code), with
// real forked processes: the first spawn hands out that process and later ones (restarts) fork new
// ones; one that nobody took is killed on release; a process that ended before anyone listened for
// its end still reports it (else the host would wait for a start that never comes).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { earlySpawner, forkSpawner } from './fork-spawner.ts';
import type { ChildHandle } from './process-engine.ts';

const dir = mkdtempSync(join(tmpdir(), 'porthole-fork-spawner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A child that answers each message with its pid and stays until killed (or exits at once). */
function script(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}
const waiting = script('waits.mjs', "process.on('message', () => process.send({ pid: process.pid })); setInterval(() => {}, 1000);\n");
const quitting = script('quits.mjs', 'process.exit(3);\n');

const exited = (child: ChildHandle): Promise<[number | null, string | null | undefined]> => new Promise((resolve) => child.onExit((code, signal) => resolve([code, signal])));
const alive = (pid: number | undefined): boolean => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the early engine process', () => {
  it('the first spawn takes the process started early, which answers; later spawns fork new ones', async () => {
    const early = earlySpawner(forkSpawner({ entry: waiting, stdio: 'ignore' }));
    const first = early.spawn();
    const answered = new Promise((resolve) => first.onMessage(resolve));
    first.send({ t: 'stop', id: 1 });
    expect(await answered).toEqual({ pid: first.pid });
    const second = early.spawn();
    expect(second.pid).not.toBe(first.pid);
    early.release(); // both were taken: nothing to kill
    expect(alive(first.pid) && alive(second.pid)).toBe(true);
    for (const child of [first, second]) {
      const ended = exited(child);
      child.kill();
      expect(await ended).toEqual([null, 'SIGKILL']);
    }
  });

  it('release kills the early process when nothing took it', async () => {
    let spawned: ChildHandle | null = null;
    const fork = forkSpawner({ entry: waiting, stdio: 'ignore' });
    const early = earlySpawner(() => (spawned = fork()));
    const ended = exited(spawned!);
    early.release();
    expect(await ended).toEqual([null, 'SIGKILL']);
    expect(alive(spawned!.pid)).toBe(false);
  });

  it('an end that came before anyone listened is still told', async () => {
    const child = forkSpawner({ entry: quitting, stdio: 'ignore' })();
    await exited(child); // ended…
    expect(await exited(child)).toEqual([3, null]); // …and a listener added afterwards hears it too
  });
});
