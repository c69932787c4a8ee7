// Agents that reach HTTP(S) servers through an HTTP proxy's CONNECT method, e.g. the
// bridge's local HTTP proxy once it works. Plain HTTP is tunnelled too (CONNECT to port 80).
import { Agent as HttpAgent, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { bareHost } from '../../../shared/ip.ts';
import { exchangeConnect } from '../net/http-connect.ts';
import type { ProxyAgentOption } from './types.ts';

interface ProxyTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

function parseProxyUrl(proxyUrl: string): ProxyTarget {
  const u = new URL(proxyUrl);
  if (u.protocol !== 'http:') throw new Error(`proxy must be an http:// URL, got ${u.protocol}`);
  const host = bareHost(u.hostname);
  const target: ProxyTarget = { host, port: u.port ? Number(u.port) : 8080 };
  if (u.username) {
    target.username = decodeURIComponent(u.username);
    target.password = decodeURIComponent(u.password);
  }
  return target;
}

/** Opens a TCP stream to host:port through the proxy. Resolves once the proxy said 2xx. */
function openTunnel(proxy: ProxyTarget, host: string, port: number, timeoutMs = 30_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: proxy.host, port: proxy.port });
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(Object.assign(new Error('proxy CONNECT timed out'), { code: 'ETIMEDOUT' })));
    exchangeConnect(socket, { host, port }, proxy.username, proxy.password).then((answer) => {
      if (!answer.ok) {
        if (answer.problem === 'closed') fail(Object.assign(new Error('proxy closed the connection'), { code: 'ECONNRESET' }));
        else fail(Object.assign(new Error(`proxy refused CONNECT (${answer.detail})`), { code: 'EPROXY' }));
        return;
      }
      const { status } = answer.head;
      if (status < 200 || status > 299) {
        fail(Object.assign(new Error(`proxy refused CONNECT (${status})`), { code: 'EPROXY' }));
        return;
      }
      if (settled) return;
      settled = true;
      socket.setTimeout(0);
      if (answer.rest.length > 0) socket.unshift(answer.rest);
      resolve(socket);
    }, fail);
  });
}

type Callback = (err: Error | null, stream: Duplex) => void;

function targetOf(options: ClientRequestArgs, defaultPort: number): { host: string; port: number } {
  const host = bareHost(options.host ?? options.hostname ?? 'localhost');
  return { host, port: Number(options.port ?? defaultPort) };
}

class TunnelHttpAgent extends HttpAgent {
  readonly proxy: ProxyTarget;
  readonly connectTimeoutMs: number;
  constructor(proxy: ProxyTarget, connectTimeoutMs: number) {
    super({ keepAlive: false });
    this.proxy = proxy;
    this.connectTimeoutMs = connectTimeoutMs;
  }
  override createConnection(options: ClientRequestArgs, callback?: Callback): Duplex | null | undefined {
    const { host, port } = targetOf(options, 80);
    openTunnel(this.proxy, host, port, this.connectTimeoutMs).then(
      (socket) => callback?.(null, socket),
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

class TunnelHttpsAgent extends HttpsAgent {
  readonly proxy: ProxyTarget;
  readonly connectTimeoutMs: number;
  constructor(proxy: ProxyTarget, connectTimeoutMs: number) {
    super({ keepAlive: false });
    this.proxy = proxy;
    this.connectTimeoutMs = connectTimeoutMs;
  }
  override createConnection(options: HttpsRequestOptions, callback?: Callback): Duplex | null | undefined {
    const { host, port } = targetOf(options, 443);
    openTunnel(this.proxy, host, port, this.connectTimeoutMs).then(
      (socket) => {
        const o = options as HttpsRequestOptions & { servername?: string };
        const tlsOptions: ConnectionOptions = { socket, host };
        const servername = o.servername || (isIP(host) ? undefined : host);
        if (servername) tlsOptions.servername = servername;
        if (o.ca !== undefined) tlsOptions.ca = o.ca;
        if (o.cert !== undefined) tlsOptions.cert = o.cert;
        if (o.key !== undefined) tlsOptions.key = o.key;
        if (o.rejectUnauthorized !== undefined) tlsOptions.rejectUnauthorized = o.rejectUnauthorized;
        if (o.checkServerIdentity !== undefined) tlsOptions.checkServerIdentity = o.checkServerIdentity as ConnectionOptions['checkServerIdentity'];
        if (o.minVersion !== undefined) tlsOptions.minVersion = o.minVersion;
        const tls = tlsConnect(tlsOptions);
        // Like Node's own https.Agent: hand the socket over before the handshake; TLS errors reach the request.
        callback?.(null, tls);
      },
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/**
 * Agents for got's `agent` option that tunnel every request through `proxyUrl`
 * (http://[user:pass@]host:port). `connectTimeoutMs` bounds the proxy's CONNECT answer.
 */
export function httpProxyAgents(proxyUrl: string, connectTimeoutMs = 15_000): ProxyAgentOption {
  const proxy = parseProxyUrl(proxyUrl);
  return { http: new TunnelHttpAgent(proxy, connectTimeoutMs), https: new TunnelHttpsAgent(proxy, connectTimeoutMs) };
}
