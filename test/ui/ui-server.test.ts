// The headless web mode's transport: serveApiOverHttp + the renderer's HTTP client, over real
// loopback HTTP, with the fake Api behind it.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api.ts';
import { createHttpApi } from '../../renderer/src/api/http-client.ts';
import { SseParser } from '../../renderer/src/api/sse.ts';
import { generateToken, serveApiOverHttp } from '../../electron/core/ui-server/index.ts';
import type { UiServer } from '../../electron/core/ui-server/index.ts';
import { FakeApi } from './fake-api.ts';

const token = generateToken();
let server: UiServer;
let api: FakeApi;
let dir: string;

/** A raw request, so Host/Origin headers can be forged (fetch won't allow that). */
function raw(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'porthole-ui-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'porthole-secret.txt'), 'secret');
  api = new FakeApi();
  server = await serveApiOverHttp(api, { token, staticDir: dir, port: 0, heartbeatMs: 50 });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serveApiOverHttp', () => {
  it('binds loopback only and wants a real token', async () => {
    await expect(serveApiOverHttp(api, { token, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    await expect(serveApiOverHttp(api, { token: 'short' })).rejects.toThrow(/token/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${token}`);
  });

  it('answers a call with the token', async () => {
    const res = await raw('/api/call/getState', { method: 'POST', headers: auth, body: '{}' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, result: { phase: 'idle' } });
  });

  it('rejects a missing or wrong token', async () => {
    expect((await raw('/api/call/getState', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    const wrong = { ...auth, authorization: `Bearer ${generateToken()}` };
    expect((await raw('/api/call/getState', { method: 'POST', headers: wrong, body: '{}' })).status).toBe(401);
    expect((await raw('/api/events', { headers: { host: `127.0.0.1:${server.port}` } })).status).toBe(401);
    expect(api.calls.filter((c) => c.method === 'getState')).toHaveLength(1);
  });

  it('rejects a foreign Host (DNS rebinding) and a foreign Origin, even with the token', async () => {
    expect((await raw('/api/call/getState', { method: 'POST', headers: { ...auth, host: `evil.example:${server.port}` }, body: '{}' })).status).toBe(403);
    expect((await raw('/', { headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await raw('/api/call/getState', { method: 'POST', headers: { ...auth, origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await raw('/api/call/getState', { method: 'POST', headers: { ...auth, origin: `http://127.0.0.1:${server.port + 1}` }, body: '{}' })).status).toBe(403);
    expect((await raw('/api/call/getState', { method: 'POST', headers: { ...auth, 'sec-fetch-site': 'cross-site' }, body: '{}' })).status).toBe(403);
    const same = await raw('/api/call/getState', { method: 'POST', headers: { ...auth, origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` }, body: '{}' });
    expect(same.status).toBe(200);
  });

  it('validates requests and maps errors to statuses', async () => {
    expect((await raw('/api/call/pin', { method: 'POST', headers: auth, body: '{"id":"nope"}' })).status).toBe(404);
    expect((await raw('/api/call/pin', { method: 'POST', headers: auth, body: '{"id":7}' })).status).toBe(400);
    expect((await raw('/api/call/nothing', { method: 'POST', headers: auth, body: '{}' })).status).toBe(400);
    expect((await raw('/api/call/getState', { method: 'POST', headers: auth, body: '{oops' })).status).toBe(400);
    expect((await raw('/api/call/getState', { method: 'GET', headers: auth })).status).toBe(405);
    expect((await raw('/api/call/getState', { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    const big = JSON.stringify({ text: 'x'.repeat(9 * 1024 * 1024) }); // over the 8 MB body cap
    expect((await raw('/api/call/importText', { method: 'POST', headers: auth, body: big })).status).toBe(413);
  });

  it('serves the renderer with a strict CSP, and nothing outside its folder', async () => {
    const index = await raw('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>t</title>');
    expect(String(index.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect((await raw('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await raw('/../porthole-secret.txt')).status).toBe(404);
    expect((await raw('/%2e%2e/porthole-secret.txt')).status).toBe(404);
    expect((await raw('/assets/%2e%2e/%2e%2e/porthole-secret.txt')).status).toBe(404);
    expect((await raw('/nope.html')).status).toBe(404);
  });

  it('streams snapshots first, then events, and stops delivering when the client leaves', async () => {
    const events: ApiEvent[] = [];
    const controller = new AbortController();
    const res = await fetch(`${server.origin}/api/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const parser = new SseParser((d) => events.push(JSON.parse(d) as ApiEvent));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const readUntil = async (n: number) => {
      while (events.length < n) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    };
    await readUntil(4);
    expect(events.slice(0, 4).map((e) => e.type)).toEqual(['state', 'servers', 'sources', 'settings']);
    api.emit({ type: 'log', entry: { at: new Date().toISOString(), level: 'info', message: 'hello' } });
    await readUntil(5);
    expect(events[4]).toMatchObject({ type: 'log', entry: { message: 'hello' } });
    const before = api.listenerCount();
    controller.abort();
    await new Promise((r) => setTimeout(r, 100));
    expect(api.listenerCount()).toBe(before - 1);
  });
});

describe('the renderer HTTP client against the server', () => {
  it('calls methods and follows events like the Electron preload would', async () => {
    const client = createHttpApi({ baseUrl: server.origin, token, retryMs: 50 });
    const types: string[] = [];
    const unsubscribe = client.subscribe((e) => types.push(e.type));
    await new Promise((r) => setTimeout(r, 200));
    const settings = await client.setSettings({ startAtLogin: true });
    expect(settings.startAtLogin).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(types.slice(0, 4)).toEqual(['state', 'servers', 'sources', 'settings']);
    expect(types.at(-1)).toBe('settings');
    await expect(client.pin({ id: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
    unsubscribe();
    client.close();
  });

  it('a wrong token fails calls with an error, not silently', async () => {
    const client = createHttpApi({ baseUrl: server.origin, token: generateToken() });
    await expect(client.getState()).rejects.toThrow();
    client.close();
  });
});

describe('SseParser', () => {
  it('handles split chunks, CRLF, multi-line data and comments', () => {
    const got: string[] = [];
    const p = new SseParser((d) => got.push(d));
    p.push(': ping\n\ndata: {"a"');
    p.push(':1}\r\n\r');
    p.push('\ndata: one\ndata: two\n\n');
    expect(got).toEqual(['{"a":1}', 'one\ntwo']);
  });
});
