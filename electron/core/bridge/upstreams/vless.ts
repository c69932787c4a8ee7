// VLESS upstream (no flow), over TCP, TLS, WebSocket or WebSocket+TLS. Written by hand from the
// public protocol description (no maintained npm library implements a VLESS client):
//   request = version 0, UUID (16 bytes), addons length 0, command 1 (TCP), port (2 bytes), address
//             (1 IPv4, 2 name, 3 IPv6), then payload;
//   reply   = version 0, addons length N, N bytes of addons, then payload.
// The request goes out at once (a server that speaks first needs it); the reply header is dropped from
// the first bytes that come back, so connect() does not wait for the destination to speak.
import type { Duplex } from 'node:stream';
import { checkDestination } from './destination.ts';
import { guardedConnect } from './guard.ts';
import { describeLayers, openLayers } from './layers.ts';
import type { LayerSettings } from './layers.ts';
import { ReplyHeaderStream } from './reply-stream.ts';
import { encodeV2Address, uuidBytes } from './v2-address.ts';
import type { ConnectOptions, Destination, Upstream } from './types.ts';

const VERSION = 0;
const CMD_TCP = 1;

export function vlessRequest(uuid: string, dest: Destination): Buffer {
  return Buffer.concat([Buffer.from([VERSION]), uuidBytes(uuid), Buffer.from([0, CMD_TCP]), encodeV2Address(dest)]);
}

/** The reply header's length once complete (see ReplyHeaderParser). */
export function parseVlessReply(received: Buffer): number | null {
  if (received.length < 2) return null;
  if (received[0] !== VERSION) throw new Error(`the server answered VLESS version ${received[0]} (expected ${VERSION}): not a VLESS server, or a wrong path`);
  const length = 2 + (received[1] ?? 0);
  return received.length >= length ? length : null;
}

export interface VlessUpstreamOptions extends LayerSettings {
  id: string;
  uuid: string;
}

export class VlessUpstream implements Upstream {
  readonly id: string;
  readonly describe: string;
  private readonly options: VlessUpstreamOptions;

  constructor(options: VlessUpstreamOptions) {
    uuidBytes(options.uuid);
    this.options = options;
    this.id = options.id;
    this.describe = describeLayers('vless', options);
  }

  connect(dest: Destination, options?: ConnectOptions): Promise<Duplex> {
    return guardedConnect(this.describe, options, async (guard) => {
      const request = vlessRequest(this.options.uuid, checkDestination(dest, this.describe));
      const stream = await openLayers(guard, this.options);
      stream.write(request);
      return new ReplyHeaderStream(stream, this.describe, parseVlessReply);
    });
  }
}
