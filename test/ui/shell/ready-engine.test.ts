// The shell answers the page's and the tray's first calls whether or not the engine has started:
// a ReadyEngine in front of a real ApiService (in a temp data dir) and of engines that start slowly,
// fail to start, or go away.
import { PortholeError } from '../../../shared/errors.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_METHODS, MAX_IMPORT_TEXT } from '../../../shared/api.ts';
import type { ApiEvent } from '../../../shared/api.ts';
import type { ApiBackend } from '../../../shared/api-backend.ts';
import { dispatch } from '../../../shared/api-dispatch.ts';
import { ApiService } from '../../../electron/core/engine/api/service.ts';
import { ReadyEngine } from '../../../electron/core/engine-host/ready-engine.ts';
import { looksImportable } from '../../../shared/sniff.ts';

const NO_KEYCHAIN = { available: false, seal: (s: string) => s, open: (s: string) => s };
const dataDir = () => mkdtempSync(join(tmpdir(), 'porthole-ready-'));

describe('ReadyEngine', () => {
  it('a real ApiService called before start() throws; behind ReadyEngine the first calls answer valid data', async () => {
    const bare = new ApiService({ dataDir: dataDir(), secrets: NO_KEYCHAIN });
    // The bug this guards against: the settings exist only after start().
    await expect(bare.getSettings()).rejects.toThrow(TypeError);

    const real = new ApiService({ dataDir: dataDir(), secrets: NO_KEYCHAIN });
    let started = 0;
    const gate = new ReadyEngine({ open: async () => { started++; await real.start(); return real; } });
    // Before anyone called start: the page's first reads and the tray's first read, at once.
    const replies = await Promise.all([
      dispatch(gate.api, 'getSettings', {}), dispatch(gate.api, 'getState', {}), dispatch(gate.api, 'getSources', {}),
      dispatch(gate.api, 'listServers', {}), dispatch(gate.api, 'getLog', {}),
    ]);
    for (const r of replies) expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
    expect(API_METHODS.getSettings.response.parse((replies[0] as { result: unknown }).result).language).toBe('auto');
    expect(API_METHODS.getState.response.parse((replies[1] as { result: unknown }).result).phase).toBe('idle');
    expect(started).toBe(1);
    expect(gate.isReady).toBe(true);
    // After: the same answers, no second start.
    expect(await dispatch(gate.api, 'getState', {})).toMatchObject({ ok: true, result: { phase: 'idle' } });
    expect(started).toBe(1);
    await gate.stop();
  });

  it('calls made while the engine starts wait for it; events subscribed early arrive', async () => {
    let release!: () => void;
    const events: ApiEvent[] = [];
    const listeners = new Set<(e: ApiEvent) => void>();
    const engine = fakeEngine({ subscribe: (l) => { listeners.add(l); return () => listeners.delete(l); } });
    const gate = new ReadyEngine({ open: () => new Promise<ApiBackend>((r) => { release = () => r(engine); }) });
    gate.api.subscribe((e) => events.push(e));
    const first = gate.api.getState();
    let answered = false;
    void first.then(() => { answered = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    release();
    expect((await first).phase).toBe('idle');
    listeners.forEach((l) => l({ type: 'log', entry: { at: new Date().toISOString(), level: 'info', message: 'hi' } }));
    expect(events.map((e) => e.type)).toEqual(['log']);
  });

  it('a failed start answers "unavailable" in words (never "internal error") and the next call tries again', async () => {
    let attempts = 0;
    const errors: unknown[] = [];
    const gate = new ReadyEngine({
      open: async () => {
        attempts++;
        if (attempts === 1) throw new Error('settings.json is not readable');
        return fakeEngine();
      },
      onError: (e) => errors.push(e),
    });
    const reply = await dispatch(gate.api, 'getState', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(JSON.stringify(reply)).toMatch(/could not start: settings\.json is not readable.*try again/);
    expect(errors).toHaveLength(1);
    expect(await dispatch(gate.api, 'getState', {})).toMatchObject({ ok: true });
    expect(attempts).toBe(2);
  });

  it('stop() during a start waits for it and stops the engine (system proxy restored); later calls are refused', async () => {
    let release!: () => void;
    let stops = 0;
    const engine = fakeEngine({ stop: async () => { stops++; } });
    const gate = new ReadyEngine({ open: () => new Promise<ApiBackend>((r) => { release = () => r(engine); }) });
    const call = gate.api.getState();
    const stopping = gate.stop();
    release();
    await stopping;
    expect(stops).toBe(1);
    await expect(call).rejects.toBeInstanceOf(PortholeError);
    await gate.stop();
    expect(stops).toBe(1);
    expect(await dispatch(gate.api, 'getState', {})).toMatchObject({ ok: false, error: { code: 'unavailable', message: 'Porthole is quitting' } });
  });

  it('lost() forgets a dead engine: the next call opens a new one and early subscribers follow it', async () => {
    const made: Array<Set<(e: ApiEvent) => void>> = [];
    const gate = new ReadyEngine({
      open: async () => {
        const ls = new Set<(e: ApiEvent) => void>();
        made.push(ls);
        return fakeEngine({ subscribe: (l) => { ls.add(l); return () => ls.delete(l); } });
      },
    });
    const seen: string[] = [];
    gate.api.subscribe((e) => seen.push(e.type));
    await gate.api.getState();
    gate.lost();
    expect(made[0]!.size).toBe(0);
    await gate.api.getState();
    expect(made).toHaveLength(2);
    made[1]!.forEach((l) => l({ type: 'progress', progress: { tested: 1, total: 2, running: true } }));
    expect(seen).toEqual(['progress']);
  });

  it('answers isImportable without the engine', () => {
    const gate = new ReadyEngine({ open: () => new Promise(() => {}) });
    expect(gate.api.isImportable('hello')).toBe(false);
    expect(looksImportable('-----BEGIN PORTHOLE LIST-----\nabc\n-----END PORTHOLE LIST-----')).toBe(true);
    expect(looksImportable(`-----BEGIN PORTHOLE LIST-----\n${'x'.repeat(MAX_IMPORT_TEXT)}\n-----END PORTHOLE LIST-----`)).toBe(false);
  });
});

function fakeEngine(over: Partial<ApiBackend> = {}): ApiBackend {
  const state = {
    phase: 'idle' as const, progress: { tested: 0, total: 0, running: false }, current: null, offlineReason: null, bridge: null,
    lan: null, systemProxy: false, browsers: { firefox: false, chrome: false, telegram: true }, since: new Date().toISOString(),
  };
  const base = {
    start: async () => {}, stop: async () => {}, isImportable: () => false, subscribe: () => () => {},
    getState: async () => state,
  };
  return { ...base, ...over } as unknown as ApiBackend;
}
