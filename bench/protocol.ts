// The benchmark's wire protocol and its clients. A target connection starts with a 9-byte header:
//   'U' + uint64 n  upload: the client sends n bytes, the target answers one byte 'K' when all arrived
//   'D' + uint64 n  download: the target sends n bytes and closes
//   'E'             echo (header is 1 byte): everything is sent back
// Clients reach the target directly, through a plain TCP relay, or through a SOCKS5 proxy.
import net from 'node:net';

export type Path =
  | { kind: 'direct'; port: number }
  | { kind: 'plain'; port: number }
  | { kind: 'socks5'; port: number };

export const CHUNK = Buffer.alloc(1024 * 1024, 0x5a);

export function header(mode: 'U' | 'D', n: number): Buffer {
  const h = Buffer.alloc(9);
  h.write(mode, 0, 'latin1');
  h.writeBigUInt64BE(BigInt(n), 1);
  return h;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, noDelay: true });
    s.once('connect', () => { s.off('error', reject); resolve(s); });
    s.once('error', reject);
  });
}

/** Reads exactly n bytes (handshake use only). */
function readExact(s: net.Socket, n: number, timeoutMs = 30_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => { done(); s.destroy(); reject(new Error(`no ${n} bytes within ${timeoutMs} ms`)); }, timeoutMs);
    const onData = (c: Buffer): void => {
      buf = buf.length ? Buffer.concat([buf, c]) : c;
      if (buf.length >= n) {
        done();
        s.pause();
        if (buf.length > n) s.unshift(buf.subarray(n));
        resolve(buf.subarray(0, n));
      }
    };
    const onEnd = (): void => { done(); reject(new Error(`closed after ${buf.length}/${n} bytes`)); };
    const onErr = (e: Error): void => { done(); reject(e); };
    const done = (): void => { clearTimeout(timer); s.off('data', onData); s.off('end', onEnd); s.off('error', onErr); };
    s.on('data', onData);
    s.on('end', onEnd);
    s.on('error', onErr);
    s.resume();
  });
}

/** Opens a stream to the target over a path (for SOCKS5: no-auth CONNECT to 127.0.0.1:targetPort). */
export async function openStream(path: Path, targetPort: number): Promise<net.Socket> {
  const s = await connect(path.port);
  if (path.kind !== 'socks5') return s;
  s.write(Buffer.from([5, 1, 0]));
  const m = await readExact(s, 2);
  if (m[1] !== 0) throw new Error(`socks5 method ${m[1]}`);
  s.write(Buffer.from([5, 1, 0, 1, 127, 0, 0, 1, targetPort >> 8, targetPort & 0xff]));
  const r = await readExact(s, 5);
  if (r[1] !== 0) throw new Error(`socks5 reply ${r[1]}`);
  await readExact(s, r[3] === 1 ? 5 : r[3] === 4 ? 17 : (r[4] as number) + 2);
  return s;
}

/** Sends n bytes and waits for the target's 'K'. */
export function upload(s: net.Socket, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    s.on('error', reject);
    s.once('data', () => { s.destroy(); resolve(); });
    s.once('end', () => reject(new Error('target closed before acknowledging the upload')));
    s.resume();
    s.write(header('U', n));
    let left = n;
    const pump = (): void => {
      while (left > 0) {
        const piece = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
        left -= piece.length;
        if (!s.write(piece)) { s.once('drain', pump); return; }
      }
    };
    pump();
  });
}

/** Asks for n bytes and reads them all. */
export function download(s: net.Socket, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let got = 0;
    s.on('error', reject);
    s.on('data', (c: Buffer) => {
      got += c.length;
      if (got >= n) { s.destroy(); resolve(); }
    });
    s.once('end', () => { if (got < n) reject(new Error(`download ended at ${got}/${n}`)); });
    s.resume();
    s.write(header('D', n));
  });
}

/** One connection set up and used: connect, (handshake), one byte out, one byte back. Milliseconds. */
export async function echoOnce(path: Path, targetPort: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  const s = await openStream(path, targetPort);
  s.write('E');
  await readExact(s, 1);
  const t1 = process.hrtime.bigint();
  s.destroy();
  return Number(t1 - t0) / 1e6;
}
