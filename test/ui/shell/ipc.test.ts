// The Electron IPC transport without Electron: registerApiIpc on a fake ipcMain, the preload's
// bridge on a fake ipcRenderer, the fake Api behind them.
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../shared/api.ts';
import { METHOD_NAMES } from '../../../shared/api.ts';
import { EVENT_CHANNEL, callChannel } from '../../../shared/api-ipc.ts';
import { createEventSender, isTrustedFrame, registerApiIpc } from '../../../electron/main/ipc.ts';
import type { IpcMainLike } from '../../../electron/main/ipc.ts';
import { buildPreloadApi } from '../../../electron/preload/bridge.ts';
import { APP_ORIGIN } from '../../../electron/main/security.ts';
import { FakeApi } from '../fake-api.ts';

type Handler = Parameters<IpcMainLike['handle']>[1];

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler) {
    if (this.handlers.has(channel)) throw new Error('twice');
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  invoke(channel: string, frame: unknown, ...args: unknown[]) {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h({ senderFrame: frame } as Parameters<Handler>[0], ...args);
  }
}

const appFrame = { url: `${APP_ORIGIN}/index.html`, parent: null };

function wire() {
  const api = new FakeApi();
  const ipcMain = new FakeIpcMain();
  const dispose = registerApiIpc(ipcMain, api, APP_ORIGIN);
  const listeners = new Set<(e: unknown, raw: unknown) => void>();
  const ipcRenderer = {
    invoke: (channel: string, ...args: unknown[]) => ipcMain.invoke(channel, appFrame, ...args),
    on: (channel: string, l: (e: unknown, raw: unknown) => void) => { expect(channel).toBe(EVENT_CHANNEL); listeners.add(l); },
    removeListener: (_c: string, l: (e: unknown, raw: unknown) => void) => { listeners.delete(l); },
  };
  const page = {
    isDestroyed: () => false, getURL: () => `${APP_ORIGIN}/index.html`,
    send: (channel: string, event: ApiEvent) => { expect(channel).toBe(EVENT_CHANNEL); listeners.forEach((l) => l({}, event)); },
  };
  api.subscribe(createEventSender(() => [page], APP_ORIGIN));
  return { api, ipcMain, dispose, client: buildPreloadApi(ipcRenderer as never), listeners };
}

describe('Electron IPC', () => {
  it('registers one channel per contract method and removes them all', () => {
    const { ipcMain, dispose } = wire();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(METHOD_NAMES.map(callChannel).sort());
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('the preload api calls through to the engine and gets typed results and events', async () => {
    const { api, client } = wire();
    const events: string[] = [];
    const unsubscribe = client.subscribe((e) => events.push(e.type));
    const state = await client.connect({ serverId: 'ams-1' });
    expect(state.phase).toBe('searching');
    await api.settled();
    expect(events).toContain('progress');
    expect((await client.getState()).current?.serverId).toBe('ams-1');
    await expect(client.pin({ id: 'missing' })).rejects.toThrow('no server missing');
    unsubscribe();
  });

  it('the preload exposes exactly the contract, no generic invoke', () => {
    const { client } = wire();
    expect(Object.keys(client).sort()).toEqual([...METHOD_NAMES, 'subscribe'].sort());
    expect('invoke' in client).toBe(false);
  });

  it('refuses calls from another origin, a subframe or no frame', async () => {
    const { api, ipcMain } = wire();
    const refused = { ok: false, error: { code: 'bad-request', message: 'untrusted sender' } };
    expect(await ipcMain.invoke(callChannel('getState'), { url: 'https://evil.example/', parent: null }, {})).toEqual(refused);
    expect(await ipcMain.invoke(callChannel('getState'), { url: `${APP_ORIGIN}/x`, parent: {} }, {})).toEqual(refused);
    expect(await ipcMain.invoke(callChannel('getState'), null, {})).toEqual(refused);
    expect(await ipcMain.invoke(callChannel('getState'), { url: 'file:///etc/passwd', parent: null }, {})).toEqual(refused);
    expect(api.calls).toEqual([]);
  });

  it('validates arguments with the shared schemas', async () => {
    const { api, ipcMain } = wire();
    expect(await ipcMain.invoke(callChannel('pick'), appFrame, { id: 42 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await ipcMain.invoke(callChannel('pick'), appFrame, { id: 'fra-2' }, 'extra')).toMatchObject({ ok: false });
    expect(await ipcMain.invoke(callChannel('openBrowser'), appFrame, { browser: 'safari' })).toMatchObject({ ok: false });
    expect(api.calls).toEqual([]);
  });

  it('sends events only to pages of our origin and drops malformed ones', () => {
    const got: string[] = [];
    const target = (url: string) => ({ isDestroyed: () => false, getURL: () => url, send: (_c: string, e: ApiEvent) => got.push(`${url}:${e.type}`) });
    const send = createEventSender(() => [target(`${APP_ORIGIN}/index.html`), target('https://evil.example/')], APP_ORIGIN);
    send({ type: 'import-request', text: 'PH1-X', origin: 'link' });
    send({ type: 'import-request', text: '', origin: 'link' });
    expect(got).toEqual([`${APP_ORIGIN}/index.html:import-request`]);
  });

  it('isTrustedFrame is strict about origins', () => {
    expect(isTrustedFrame({ url: `${APP_ORIGIN}/index.html`, parent: null }, APP_ORIGIN)).toBe(true);
    expect(isTrustedFrame({ url: 'app://porthole.evil/index.html', parent: null }, APP_ORIGIN)).toBe(false);
    expect(isTrustedFrame({ url: 'not a url', parent: null }, APP_ORIGIN)).toBe(false);
  });
});
