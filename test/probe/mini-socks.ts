// A minimal in-process SOCKS5 server (no auth, CONNECT only, loopback destinations only), listening on
// many ports at once: cheap stand-ins for hundreds of working proxies in the probe benchmark.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { LOOPBACK } from '../peers/index.ts';

export interface MiniSocks {
  readonly ports: number[];
  close(): Promise<void>;
}

interface Reader {
  buf: Buffer;
  closed: boolean;
  wake: (() => void) | null;
}

/** Collects everything the client sends until the tunnel is set up; nothing is lost between reads. */
function reader(socket: net.Socket): Reader {
  const r: Reader = { buf: Buffer.alloc(0), closed: false, wake: null };
  const onData = (chunk: Buffer): void => {
    r.buf = Buffer.concat([r.buf, chunk]);
    r.wake?.();
  };
  const onClose = (): void => {
    r.closed = true;
    r.wake?.();
  };
  socket.on('data', onData);
  socket.once('end', onClose);
  socket.once('close', onClose);
  return r;
}

async function readExactly(r: Reader, n: number): Promise<Buffer> {
  while (r.buf.length < n) {
    if (r.closed) throw new Error('closed');
    await new Promise<void>((resolve) => (r.wake = resolve));
    r.wake = null;
  }
  const out = r.buf.subarray(0, n);
  r.buf = r.buf.subarray(n);
  return out;
}

async function handle(client: net.Socket): Promise<void> {
  const state = reader(client);
  const [ver, nmethods] = await readExactly(state, 2);
  if (ver !== 5) throw new Error('not socks5');
  await readExactly(state, nmethods!);
  client.write(Buffer.from([5, 0]));
  const [, cmd, , atyp] = await readExactly(state, 4);
  let host: string;
  if (atyp === 1) host = [...(await readExactly(state, 4))].join('.');
  else if (atyp === 3) host = (await readExactly(state, (await readExactly(state, 1))[0]!)).toString('latin1');
  else throw new Error('address type not supported');
  const port = (await readExactly(state, 2)).readUInt16BE(0);
  const reply = (rep: number): Buffer => Buffer.from([5, rep, 0, 1, 0, 0, 0, 0, 0, 0]);
  if (cmd !== 1) {
    client.end(reply(7));
    return;
  }
  if (!host.startsWith('127.') && host !== 'localhost') {
    client.end(reply(2)); // not allowed: loopback only
    return;
  }
  const upstream = net.connect({ host, port });
  upstream.on('error', () => {
    if (!client.destroyed) client.end(reply(5));
  });
  upstream.once('connect', () => {
    client.pause();
    client.removeAllListeners('data');
    client.write(reply(0));
    if (state.buf.length > 0) upstream.write(state.buf);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
}

export async function startMiniSocks(count: number): Promise<MiniSocks> {
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.once('close', () => sockets.delete(socket));
      handle(socket).catch(() => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, LOOPBACK, () => resolve());
    });
    servers.push(server);
    ports.push((server.address() as AddressInfo).port);
  }
  return {
    ports,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
