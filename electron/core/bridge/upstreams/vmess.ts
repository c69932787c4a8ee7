// VMess AEAD upstream (alterId 0) over TCP, TLS, WebSocket or WebSocket+TLS: the request header
// (vmess-aead.ts) goes out at once, the body travels in chunks (vmess-body.ts) with masking and
// padding like v2ray's own client; 'zero' sends the body raw. The server's reply header is checked
// on the first bytes back, so connect() does not wait for the destination to speak.
// Written by hand from the public protocol description: no maintained npm library implements VMess.
import { PortholeError } from '../../../../shared/errors.ts';
import { randomBytes } from 'node:crypto';
import { Duplex } from 'node:stream';
import type { VmessSecurity } from '../../../../shared/entry.ts';
import { checkDestination } from './destination.ts';
import { toUpstreamError } from './errors.ts';
import { guardedConnect } from './guard.ts';
import { describeLayers, openLayers } from './layers.ts';
import type { LayerSettings } from './layers.ts';
import { ReplyHeaderStream } from './reply-stream.ts';

import type { ConnectOptions, Destination, Upstream } from './types.ts';
import { uuidBytes } from './v2-address.ts';
import {
  cmdKey, OPTION_CHUNK_MASKING, OPTION_CHUNK_STREAM, OPTION_GLOBAL_PADDING, openResponseHeader, requestHeader, responseSecrets, sealHeader,
} from './vmess-aead.ts';
import type { BodySecurity, RequestSecrets } from './vmess-aead.ts';
import { BodyOpener, BodySealer } from './vmess-body.ts';

const HIGH_WATER_MARK = 64 * 1024;

class VmessStream extends Duplex {
  private readonly inner: Duplex;
  private readonly upstream: string;
  private readonly sealer: BodySealer;
  private readonly opener: BodyOpener;
  private replyHeader: ((received: Buffer) => number | null) | null;
  private pending: Buffer = Buffer.alloc(0);
  private pausedByUs = false;
  private sawEnd = false;
  /** The inner stream cannot half-close (a WebSocket: closing it ends both ways), so our end travels
   * only as the end chunk and the inner stream closes once both ends are done. */
  private readonly inBandEnd: boolean;
  /** Whether to send the end chunk at all (see VmessUpstream.connect). */
  private readonly endChunk: boolean;

  constructor(inner: Duplex, upstream: string, sealer: BodySealer, opener: BodyOpener, replyHeader: (received: Buffer) => number | null, ends: { inBand: boolean; chunk: boolean }) {
    super({ allowHalfOpen: true, readableHighWaterMark: HIGH_WATER_MARK, writableHighWaterMark: HIGH_WATER_MARK });
    this.inner = inner;
    this.upstream = upstream;
    this.sealer = sealer;
    this.opener = opener;
    this.replyHeader = replyHeader;
    this.inBandEnd = ends.inBand;
    this.endChunk = ends.chunk || ends.inBand;
    inner.on('data', (data: Buffer) => this.onData(data));
    inner.on('end', () => {
      if (this.replyHeader || this.opener.midChunk) {
        this.fail('bad-reply', this.replyHeader && this.pending.length === 0
          ? 'the server closed the connection without a reply (wrong user id, or the destination is unreachable)'
          : 'the server closed the stream in the middle of a chunk');
        return;
      }
      this.end_();
    });
    inner.on('error', (err) => this.destroy(toUpstreamError(err, upstream)));
    inner.on('close', () => {
      if (!this.destroyed && !this.sawEnd) this.fail('reset', 'the connection closed unexpectedly');
    });
  }

  /** Our readable side ends (the end chunk or the inner stream's end). */
  private end_(): void {
    if (this.sawEnd) return;
    this.sawEnd = true;
    this.push(null);
    if (this.inBandEnd && this.writableFinished) this.inner.end();
  }

  private fail(kind: 'bad-reply' | 'reset' | 'auth', why: string): void {
    this.destroy(new PortholeError(kind, `${this.upstream}: ${why}`, { upstream: this.upstream, hop: 'proxy' }));
  }

  private onData(data: Buffer): void {
    let chunk = data;
    try {
      if (this.replyHeader) {
        this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
        const length = this.replyHeader(this.pending);
        if (length === null) return;
        this.replyHeader = null;
        chunk = this.pending.subarray(length);
        this.pending = Buffer.alloc(0);
        if (chunk.length === 0) return;
      }
      const { plain, end } = this.opener.open(chunk);
      let more = true;
      for (const piece of plain) more = this.push(piece);
      if (end) {
        this.end_();
        return;
      }
      if (!more && !this.pausedByUs) {
        this.pausedByUs = true;
        this.inner.pause();
      }
    } catch (err) {
      this.fail('auth', (err as Error).message);
    }
  }

  override _read(): void {
    if (this.pausedByUs) {
      this.pausedByUs = false;
      this.inner.resume();
    }
  }

  private send(out: Buffer[], callback: (err?: Error | null) => void): void {
    let more = true;
    if ('cork' in this.inner) this.inner.cork();
    for (const buf of out) more = this.inner.write(buf);
    if ('uncork' in this.inner) this.inner.uncork();
    if (more) callback();
    else this.inner.once('drain', () => callback());
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    const out: Buffer[] = [];
    this.sealer.seal([chunk], out);
    this.send(out, callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (err?: Error | null) => void): void {
    const out: Buffer[] = [];
    this.sealer.seal(chunks.map((c) => c.chunk), out);
    this.send(out, callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    const out: Buffer[] = [];
    if (this.endChunk) this.sealer.sealChunk(Buffer.alloc(0), out);
    if (!this.inBandEnd) {
      for (const buf of out) this.inner.write(buf);
      this.inner.end(() => callback());
      return;
    }
    this.send(out, (err) => {
      callback(err);
      if (this.sawEnd) this.inner.end();
    });
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.inner.destroy();
    callback(err);
  }
}

export interface VmessUpstreamOptions extends LayerSettings {
  id: string;
  uuid: string;
  security?: VmessSecurity | undefined;
}

export class VmessUpstream implements Upstream {
  readonly id: string;
  readonly describe: string;
  private readonly options: VmessUpstreamOptions;
  private readonly key: Buffer;

  constructor(options: VmessUpstreamOptions) {
    uuidBytes(options.uuid);
    this.options = options;
    this.id = options.id;
    this.describe = describeLayers('vmess', options);
    this.key = cmdKey(options.uuid);
  }

  connect(dest: Destination, options?: ConnectOptions): Promise<Duplex> {
    return guardedConnect(this.describe, options, async (guard) => {
      const target = checkDestination(dest, this.describe);
      const requested = this.options.security ?? 'auto';
      // 'auto' is AES-128-GCM (hardware AES on the machines Porthole runs on); 'zero' is 'none' without chunks.
      const security: BodySecurity = requested === 'auto' ? 'aes-128-gcm' : requested === 'zero' ? 'none' : requested;
      const chunked = requested !== 'zero';
      const aead = security !== 'none';
      const options = chunked ? OPTION_CHUNK_STREAM | OPTION_CHUNK_MASKING | (aead ? OPTION_GLOBAL_PADDING : 0) : 0;
      const secrets: RequestSecrets = { bodyKey: randomBytes(16), bodyIv: randomBytes(16), auth: randomBytes(1)[0] ?? 0 };
      const request = sealHeader(this.key, requestHeader(target, security, options, secrets));
      const response = responseSecrets(secrets);
      const parseReply = (received: Buffer): number | null => openResponseHeader(received, response, secrets.auth);
      const stream = await openLayers(guard, this.options);
      stream.write(request);
      if (!chunked) return new ReplyHeaderStream(stream, this.describe, parseReply);
      const body = { security, masking: true, padding: aead };
      return new VmessStream(stream, this.describe,
        new BodySealer({ ...body, key: secrets.bodyKey, iv: secrets.bodyIv }),
        new BodyOpener({ ...body, key: response.key, iv: response.iv }),
        // v2ray stops reading at the end chunk's size, leaving its tag and padding unread: on a bare TCP
        // connection its close then becomes a reset that destroys the data still in flight to us. So
        // there a FIN alone ends our side (v2ray reads it as the end too); TLS records and WebSocket
        // messages are read whole, and a WebSocket cannot half-close, so there the end chunk is sent.
        parseReply, { inBand: this.options.transport?.type === 'ws', chunk: Boolean(this.options.tls) });
    });
  }
}
