// HTTPS mirrors and pages against loopback servers with a test CA.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armor } from '../../shared/armor.ts';
import { httpProxyAgents, parseChannelSpec, type ChannelFetchResult, type ChannelSettings } from '../../electron/core/channels/index.ts';
import { fakeSignedList } from '../fixtures/channels/lists.ts';
import { startConnectProxy, startDeadServer, startServer, type TestServer } from '../fixtures/channels/servers.ts';
import { makeTestPki, type TestPki } from '../fixtures/channels/tls.ts';
import { startTinyproxy } from '../peers/index.ts';

const list = fakeSignedList(5_000, 'one');
const list2 = fakeSignedList(2_000, 'two');
const key = new Uint8Array(32).fill(7);
const MiB = 1 << 20;

let pki: TestPki;
let mirror: TestServer;
let rogue: TestServer;
let plain: TestServer;
let settings: Partial<ChannelSettings>;
/** Bytes the endless route managed to write before the client hung up. */
let foreverWritten = 0;
let foreverClosed = false;

const telegramPage = (block: string): string => `<!DOCTYPE html><html><head><title>Porthole lists – Telegram</title></head><body>
<div class="tgme_widget_message_wrap"><div class="tgme_widget_message_text js-message_text" dir="auto">
Today&#39;s list &amp; key. Share it!<br/><br/>${block.trimEnd().split('\n').join('<br/>')}<br/><br/><i>stay safe</i>
</div><div class="tgme_widget_message_footer"><span class="tgme_widget_message_views">1.2K</span></div></div></body></html>`;

beforeAll(async () => {
  pki = makeTestPki();
  settings = { ca: pki.ca, timeoutMs: 2_000, retries: 2, retryBaseMs: 20 };
  let flaky = 0;
  mirror = await startServer({
    '/list.signed': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304, { etag: '"v1"' }).end();
      else res.writeHead(200, { etag: '"v1"', 'content-type': 'application/octet-stream' }).end(list);
    },
    '/lists.txt': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`Lists:\n${armor('LIST', list)}\nKey:\n${armor('KEY', key)}\nBackup:\n> ${armor('LIST', list2).trimEnd().split('\n').join('\n> ')}\n`);
    },
    '/page.html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(telegramPage(armor('LIST', list)));
    },
    '/empty.html': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>nothing here</body></html>');
    },
    '/slow': (_req, res) => {
      const t = setTimeout(() => res.end(list), 5_000);
      res.on('close', () => clearTimeout(t));
    },
    '/drip': (_req, res) => {
      res.writeHead(200);
      let i = 0;
      const step = 500;
      const t = setInterval(() => {
        res.write(list.subarray(i, i + step));
        i += step;
        if (i >= list.length) {
          clearInterval(t);
          res.end();
        }
      }, 20);
      res.on('close', () => clearInterval(t));
    },
    '/forever': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16 * 1024, 0x41);
      let open = true;
      res.on('close', () => {
        open = false;
        foreverClosed = true;
      });
      const pump = (): void => {
        while (open && foreverWritten < 512 * MiB) {
          foreverWritten += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
    },
    '/announced-big': (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * MiB) });
      res.write(Buffer.alloc(1024));
      // …and then nothing: only the announced length can stop it early.
    },
    '/gzip-bomb': (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(8 * MiB)));
    },
    '/not-found': (_req, res) => {
      res.writeHead(404).end('no');
    },
    '/error': (_req, res) => {
      res.writeHead(500).end('oops');
    },
    '/flaky': (_req, res) => {
      if (flaky++ === 0) res.writeHead(503).end();
      else res.writeHead(200).end(list);
    },
    '/legal': (_req, res) => {
      res.writeHead(451).end();
    },
    '/reset': (req) => {
      req.socket.destroy();
    },
    '/redirect': (_req, res) => {
      res.writeHead(302, { location: '/list.signed' }).end();
    },
  }, pki);
  rogue = await startServer({ '/list.signed': (_req, res) => res.end(list) }, makeTestPki('Someone Else'));
  plain = await startServer({ '/list.signed': (_req, res) => res.end(list) });
});

afterAll(async () => {
  await Promise.all([mirror?.close(), rogue?.close(), plain?.close()]);
});

async function fetchSpec(spec: string, extra: Partial<ChannelSettings> = {}, opts: { maxBytes?: number; etag?: string; signal?: AbortSignal } = {}): Promise<ChannelFetchResult> {
  const ch = parseChannelSpec(spec, { ...settings, ...extra });
  return ch.fetch({ signal: opts.signal ?? AbortSignal.timeout(20_000), maxBytes: opts.maxBytes ?? MiB, ...(opts.etag ? { etag: opts.etag } : {}) });
}

describe('HTTPS mirror', () => {
  it('delivers the raw signed list byte for byte, with its ETag', async () => {
    const r = await fetchSpec(`${mirror.url}/list.signed`);
    expect(r).toMatchObject({ channel: `${mirror.url}/list.signed`, status: 'ok', etag: '"v1"' });
    expect(r.detail).toBeUndefined();
    expect(r.blobs).toHaveLength(1);
    expect(Buffer.from(r.blobs[0] ?? []).equals(Buffer.from(list))).toBe(true);
    expect(Date.parse(r.fetchedAt)).not.toBeNaN();
    expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('answers not-modified for the same ETag (If-None-Match → 304)', async () => {
    const r = await fetchSpec(`${mirror.url}/list.signed`, {}, { etag: '"v1"' });
    expect(r).toMatchObject({ status: 'not-modified', etag: '"v1"', blobs: [] });
    const changed = await fetchSpec(`${mirror.url}/list.signed`, {}, { etag: '"v0"' });
    expect(changed.status).toBe('ok');
  });

  it('returns every LIST block of a text mirror, quoted ones too, and skips KEY blocks', async () => {
    const r = await fetchSpec(`${mirror.url}/lists.txt`);
    expect(r.status).toBe('ok');
    expect(r.blobs.map((b) => Buffer.from(b).toString())).toEqual([Buffer.from(list).toString(), Buffer.from(list2).toString()]);
  });

  it('follows a redirect', async () => {
    const r = await fetchSpec(`${mirror.url}/redirect`);
    expect(r.status).toBe('ok');
    expect(r.blobs).toEqual([list]);
  });

  it('works over plain HTTP too', async () => {
    const r = await fetchSpec(`${plain.url}/list.signed`);
    expect(r.status).toBe('ok');
    expect(r.blobs).toEqual([list]);
  });

  it('takes a slow but steady mirror', async () => {
    const r = await fetchSpec(`${mirror.url}/drip`);
    expect(r.status).toBe('ok');
    expect(r.blobs).toEqual([list]);
  });
});

describe('bounds', () => {
  it('times out a mirror that answers too late, without retrying', async () => {
    const before = mirror.hits.get('/slow') ?? 0;
    const r = await fetchSpec(`${mirror.url}/slow`, { timeoutMs: 300 });
    expect(r.status).toBe('timeout');
    expect(r.detail).toMatch(/timed out/);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(280);
    expect(r.elapsedMs).toBeLessThan(4_500); // before the mirror's answer at 5 s (wide: 2 shared cores)
    expect((mirror.hits.get('/slow') ?? 0) - before).toBe(1);
  });

  it('stops a body that never ends at the byte cap, and the server sees the hang-up', async () => {
    const r = await fetchSpec(`${mirror.url}/forever`, { timeoutMs: 30_000 }, { maxBytes: 64 * 1024 });
    expect(r).toMatchObject({ status: 'too-large', detail: 'exceeded 64 KiB', blobs: [] });
    expect(r.elapsedMs).toBeLessThan(15_000); // the cap, not the 30 s timeout, ended it
    await expect.poll(() => foreverClosed, { timeout: 15_000 }).toBe(true);
    // Socket buffers hold some data in flight, but nowhere near what an unbounded read would take.
    expect(foreverWritten).toBeLessThan(32 * MiB);
  });

  it('refuses at once a body announced over the cap', async () => {
    const r = await fetchSpec(`${mirror.url}/announced-big`, { timeoutMs: 30_000 });
    expect(r).toMatchObject({ status: 'too-large', detail: 'exceeded 1 MiB' });
    expect(r.elapsedMs).toBeLessThan(15_000); // at once, not at the 30 s timeout
  });

  it('counts decompressed bytes (a gzip bomb is too large)', async () => {
    const r = await fetchSpec(`${mirror.url}/gzip-bomb`);
    expect(r).toMatchObject({ status: 'too-large', detail: 'exceeded 1 MiB' });
  });

  it('times out on a server that accepts and never answers', async () => {
    const dead = await startDeadServer();
    try {
      const r = await fetchSpec(`https://127.0.0.1:${dead.port}/list.signed`, { timeoutMs: 400 });
      expect(r.status).toBe('timeout');
      expect(r.elapsedMs).toBeGreaterThanOrEqual(380);
      expect(r.elapsedMs).toBeLessThan(10_000); // the server never answers: anything short of that is the timeout
      expect(dead.accepted()).toBe(1);
    } finally {
      await dead.close();
    }
  });

  it("holds the caller's deadline even when the per-request timeout is long", async () => {
    const dead = await startDeadServer();
    try {
      const r = await fetchSpec(`https://127.0.0.1:${dead.port}/x`, { timeoutMs: 60_000 }, { signal: AbortSignal.timeout(300) });
      expect(r).toMatchObject({ status: 'timeout', detail: 'deadline passed' });
      expect(r.elapsedMs).toBeLessThan(15_000); // the 300 ms deadline, not the 60 s timeout
    } finally {
      await dead.close();
    }
  });

  it('reports a cancel as aborted', async () => {
    const dead = await startDeadServer();
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 100);
      const r = await fetchSpec(`https://127.0.0.1:${dead.port}/x`, { timeoutMs: 30_000 }, { signal: ac.signal });
      expect(r).toMatchObject({ status: 'error', detail: 'aborted' });
    } finally {
      await dead.close();
    }
  });
});

describe('HTTP errors and retries', () => {
  it('does not retry a 404', async () => {
    const r = await fetchSpec(`${mirror.url}/not-found`);
    expect(r).toMatchObject({ status: 'http-error', detail: 'HTTP 404', blobs: [] });
    expect(mirror.hits.get('/not-found')).toBe(1);
  });

  it('retries a 500 a bounded number of times', async () => {
    const r = await fetchSpec(`${mirror.url}/error`, { retries: 2 });
    expect(r).toMatchObject({ status: 'http-error', detail: 'HTTP 500' });
    expect(mirror.hits.get('/error')).toBe(3);
    const none = await fetchSpec(`${mirror.url}/error`, { retries: 0 });
    expect(none.status).toBe('http-error');
    expect(mirror.hits.get('/error')).toBe(4);
  });

  it('recovers when a retry succeeds', async () => {
    const r = await fetchSpec(`${mirror.url}/flaky`);
    expect(r.status).toBe('ok');
    expect(r.blobs).toEqual([list]);
    expect(mirror.hits.get('/flaky')).toBe(2);
  });

  it('calls HTTP 451 blocked', async () => {
    expect(await fetchSpec(`${mirror.url}/legal`)).toMatchObject({ status: 'blocked', detail: 'HTTP 451' });
  });

  it('calls a reset connection blocked, after bounded retries', async () => {
    const r = await fetchSpec(`${mirror.url}/reset`);
    expect(r).toMatchObject({ status: 'blocked', detail: 'ECONNRESET' });
    expect(mirror.hits.get('/reset')).toBe(3);
  });

  it('calls a certificate from an unknown CA blocked (a man in the middle)', async () => {
    const r = await fetchSpec(`${rogue.url}/list.signed`);
    expect(r.status).toBe('blocked');
    expect(r.detail).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    expect(r.blobs).toEqual([]);
  });

  it('reports a refused connection as an error with its code', async () => {
    const dead = await startDeadServer();
    const port = dead.port;
    await dead.close();
    const r = await fetchSpec(`https://127.0.0.1:${port}/x`, { retries: 1 });
    expect(r).toMatchObject({ status: 'error', detail: 'ECONNREFUSED' });
  });
});

describe('page: channel', () => {
  it('finds an armored block buried in a Telegram-like page', async () => {
    const r = await fetchSpec(`page:${mirror.url}/page.html`);
    expect(r).toMatchObject({ channel: `page:${mirror.url}/page.html`, status: 'ok' });
    expect(r.blobs).toEqual([list]);
  });

  it('says so when a page has no block', async () => {
    const r = await fetchSpec(`page:${mirror.url}/empty.html`);
    expect(r).toMatchObject({ status: 'ok', blobs: [], detail: 'no signed list or armored block found' });
  });

  it('does not take a raw list served on a page URL as a page', async () => {
    const r = await fetchSpec(`page:${mirror.url}/list.signed`);
    expect(r.blobs).toEqual([]);
  });
});

describe('through a local HTTP proxy (CONNECT)', () => {
  it('fetches HTTPS and HTTP mirrors through the proxy', async () => {
    const proxy = await startConnectProxy();
    try {
      const agents = httpProxyAgents(proxy.url);
      const https = await parseChannelSpec(`${mirror.url}/list.signed`, settings).fetch({ signal: AbortSignal.timeout(5_000), maxBytes: MiB, proxy: agents });
      expect(https.status).toBe('ok');
      expect(https.blobs).toEqual([list]);
      const http = await parseChannelSpec(`${plain.url}/list.signed`, settings).fetch({ signal: AbortSignal.timeout(5_000), maxBytes: MiB, proxy: agents });
      expect(http.status).toBe('ok');
      expect(http.blobs).toEqual([list]);
      expect(proxy.tunnels).toEqual([`127.0.0.1:${mirror.port}`, `127.0.0.1:${plain.port}`]);
    } finally {
      await proxy.close();
    }
  });

  it('through a real proxy that wants a login (tinyproxy, BasicAuth): fetches with the credentials from the proxy URL, reports 407 without', async () => {
    const tiny = await startTinyproxy({ basicAuth: { user: 'relay', pass: 'open-sesame_7' } });
    try {
      const withLogin = httpProxyAgents(`http://relay:open-sesame_7@127.0.0.1:${tiny.port}`);
      const https = await parseChannelSpec(`${mirror.url}/list.signed`, settings).fetch({ signal: AbortSignal.timeout(10_000), maxBytes: MiB, proxy: withLogin });
      expect(https.status).toBe('ok');
      expect(https.blobs).toEqual([list]);
      const http = await parseChannelSpec(`${plain.url}/list.signed`, settings).fetch({ signal: AbortSignal.timeout(10_000), maxBytes: MiB, proxy: withLogin });
      expect(http.status).toBe('ok');
      expect(http.blobs).toEqual([list]);
      for (const url of [`http://relay:wrong@127.0.0.1:${tiny.port}`, `http://127.0.0.1:${tiny.port}`]) {
        const r = await parseChannelSpec(`${mirror.url}/list.signed`, settings).fetch({ signal: AbortSignal.timeout(10_000), maxBytes: MiB, proxy: httpProxyAgents(url) });
        expect(r).toMatchObject({ status: 'error', detail: 'EPROXY' });
        expect(r.blobs).toEqual([]);
      }
    } finally {
      await tiny.stop();
    }
  });

  it('reports a proxy that refuses the tunnel', async () => {
    const proxy = await startConnectProxy();
    try {
      const r = await parseChannelSpec('https://localhost.invalid/x', settings).fetch({ signal: AbortSignal.timeout(5_000), maxBytes: MiB, proxy: httpProxyAgents(proxy.url) });
      expect(r).toMatchObject({ status: 'error', detail: 'EPROXY' });
      expect(proxy.tunnels).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
