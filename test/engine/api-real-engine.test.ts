// The Api methods on the REAL engine (ApiService over the core Engine, real proxies from Debian:
// microsocks, dante, ss-server), each call checked against the zod schemas of the contract the way
// both transports check it (callApi), and each for what it does: add and remove a server by link,
// share servers as a code that carries them, trust and untrust a code's sender (its servers go
// with it), set the system proxy and put it back on disconnect, open a browser on the bridge, and
// switch LAN sharing. This computer is injected: a stand-in Firefox on PATH (a script that records
// how it was started; the browsers installed here are hidden) and an in-memory desktop proxy
// panel. Loopback only.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiError, type MethodName, type RequestOf, type ResponseOf } from '../../shared/api.ts';
import { callApi } from '../../shared/api-dispatch.ts';
import { parseProxyLink } from '../../shared/proxy-link.ts';
import type { HostEnv } from '../../electron/core/browsers/host-env.ts';
import { realHost } from '../../electron/core/browsers/real-host.ts';
import type { ItemState, ProxyBackend, ProxyTarget } from '../../electron/core/browsers/system-proxy/types.ts';
import { createCode, readCode } from '../../electron/core/codes/codes.ts';
import { generateKey } from '../../electron/core/crypto/ed25519.ts';
import { ApiService } from '../../electron/core/engine/api/service.ts';
import { startRealPeers, type RealPeers } from '../e2e/real-peers.ts';

const NO_KEYCHAIN = { available: false, seal: (s: string) => s, open: (s: string) => s };
let dir: string;
let bin: string;
let peers: RealPeers;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-api-real-'));
  bin = join(dir, 'bin');
  await mkdir(bin);
  // Firefox as this computer has it: records its arguments and keeps running like a browser does.
  await writeFile(join(bin, 'firefox'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(dir, 'firefox-args.txt')}'\nexec /bin/sleep 10\n`);
  await chmod(join(bin, 'firefox'), 0o755);
  peers = await startRealPeers();
}, 120_000);

afterAll(async () => {
  await peers?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A desktop's proxy settings panel (one item, like GNOME's): mode, PAC URL, manual host and port. */
function panel(): ProxyBackend & { items: Record<string, ItemState> } {
  const p = {
    name: 'gnome',
    items: { desktop: { mode: 'manual', pac: null, host: 'corp.example', port: 3128 } } as Record<string, ItemState>,
    read: async () => structuredClone(p.items),
    target: (_item: string, t: ProxyTarget): ItemState => ({ mode: 'auto', pac: t.pacUrl }),
    pointsAt: (s: ItemState, t: ProxyTarget) => s.mode === 'auto' && s.pac === t.pacUrl,
    isPorthole: (s: ItemState) => typeof s.pac === 'string' && s.pac.endsWith('/proxy.pac'),
    neutral: (): ItemState => ({ mode: 'none', pac: null }),
    write: async (item: string, fields: ItemState) => {
      Object.assign(p.items[item]!, fields);
    },
    commit: async () => undefined,
  };
  return p;
}

/**
 * The machine the engine sees: real processes, but a file system with nothing outside the test's
 * folder, so that the browsers installed here (Debian's Chromium and Firefox ESR) are not found.
 */
function thisComputer(env: Record<string, string>): HostEnv {
  const real = realHost(env);
  const inside = (p: string): boolean => p.startsWith(`${dir}/`);
  return {
    ...real,
    fs: {
      exists: async (p) => inside(p) && real.fs.exists(p),
      readText: async (p) => (inside(p) ? real.fs.readText(p) : undefined),
      list: async (d) => (inside(d) ? real.fs.list(d) : []),
      realpath: async (p) => (inside(p) ? real.fs.realpath(p) : p),
    },
  };
}

/** One call as a transport makes it: the request and the response checked against the contract. */
function call<M extends MethodName>(api: ApiService, method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
  return callApi(api, method, request) as Promise<ResponseOf<M>>;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function engine(name: string, proxyPanel = panel()): Promise<ApiService> {
  const home = join(dir, name, 'home');
  const api = new ApiService({ dataDir: join(dir, name, 'data'), secrets: NO_KEYCHAIN }, {
    listen: { host: '127.0.0.1', port: 0 },
    pinned: [peers.chain],
    skipBootstrap: true,
    probe: { defaultProbeUrls: [peers.pageUrl] },
    desktop: { host: thisComputer({ PATH: bin, HOME: home, XDG_DATA_DIRS: join(dir, name, 'share') }), proxyBackends: [proxyPanel] },
  });
  await api.start();
  await api.importRaw(await readFile(peers.listFile), false);
  return api;
}

describe('the Api on the real engine, checked against the contract', () => {
  it('a server added by link can be shared as a code that carries it, and removed', { timeout: 60_000 }, async () => {
    const api = await engine('servers');
    try {
      const link = `socks5://127.0.0.1:${peers.socksPort}#My-own`;
      const added = await call(api, 'addServerByLink', { link });
      expect(added).toMatchObject({ kind: 'added', added: 1, own: true });
      const id = (added as { serverIds: string[] }).serverIds[0]!;
      expect((await call(api, 'listServers', {})).find((s) => s.id === id)).toMatchObject({ label: 'My-own', endpoint: `127.0.0.1:${peers.socksPort}` });
      expect(await call(api, 'addServerByLink', { link: 'not a link at all' })).toMatchObject({ kind: 'invalid' });

      const shared = await call(api, 'shareServers', { ids: [id] });
      expect(shared.link).toBe(`porthole://import/${shared.code}`);
      expect(readCode(shared.code)!.content.servers).toEqual([expect.objectContaining({ protocol: 'socks5', host: '127.0.0.1', ports: [peers.socksPort], label: 'My-own' })]);

      expect(await call(api, 'removeServer', { id })).toEqual({ removed: true });
      expect((await call(api, 'listServers', {})).map((s) => s.id)).not.toContain(id);
      expect(await call(api, 'removeServer', { id })).toEqual({ removed: false });
    } finally {
      await api.stop();
    }
  });

  it('a code\'s sender, once trusted, can be untrusted: its servers go with it; the pinned publisher cannot be', { timeout: 60_000 }, async () => {
    const api = await engine('trust');
    try {
      const sender = generateKey();
      const code = createCode({ key: sender, servers: [parseProxyLink(`socks5://127.0.0.1:${peers.socksPort}#From-Mum`)], expires: new Date(Date.now() + 3 * 86_400_000), name: 'Mum' });
      const asked = await call(api, 'importText', { text: `Here: ${code}` });
      expect(asked.kind).toBe('needs-trust');
      const fingerprint = (asked as { publisher: { fingerprint: string } }).publisher.fingerprint;
      expect(await call(api, 'trustPublisher', { fingerprint })).toMatchObject({ fingerprint, trusted: true });
      expect(await call(api, 'importText', { text: code })).toMatchObject({ kind: 'added', added: 1 });
      expect((await call(api, 'listServers', {})).map((s) => s.label)).toContain('From-Mum');

      expect(await call(api, 'untrust', { fingerprint })).toEqual({ removed: true });
      expect((await call(api, 'listServers', {})).map((s) => s.label)).not.toContain('From-Mum');
      expect((await call(api, 'getSources', {})).publishers.map((p) => p.fingerprint)).not.toContain(fingerprint);
      expect(await call(api, 'untrust', { fingerprint })).toEqual({ removed: false });

      const pinned = (await call(api, 'getSources', {})).publishers.find((p) => p.trusted)!;
      await expect(call(api, 'untrust', { fingerprint: pinned.fingerprint })).rejects.toSatisfy(isApiError);
    } finally {
      await api.stop();
    }
  });

  it('connected: the system proxy points at the bridge and is put back on disconnect; Firefox opens on the bridge', { timeout: 90_000 }, async () => {
    const desk = panel();
    const before = structuredClone(desk.items.desktop);
    const api = await engine('desktop', desk);
    try {
      expect(await call(api, 'openBrowser', { browser: 'firefox' })).toMatchObject({ ok: false, reason: 'not-connected' });
      await call(api, 'connect', {});
      const state = await until('connected', async () => {
        const s = await call(api, 'getState', {});
        return s.phase === 'connected' ? s : undefined;
      });
      const port = state.bridge!.socks.port;
      expect(state.browsers).toMatchObject({ firefox: true, chrome: false });

      const on = await call(api, 'setSettings', { systemProxy: true, testUrl: peers.pageUrl });
      expect(on).toMatchObject({ systemProxy: true, testUrl: peers.pageUrl });
      expect(desk.items.desktop).toMatchObject({ mode: 'auto', pac: `http://127.0.0.1:${port}/proxy.pac` });
      expect((await call(api, 'getState', {})).systemProxy).toBe(true);

      // Firefox starts with a profile of its own that points at the bridge.
      expect(await call(api, 'openBrowser', { browser: 'firefox' })).toEqual({ ok: true });
      const args = (await readFile(join(dir, 'firefox-args.txt'), 'utf8')).split('\n');
      const profile = args[args.indexOf('-profile') + 1]!;
      expect(profile.startsWith(join(dir, 'desktop', 'data'))).toBe(true);
      expect(await readFile(join(profile, 'user.js'), 'utf8')).toContain(`${port}`);
      expect(await call(api, 'openBrowser', { browser: 'chrome' })).toMatchObject({ ok: false, reason: 'not-installed' });

      const off = await call(api, 'disconnect', {});
      expect(off.phase).not.toBe('connected');
      expect(off.systemProxy).toBe(false);
      expect(desk.items.desktop).toEqual(before);
    } finally {
      await api.stop();
    }
    expect(desk.items.desktop).toEqual(before);
  });

  it('LAN sharing: refused without a password, then the bridge is offered to the network with the share credentials', { timeout: 90_000 }, async () => {
    const api = await engine('lan');
    try {
      await expect(call(api, 'setSettings', { lanSharing: true, lanUsername: 'family', lanPassword: 'short' })).rejects.toMatchObject({ code: 'bad-request' });
      expect((await call(api, 'getSettings', {})).lanSharing).toBe(false);
      const s = await call(api, 'setSettings', { lanSharing: true, lanUsername: 'family', lanPassword: 'long enough pass' });
      expect(s).toMatchObject({ lanSharing: true, lanUsername: 'family', lanPassword: 'long enough pass' });
      await call(api, 'connect', {});
      const state = await until('connected', async () => {
        const st = await call(api, 'getState', {});
        return st.phase === 'connected' ? st : undefined;
      });
      expect(state.lan).toEqual(state.bridge);
      expect((await call(api, 'setSettings', { lanSharing: false })).lanSharing).toBe(false);
      expect((await call(api, 'getState', {})).lan).toBeNull();
    } finally {
      await api.stop();
    }
  });
});
