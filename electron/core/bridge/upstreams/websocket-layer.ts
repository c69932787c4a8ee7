// The WebSocket layer (RFC 6455) over an already open TCP or TLS socket, with the `ws` library: the
// upgrade goes to `path` with the entry's Host header (a CDN routes on it, so it may differ from the
// address and the SNI), then binary messages carry the proxy protocol's bytes as one Duplex.
import { PortholeError } from '../../../../shared/errors.ts';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import type * as Ws from 'ws';
import type { Guard } from './guard.ts';

// `ws` is loaded on first use: most servers have no WebSocket transport, and it is a tenth of the
// engine's start-up. openLayers loads it before it dials, so no socket waits on it (and no event of
// one goes unheard meanwhile).
let wsModule: Promise<typeof Ws> | null = null;
export const loadWebSocket = (): Promise<typeof Ws> => (wsModule ??= import('ws'));

export interface WebSocketLayerOptions {
  /** The Host header (no port: the layer below decides where we are connected). */
  hostHeader: string;
  /** Request path with query, starting with "/". */
  path: string;
}

/** Upgrades `socket` to a WebSocket and resolves with its byte stream once the server accepted. */
export async function openWebSocket(guard: Guard, socket: net.Socket, options: WebSocketLayerOptions): Promise<Duplex> {
  const upstream = guard.upstream;
  // The URL only shapes the request line and Host header: createConnection hands ws our socket.
  const host = options.hostHeader.includes(':') ? `[${options.hostHeader}]` : options.hostHeader;
  const { default: WebSocket, createWebSocketStream } = await loadWebSocket();
  const ws = new WebSocket(`ws://${host}${options.path}`, {
    createConnection: () => socket,
    perMessageDeflate: false,
    skipUTF8Validation: true,
    followRedirects: false,
    handshakeTimeout: undefined,
    maxPayload: 64 * 1024 * 1024,
  });
  ws.binaryType = 'nodebuffer';
  await new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      ws.removeListener('open', onOpen);
      ws.removeListener('error', onError);
      ws.removeListener('unexpected-response', onResponse);
      socket.removeListener('close', onClose);
    };
    const onOpen = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new PortholeError('bad-reply', `${upstream}: the WebSocket upgrade failed: ${err.message}`, { upstream, cause: err, hop: 'proxy' }));
    };
    const onResponse = (_req: unknown, res: { statusCode?: number; statusMessage?: string }): void => {
      cleanup();
      socket.destroy();
      const status = `${res.statusCode ?? '?'} ${res.statusMessage ?? ''}`.trimEnd();
      reject(new PortholeError('bad-reply', `${upstream}: the server refused the WebSocket upgrade on ${options.path} (HTTP ${status}): wrong path or Host?`, { upstream, hop: 'proxy' }));
    };
    const onClose = (): void => {
      cleanup();
      reject(new PortholeError('reset', `${upstream}: the connection closed during the WebSocket upgrade`, { upstream, hop: 'proxy' }));
    };
    ws.once('open', onOpen);
    ws.once('error', onError);
    ws.once('unexpected-response', onResponse);
    socket.once('close', onClose);
  });
  guard.check();
  return guard.track(createWebSocketStream(ws, { allowHalfOpen: true, readableHighWaterMark: 64 * 1024, writableHighWaterMark: 64 * 1024 }));
}
