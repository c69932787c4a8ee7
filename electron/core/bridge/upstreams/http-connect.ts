// HTTP and HTTPS (TLS to the proxy) CONNECT upstreams (RFC 9110 §9.3.6) with Basic authentication.
// The destination goes to the proxy as given (names stay names: the proxy resolves them).
// Bytes the proxy sends after the response head belong to the tunnel and are put back (unshift).
import { failure } from '../../../../shared/errors.ts';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { checkDestination } from './destination.ts';
import { hostPort } from '../../net/destination.ts';
import { guardedConnect, openTcp, openTls } from './guard.ts';
import { handOff } from './handoff.ts';
import type { Guard, TlsClientOptions } from './guard.ts';
import { type UpstreamError } from './types.ts';
import type { ConnectOptions, Destination, Upstream } from './types.ts';

/** A response head longer than this is garbage, not a proxy. */
export const MAX_RESPONSE_HEAD = 16 * 1024;

export interface HttpConnectUpstreamOptions {
  id: string;
  host: string;
  port: number;
  /** TLS to the proxy ("https" entries). */
  tls: boolean;
  tlsOptions?: TlsClientOptions;
  username?: string | undefined;
  password?: string | undefined;
}

export interface ResponseHead {
  status: number;
  reason: string;
  /** Length of the head including the blank line. */
  length: number;
}

/**
 * Finds and parses the response head at the start of buf: null while incomplete; throws on garbage.
 */
export function parseResponseHead(buf: Buffer): ResponseHead | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) {
    if (buf.length >= 5 && !buf.subarray(0, 5).equals(Buffer.from('HTTP/'))) throw new Error('the proxy answered something that is not HTTP');
    if (buf.length > MAX_RESPONSE_HEAD) throw new Error(`the proxy's response head exceeds ${MAX_RESPONSE_HEAD} bytes`);
    return null;
  }
  if (end + 4 > MAX_RESPONSE_HEAD) throw new Error(`the proxy's response head exceeds ${MAX_RESPONSE_HEAD} bytes`);
  const statusLine = buf.toString('latin1', 0, buf.indexOf('\r\n'));
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) throw new Error(`bad status line from the proxy: ${JSON.stringify(statusLine.slice(0, 100))}`);
  return { status: Number(match[1]), reason: match[2] ?? '', length: end + 4 };
}

export function connectRequest(dest: Destination, username?: string, password?: string): string {
  const authority = hostPort(dest.host, dest.port);
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  if (username !== undefined || password !== undefined) {
    lines.push(`Proxy-Authorization: Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`, 'utf8').toString('base64')}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export class HttpConnectUpstream implements Upstream {
  readonly id: string;
  readonly describe: string;
  private readonly options: HttpConnectUpstreamOptions;

  constructor(options: HttpConnectUpstreamOptions) {
    this.id = options.id;
    this.describe = `${options.tls ? 'https' : 'http'} ${hostPort(options.host, options.port)}`;
    this.options = options;
  }

  connect(dest: Destination, options?: ConnectOptions): Promise<Duplex> {
    return guardedConnect(this.describe, options, async (guard) => {
      const target = checkDestination(dest, this.describe);
      const { host, port, username, password } = this.options;
      const socket = this.options.tls ? await openTls(guard, host, port, this.options.tlsOptions) : await openTcp(guard, host, port);
      socket.write(connectRequest(target, username, password));
      await this.readHead(guard, socket, username !== undefined || password !== undefined);
      return socket;
    });
  }

  /** Waits for the CONNECT answer; hands the socket off with any tunnel bytes put back. */
  private readHead(guard: Guard, socket: net.Socket, sentCredentials: boolean): Promise<void> {
    const upstream = this.describe;
    return new Promise((resolve, reject) => {
      let buffered: Buffer = Buffer.alloc(0);
      const cleanup = (): void => {
        socket.removeListener('data', onData);
        socket.removeListener('end', onEnd);
        socket.removeListener('error', onError);
      };
      const fail = (err: UpstreamError): void => {
        cleanup();
        reject(err);
      };
      const onData = (chunk: Buffer): void => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        let head: ResponseHead | null;
        try {
          head = parseResponseHead(buffered);
        } catch (err) {
          fail(failure('bad-reply', `${upstream}: ${(err as Error).message}`, { upstream, hop: 'proxy' }));
          return;
        }
        if (!head) return;
        // 407 is the standard answer; tinyproxy answers 401 to wrong credentials.
        if (head.status === 407 || head.status === 401) {
          const why = sentCredentials ? 'the proxy rejected the username or password' : 'the proxy requires authentication';
          fail(failure('auth', `${upstream}: ${why} (${head.status} ${head.reason})`.trimEnd(), { upstream, hop: 'proxy' }));
          return;
        }
        if (head.status < 200 || head.status > 299) {
          // 500-504 answers to CONNECT are how proxies say they could not reach the destination
          // (tinyproxy: 500 "Unable to connect", squid: 503, others 502/504).
          const stage = head.status >= 500 && head.status <= 504 ? 'destination' : 'proxy';
          fail(failure('bad-reply', `${upstream}: CONNECT answered ${head.status} ${head.reason}`.trimEnd(), { upstream, hop: stage }));
          return;
        }
        cleanup();
        handOff(socket, [buffered.subarray(head.length)]);
        resolve();
      };
      const onEnd = (): void => fail(failure('bad-reply', `${upstream}: the proxy closed the connection without answering CONNECT`, { upstream, hop: 'proxy' }));
      // Socket errors are classified by the guard (the socket is tracked there).
      const onError = (err: Error): void => {
        cleanup();
        reject(err);
      };
      socket.on('data', onData);
      socket.once('end', onEnd);
      socket.once('error', onError);
      guard.check();
    });
  }
}
