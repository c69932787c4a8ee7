// SOCKS5 upstream (RFC 1928), optional username/password (RFC 1929), via the npm `socks` package.
// Destination names are always sent to the proxy as names (ATYP 3): no local DNS, no DNS leak.
import type { Duplex } from 'node:stream';
import { checkDestination } from './destination.ts';
import { hostPort } from '../../net/destination.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS, guardedConnect, openTcp } from './guard.ts';
import { socksHandshake } from './socks-handshake.ts';
import type { SocksProxy } from './socks-handshake.ts';
import { openSocksUdpRelay } from './socks5-udp.ts';
import type { ConnectOptions, Destination, UdpRelay, Upstream } from './types.ts';

export interface Socks5UpstreamOptions extends SocksProxy {
  id: string;
}

export class Socks5Upstream implements Upstream {
  readonly id: string;
  readonly describe: string;
  private readonly proxy: SocksProxy;

  constructor(options: Socks5UpstreamOptions) {
    this.id = options.id;
    this.describe = `socks5 ${hostPort(options.host, options.port)}`;
    this.proxy = { host: options.host, port: options.port, username: options.username, password: options.password };
  }

  connect(dest: Destination, options?: ConnectOptions): Promise<Duplex> {
    return guardedConnect(this.describe, options, async (guard) => {
      const target = checkDestination(dest, this.describe);
      const socket = await openTcp(guard, this.proxy.host, this.proxy.port);
      const { stream } = await socksHandshake(guard, socket, this.proxy, 'connect', target, options?.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
      return stream;
    });
  }

  associateUdp(options?: ConnectOptions): Promise<UdpRelay> {
    return guardedConnect(this.describe, options, async (guard) => {
      const socket = await openTcp(guard, this.proxy.host, this.proxy.port);
      // The client's UDP address is not known before the relay socket exists: 0.0.0.0:0 (RFC 1928 §7).
      const { bound } = await socksHandshake(guard, socket, this.proxy, 'associate', { host: '0.0.0.0', port: 0 }, options?.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
      return openSocksUdpRelay(guard, socket, bound, this.proxy.host);
    });
  }
}
