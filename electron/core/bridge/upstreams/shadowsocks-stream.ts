// A Shadowsocks AEAD tunnel as a Duplex over any connected byte duplex: a net.Socket, a TLS socket, a
// WebSocket stream (see shadowsocks-aead.ts for the framing). Writes are sealed in batches of up to
// 256 KiB of plaintext, each handed to the transport as one write; reads are opened in place as chunks
// complete. Backpressure both ways: a write completes when the
// transport accepts it (or drains), and the transport is paused while our readable side is full.
// end() half-closes the transport after the last chunk.
//
// The target address header is sent with the first payload in one sealed write; if the client does not
// write within headerDelayMs (a server-speaks-first protocol), the header goes alone.
// An ss-server that cannot authenticate us says nothing and keeps the connection open (anti-probing),
// so a tunnel whose request got no byte back within firstReplyTimeoutMs fails with 'timeout'.
import { PortholeError, isPortholeError } from '../../../../shared/errors.ts';
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { toUpstreamError } from './errors.ts';
import { AeadOpener, AeadSealer, sealedLength } from './shadowsocks-aead.ts';
import type { CipherSpec } from './shadowsocks-aead.ts';
import type { CipherProvider } from './shadowsocks-crypto.ts';

export interface ShadowsocksStreamOptions {
  /** The upstream's description, for errors. */
  upstream: string;
  spec: CipherSpec;
  /** The master key (EVP_BytesToKey of the password). */
  key: Buffer;
  /** The SOCKS-format target address, the first plaintext of the stream. */
  header: Buffer;
  /** How long the header waits for the first payload to travel with it (default 20 ms). */
  headerDelayMs?: number;
  /**
   * Fail when the server sends nothing this long after our first payload (default 30 s; 0 = never).
   * Generous by default because long-polling servers answer late; probes should pass a short one.
   */
  firstReplyTimeoutMs?: number;
  /** Which library does the AEAD (default: the process-wide provider, see shadowsocks-crypto.ts). */
  provider?: CipherProvider;
  /** The first bytes of our salt (Outline's "prefix", at most 16): the rest stays random. */
  saltPrefix?: Buffer;
}

/** A random salt whose first bytes are `prefix` (makes the stream start like an allowed protocol). */
export function prefixedSalt(length: number, prefix: Buffer): Buffer {
  if (prefix.length > 16 || prefix.length >= length) throw new RangeError('a salt prefix is at most 16 bytes');
  return Buffer.concat([prefix, randomBytes(length - prefix.length)]);
}

/** See ShadowsocksStreamOptions.firstReplyTimeoutMs. */
export const DEFAULT_FIRST_REPLY_TIMEOUT_MS = 30_000;
const HIGH_WATER_MARK = 64 * 1024;
/** Plaintext sealed per socket write. */
const BATCH = 256 * 1024;
/**
 * Sealed batches of at least POOLED_FROM bytes bound for a plain TCP socket are sealed into buffers
 * kept here and reused once the kernel took them (the write's callback): a busy tunnel then allocates
 * nothing per batch, which spares the garbage collector a full collection every 64 MiB or so of
 * fresh buffers. At most POOL_MAX are kept, whatever the number of tunnels.
 */
const WIRE_SIZE = sealedLength(BATCH, 32);
const POOLED_FROM = 16 * 1024;
const POOL_MAX = 8;
const wirePool: Buffer[] = [];

export class ShadowsocksStream extends Duplex {
  private readonly socket: Duplex;
  private readonly upstream: string;
  private readonly sealer: AeadSealer;
  private readonly opener: AeadOpener;
  private header: Buffer | null;
  private headerTimer: NodeJS.Timeout | null = null;
  private replyTimer: NodeJS.Timeout | null = null;
  private readonly firstReplyTimeoutMs: number;
  private pausedByUs = false;
  private receivedAny = false;
  private sawEnd = false;
  /** Plaintext waiting to be sealed (the header first); its write callback waits in writeCallback. */
  private readonly outgoing: Buffer[] = [];
  private writeCallback: ((err?: Error | null) => void) | null = null;
  /** True when the transport is a plain net.Socket: its write callback means the kernel has the bytes. */
  private readonly recycles: boolean;

  constructor(socket: Duplex, options: ShadowsocksStreamOptions) {
    // Writable side as deep as one batch: a 64 KiB relay write does not pause the client every time.
    super({ allowHalfOpen: true, readableHighWaterMark: HIGH_WATER_MARK, writableHighWaterMark: BATCH });
    this.socket = socket;
    this.recycles = Object.getPrototypeOf(socket) === Socket.prototype;
    this.upstream = options.upstream;
    this.sealer = new AeadSealer(options.spec, options.key, options.saltPrefix ? prefixedSalt(options.spec.saltLength, options.saltPrefix) : undefined, options.provider);
    this.opener = new AeadOpener(options.spec, options.key, options.provider);
    this.header = options.header;
    this.firstReplyTimeoutMs = options.firstReplyTimeoutMs ?? DEFAULT_FIRST_REPLY_TIMEOUT_MS;
    this.headerTimer = setTimeout(() => this.flushHeader(), options.headerDelayMs ?? 20);

    socket.on('data', (data: Buffer) => this.onSocketData(data));
    socket.on('end', () => this.onSocketEnd());
    socket.on('error', (err) => this.destroy(toUpstreamError(err, this.upstream)));
    socket.on('close', () => {
      if (this.destroyed) return;
      // A clean close comes after both FINs: our readable already ended and drains on its own.
      if (!this.sawEnd) this.destroy(new PortholeError('reset', `${this.upstream}: the connection closed unexpectedly`, { upstream: this.upstream }));
      // A write still waiting for the socket would wait forever (later writes fail on their own).
      else if (this.writeCallback) this.destroy(new PortholeError('reset', `${this.upstream}: the connection closed before our data was sent`, { upstream: this.upstream }));
    });
    socket.on('drain', () => this.onDrain());
  }

  private onDrain(): void {
    // Also when nothing is left to seal: the last batch filled the socket and the write's callback
    // waits for exactly this drain.
    if (this.writeCallback) this.pump();
  }

  /** Queues plaintext parts for sealing; `callback` runs once they are all handed to the socket. */
  private send(parts: Buffer[], callback: (err?: Error | null) => void): void {
    if (this.header) {
      this.outgoing.push(this.header);
      this.header = null;
      this.clearHeaderTimer();
    }
    for (const part of parts) if (part.length > 0) this.outgoing.push(part);
    this.writeCallback = callback;
    this.pump();
  }

  /**
   * Seals up to BATCH plaintext bytes at a time into one socket write, and goes on while the socket
   * takes more; otherwise waits for 'drain'. Memory stays bounded even for one huge write, and a
   * batch is never split into many small writes.
   */
  private pump(): void {
    while (this.outgoing.length > 0) {
      const batch = this.takeBatch();
      let more: boolean;
      try {
        const size = this.sealer.sizeOf(batch);
        if (this.recycles && size >= POOLED_FROM) {
          const wire = wirePool.pop() ?? Buffer.allocUnsafeSlow(WIRE_SIZE);
          this.sealer.sealInto(batch, wire);
          more = this.socket.write(wire.subarray(0, size), (err) => {
            if (!err && wirePool.length < POOL_MAX) wirePool.push(wire);
          });
        } else {
          const wire = Buffer.allocUnsafe(size);
          this.sealer.sealInto(batch, wire);
          more = this.socket.write(wire);
        }
      } catch (err) {
        this.destroy(toUpstreamError(err, this.upstream));
        return;
      }
      if (!more) return; // onDrain() resumes
    }
    const callback = this.writeCallback;
    this.writeCallback = null;
    callback?.();
  }

  private takeBatch(): Buffer[] {
    const batch: Buffer[] = [];
    let size = 0;
    while (this.outgoing.length > 0 && size < BATCH) {
      const part = this.outgoing[0] as Buffer;
      const room = BATCH - size;
      if (part.length <= room) {
        batch.push(part);
        this.outgoing.shift();
        size += part.length;
      } else {
        batch.push(part.subarray(0, room));
        this.outgoing[0] = part.subarray(room);
        size += room;
      }
    }
    return batch;
  }

  private flushHeader(): void {
    this.headerTimer = null;
    if (this.header && !this.destroyed) this.send([], () => {});
  }

  private clearHeaderTimer(): void {
    if (this.headerTimer) clearTimeout(this.headerTimer);
    this.headerTimer = null;
  }

  private armReplyTimer(): void {
    if (this.receivedAny || this.replyTimer || this.firstReplyTimeoutMs <= 0) return;
    this.replyTimer = setTimeout(() => {
      this.destroy(new PortholeError('timeout', `${this.upstream}: no reply within ${this.firstReplyTimeoutMs} ms after the request (wrong password or cipher, or the destination does not answer)`, { upstream: this.upstream }));
    }, this.firstReplyTimeoutMs);
  }

  private onSocketData(data: Buffer): void {
    if (!this.receivedAny) {
      this.receivedAny = true;
      if (this.replyTimer) clearTimeout(this.replyTimer);
      this.replyTimer = null;
    }
    let plain: Buffer[];
    try {
      plain = this.opener.open(data);
    } catch (err) {
      const message = isPortholeError(err, 'auth') ? err.message : String(err);
      this.destroy(new PortholeError('auth', `${this.upstream}: ${message}`, { upstream: this.upstream, cause: err, hop: 'proxy' }));
      return;
    }
    if (plain.length === 0) return;
    // The opener hands back at most two views per arrival (a chunk that began in the previous one,
    // then all the chunks wholly inside this one): pushed as they are, nothing copied.
    let more = true;
    for (const piece of plain) more = this.push(piece);
    if (!more && !this.pausedByUs) {
      this.pausedByUs = true;
      this.socket.pause();
    }
  }

  private onSocketEnd(): void {
    this.sawEnd = true;
    if (this.opener.midChunk) {
      this.destroy(new PortholeError('bad-reply', `${this.upstream}: the server closed the stream in the middle of a chunk`, { upstream: this.upstream, hop: 'proxy' }));
      return;
    }
    this.push(null);
  }

  override _read(): void {
    if (this.pausedByUs) {
      this.pausedByUs = false;
      this.socket.resume();
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (chunk.length > 0) this.armReplyTimer();
    this.send([chunk], callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (err?: Error | null) => void): void {
    const parts = chunks.map((c) => c.chunk);
    if (parts.some((p) => p.length > 0)) this.armReplyTimer();
    this.send(parts, callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    // Writable calls _final only after the last write's callback, so nothing is queued here.
    if (this.header) this.send([], () => {});
    this.socket.end(() => callback());
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.clearHeaderTimer();
    if (this.replyTimer) clearTimeout(this.replyTimer);
    this.replyTimer = null;
    this.writeCallback = null;
    this.outgoing.length = 0;
    this.socket.destroy();
    callback(err);
  }
}
