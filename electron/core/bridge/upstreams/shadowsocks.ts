// Shadowsocks AEAD (SIP004) upstream: chacha20-ietf-poly1305, aes-256-gcm, aes-128-gcm.
// Written by hand because no maintained npm library implements a Shadowsocks AEAD client; the AEAD
// primitives come from the cipher provider (shadowsocks-crypto.ts).
// Also over the layers of layers.ts (Outline's WebSocket transport, optionally TLS) and with a salt
// prefix (Outline's "prefix": the salt starts with those bytes, the rest is random).
// connect() resolves once TCP to the server is up; the target (always sent as given: names stay names,
// resolved by the server) travels in the first sealed write, see shadowsocks-stream.ts.
import type { Duplex } from 'node:stream';
import type { SsCipher } from '../../../../shared/entry.ts';
import { checkDestination } from './destination.ts';
import { guardedConnect } from './guard.ts';
import { describeLayers, openLayers } from './layers.ts';
import type { LayerSettings } from './layers.ts';
import { CIPHER_SPECS, evpBytesToKey } from './shadowsocks-aead.ts';
import type { CipherSpec } from './shadowsocks-aead.ts';
import type { CipherProvider } from './shadowsocks-crypto.ts';
import { ShadowsocksStream } from './shadowsocks-stream.ts';
import { encodeAddress as encodeSocksAddress } from '../../net/socks5-address.ts';
import type { ConnectOptions, Destination, Upstream } from './types.ts';

export interface ShadowsocksUpstreamOptions extends LayerSettings {
  id: string;
  method: SsCipher;
  password: string;
  /** See ShadowsocksStreamOptions. */
  headerDelayMs?: number;
  firstReplyTimeoutMs?: number;
  /** See ShadowsocksStreamOptions. */
  provider?: CipherProvider;
  /** Outline's salt prefix (at most 16 bytes). */
  saltPrefix?: Buffer | undefined;
}

export class ShadowsocksUpstream implements Upstream {
  readonly id: string;
  readonly describe: string;
  private readonly options: ShadowsocksUpstreamOptions;
  private readonly spec: CipherSpec;
  private readonly key: Buffer;

  constructor(options: ShadowsocksUpstreamOptions) {
    const spec = CIPHER_SPECS[options.method];
    if (!spec) throw new Error(`unsupported Shadowsocks cipher ${options.method}`);
    this.id = options.id;
    if (options.saltPrefix && (options.saltPrefix.length === 0 || options.saltPrefix.length > 16 || options.saltPrefix.length >= spec.saltLength)) {
      throw new Error('a Shadowsocks salt prefix is 1 to 16 bytes (and shorter than the salt)');
    }
    this.describe = describeLayers('shadowsocks', options);
    this.options = options;
    this.spec = spec;
    this.key = evpBytesToKey(options.password, spec.keyLength);
  }

  connect(dest: Destination, options?: ConnectOptions): Promise<Duplex> {
    return guardedConnect(this.describe, options, async (guard) => {
      const header = encodeSocksAddress(checkDestination(dest, this.describe));
      const socket = await openLayers(guard, this.options);
      return new ShadowsocksStream(socket, {
        upstream: this.describe,
        spec: this.spec,
        key: this.key,
        header,
        ...(this.options.headerDelayMs !== undefined ? { headerDelayMs: this.options.headerDelayMs } : {}),
        ...(this.options.firstReplyTimeoutMs !== undefined ? { firstReplyTimeoutMs: this.options.firstReplyTimeoutMs } : {}),
        ...(this.options.provider ? { provider: this.options.provider } : {}),
        ...(this.options.saltPrefix ? { saltPrefix: this.options.saltPrefix } : {}),
      });
    });
  }
}
