// Misbehaving servers on 127.0.0.1 for probe tests (the well-behaved ones come from test/peers):
//   startResetter()     accepts, then answers with a TCP RST;
//   startGarbage()      accepts and answers anything with bytes that are no protocol at all;
//   startProbeTarget()  an HTTP server: /generate_204 -> 204, /ok -> 200, /blocked -> 451,
//                       /portal/generate_204 -> a 200 login page, /chunked -> chunked 200, /bytes -> 1 MiB,
//                       /cut -> RST in the middle of the request, /slow -> never answers.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { LOOPBACK } from '../peers/index.ts';

export interface FakeServer {
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

async function listen(server: net.Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function tcpServer(onSocket: (socket: net.Socket) => void): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  return listen(server).then((port) => ({
    host: LOOPBACK,
    port,
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  }));
}

export function startResetter(): Promise<FakeServer> {
  return tcpServer((socket) => socket.resetAndDestroy());
}

export function startGarbage(): Promise<FakeServer> {
  return tcpServer((socket) => {
    socket.once('data', () => socket.write(Buffer.from('\x17\x03garbage, not a proxy at all\r\n\r\n', 'latin1')));
  });
}

const BYTES = Buffer.alloc(1024 * 1024, 0x61);

export interface ProbeTargetServer extends FakeServer {
  url(path: string): string;
  /** Paths requested so far. */
  readonly paths: string[];
}

export async function startProbeTarget(): Promise<ProbeTargetServer> {
  const paths: string[] = [];
  let accepted = 0;
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    paths.push(path);
    if (path === '/generate_204') {
      res.writeHead(204).end();
    } else if (path === '/portal/generate_204') {
      const body = '<html>Please log in to continue</html>';
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) }).end(body);
    } else if (path === '/bytes') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BYTES.length }).end(BYTES);
    } else if (path === '/ok') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 3 }).end('ok\n');
    } else if (path === '/chunked') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('part one, ');
      res.end('part two\n');
    } else if (path === '/blocked') {
      const body = '<html>This resource is blocked by order of the authorities</html>';
      res.writeHead(451, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) }).end(body);
    } else if (path === '/cut') {
      req.socket.resetAndDestroy();
    } else if (path === '/slow') {
      // never answers
    } else {
      res.writeHead(404, { 'content-length': 0 }).end();
    }
  });
  server.on('connection', () => accepted++);
  server.keepAliveTimeout = 5000;
  const port = await listen(server);
  return {
    host: LOOPBACK,
    port,
    paths,
    accepted: () => accepted,
    url: (path) => `http://${LOOPBACK}:${port}${path}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
