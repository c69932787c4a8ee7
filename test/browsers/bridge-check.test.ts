// The post-launch check against the real Porthole bridge (HTTP proxy: absolute-form and CONNECT).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../electron/core/bridge/index.ts';
import { startBridge } from '../../electron/core/bridge/index.ts';
import { checkThroughBridge } from '../../electron/core/browsers/bridge-check.ts';
import { directUpstream } from './helpers/direct-upstream.ts';
import type { PageServer } from './helpers/page-server.ts';
import { startPageServer } from './helpers/page-server.ts';

const NAME = 'only-proxy.porthole.test';
let bridge: Bridge;
let page: PageServer;
const upstream = directUpstream({ [NAME]: '127.0.0.1' });

beforeAll(async () => {
  page = await startPageServer();
  bridge = await startBridge({ host: '127.0.0.1', port: 0, candidates: () => [upstream] });
});
afterAll(async () => {
  await bridge.close();
  await page.close();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('checkThroughBridge', () => {
  it('fetches an http URL through the bridge, by a name only the proxy side knows', async () => {
    const before = bridge.stats().upstreams.find((u) => u.id === 'test-direct')?.connections ?? 0;
    const r = await checkThroughBridge({ port: bridge.port, url: `http://${NAME}:${page.port}/check` });
    expect(r).toMatchObject({ ok: true, status: 204 });
    expect(upstream.seen).toContain(`${NAME}:${page.port}`);
    expect(page.requests.at(-1)).toEqual({ path: '/check', host: `${NAME}:${page.port}` });
    expect(bridge.stats().upstreams.find((u) => u.id === 'test-direct')?.connections).toBe(before + 1);
  });

  it('reports HTTP errors and unreachable names as failures', async () => {
    expect(await checkThroughBridge({ port: bridge.port, url: `http://${NAME}:${page.port}/missing` })).toMatchObject({ ok: false, status: 404 });
    const r = await checkThroughBridge({ port: bridge.port, url: 'http://nowhere.porthole.test/' });
    expect(r.ok).toBe(false);
    expect(r.status).toBeGreaterThanOrEqual(500);
  });

  it('reports a bridge that is not running', async () => {
    const r = await checkThroughBridge({ port: await freePort(), url: `http://${NAME}/`, timeoutMs: 3000 });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/ECONNREFUSED/);
  });

  it('fetches an https URL through CONNECT, verifying the certificate for the name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'porthole-tls-'));
    try {
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', `/CN=${NAME}`, '-addext', `subjectAltName=DNS:${NAME}`,
        '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      ], { stdio: 'ignore' });
      const cert = readFileSync(path.join(dir, 'cert.pem'));
      const server = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert }, (_req, res) => res.writeHead(204).end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as net.AddressInfo).port;
      try {
        expect(await checkThroughBridge({ port: bridge.port, url: `https://${NAME}:${port}/`, ca: cert })).toMatchObject({ ok: true, status: 204 });
        const untrusted = await checkThroughBridge({ port: bridge.port, url: `https://${NAME}:${port}/` });
        expect(untrusted.ok).toBe(false);
        expect(untrusted.error).toMatch(/self[- ]signed|certificate/i);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
