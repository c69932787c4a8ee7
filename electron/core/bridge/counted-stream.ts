// Wraps an upstream stream so every byte through it is counted, and gives it the few socket
// methods node:http's Agent calls on pooled connections (setKeepAlive, ref, unref, setTimeout),
// which an upstream's Duplex need not have. Backpressure is passed through both ways. `onCarried`
// fires once, when bytes have moved both ways (real traffic worked through the upstream).
import { Duplex } from 'node:stream';

export class CountedStream extends Duplex {
  private readonly inner: Duplex;
  private readonly onUp: (n: number) => void;
  private readonly onDown: (n: number) => void;
  private onCarried: (() => void) | undefined;
  private sent = 0;
  private received = 0;

  constructor(inner: Duplex, onUp: (n: number) => void, onDown: (n: number) => void, onCarried?: () => void) {
    super({ allowHalfOpen: true });
    this.inner = inner;
    this.onUp = onUp;
    this.onDown = onDown;
    this.onCarried = onCarried;
    inner.on('data', (chunk: Buffer) => {
      this.onDown(chunk.length);
      this.received += chunk.length;
      this.checkCarried();
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (err: Error) => this.destroy(err));
    inner.on('close', () => { if (!this.destroyed) this.destroy(); });
  }

  override _read(): void {
    this.inner.resume();
  }

  private checkCarried(): void {
    if (!this.onCarried || this.sent === 0 || this.received === 0) return;
    const done = this.onCarried;
    this.onCarried = undefined;
    done();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.onUp(chunk.length);
    this.sent += chunk.length;
    this.checkCarried();
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
