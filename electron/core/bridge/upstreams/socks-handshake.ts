// Runs a SOCKS5 handshake with the npm `socks` package on an already-connected socket, and hands the
// socket back (see handoff.ts) with any early payload bytes intact. (`socks` re-emits bytes that arrived with its
// final reply as a 'data' event and resumes the socket in a setImmediate; a consumer that attaches a
// moment later would lose them. We catch them and put them back with unshift.)
import { failure } from '../../../../shared/errors.ts';
import type net from 'node:net';
import { Duplex, Readable } from 'node:stream';
import { setImmediate as nextImmediate } from 'node:timers/promises';
import { SocksClient, SocksClientError } from 'socks';
import type { SocksRemoteHost } from 'socks';
import { errorMessage, kindForCode } from './errors.ts';
import { handOff } from './handoff.ts';
import type { Guard } from './guard.ts';
import { type UpstreamError } from './types.ts';
import type { Destination, UpstreamErrorKind, UpstreamErrorStage } from './types.ts';

type SocksClientEstablishedEvent = Awaited<ReturnType<typeof SocksClient.createConnection>>;

export interface SocksProxy {
  host: string;
  port: number;
  username?: string | undefined;
  password?: string | undefined;
}

export interface SocksHandshakeResult {
  /** The socket, or (rarely) a replacement stream when the proxy closed right after early data. */
  stream: Duplex;
  socket: net.Socket;
  /** BND.ADDR/BND.PORT of the reply: for UDP ASSOCIATE, the relay's address. */
  bound: SocksRemoteHost;
}

/** Maps the reply-code names `socks` puts into "Socks5 proxy rejected connection - <Name>". */
const REPLY_KINDS: Readonly<Record<string, [UpstreamErrorKind, UpstreamErrorStage]>> = {
  Failure: ['other', 'destination'],
  NotAllowed: ['refused', 'proxy'],
  NetworkUnreachable: ['unreachable', 'destination'],
  HostUnreachable: ['unreachable', 'destination'],
  ConnectionRefused: ['refused', 'destination'],
  TTLExpired: ['timeout', 'destination'],
  CommandNotSupported: ['bad-reply', 'proxy'],
  AddressNotSupported: ['bad-reply', 'proxy'],
};

function classifySocksError(err: unknown, socketError: Error | null, upstream: string): UpstreamError {
  const message = errorMessage(err);
  const fromSocket = socketError ? kindForCode((socketError as NodeJS.ErrnoException).code) : null;
  let kind: UpstreamErrorKind = 'other';
  let stage: UpstreamErrorStage = 'proxy';
  let text = message;
  if (fromSocket) {
    kind = fromSocket;
  } else if (/Authentication failed|no accepted authentication type/i.test(message)) {
    kind = 'auth';
    text = /no accepted/i.test(message) ? 'the proxy accepts none of our authentication methods (credentials required?)' : 'the proxy rejected the username or password';
  } else if (/rejected connection - (\w+)/.test(message)) {
    const name = /rejected connection - (\w+)/.exec(message)?.[1] ?? '';
    [kind, stage] = REPLY_KINDS[name] ?? ['bad-reply', 'proxy'];
    text = `the proxy could not connect: ${name}`;
  } else if (/timed out/i.test(message)) {
    kind = 'timeout';
  } else if (/Socket closed/i.test(message)) {
    kind = 'reset';
    text = 'the proxy closed the connection during the SOCKS5 handshake';
  } else if (/invalid|unknown/i.test(message) || err instanceof SocksClientError) {
    kind = 'bad-reply';
  }
  return failure(kind, `${upstream}: ${text}`, { upstream, cause: err, hop: stage });
}

export async function socksHandshake(guard: Guard, socket: net.Socket, proxy: SocksProxy, command: 'connect' | 'associate', destination: Destination, timeoutMs: number): Promise<SocksHandshakeResult> {
  let socketError: Error | null = null;
  const noteError = (err: Error): void => {
    socketError ??= err;
  };
  socket.on('error', noteError);
  let info: SocksClientEstablishedEvent;
  try {
    info = await new Promise<SocksClientEstablishedEvent>((resolve, reject) => {
      // The instance API: createConnection() only allows 'connect', not 'associate'.
      const client = new SocksClient({
        proxy: {
          host: proxy.host,
          port: proxy.port,
          type: 5,
          ...(proxy.username !== undefined ? { userId: proxy.username } : {}),
          ...(proxy.password !== undefined ? { password: proxy.password } : {}),
        },
        command,
        destination,
        // Our guard enforces the real deadline; this only keeps `socks` from giving up first.
        timeout: timeoutMs + 5_000,
        existing_socket: socket,
      });
      client.once('established', (event) => {
        client.removeAllListeners();
        resolve(event);
      });
      client.once('error', (err) => {
        client.removeAllListeners();
        reject(err);
      });
      client.connect(socket);
    });
  } catch (err) {
    guard.check();
    throw classifySocksError(err, socketError, guard.upstream);
  } finally {
    socket.removeListener('error', noteError);
  }
  guard.check();
  // Catch what `socks` replays and what flows after its resume(), until our immediate runs after its.
  const early: Buffer[] = [];
  const keep = (chunk: Buffer): void => {
    early.push(chunk);
  };
  let ended = false;
  const onEnd = (): void => {
    ended = true;
  };
  socket.on('data', keep);
  socket.once('end', onEnd);
  await nextImmediate();
  socket.removeListener('data', keep);
  socket.removeListener('end', onEnd);
  guard.check();
  if (ended) {
    socket.pause();
    // The proxy sent its last bytes and closed before anyone could read: replay them, keep writing.
    const replay = Duplex.from({ readable: Readable.from(early), writable: socket });
    return { stream: guard.track(replay), socket, bound: info.remoteHost ?? { host: proxy.host, port: proxy.port } };
  }
  handOff(socket, early);
  return { stream: socket, socket, bound: info.remoteHost ?? { host: proxy.host, port: proxy.port } };
}
