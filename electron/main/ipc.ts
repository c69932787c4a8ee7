// Serves the Api over Electron IPC: one handler per contract method, each checking that the call
// comes from our own page's main frame, validating the request and response with the contract.
import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { ApiEventSchema, METHOD_NAMES } from '../../shared/api.ts';
import type { Api, ApiEvent } from '../../shared/api.ts';
import { dispatch } from '../../shared/api-dispatch.ts';
import type { DispatchResult } from '../../shared/api-dispatch.ts';
import { EVENT_CHANNEL, callChannel } from '../../shared/api-ipc.ts';

/** The part of ipcMain used here (a fake in tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

type FrameLike = Pick<WebFrameMain, 'url'> & { parent: unknown };

/**
 * Whether url belongs to origin. Compares scheme and host explicitly: Node's URL reports the
 * origin of a non-special scheme such as app:// as "null".
 */
export function hasOrigin(url: string, origin: string): boolean {
  try {
    const u = new URL(url);
    const o = new URL(origin);
    return u.protocol === o.protocol && u.host === o.host && u.host !== '';
  } catch {
    return false;
  }
}

/** Only the top frame of a page loaded from our app origin may call the Api. */
export function isTrustedFrame(frame: FrameLike | null | undefined, appOrigin: string): boolean {
  return !!frame && frame.parent === null && hasOrigin(frame.url, appOrigin);
}

export function registerApiIpc(ipc: IpcMainLike, api: Api, appOrigin: string): () => void {
  const channels = METHOD_NAMES.map((method) => {
    const channel = callChannel(method);
    ipc.handle(channel, async (event, ...args): Promise<DispatchResult> => {
      if (!isTrustedFrame(event.senderFrame as FrameLike | null, appOrigin)) {
        return { ok: false, error: { code: 'bad-request', message: 'untrusted sender' } };
      }
      if (args.length > 1) return { ok: false, error: { code: 'bad-request', message: 'one argument expected' } };
      return dispatch(api, method, args[0]);
    });
    return channel;
  });
  return () => channels.forEach((c) => ipc.removeHandler(c));
}

/** Something events can be sent to: a WebContents (or a fake). */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, event: ApiEvent): void;
  getURL(): string;
}

/**
 * Sends events to the windows that show our page (engine events and the shell's own import
 * requests alike). Events outside the contract are dropped.
 */
export function createEventSender(targets: () => Iterable<EventTarget>, appOrigin: string): (event: ApiEvent) => void {
  return (event) => {
    const checked = ApiEventSchema.safeParse(event);
    if (!checked.success) return;
    for (const t of targets()) {
      if (!t.isDestroyed() && hasOrigin(t.getURL(), appOrigin)) t.send(EVENT_CHANNEL, checked.data);
    }
  };
}
