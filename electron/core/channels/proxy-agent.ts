// Agents that reach HTTP(S) servers through an HTTP proxy's CONNECT method, e.g. the
// bridge's local HTTP proxy once it works. Plain HTTP is tunnelled too (CONNECT to port 80).
import { Agent as HttpAgent, type ClientRequestArgs } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { ProxyAgentOption } from './types.ts';

const MAX_REPLY_HEAD = 16 * 1024;

interface ProxyTarget {
  host: string;
  port: number;
  authorization?: string;
}

function parseProxyUrl(proxyUrl: string): ProxyTarget {
  const u = new URL(proxyUrl);
  if (u.protocol !== 'http:') throw new Error(`proxy must be an http:// URL, got ${u.protocol}`);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const target: ProxyTarget = { host, port: u.port ? Number(u.port) : 8080 };
  if (u.username) {
    const cred = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    target.authorization = `Basic ${Buffer.from(cred).toString('base64')}`;
  }
  return target;
}

/** Opens a TCP stream to host:port through the proxy. Resolves once the proxy said 2xx. */
export function openTunnel(proxy: ProxyTarget, host: string, port: number, timeoutMs = 30_000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: proxy.host, port: proxy.port });
    const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    let head = Buffer.alloc(0);
    const fail = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(Object.assign(new Error('proxy CONNECT timed out'), { code: 'ETIMEDOUT' })));
    socket.once('error', fail);
    const onClose = (): void => fail(Object.assign(new Error('proxy closed the connection'), { code: 'ECONNRESET' }));
    socket.once('close', onClose);
    socket.once('connect', () => {
      const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
      if (proxy.authorization) lines.push(`Proxy-Authorization: ${proxy.authorization}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_REPLY_HEAD) fail(new Error('proxy reply head too long'));
        return;
      }
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', fail);
      socket.setTimeout(0);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'))?.[1];
      if (!status || !status.startsWith('2')) {
        fail(Object.assign(new Error(`proxy refused CONNECT (${status ?? 'bad reply'})`), { code: 'EPROXY' }));
        return;
      }
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('data', onData);
  });
}

type Callback = (err: Error | null, stream: Duplex) => void;

function targetOf(options: ClientRequestArgs, defaultPort: number): { host: string; port: number } {
  const host = (options.host ?? options.hostname ?? 'localhost').replace(/^\[(.*)\]$/, '$1');
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
