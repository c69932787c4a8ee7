// MTProto proxies are probed, not bridged: TCP to each port, and the fake-TLS handshake for
// ee-secrets, which only a proxy holding the key answers correctly. Unsupported entries are never dialled.
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../shared/entry.ts';
import { parseProxyLink } from '../../shared/proxy-link.ts';
import { startProbe } from '../../electron/core/probe/index.ts';
import { startFakeTlsProxy, type FakeTlsProxy } from '../peers/mtproto-faketls-server.ts';
import { startBlackhole, testCertificate } from '../peers/index.ts';

const KEY = '0123456789abcdef0123456789abcdef';
const DOMAIN_HEX = Buffer.from('www.example.com').toString('hex');
let proxy: FakeTlsProxy;

beforeAll(async () => { proxy = await startFakeTlsProxy(KEY); });
afterAll(async () => proxy?.close());

function entry(link: string, id: string): Entry {
  return { ...parseProxyLink(link), id };
}

async function probe(entries: Entry[]) {
  const run = startProbe(entries, { timeouts: { connectMs: 2000, handshakeMs: 2000, requestMs: 2000 }, defaultProbeUrls: ['http://127.0.0.1:9/'] });
  const results = await run.done;
  return new Map(results.map((r) => [r.id, r]));
}

describe('MTProto probe', () => {
  it('passes a fake-TLS proxy that holds the secret, and fails one with another secret', async () => {
    const good = entry(`tg://proxy?server=127.0.0.1&port=${proxy.port}&secret=ee${KEY}${DOMAIN_HEX}`, 'good');
    const wrong = entry(`tg://proxy?server=127.0.0.1&port=${proxy.port}&secret=ee${'f'.repeat(32)}${DOMAIN_HEX}`, 'wrong');
    const r = await probe([good, wrong]);
    expect(r.get('good')).toMatchObject({ ok: true, port: proxy.port, error: null });
    expect(r.get('good')!.handshakeMs).toBeGreaterThan(0);
    expect(r.get('wrong')).toMatchObject({ ok: false, error: { kind: 'auth', stage: 'handshake' } });
    expect(r.get('wrong')!.error!.message).toMatch(/does not match the secret/);
    expect(proxy.accepted).toBeGreaterThanOrEqual(1);
    expect(proxy.rejected).toBeGreaterThanOrEqual(1);
  });

  it('fails a real TLS site standing where the proxy should be (a DPI box or the front itself)', async () => {
    const cert = testCertificate();
    const site = createTlsServer({ key: cert.key, cert: cert.cert }, (s) => s.end());
    await new Promise<void>((res) => site.listen(0, '127.0.0.1', res));
    try {
      const port = (site.address() as AddressInfo).port;
      const r = await probe([entry(`tg://proxy?server=127.0.0.1&port=${port}&secret=ee${KEY}${DOMAIN_HEX}`, 'site')]);
      expect(r.get('site')).toMatchObject({ ok: false });
      expect(['auth', 'bad-reply', 'reset', 'other']).toContain(r.get('site')!.error!.kind);
    } finally {
      await new Promise((res) => site.close(res));
    }
  });

  it('checks TCP for plain and dd secrets, tries every port, and names a refused port and a silent one', async () => {
    const hole = await startBlackhole();
    try {
      const dead = entry(`tg://proxy?server=127.0.0.1&port=1&secret=dd${KEY}`, 'dead');
      const plain: Entry = { ...entry(`tg://proxy?server=127.0.0.1&port=1&secret=${KEY}`, 'plain'), ports: [1, proxy.port] };
      const silent = entry(`tg://proxy?server=127.0.0.1&port=${hole.port}&secret=ee${KEY}${DOMAIN_HEX}`, 'silent');
      const r = await probe([dead, plain, silent]);
      expect(r.get('silent')).toMatchObject({ ok: false, error: { kind: 'timeout', stage: 'handshake' } });
      expect(r.get('dead')).toMatchObject({ ok: false, error: { kind: 'refused', stage: 'connect' } });
      expect(r.get('plain')).toMatchObject({ ok: true, port: proxy.port, handshakeMs: null });
    } finally {
      await hole.close();
    }
  });

  it('never dials an unsupported entry and says what it needs', async () => {
    const t0 = Date.now();
    const r = await probe([entry('hysteria2://x@127.0.0.1:1#H', 'hy')]);
    expect(r.get('hy')).toMatchObject({ ok: false, connectMs: null, error: { message: 'not tested: needs hysteria2, a protocol Porthole doesn\'t speak yet' } });
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
