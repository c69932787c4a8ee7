// "Open Telegram" hands Telegram the best working MTProto proxy or the bridge, whichever works better;
// MTProto servers are probed by the real engine (fake-TLS handshake) and shown with their result;
// not-yet-spoken servers are listed with their reason and never tested. The OS opener (xdg-open) is
// replaced by a script that records the link it was given.
import { chmodSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiService } from '../../electron/core/engine/api/service.ts';
import { startDemo, type DemoSetup } from '../../electron/core/engine/demo.ts';
import { bestTelegramLink } from '../../electron/core/browsers/telegram.ts';
import { startFakeTlsProxy, type FakeTlsProxy } from '../peers/mtproto-faketls-server.ts';

const NO_KEYCHAIN = { available: false, seal: (s: string) => s, open: (s: string) => s };
const KEY = '00112233445566778899aabbccddeeff';
const FRONT = Buffer.from('front.example').toString('hex');
let dir: string;
let demo: DemoSetup;
let proxy: FakeTlsProxy;
let opened: string;
const savedPath = process.env.PATH;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-open-telegram-'));
  [demo, proxy] = await Promise.all([startDemo(join(dir, 'demo')), startFakeTlsProxy(KEY)]);
  opened = join(dir, 'opened.txt');
  writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
  chmodSync(join(dir, 'xdg-open'), 0o755);
  process.env.PATH = `${dir}:${savedPath}`;
}, 60_000);

afterAll(async () => {
  process.env.PATH = savedPath;
  await proxy?.close();
  await demo?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function engine(name: string): Promise<ApiService> {
  const api = new ApiService({ dataDir: join(dir, name), secrets: NO_KEYCHAIN }, {
    listen: { host: '127.0.0.1', port: 0 }, pinned: [demo.chain], skipBootstrap: true, probe: { defaultProbeUrls: [demo.pageUrl] },
  });
  await api.start();
  return api;
}

async function until<T>(fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Open Telegram', () => {
  it('picks the faster of the bridge and a working MTProto proxy', () => {
    const mt = { host: 'mt.example', port: 443, secret: `ee${KEY}`, latencyMs: 40 };
    expect(bestTelegramLink({ bridge: null, mtproto: null })).toBeNull();
    expect(bestTelegramLink({ bridge: { host: '127.0.0.1', port: 1080, latencyMs: 80 }, mtproto: null })).toBe('tg://socks?server=127.0.0.1&port=1080');
    expect(bestTelegramLink({ bridge: { host: '127.0.0.1', port: 1080, latencyMs: 80 }, mtproto: mt })).toBe(`tg://proxy?server=mt.example&port=443&secret=ee${KEY}`);
    expect(bestTelegramLink({ bridge: { host: '127.0.0.1', port: 1080, latencyMs: 20 }, mtproto: mt })).toBe('tg://socks?server=127.0.0.1&port=1080');
    expect(bestTelegramLink({ bridge: null, mtproto: mt })).toMatch(/^tg:\/\/proxy\?/);
  });

  it('with no working bridge, hands Telegram the MTProto proxy that passed the fake-TLS probe', { timeout: 60_000 }, async () => {
    const api = await engine('mt-only');
    try {
      const added = await api.addServerByLink({ link: `tg://proxy?server=127.0.0.1&port=${proxy.port}&secret=ee${KEY}${FRONT}#Telegram proxy\nhysteria2://x@127.0.0.1:9#Hy` });
      expect(added).toMatchObject({ kind: 'added', added: 2, unsupported: 1 });
      await api.connect({}); // nothing bridged works here: the engine still probes the MTProto proxy
      const mt = await until(async () => (await api.listServers()).find((s) => s.protocol === 'mtproto' && s.status === 'ok'));
      expect(mt).toMatchObject({ label: 'Telegram proxy', endpoint: `127.0.0.1:${proxy.port}`, successRate: 1 });
      expect(mt.latencyMs).toBeGreaterThan(0);
      const hy = (await api.listServers()).find((s) => s.protocol === 'unsupported');
      expect(hy).toMatchObject({ needs: 'hysteria2', status: 'untested', lastTested: null });
      expect(await api.openBrowser({ browser: 'telegram' })).toEqual({ ok: true });
      expect(readFileSync(opened, 'utf8')).toBe(`tg://proxy?server=127.0.0.1&port=${proxy.port}&secret=ee${KEY}${FRONT}`);
    } finally {
      await api.stop();
    }
  });

  it('hands Telegram the bridge when the MTProto proxy fails its probe', { timeout: 60_000 }, async () => {
    const api = await engine('bridge');
    try {
      await api.addServerByLink({ link: `socks5://127.0.0.1:${demo.proxies.fast}#Local\ntg://proxy?server=127.0.0.1&port=${proxy.port}&secret=ee${'9'.repeat(32)}${FRONT}#Wrong secret` });
      await api.connect({});
      await until(async () => ((await api.getState()).phase === 'connected' ? true : undefined));
      const mt = await until(async () => (await api.listServers()).find((s) => s.protocol === 'mtproto' && s.status === 'failed'));
      expect(mt.failure).toMatchObject({ message: expect.stringMatching(/does not match the secret/) });
      if (existsSync(opened)) await rm(opened);
      expect(await api.openBrowser({ browser: 'telegram' })).toMatchObject({ ok: true });
      expect(readFileSync(opened, 'utf8')).toMatch(/^tg:\/\/socks\?server=127\.0\.0\.1&port=\d+$/);
    } finally {
      await api.stop();
    }
  });
});
