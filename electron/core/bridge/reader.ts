// Reads a handshake from a socket in exact-size pieces. Bytes past the handshake (a client that
// pipelines its payload) stay buffered and are handed back by detach(); reading pauses once more
// than MAX_BUFFERED bytes wait, so a client cannot make it buffer without bound.
import { PortholeError } from '../../../shared/errors.ts';
import type { Socket } from 'node:net';

const MAX_BUFFERED = 64 * 1024;

export class HandshakeReader {
  private readonly socket: Socket;
  private buf: Buffer;
  private want = 0;
  private waiter: { resolve: (b: Buffer) => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;
  private readonly onData = (chunk: Buffer): void => {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.buf.length > MAX_BUFFERED) this.socket.pause();
    this.wake();
  };
  private readonly onEnd = (): void => this.fail(new PortholeError('reset', 'client closed during handshake'));

  constructor(socket: Socket, head: Buffer) {
    this.socket = socket;
    this.buf = head;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.resume();
  }

  /** Bytes buffered and not yet read. */
  get available(): number {
    return this.buf.length;
  }

  /** Resolves with exactly n bytes. */
  read(n: number): Promise<Buffer> {
    if (this.buf.length >= n) return Promise.resolve(this.take(n));
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.want = n;
      this.waiter = { resolve, reject };
      if (this.socket.isPaused()) this.socket.resume();
    });
  }

  /** Stops reading: the socket is left paused; returns the bytes read past the handshake. */
  detach(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.pause();
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }

  private take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    if (this.buf.length <= MAX_BUFFERED && this.socket.isPaused() && !this.failed) this.socket.resume();
    return out;
  }

  private wake(): void {
    const w = this.waiter;
    if (w && this.buf.length >= this.want) {
      this.waiter = null;
      w.resolve(this.take(this.want));
    }
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(err);
  }
}
