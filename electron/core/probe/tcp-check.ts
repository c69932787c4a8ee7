// Stage 1: a plain TCP connect to the proxy's host:port, closed at once. It times the TCP connect
// separately from the connector's handshake and tells "refused"/"no answer" apart cheaply.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { PortholeError } from '../../../shared/errors.ts';

export function tcpCheck(host: string, port: number, options: { signal: AbortSignal; timeoutMs: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(new PortholeError('aborted', 'cancelled'));
      return;
    }
    const started = performance.now();
    let socket: net.Socket;
    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      // A normal close (FIN): a connect-then-RST pattern looks like a port scan to middleboxes.
      socket.destroy();
    };
    const onAbort = (): void => {
      cleanup();
      reject(new PortholeError('aborted', 'cancelled'));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new PortholeError('timeout', `no TCP answer from ${host}:${port} within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: 'abort' fires at most once, and every way out removes the listener anyway.
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      socket = net.connect({ host, port });
    } catch (err) {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      reject(err as Error);
      return;
    }
    socket.once('connect', () => {
      const ms = performance.now() - started;
      cleanup();
      resolve(ms);
    });
    socket.once('error', (err) => {
      cleanup();
      reject(err);
    });
  });
}
