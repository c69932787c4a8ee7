// A test-only "direct" upstream for the real bridge: it resolves names from a fixed table (so a name
// like only-proxy.porthole.test exists only on the proxy side) and connects to loopback addresses only,
// so whatever else a browser tries goes nowhere. It logs every destination it was asked for.
import { PortholeError } from '../../../shared/errors.ts';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { ConnectOptions, Destination, Upstream } from '../../../electron/core/bridge/upstreams/types.ts';

export interface DirectUpstream extends Upstream {
  /** "host:port" of every connect request, in order. */
  readonly seen: string[];
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);

export function directUpstream(names: Record<string, string>): DirectUpstream {
  const seen: string[] = [];
  return {
    id: 'test-direct',
    describe: 'direct (test, loopback only)',
    seen,
    connect(dest: Destination, options?: ConnectOptions): Promise<Duplex> {
      seen.push(`${dest.host}:${dest.port}`);
      const address = names[dest.host.toLowerCase()] ?? dest.host;
      if (!LOOPBACK.has(address)) {
        return Promise.reject(new PortholeError('dns', `test upstream: ${dest.host} is not a test host`, { upstream: this.id }));
      }
      return new Promise((resolve, reject) => {
        const socket = net.connect({ host: address, port: dest.port });
        const fail = (err: Error) => {
          socket.destroy();
          reject(new PortholeError('refused', err.message, { upstream: 'test-direct', cause: err }));
        };
        socket.once('error', fail);
        options?.signal?.addEventListener('abort', () => fail(new Error('aborted')), { once: true });
        socket.once('connect', () => {
          socket.off('error', fail);
          resolve(socket);
        });
      });
    },
  };
}
