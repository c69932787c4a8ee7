// Wraps an upstream stream so every byte through it is counted, and gives it the few socket
// methods node:http's Agent calls on pooled connections (setKeepAlive, ref, unref, setTimeout),
// which an upstream's Duplex need not have. Backpressure is passed through both ways.
import { Duplex } from 'node:stream';

export class CountedStream extends Duplex {
  private readonly inner: Duplex;
  private readonly onUp: (n: number) => void;
  private readonly onDown: (n: number) => void;

  constructor(inner: Duplex, onUp: (n: number) => void, onDown: (n: number) => void) {
    super({ allowHalfOpen: true });
    this.inner = inner;
    this.onUp = onUp;
    this.onDown = onDown;
    inner.on('data', (chunk: Buffer) => {
      this.onDown(chunk.length);
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (err: Error) => this.destroy(err));
    inner.on('close', () => { if (!this.destroyed) this.destroy(); });
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.onUp(chunk.length);
    if (this.inner.write(chunk)) cb();
    else this.inner.once('drain', () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.inner.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.inner.destroy();
    cb(err);
  }

  setKeepAlive(): this { return this; }
  setNoDelay(): this { return this; }
  setTimeout(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
}
