// HTTP and HTTPS (TLS to the proxy) CONNECT upstreams (RFC 9110 §9.3.6) with Basic authentication.
// The destination goes to the proxy as given (names stay names: the proxy resolves them).
// The exchange itself is net/http-connect.ts; here: what each answer means for the bridge. Bytes
// the proxy sends after the response head belong to the tunnel and are put back (handOff).
import { PortholeError } from '../../../../shared/errors.ts';
import type { Duplex } from 'node:stream';
import { checkDestination } from './destination.ts';
import { hostPort } from '../../net/destination.ts';
import { guardedConnect, openTcp, openTls } from './guard.ts';
import { handOff } from './handoff.ts';
import { exchangeConnect, type ConnectAnswer } from '../../net/http-connect.ts';
import type { TlsClientOptions } from './guard.ts';
import type { ConnectOptions, Destination, Upstream } from './types.ts';

export interface HttpConnectUpstreamOptions {
  id: string;
  host: string;
  port: number;
  /** TLS to the proxy ("https" entries). */
  tls: boolean;
  tlsOptions?: TlsClientOptions;
  username?: string | undefined;
  password?: string | undefined;
}

export class HttpConnectUpstream implements Upstream {
  readonly id: string;
  readonly describe: string;
  private readonly options: HttpConnectUpstreamOptions;

  constructor(options: HttpConnectUpstreamOptions) {
    this.id = options.id;
    this.describe = `${options.tls ? 'https' : 'http'} ${hostPort(options.host, options.port)}`;
    this.options = options;
  }

  connect(dest: Destination, options?: ConnectOptions): Promise<Duplex> {
    return guardedConnect(this.describe, options, async (guard) => {
      const target = checkDestination(dest, this.describe);
      const { host, port, username, password } = this.options;
      const socket = this.options.tls ? await openTls(guard, host, port, this.options.tlsOptions) : await openTcp(guard, host, port);
      guard.check();
      const answer = await exchangeConnect(socket, target, username, password);
      this.judge(answer, username !== undefined || password !== undefined);
      handOff(socket, [answer.rest]);
      return socket;
    });
  }

  /** Throws what a CONNECT answer other than 2xx means for this upstream. */
  private judge(answer: ConnectAnswer, sentCredentials: boolean): asserts answer is ConnectAnswer & { ok: true } {
    const upstream = this.describe;
    if (!answer.ok) {
      throw new PortholeError('bad-reply', `${upstream}: ${answer.detail}`, { upstream, hop: 'proxy' });
    }
    const { head } = answer;
    // 407 is the standard answer; tinyproxy answers 401 to wrong credentials.
    if (head.status === 407 || head.status === 401) {
      const why = sentCredentials ? 'the proxy rejected the username or password' : 'the proxy requires authentication';
      throw new PortholeError('auth', `${upstream}: ${why} (${head.status} ${head.reason})`.trimEnd(), { upstream, hop: 'proxy' });
    }
    if (head.status < 200 || head.status > 299) {
      // 500-504 answers to CONNECT are how proxies say they could not reach the destination
      // (tinyproxy: 500 "Unable to connect", squid: 503, others 502/504).
      const stage = head.status >= 500 && head.status <= 504 ? 'destination' : 'proxy';
      throw new PortholeError('bad-reply', `${upstream}: CONNECT answered ${head.status} ${head.reason}`.trimEnd(), { upstream, hop: stage });
    }
  }
}
