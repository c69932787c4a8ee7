// The one HTTP CONNECT client (RFC 9110 §9.3.6): the request with optional Basic credentials, a
// size-capped parser of the proxy's response head, and the exchange over an open socket. Used by the
// bridge's HTTP(S) proxy upstreams, the channels' proxy agents and the post-launch bridge check;
// each caller decides what a status means for it. Written by hand: node:http's CONNECT support
// cannot run over a socket the caller already opened and tracks (a TLS connection to the proxy,
// a connect guard), and no maintained library covers the exchange alone.
import type { Duplex } from 'node:stream';
import { hostPort, type Destination } from './destination.ts';

/** A response head longer than this is garbage, not a proxy. */
export const MAX_RESPONSE_HEAD = 16 * 1024;

export interface ResponseHead {
  status: number;
  reason: string;
  /** Length of the head including the blank line. */
  length: number;
}

const HTTP_PREFIX = Buffer.from('HTTP/');

/**
 * Finds and parses the response head at the start of buf: null while incomplete; throws on garbage
 * (not HTTP, a bad status line, a head over MAX_RESPONSE_HEAD). One indexOf over a capped buffer.
 */
export function parseResponseHead(buf: Buffer): ResponseHead | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) {
    if (buf.length >= 5 && !buf.subarray(0, 5).equals(HTTP_PREFIX)) throw new Error('the proxy answered something that is not HTTP');
    if (buf.length > MAX_RESPONSE_HEAD) throw new Error(`the proxy's response head exceeds ${MAX_RESPONSE_HEAD} bytes`);
    return null;
  }
  if (end + 4 > MAX_RESPONSE_HEAD) throw new Error(`the proxy's response head exceeds ${MAX_RESPONSE_HEAD} bytes`);
  const statusLine = buf.toString('latin1', 0, buf.indexOf('\r\n'));
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) throw new Error(`bad status line from the proxy: ${JSON.stringify(statusLine.slice(0, 100))}`);
  return { status: Number(match[1]), reason: match[2] ?? '', length: end + 4 };
}

/** The request head; credentials (UTF-8, Basic) are sent when either part is given. */
export function connectRequest(dest: Destination, username?: string, password?: string): string {
  const authority = hostPort(dest.host, dest.port);
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  if (username !== undefined || password !== undefined) {
    lines.push(`Proxy-Authorization: Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`, 'utf8').toString('base64')}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export type ConnectAnswer =
  /** `rest`: bytes that came after the head; they belong to the tunnel (put them back). */
  | { ok: true; head: ResponseHead; rest: Buffer }
  /** garbage: not an HTTP response head (detail says how); closed: the proxy ended before a whole head. */
  | { ok: false; problem: 'garbage' | 'closed'; detail: string };

/**
 * Sends CONNECT for dest on socket (connected or still connecting) and reads the response head.
 * Resolves with the head, or with why there is none; rejects with the socket's own error. Leaves
 * the socket's listeners as they were, so the caller can hand it on.
 */
export function exchangeConnect(socket: Duplex, dest: Destination, username?: string, password?: string): Promise<ConnectAnswer> {
  return new Promise((resolve, reject) => {
    let buffered: Buffer = Buffer.alloc(0);
    const cleanup = (): void => {
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.removeListener('close', onEnd);
      socket.removeListener('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      let head: ResponseHead | null;
      try {
        head = parseResponseHead(buffered);
      } catch (err) {
        cleanup();
        resolve({ ok: false, problem: 'garbage', detail: (err as Error).message });
        return;
      }
      if (!head) return;
      cleanup();
      resolve({ ok: true, head, rest: buffered.subarray(head.length) });
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ ok: false, problem: 'closed', detail: 'the proxy closed the connection without answering CONNECT' });
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onError);
    socket.write(connectRequest(dest, username, password));
  });
}
