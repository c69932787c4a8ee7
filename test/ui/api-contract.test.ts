import { PortholeError } from '../../shared/errors.ts';
import { describe, expect, it } from 'vitest';
import { API_METHODS, ApiEventSchema, MAX_IMPORT_TEXT, METHOD_NAMES } from '../../shared/api.ts';
import type { Api } from '../../shared/api.ts';
import { createApiClient } from '../../shared/api-client.ts';
import { callApi, dispatch } from '../../shared/api-dispatch.ts';
import { FAKE_CODES, FakeApi } from './fake-api.ts';

describe('the Api contract', () => {
  it('names every method the UI needs', () => {
    expect([...METHOD_NAMES].sort()).toEqual([
      'addServerByLink', 'connect', 'disconnect', 'getLog', 'getSettings', 'getSources', 'getState', 'importText',
      'listServers', 'openBrowser', 'pick', 'pin', 'refreshSources', 'removeServer', 'setSettings', 'shareBatch', 'shareServers',
      'testAll', 'trustPublisher', 'unpin', 'untrust',
    ]);
  });

  it('the fake satisfies every response schema', async () => {
    const api = new FakeApi();
    const requests: Record<string, unknown> = {
      pick: { id: 'fra-2' }, pin: { id: 'fra-2' }, unpin: { id: 'fra-2' }, removeServer: { id: 'ala-home' },
      addServerByLink: { link: 'ss://x@1.2.3.4:8388' }, shareServers: { ids: ['fra-2'] }, shareBatch: { ids: ['fra-2', 'ams-1'], count: 2, perCode: 1 }, importText: { text: FAKE_CODES.untrusted },
      trustPublisher: { fingerprint: 'a07e5d3c91f2b8e4c6d0a9b1e3f57c2d' }, untrust: { fingerprint: 'a07e5d3c91f2b8e4c6d0a9b1e3f57c2d' },
      openBrowser: { browser: 'chrome' }, setSettings: { systemProxy: true },
    };
    for (const name of METHOD_NAMES) {
      const reply = await dispatch(api, name, requests[name] ?? {});
      expect(reply, name).toMatchObject({ ok: true });
    }
    await api.settled();
  });

  it('rejects an unknown method, a malformed request and extra fields', async () => {
    const api = new FakeApi();
    expect(await dispatch(api, 'constructor', {})).toEqual({ ok: false, error: { code: 'bad-request', message: 'unknown method' } });
    expect(await dispatch(api, 'subscribe', {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const bad = await dispatch(api, 'pin', { id: '../../etc' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await dispatch(api, 'connect', { serverId: 'fra-2', extra: 1 })).toMatchObject({ ok: false });
    expect(await dispatch(api, 'setSettings', { port: 80 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await dispatch(api, 'importText', { text: 'x'.repeat(MAX_IMPORT_TEXT + 1) })).toMatchObject({ ok: false });
    expect(api.calls).toEqual([]);
  });

  it('does not let an implementation return something outside the contract', async () => {
    const api = new FakeApi();
    api.state = { ...api.state, phase: 'dancing' as 'idle' };
    await expect(callApi(api, 'getState', {})).rejects.toMatchObject({ code: 'internal' });
  });

  it('hides unexpected errors but passes ApiError through', async () => {
    const api = new FakeApi();
    api.getSources = async () => { throw new Error('secret path /home/x'); };
    expect(await dispatch(api, 'getSources', {})).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });
    expect(await dispatch(api, 'pin', { id: 'nope' })).toEqual({ ok: false, error: { code: 'not-found', message: 'no server nope' } });
  });

  it('a client built on a raw transport is typed, validated and exposes exactly the contract', async () => {
    const api = new FakeApi();
    const events: unknown[] = [];
    const client: Api = createApiClient(
      async (method, req) => (await dispatch(api, method, req)).ok ? callApi(api, method, req) : Promise.reject(new PortholeError('bad-request', 'x')),
      (listener) => api.subscribe(listener),
    );
    expect(Object.keys(client).sort()).toEqual([...METHOD_NAMES, 'subscribe'].sort());
    client.subscribe((e) => events.push(e.type));
    const state = await client.connect();
    expect(state.phase).toBe('searching');
    await api.settled();
    expect(events).toContain('progress');
    expect(events.at(-1)).toBe('state');
    await expect(client.pin({ id: '' })).rejects.toBeInstanceOf(PortholeError);
  });

  it('drops malformed events on the client side', () => {
    const seen: string[] = [];
    let push: (raw: unknown) => void = () => {};
    const client = createApiClient(async () => ({}), (l) => { push = l; return () => {}; });
    client.subscribe((e) => seen.push(e.type));
    push({ type: 'log', entry: { at: new Date().toISOString(), level: 'info', message: 'hi' } });
    push({ type: 'log', entry: { at: 'yesterday', level: 'info', message: 'hi' } });
    push({ type: 'evil' });
    push('text');
    expect(seen).toEqual(['log']);
  });

  it('every method has a strict request schema', () => {
    for (const name of METHOD_NAMES) {
      const spec = API_METHODS[name];
      expect(spec.request.safeParse({ unexpected: true }).success, name).toBe(false);
    }
    expect(ApiEventSchema.safeParse({ type: 'import-request', text: 'x', origin: 'web' }).success).toBe(false);
  });
});
