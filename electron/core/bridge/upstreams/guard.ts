// One connect attempt under a deadline and an abort signal (the one wrapper, net/deadline.ts).
// Every socket the attempt opens is registered with track(); on failure, timeout or abort they are
// all destroyed and the caller gets one UpstreamError. On success nothing is destroyed and the temporary error listeners are removed.
import { failure as failureOf, PortholeError } from '../../../../shared/errors.ts';
import { once } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { withinDeadline } from '../../net/deadline.ts';
import { toUpstreamError } from './errors.ts';
import { type UpstreamError } from './types.ts';
import type { ConnectOptions } from './types.ts';

/** Bound on connect + handshake when the caller gives none. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

export interface Guard {
  /** The upstream's description, for error messages. */
  readonly upstream: string;
  /** Destroys `stream` if the attempt fails; it must not emit unhandled errors meanwhile. */
  track<T extends Duplex>(stream: T): T;
  /** Throws the failure (timeout/abort) if one happened; call between steps. */
  check(): void;
}

const swallow = (): void => {};

export async function guardedConnect<T>(upstream: string, options: ConnectOptions | undefined, attempt: (guard: Guard) => Promise<T>): Promise<T> {
  const signal = options?.signal;
  const timeoutMs = options?.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (signal?.aborted) throw new PortholeError('aborted', `${upstream}: connect aborted`, { upstream, cause: signal.reason });
  const tracked = new Set<Duplex>();
  let failure: UpstreamError | null = null;
  const fail = (err: UpstreamError): void => {
    if (failure) return;
    failure = err;
    for (const s of tracked) s.destroy();
  };
  const timedOut = (ms: number): UpstreamError => failureOf('timeout', `${upstream}: no connection within ${ms} ms`, { upstream });
  const aborted = (): UpstreamError => failureOf('aborted', `${upstream}: connect aborted`, { upstream, cause: signal?.reason });
  const guard: Guard = {
    upstream,
    track: (stream) => {
      tracked.add(stream);
      stream.on('error', swallow);
      if (failure) stream.destroy();
      return stream;
    },
    check: () => {
      if (failure) throw failure;
    },
  };
  try {
    // The one deadline wrapper (net/deadline.ts) gives up at the limit or on the caller's abort; the
    // streams of the attempt are torn down at that very moment, so a step still waiting fails at once.
    const result = await withinDeadline((inner) => {
      inner.addEventListener('abort', () => fail(signal?.aborted ? aborted() : inner.reason as UpstreamError), { once: true });
      return attempt(guard);
    }, { signal, limitMs: timeoutMs, timeoutError: timedOut, abortError: aborted });
    guard.check();
    for (const s of tracked) s.removeListener('error', swallow);
    return result;
  } catch (err) {
    const error = failure ?? toUpstreamError(err, upstream);
    fail(error);
    throw error;
  }
}

export const SOCKET_DEFAULTS = { allowHalfOpen: true, noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 } as const;

/** A connected TCP socket to host:port (half-open allowed, Nagle off), tracked by the guard. */
export async function openTcp(guard: Guard, host: string, port: number): Promise<net.Socket> {
  const socket = guard.track(net.connect({ ...SOCKET_DEFAULTS, host, port }));
  await once(socket, 'connect');
  guard.check();
  return socket;
}

export interface TlsClientOptions {
  /** Extra trusted CAs (PEM), e.g. a self-signed proxy certificate that the list pins. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Default true. Only for tests and explicitly trusted setups. */
  rejectUnauthorized?: boolean;
  /** SNI and certificate name; defaults to the proxy host when it is a name. */
  servername?: string;
}

/** A TLS connection to host:port whose handshake completed, tracked by the guard. */
export async function openTls(guard: Guard, host: string, port: number, options: TlsClientOptions = {}): Promise<tls.TLSSocket> {
  const servername = options.servername ?? (net.isIP(host) ? undefined : host);
  const socket = guard.track(tls.connect({
    ...SOCKET_DEFAULTS,
    host,
    port,
    ALPNProtocols: ['http/1.1'],
    ...(servername ? { servername } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
    rejectUnauthorized: options.rejectUnauthorized ?? true,
  }));
  await once(socket, 'secureConnect');
  guard.check();
  return socket;
}
