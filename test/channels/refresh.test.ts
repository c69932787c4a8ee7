// One refresh over real local mirrors: the first verified list is usable at once, a newer one
// arriving later replaces it, a tampered or older one is refused with its reason, and the
// deadline holds even with a dead channel (which keeps going in the background).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChannelSpec } from '../../electron/core/channels/index.ts';
import { openClient, type ClientStores } from '../../electron/core/catalog/open.ts';
import { createSimplePublisher } from '../../electron/core/lists/keyfiles.ts';
import { refreshChannels } from '../../electron/core/catalog/refresh.ts';
import { buildPayload, signList } from '../../electron/core/lists/sign.ts';
import { loadStoredLists } from '../../electron/core/catalog/stored.ts';
import { startDeadServer, startServer, type TestServer } from '../fixtures/channels/servers.ts';

let dir: string;
let stores: ClientStores;
let mirror: TestServer;
let dead: Awaited<ReturnType<typeof startDeadServer>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-refresh-'));
  const { key, chain } = await createSimplePublisher(join(dir, 'pub'));
  const now = new Date();
  const sign = (version: number): Uint8Array => signList(buildPayload(JSON.stringify({ entries: [{ url: `socks5://127.0.0.1:${1000 + version}` }] }), { publisher: chain.publisher, version, issuedAt: now, expires: new Date(now.getTime() + 86400_000) }), key, chain);
  const v1 = sign(1);
  const v3 = sign(3);
  const v2 = sign(2);
  const tampered = Buffer.from(v3);
  const at = tampered.lastIndexOf(Buffer.from('"signed":"')) + 120;
  tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41; // one base64url character changed
  mirror = await startServer({
    '/v1': (_q, res) => res.end(v1),
    '/v3-late': (_q, res) => void setTimeout(() => res.end(v3), 400),
    '/v2-later': (_q, res) => void setTimeout(() => res.end(v2), 700),
    '/tampered': (_q, res) => res.end(tampered),
  });
  dead = await startDeadServer();
  stores = await openClient(join(dir, 'client'), { pinned: [chain] });
});

afterAll(async () => {
  await mirror?.close();
  await dead?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('refreshChannels', () => {
  it('accepts the first verified list at once, lets a newer one replace it, refuses the rest, and holds its deadline', async () => {
    const specs = ['/v1', '/v3-late', '/v2-later', '/tampered'].map((p) => parseChannelSpec(`${mirror.url}${p}`, { timeoutMs: 10_000 }));
    const deadChannel = parseChannelSpec(`http://127.0.0.1:${dead.port}/list.signed`, { timeoutMs: 10_000, retries: 0 });
    const accepted: number[] = [];
    const t0 = Date.now();
    const round = refreshChannels(stores, [...specs, deadChannel], {
      deadlineMs: 1500,
      backgroundLimitMs: 3000,
      onAccepted: (o) => accepted.push(o.kind === 'list' && 'version' in o ? o.version : -1),
    });
    const reports = await round.atDeadline;
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(5000); // the dead channel (10 s request timeout) did not hold the round up
    expect(accepted).toEqual([1, 3]); // v1 usable at once, then v3; v2 came later and is older
    const by = (suffix: string) => reports.find((r) => r.channel.endsWith(suffix))!;
    expect(by('/v2-later').lists[0]?.message).toBe('rolled back (have v3, got v2)');
    expect(by('/tampered')).toMatchObject({ status: 'invalid-signature' });
    expect(by('/tampered').detail).toMatch(/^bad signature/);
    expect(by('/list.signed')).toMatchObject({ status: 'timeout', detail: 'still running in the background' });
    const stored = await loadStoredLists(stores);
    expect(stored.lists.map((l) => l.payload.version)).toEqual([3]);
    // In the background, the dead channel ends at its own limit.
    const final = await round.finished;
    expect(final.find((r) => r.channel.endsWith('/list.signed'))?.status).toBe('timeout');
  });
});
