// ETags survive a restart: after one run fetched a mirror, the next run asks with If-None-Match
// and the mirror can answer 304 Not Modified (no download in a shutdown where bytes are dear).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../electron/core/engine/engine.ts';
import { createSimplePublisher } from '../../electron/core/lists/keyfiles.ts';
import type { RootChain } from '../../electron/core/lists/roots.ts';
import { buildPayload, signList } from '../../electron/core/lists/sign.ts';
import { startServer, type TestServer } from '../fixtures/channels/servers.ts';

let dir: string;
let mirror: TestServer;
let chain: RootChain;
const asked: (string | undefined)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-etag-'));
  const pub = await createSimplePublisher(join(dir, 'pub'));
  chain = pub.chain;
  const now = new Date();
  const list = signList(buildPayload(JSON.stringify({ entries: [{ url: 'socks5://127.0.0.1:9' }] }), { publisher: chain.publisher, version: 1, issuedAt: now, expires: new Date(now.getTime() + 86400_000) }), pub.key, chain);
  mirror = await startServer({
    '/list.signed': (req, res) => {
      asked.push(req.headers['if-none-match']);
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"v1"' }).end(list);
    },
  });
});

afterAll(async () => {
  await mirror?.close();
  await rm(dir, { recursive: true, force: true });
});

async function runOnce(): Promise<string | undefined> {
  const engine = new Engine({ dataDir: join(dir, 'client'), listen: { host: '127.0.0.1', port: 0 }, pinned: [chain], skipBootstrap: true, channels: [`${mirror.url}/list.signed`], probe: { defaultProbeUrls: ['http://127.0.0.1:9/'] } });
  await engine.open();
  await engine.refreshNow();
  // The round's background tail saves the ETags: wait for the file (bounded).
  for (let i = 0; i < 100 && !existsSync(join(dir, 'client', 'channels.json')); i++) await new Promise((r) => setTimeout(r, 20));
  const status = engine.channelReports()[0]?.status;
  await engine.stop();
  return status;
}

describe('channel ETags', () => {
  it('are kept in the data dir, so the next run gets 304 Not Modified', async () => {
    expect(await runOnce()).toBe('ok');
    expect(await runOnce()).toBe('not-modified');
    expect(asked).toEqual([undefined, '"v1"']);
  });
});
