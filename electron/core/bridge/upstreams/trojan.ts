// Trojan upstream (trojan-gfw protocol), always inside TLS, optionally over a WebSocket.
// Written by hand from the public protocol description because no maintained npm library implements
// a Trojan client that fits a bring-your-own-stream design:
//   request = hex(SHA-224(password)) CRLF  CMD(1 = CONNECT)  SOCKS5 address (ATYP, addr, port)  CRLF
// then raw payload both ways; the server sends no reply header. A server that does not know the
// password hands the connection to its fallback web site, so a wrong password shows up as the target
// answering something unexpected, not as an error here.
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { checkDestination } from './destination.ts';
import { guardedConnect } from './guard.ts';
import { describeLayers, openLayers } from './layers.ts';
import type { LayerSettings } from './layers.ts';
import { encodeAddress } from '../../net/socks5-address.ts';
import type { ConnectOptions, Destination, Upstream } from './types.ts';

const CRLF = Buffer.from('\r\n');
const CMD_CONNECT = 1;

export function trojanRequest(password: string, dest: Destination): Buffer {
  const key = Buffer.from(createHash('sha224').update(password, 'utf8').digest('hex'), 'latin1');
  return Buffer.concat([key, CRLF, Buffer.from([CMD_CONNECT]), encodeAddress(dest), CRLF]);
}

export interface TrojanUpstreamOptions extends LayerSettings {
  id: string;
  password: string;
}

export class TrojanUpstream implements Upstream {
  readonly id: string;
  readonly describe: string;
  private readonly options: TrojanUpstreamOptions;

  constructor(options: TrojanUpstreamOptions) {
    // Trojan is TLS by definition: no tls settings means default TLS.
    this.options = { ...options, tls: options.tls ?? {} };
    this.id = options.id;
    this.describe = describeLayers('trojan', this.options);
  }

  connect(dest: Destination, options?: ConnectOptions): Promise<Duplex> {
    return guardedConnect(this.describe, options, async (guard) => {
      const request = trojanRequest(this.options.password, checkDestination(dest, this.describe));
      const stream = await openLayers(guard, this.options);
      stream.write(request);
      return stream;
    });
  }
}
