// probeEntry against real proxies (microsocks, ss-server, tinyproxy) and misbehaving local servers,
// through the real upstream connectors. Everything runs on 127.0.0.1.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry.ts';
import { probeOne } from '../helpers/probe-one.ts';
import type { ProbeOptions } from '../../electron/core/probe/index.ts';
import {
  freePort, startBlackhole, startMicrosocks, startSsServer, startTinyproxy, testCertificate,
  type MicrosocksPeer, type Peer, type SsServerPeer, type TcpServerHandle,
} from '../peers/index.ts';
import { startGarbage, startProbeTarget, startResetter, type FakeServer, type ProbeTargetServer } from './fake-servers.ts';

let socks: MicrosocksPeer;
let socksAuth: MicrosocksPeer;
let ss: SsServerPeer;
let tiny: Peer;
let target: ProbeTargetServer;
let blackhole: TcpServerHandle;
let resetter: FakeServer;
let garbage: FakeServer;

beforeAll(async () => {
  [socks, socksAuth, ss, tiny, target, blackhole, resetter, garbage] = await Promise.all([
    startMicrosocks(),
    startMicrosocks({ user: 'alice', pass: 'right-secret' }),
    startSsServer({ method: 'chacha20-ietf-poly1305', password: 'ss-secret' }),
    startTinyproxy(),
    startProbeTarget(),
    startBlackhole(),
    startResetter(),
    startGarbage(),
  ]);
});

afterAll(async () => {
  await Promise.all([socks?.stop(), socksAuth?.stop(), ss?.stop(), tiny?.stop(), target?.close(), blackhole?.close(), resetter?.close(), garbage?.close()]);
});

// Generous for what should work (the test machine may be busy); tests of timeouts set short ones.
const fast: ProbeOptions = { timeouts: { connectMs: 5000, handshakeMs: 5000, requestMs: 5000 }, defaultProbeUrls: [] };
const short = (ms: number): ProbeOptions => ({ ...fast, timeouts: { connectMs: 5000, handshakeMs: ms, requestMs: ms } });

/** Every connection the blackhole accepted was closed by our side (FIN or RST). */
function hungUp(server: TcpServerHandle): boolean {
  return server.connections.every((c) => c.socket.readableEnded || c.socket.destroyed);
}

function socks5(id: string, ports: number[], extra: Partial<Entry> = {}): Entry {
  return { id, protocol: 'socks5', host: '127.0.0.1', ports, probeUrls: [target.url('/ok')], ...extra };
}

describe('probe stages against real peers', () => {
  it('a working SOCKS5 proxy: ok, with every stage timed and the second request on the same tunnel', async () => {
    const before = target.accepted();
    const r = await probeOne(socks5('good', [socks.port]), fast);
    expect(r.error).toBeNull();
    expect(r).toMatchObject({ ok: true, port: socks.port, status: 200, reused: true, probeUrl: target.url('/ok') });
    for (const ms of [r.connectMs, r.handshakeMs, r.firstRequestMs, r.latencyMs]) {
      expect(typeof ms).toBe('number');
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(5000);
    }
    // Two requests, one connection to the target: the second one really reused the tunnel.
    expect(target.paths.filter((p) => p === '/ok').length).toBeGreaterThanOrEqual(2);
    expect(target.accepted() - before).toBe(1);
  });

  it('works through Shadowsocks and an HTTP CONNECT proxy too, with a 204 probe URL', async () => {
    const ssEntry: Entry = { id: 'ss', protocol: 'shadowsocks', host: '127.0.0.1', ports: [ss.port], method: 'chacha20-ietf-poly1305', password: 'ss-secret', probeUrls: [target.url('/generate_204')] };
    const httpEntry: Entry = { id: 'http', protocol: 'http', host: '127.0.0.1', ports: [tiny.port], probeUrls: [target.url('/chunked')] };
    const [a, b] = await Promise.all([probeOne(ssEntry, fast), probeOne(httpEntry, fast)]);
    expect(a.error).toBeNull();
    expect(a).toMatchObject({ ok: true, status: 204, reused: true });
    expect(b.error).toBeNull();
    expect(b).toMatchObject({ ok: true, status: 200, reused: true });
  });

  it('refused port: "refused" at the connect stage', async () => {
    const r = await probeOne(socks5('refused', [await freePort()]), fast);
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ kind: 'refused', stage: 'connect' });
    expect(r.error!.message).toMatch(/^connection refused \(connect\)/);
    expect(r.latencyMs).toBeNull();
  });

  it('blackhole (accepts, never answers): "timeout" at the handshake, within the stage timeout', async () => {
    const started = Date.now();
    const r = await probeOne(socks5('hole', [blackhole.port]), short(400));
    expect(Date.now() - started).toBeLessThan(10_000); // the blackhole never answers: this is the 400 ms stage timeout
    expect(r.error).toMatchObject({ kind: 'timeout', stage: 'handshake' });
    expect(r.connectMs).not.toBeNull();
    // The connector gave up and closed its socket.
    await expect.poll(() => hungUp(blackhole), { timeout: 2000 }).toBe(true);
  });

  it('resetter (accepts, then RST): "reset"', async () => {
    const r = await probeOne(socks5('rst', [resetter.port]), fast);
    // The RST may already be there when the pre-check's connect completes.
    expect(r.error!.kind).toBe('reset');
    expect(['connect', 'handshake']).toContain(r.error!.stage);
  });

  it('wrong credentials: "auth"', async () => {
    const r = await probeOne(socks5('auth', [socksAuth.port], { username: 'alice', password: 'wrong' }), fast);
    expect(r.error).toMatchObject({ kind: 'auth', stage: 'handshake' });
    expect(r.error!.message).not.toContain('wrong');
    const ok = await probeOne(socks5('auth-ok', [socksAuth.port], { username: 'alice', password: 'right-secret' }), fast);
    expect(ok.ok).toBe(true);
  });

  it('a server speaking garbage: "bad-reply"', async () => {
    const r = await probeOne(socks5('garbage', [garbage.port]), fast);
    expect(r.error).toMatchObject({ kind: 'bad-reply', stage: 'handshake' });
  });

  it('Shadowsocks with the wrong password: a handshake failure, not "blocked"', async () => {
    const entry: Entry = { id: 'ss-bad', protocol: 'shadowsocks', host: '127.0.0.1', ports: [ss.port], method: 'chacha20-ietf-poly1305', password: 'not-it', probeUrls: [target.url('/ok')] };
    const r = await probeOne(entry, short(800));
    expect(r.ok).toBe(false);
    expect(r.error!.stage).toBe('handshake');
    expect(r.error!.kind).not.toBe('blocked');
  });
});

describe('probe URL blocked vs proxy failure', () => {
  it('451 from the probe URL: "blocked" at the request stage, the proxy itself marked as reachable', async () => {
    const r = await probeOne(socks5('451', [socks.port], { probeUrls: [target.url('/blocked')] }), fast);
    expect(r.ok).toBe(false);
    expect(r.status).toBe(451);
    expect(r.handshakeMs).not.toBeNull();
    expect(r.error).toMatchObject({ kind: 'blocked', stage: 'request' });
    expect(r.error!.message).toMatch(/451/);
  });

  it('a reset in the middle of the probe request is "blocked"; so is a destination the proxy cannot reach', async () => {
    const cut = await probeOne(socks5('cut', [socks.port], { probeUrls: [target.url('/cut')] }), fast);
    expect(cut.error).toMatchObject({ kind: 'blocked', stage: 'request' });
    const nowhere = await probeOne(socks5('nowhere', [socks.port], { probeUrls: [`http://127.0.0.1:${await freePort()}/`] }), fast);
    expect(nowhere.error).toMatchObject({ kind: 'blocked', stage: 'request' });
  });

  it('a 200 page where generate_204 must answer 204 is a block or login page', async () => {
    const good = await probeOne(socks5('204', [socks.port], { probeUrls: [target.url('/generate_204')] }), fast);
    expect(good).toMatchObject({ ok: true, status: 204 });
    const portal = await probeOne(socks5('portal', [socks.port], { probeUrls: [target.url('/portal/generate_204')] }), fast);
    expect(portal).toMatchObject({ ok: false, status: 200 });
    expect(portal.error).toMatchObject({ kind: 'blocked', stage: 'request' });
    expect(portal.error!.message).toMatch(/HTTP 200 instead of 204/);
  });

  it('the entry\'s own probe URLs first, then the next one when the first is blocked', async () => {
    const r = await probeOne(socks5('fallback', [socks.port], { probeUrls: [target.url('/blocked')] }), { ...fast, probeUrls: [target.url('/generate_204')] });
    expect(r.ok).toBe(true);
    expect(r.probeUrl).toBe(target.url('/generate_204'));
    const i = target.paths.lastIndexOf('/blocked');
    expect(target.paths.indexOf('/generate_204', i)).toBeGreaterThan(i);
  });

  it('an https probe URL with a certificate that does not verify (interception): "blocked"', async () => {
    const { key, cert } = testCertificate();
    const server = https.createServer({ key, cert }, (_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/generate_204`;
      const r = await probeOne(socks5('mitm', [socks.port], { probeUrls: [url] }), fast);
      expect(r.error).toMatchObject({ kind: 'blocked', stage: 'request' });
      expect(r.error!.message).toMatch(/certificate .* is not valid .*intercepted/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a slow probe URL: "timeout" at the request stage', async () => {
    const r = await probeOne(socks5('slow', [socks.port], { probeUrls: [target.url('/slow')] }), short(300));
    expect(r.error).toMatchObject({ kind: 'timeout', stage: 'request' });
  });
});

describe('alternative ports are raced', () => {
  it('only the third port is open: it wins, the blackholed one is cancelled long before its timeout', async () => {
    const refused = await freePort();
    const entry = socks5('race', [refused, blackhole.port, socks.port]);
    const before = blackhole.connections.length;
    const started = Date.now();
    const r = await probeOne(entry, fast);
    expect(r.error).toBeNull();
    expect(r.ok).toBe(true);
    expect(r.port).toBe(socks.port);
    expect(Date.now() - started).toBeLessThan(2000);
    // The blackholed port was tried (its pre-check and handshake) and its connection closed by the cancel.
    expect(blackhole.connections.length).toBeGreaterThan(before);
    await expect.poll(() => hungUp(blackhole), { timeout: 2000 }).toBe(true);
  });

  it('all ports fail: the most telling failure is reported with its port', async () => {
    const refused = await freePort();
    const r = await probeOne(socks5('allbad', [refused, socksAuth.port]), fast);
    expect(r.ok).toBe(false);
    expect(r.port).toBe(socksAuth.port);
    expect(r.error!.kind).toBe('auth');
  });
});

describe('degraded: the proxy answers, the probe URLs do not', () => {
  it('blocked probe URLs (451, a destination the proxy cannot reach) mark the server degraded, not dead', async () => {
    const blocked = await probeOne(socks5('deg-451', [socks.port], { probeUrls: [target.url('/blocked')] }), fast);
    expect(blocked).toMatchObject({ ok: false, degraded: true, error: { kind: 'blocked' } });
    const nowhere = await probeOne(socks5('deg-nowhere', [socks.port], { probeUrls: [`http://127.0.0.1:${await freePort()}/`, target.url('/cut')] }), fast);
    expect(nowhere).toMatchObject({ ok: false, degraded: true, error: { kind: 'blocked' } });
  });

  it('a dead proxy, a blackhole or a Shadowsocks server with the wrong password is never degraded', async () => {
    const [refused, hole, ssBad] = await Promise.all([
      probeOne(socks5('d-refused', [await freePort()]), fast),
      probeOne(socks5('d-hole', [blackhole.port]), short(400)),
      probeOne({ id: 'd-ss', protocol: 'shadowsocks', host: '127.0.0.1', ports: [ss.port], method: 'chacha20-ietf-poly1305', password: 'not-it', probeUrls: [target.url('/ok')] }, short(800)),
    ]);
    for (const r of [refused, hole, ssBad]) expect(r.degraded).toBeUndefined();
  });
});
