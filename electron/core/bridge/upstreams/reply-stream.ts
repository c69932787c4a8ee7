// A pass-through Duplex over a proxy connection whose server puts a short reply header in front of
// the first bytes it sends back (VLESS). Writes go straight to the inner stream (its backpressure is
// ours); reads drop the header once it is complete, then pass the rest on unchanged.
import { PortholeError } from '../../../../shared/errors.ts';
import { Duplex } from 'node:stream';
import { toUpstreamError } from './errors.ts';

/**
 * Given the bytes received so far, the header's length once it is complete, or null while it is not;
 * throws (with a message for people) when the bytes are not a valid header.
 */
export type ReplyHeaderParser = (received: Buffer) => number | null;

const HIGH_WATER_MARK = 64 * 1024;
/** A reply header longer than this is garbage. */
const MAX_HEADER = 4096;

export class ReplyHeaderStream extends Duplex {
  private readonly inner: Duplex;
  private readonly upstream: string;
  private parse: ReplyHeaderParser | null;
  private pending: Buffer = Buffer.alloc(0);
  private pausedByUs = false;

  constructor(inner: Duplex, upstream: string, parse: ReplyHeaderParser) {
    super({ allowHalfOpen: true, readableHighWaterMark: HIGH_WATER_MARK, writableHighWaterMark: HIGH_WATER_MARK });
    this.inner = inner;
    this.upstream = upstream;
    this.parse = parse;
    inner.on('data', (data: Buffer) => this.onData(data));
    inner.on('end', () => {
      if (this.parse && this.pending.length > 0) {
        this.destroy(new PortholeError('bad-reply', `${upstream}: the server closed the connection in the middle of its reply header`, { upstream, hop: 'proxy' }));
        return;
      }
      this.push(null);
    });
    inner.on('error', (err) => this.destroy(toUpstreamError(err, upstream)));
    inner.on('close', () => {
      if (!this.destroyed && !this.readableEnded && !this.writableFinished) this.destroy();
    });
  }

  private onData(data: Buffer): void {
    let chunk = data;
    if (this.parse) {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      let length: number | null;
      try {
        length = this.parse(this.pending);
      } catch (err) {
        this.destroy(new PortholeError('bad-reply', `${this.upstream}: ${(err as Error).message}`, { upstream: this.upstream, cause: err, hop: 'proxy' }));
        return;
      }
      if (length === null) {
        if (this.pending.length > MAX_HEADER) this.destroy(new PortholeError('bad-reply', `${this.upstream}: the reply header is too long`, { upstream: this.upstream, hop: 'proxy' }));
        return;
      }
      this.parse = null;
      chunk = this.pending.subarray(length);
      this.pending = Buffer.alloc(0);
      if (chunk.length === 0) return;
    }
    if (!this.push(chunk) && !this.pausedByUs) {
      this.pausedByUs = true;
      this.inner.pause();
    }
  }

  override _read(): void {
    if (this.pausedByUs) {
      this.pausedByUs = false;
      this.inner.resume();
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.inner.write(chunk)) callback();
    else this.inner.once('drain', () => callback());
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (err?: Error | null) => void): void {
    let more = true;
    if ('cork' in this.inner) this.inner.cork();
    for (const { chunk } of chunks) more = this.inner.write(chunk);
    if ('uncork' in this.inner) this.inner.uncork();
    if (more) callback();
    else this.inner.once('drain', () => callback());
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.inner.end(() => callback());
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.inner.destroy();
    callback(err);
  }
}
