// Raw TCP destinations and fake proxies for stream-level tests:
//   startTcpTarget(): echoes what it gets, optionally greets first (a server-speaks-first protocol), and
//     when the client half-closes it answers `BYE <bytes received>\n` and then closes its side too.
//     This shows whether a path keeps half-closed connections usable.
//   startBlackhole(): accepts connections and never answers (a hung proxy or destination). It keeps
//     track of the connections so tests can check the client side destroyed them.
import net from 'node:net';
import { listenOnLoopback, LOOPBACK } from './free-port.ts';

export interface TargetConnection {
  readonly socket: net.Socket;
  /** Everything received so far. */
  received(): Buffer;
  /** Resolves when the client half-closes (FIN), with the bytes received until then. */
  readonly ended: Promise<Buffer>;
  /** Resolves when the connection is fully closed. */
  readonly closed: Promise<void>;
}

export interface TcpServerHandle {
  readonly host: string;
  readonly port: number;
  readonly connections: TargetConnection[];
  /** The next connection (or one already accepted that nobody has taken yet). */
  nextConnection(timeoutMs?: number): Promise<TargetConnection>;
  /** Connections the client has not closed yet (no FIN or reset from it so far). */
  openCount(): number;
  close(): Promise<void>;
}

export interface TcpTargetOptions {
  /** Sent as soon as a client connects. */
  banner?: string | Buffer;
  /** Echo received bytes back (default true). */
  echo?: boolean;
}

export function byeLine(bytes: number): string {
  return `BYE ${bytes}\n`;
}

export function startTcpTarget(options: TcpTargetOptions = {}): Promise<TcpServerHandle> {
  return startTcpServer((socket, conn) => {
    if (options.banner !== undefined) socket.write(options.banner);
    if (options.echo !== false) socket.on('data', (chunk: Buffer) => socket.write(chunk));
    void conn.ended.then((data) => socket.end(byeLine(data.length)));
  });
}

export function startBlackhole(): Promise<TcpServerHandle> {
  return startTcpServer((socket) => {
    // Accept, read (so the client's writes never block), never answer; close when the client does.
    socket.once('end', () => socket.end());
  });
}

async function startTcpServer(onConnection: (socket: net.Socket, conn: TargetConnection) => void): Promise<TcpServerHandle> {
  const connections: TargetConnection[] = [];
  const waiting: ((conn: TargetConnection) => void)[] = [];
  let taken = 0;
  let open = 0;
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    open++;
    let counted = true;
    const clientClosed = (): void => {
      if (counted) open--;
      counted = false;
    };
    socket.once('end', clientClosed);
    socket.once('close', clientClosed);
    const parts: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => parts.push(chunk));
    socket.on('error', () => {});
    const received = (): Buffer => Buffer.concat(parts);
    const conn: TargetConnection = {
      socket,
      received,
      ended: new Promise((resolve) => socket.once('end', () => resolve(received()))),
      closed: new Promise((resolve) => socket.once('close', () => resolve())),
    };
    connections.push(conn);
    onConnection(socket, conn);
    const waiter = waiting.shift();
    if (waiter) {
      taken++;
      waiter(conn);
    }
  });
  const port = await listenOnLoopback(server);
  return {
    host: LOOPBACK,
    port,
    connections,
    openCount: () => open,
    nextConnection: (timeoutMs = 10_000) => {
      const ready = connections[taken];
      if (ready) {
        taken++;
        return Promise.resolve(ready);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no connection to 127.0.0.1:${port} within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((conn) => {
          clearTimeout(timer);
          resolve(conn);
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const conn of connections) conn.socket.destroy();
        server.close(() => resolve());
      }),
  };
}
