// The engine off the UI thread, for real: the engine host runs electron/core's ApiService in a
// forked Node child (the path Electron's utilityProcess takes in the app), serves the Api over
// messages, restarts it after a crash and restores the system proxy the dead engine left on
// (real gsettings/dconf on a private D-Bus).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../../shared/api.ts';
import type { ApiEvent } from '../../../shared/api.ts';
import { dispatch } from '../../../shared/api-dispatch.ts';
import { forkSpawner } from '../../../electron/core/engine-host/fork-spawner.ts';
import { hostEngine } from '../../../electron/core/engine-host/host.ts';
import type { EngineExit } from '../../../electron/core/engine-host/process-engine.ts';
import { startGnomeSession } from './gnome-session.ts';
import type { GnomeSession } from './gnome-session.ts';

const quiet = { skipBootstrap: true, channels: [], listen: { host: '127.0.0.1', port: 0 } };
const dataDir = () => mkdtempSync(join(tmpdir(), 'porthole-host-'));
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const until = async (what: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

let gnome: GnomeSession;
beforeAll(async () => { gnome = await startGnomeSession(); });
afterAll(async () => { await gnome?.close(); });

describe('engine host (forked child)', () => {
  it('runs the engine in another process; the first calls answer valid data; events arrive; stop ends the process', async () => {
    const host = hostEngine({ spawn: forkSpawner({ env: gnome.env }), init: () => ({ t: 'init', dataDir: dataDir(), secretKey: null, options: quiet }) });
    const events: ApiEvent[] = [];
    host.engine.subscribe((e) => events.push(e));
    const [settings, state] = await Promise.all([dispatch(host.engine, 'getSettings', {}), dispatch(host.engine, 'getState', {})]);
    expect(settings.ok && API_METHODS.getSettings.response.parse(settings.result).port).toBe(1080);
    expect(state.ok && API_METHODS.getState.response.parse(state.result).phase).toBe('idle');
    const pid = host.pid()!;
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect(await host.engine.setSettings({ language: 'kk' })).toMatchObject({ language: 'kk' });
    await until(() => events.some((e) => e.type === 'settings'));
    // Bad requests are refused by the contract on both sides, with the field named.
    expect(await dispatch(host.engine, 'pick', { id: 42 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    await host.engine.stop();
    await until(() => !alive(pid));
  }, 60_000);

  it('a crashed engine is reported and restarted, and the system proxy it left on is restored', async () => {
    const crashes: EngineExit[] = [];
    const dir = dataDir();
    const host = hostEngine({
      spawn: forkSpawner({ env: gnome.env }), init: () => ({ t: 'init', dataDir: dir, secretKey: null, options: quiet }),
      onCrash: (e) => crashes.push(e),
    });
    const events: ApiEvent[] = [];
    host.engine.subscribe((e) => events.push(e));
    const connected = await host.engine.connect({});
    expect(connected.bridge).not.toBeNull();
    await host.engine.setSettings({ systemProxy: true });
    expect(gnome.proxy().mode).toBe("'auto'");
    expect(gnome.proxy().url).toContain(`127.0.0.1:${connected.bridge!.socks.port}`);

    const first = host.pid()!;
    process.kill(first, 'SIGKILL');
    await until(() => crashes.length === 1);
    expect(crashes[0]).toEqual({ code: null, signal: 'SIGKILL', expected: false });
    expect(events.some((e) => e.type === 'log' && e.entry.level === 'error' && /stopped unexpectedly/.test(e.entry.message))).toBe(true);
    // The UI hears at once that the bridge is gone (the dead engine cannot say so).
    expect(events.filter((e) => e.type === 'state').at(-1)).toMatchObject({ state: { phase: 'idle', bridge: null, current: null, systemProxy: false } });
    await host.restarting();
    const second = host.pid()!;
    expect(second).not.toBe(first);
    // The new engine repaired what the dead one left: the user's own setting is back.
    expect(gnome.proxy().mode).toBe("'manual'");
    expect(await host.engine.getState()).toMatchObject({ phase: 'idle', systemProxy: false });
    await host.engine.stop();
    await until(() => !alive(second));
    expect(crashes).toHaveLength(1);
  }, 90_000);

  it('with resume (the desktop app), a crashed engine comes back connected with the system proxy on again, at the new bridge', async () => {
    const dir = dataDir();
    const host = hostEngine({ spawn: forkSpawner({ env: gnome.env }), init: () => ({ t: 'init', dataDir: dir, secretKey: null, options: quiet }), resume: true });
    const events: ApiEvent[] = [];
    host.engine.subscribe((e) => events.push(e));
    await host.engine.connect({});
    await host.engine.setSettings({ systemProxy: true });
    expect(gnome.proxy().mode).toBe("'auto'");
    const first = host.pid()!;
    process.kill(first, 'SIGKILL');
    await until(() => host.restarting() !== null);
    await host.restarting();
    const state = await host.engine.getState();
    expect(state.bridge).not.toBeNull();
    expect(state.systemProxy).toBe(true);
    expect(gnome.proxy().mode).toBe("'auto'");
    expect(gnome.proxy().url).toContain(`127.0.0.1:${state.bridge!.socks.port}`);
    // The page was told: gone at once, then back.
    const states = events.filter((e) => e.type === 'state').map((e) => e.type === 'state' && e.state);
    expect(states.some((s) => s && s.bridge === null)).toBe(true);
    expect(states.at(-1)).toMatchObject({ systemProxy: true });
    await host.engine.stop();
    expect(gnome.proxy().mode).toBe("'manual'");
  }, 90_000);

  it('an engine process that dies while starting is answered in words, not "internal error", and tried again', async () => {
    const broken = join(dataDir(), 'no-such-engine.js');
    let spawned = 0;
    const spawn = forkSpawner({ entry: broken, stdio: 'ignore' });
    const host = hostEngine({ spawn: () => { spawned++; return spawn(); }, init: () => ({ t: 'init', dataDir: dataDir(), secretKey: null, options: quiet }) });
    const reply = await dispatch(host.engine, 'getSettings', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(JSON.stringify(reply)).toMatch(/could not start: the engine process ended \(exit code 1\)/);
    expect(await dispatch(host.engine, 'getState', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(spawned).toBe(2);
    await host.engine.stop();
  }, 60_000);
});
