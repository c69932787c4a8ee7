// Builds the page's `window.porthole` from ipcRenderer: exactly the contract's methods plus
// subscribe, every response and event validated. Kept apart from preload.ts so it is testable.
import type { IpcRendererEvent } from 'electron';
import type { Api } from '../../shared/api.ts';
import { isMethodName } from '../../shared/api.ts';
import { createApiClient, unwrapReply } from '../../shared/api-client.ts';
import { EVENT_CHANNEL, callChannel } from '../../shared/api-ipc.ts';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

export function buildPreloadApi(ipc: IpcRendererLike): Api {
  return createApiClient(
    async (method, request) => {
      if (!isMethodName(method)) throw new Error('unknown method');
      return unwrapReply(await ipc.invoke(callChannel(method), request));
    },
    (listener) => {
      const handler = (_event: IpcRendererEvent, raw: unknown) => listener(raw);
      ipc.on(EVENT_CHANNEL, handler);
      return () => void ipc.removeListener(EVENT_CHANNEL, handler);
    },
  );
}
