// DNS TXT channels against a real dnsmasq and a local DoH responder, both on loopback,
// serving exactly what dnsTxtRecords() publishes.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsPointerRecord, dnsTxtRecords, listId, parseChannelSpec, type ChannelFetchResult, type ChannelSettings, type TxtRecord } from '../../electron/core/channels/index.ts';
import { startDnsmasq, type Dnsmasq } from '../fixtures/channels/dnsmasq.ts';
import { startDohServer, type DohServer } from '../fixtures/channels/doh-server.ts';
import { fakeSignedList } from '../fixtures/channels/lists.ts';
import { startServer, type TestServer } from '../fixtures/channels/servers.ts';
import { makeTestPki, type TestPki } from '../fixtures/channels/tls.ts';
import { startDnsdistDoh, type DnsdistDoh } from '../fixtures/channels/dnsdist-doh.ts';

const small = fakeSignedList(400, 'small');
const big = fakeSignedList(6_000, 'big');
const wide = fakeSignedList(2_500, 'wide');
const pointed = fakeSignedList(3_000, 'pointed');
const large = fakeSignedList(20_000, 'large');
const MiB = 1 << 20;

let pki: TestPki;
let mirror: TestServer;
let records: TxtRecord[];
let settings: Partial<ChannelSettings>;

function bigRecordsWithout(part: number): TxtRecord[] {
  return dnsTxtRecords('broken.lists.test', big).filter((r) => r.name !== `${part}.broken.lists.test`);
}

beforeAll(async () => {
  pki = makeTestPki();
  // A generous per-request timeout: the tests that are about timeouts set their own.
  settings = { ca: pki.ca, timeoutMs: 10_000, retries: 1, retryBaseMs: 20, dohStaggerMs: 150 };
  mirror = await startServer({ '/pointed.signed': (_req, res) => res.end(pointed) }, pki);
  records = [
    ...dnsTxtRecords('small.lists.test', small),
    ...dnsTxtRecords('big.lists.test', big),
    ...dnsTxtRecords('wide.lists.test', wide, { maxAnswerBytes: 4_000 }),
    dnsPointerRecord('pointer.lists.test', `${mirror.url}/pointed.signed`),
    ...bigRecordsWithout(1),
    { name: 'spf.lists.test', strings: ['v=spf1 -all'] },
    // Says 5 MB: a client with a 1 MiB cap must not fetch the parts at all.
    { name: 'huge.lists.test', strings: ['ph1 AAAAAAAA parts=200 size=5000000'] },
    ...dnsTxtRecords('huge.lists.test', big).slice(1),
    // An index that does not say its size: the cap must stop the part look-ups.
    ...dnsTxtRecords('nosize.lists.test', large).map((r, i) => (i === 0 ? { ...r, strings: [r.strings.join('').replace(/ size=\d+$/, '')] } : r)),
  ];
});

afterAll(async () => {
  await mirror?.close();
});

function fetchWith(spec: string, opts: { etag?: string; maxBytes?: number; signal?: AbortSignal } = {}, extra: Partial<ChannelSettings> = {}): Promise<ChannelFetchResult> {
  return parseChannelSpec(spec, { ...settings, ...extra }).fetch({
    signal: opts.signal ?? AbortSignal.timeout(15_000),
    maxBytes: opts.maxBytes ?? MiB,
    ...(opts.etag ? { etag: opts.etag } : {}),
  });
}

describe('dns: through a real dnsmasq', () => {
  let dns: Dnsmasq;
  beforeAll(async () => {
    dns = await startDnsmasq(records);
  });
  afterAll(async () => {
    await dns?.stop();
  });

  it('reads a list inline on one name', async () => {
    const r = await fetchWith(`dns:small.lists.test@${dns.server}`);
    expect(r).toMatchObject({ channel: `dns:small.lists.test@${dns.server}`, status: 'ok', etag: `ph1:${listId(small)}` });
    expect(r.blobs).toEqual([small]);
  });

  it('reassembles a list split over several names', async () => {
    expect(dnsTxtRecords('big.lists.test', big).length).toBeGreaterThan(5);
    const r = await fetchWith(`dns:big.lists.test@${dns.server}`);
    expect(r.status).toBe('ok');
    expect(r.detail).toBeUndefined();
    expect(r.blobs).toEqual([big]);
  });

  it('uses the servers from the settings when the spec names none', async () => {
    const r = await fetchWith('dns:big.lists.test', {}, { dnsServers: [dns.server] });
    expect(r.channel).toBe('dns:big.lists.test');
    expect(r.blobs).toEqual([big]);
  });

  it('reads an answer too big for plain UDP (EDNS or TCP fallback)', async () => {
    const r = await fetchWith(`dns:wide.lists.test@${dns.server}`);
    expect(r.status).toBe('ok');
    expect(r.blobs).toEqual([wide]);
  });

  it('answers not-modified from the root name alone when the list id is unchanged', async () => {
    const first = await fetchWith(`dns:big.lists.test@${dns.server}`);
    const again = await fetchWith(`dns:big.lists.test@${dns.server}`, { etag: first.etag ?? '' });
    expect(again).toMatchObject({ status: 'not-modified', blobs: [], etag: first.etag });
    const changed = await fetchWith(`dns:big.lists.test@${dns.server}`, { etag: 'ph1:older000' });
    expect(changed.status).toBe('ok');
  });

  it('follows a pointer record to an HTTPS mirror', async () => {
    const r = await fetchWith(`dns:pointer.lists.test@${dns.server}`);
    expect(r.status).toBe('ok');
    expect(r.blobs).toEqual([pointed]);
  });

  it('reports a missing part instead of a partial list', async () => {
    const r = await fetchWith(`dns:broken.lists.test@${dns.server}`);
    expect(r.status).toBe('error');
    expect(r.blobs).toEqual([]);
    const total = dnsTxtRecords('broken.lists.test', big).length - 1;
    expect(r.detail).toContain(`list ${listId(big)}: ${total - 1} of ${total} chunks`);
    expect(r.detail).toContain('1.broken.lists.test: ENOTFOUND');
  });

  it('refuses a list announced over the cap before fetching its parts', async () => {
    const r = await fetchWith(`dns:huge.lists.test@${dns.server}`);
    expect(r).toMatchObject({ status: 'too-large', detail: 'exceeded 1 MiB', blobs: [] });
  });

  it('enforces the cap on what was reassembled', async () => {
    const r = await fetchWith(`dns:big.lists.test@${dns.server}`, { maxBytes: 4_000 });
    expect(r).toMatchObject({ status: 'too-large', detail: 'exceeded 4000 bytes' });
  });

  it('says what is wrong with names that carry no list', async () => {
    expect(await fetchWith(`dns:spf.lists.test@${dns.server}`)).toMatchObject({ status: 'error', detail: 'no ph1 records on spf.lists.test' });
    expect(await fetchWith(`dns:nothing.lists.test@${dns.server}`)).toMatchObject({ status: 'error', detail: 'nothing.lists.test: no such name' });
  });
});

describe('dns: timeouts', () => {
  let silent: UdpSocket;
  let port = 0;
  beforeAll(async () => {
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()));
    port = silent.address().port;
  });
  afterAll(() => {
    silent?.close();
  });

  it('times out on a server that never answers', async () => {
    const r = await fetchWith(`dns:small.lists.test@127.0.0.1:${port}`, {}, { timeoutMs: 400 });
    expect(r.status).toBe('timeout');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(350);
    expect(r.elapsedMs).toBeLessThan(10_000); // it never answers: anything short of that is the timeout
  });

  it("holds the caller's deadline", async () => {
    const r = await fetchWith(`dns:small.lists.test@127.0.0.1:${port}`, { signal: AbortSignal.timeout(200) }, { timeoutMs: 60_000 });
    expect(r).toMatchObject({ status: 'timeout', detail: 'deadline passed' });
    expect(r.elapsedMs).toBeLessThan(15_000); // the 200 ms deadline, not the 60 s timeout
  });
});

describe('doh: DNS-over-HTTPS', () => {
  let doh: DohServer;
  let doh2: DohServer;
  beforeAll(async () => {
    doh = await startDohServer(records, pki);
    doh2 = await startDohServer(records, pki);
  });
  afterAll(async () => {
    await Promise.all([doh?.close(), doh2?.close()]);
  });

  it('reads a split list with GET queries', async () => {
    const spec = `doh:${doh.url}/dns-query#big.lists.test`;
    const r = await fetchWith(spec);
    expect(r).toMatchObject({ channel: spec, status: 'ok', etag: `ph1:${listId(big)}` });
    expect(r.blobs).toEqual([big]);
    const parts = dnsTxtRecords('big.lists.test', big).length - 1;
    expect(doh.queries.filter((q) => q.endsWith('big.lists.test'))).toHaveLength(parts + 1);
  });

  it('falls back to POST when GET is turned down', async () => {
    const before = doh.hits.get('/post-only') ?? 0;
    const r = await fetchWith(`doh:${doh.url}/post-only#small.lists.test`);
    expect(r.status).toBe('ok');
    expect(r.blobs).toEqual([small]);
    expect((doh.hits.get('/post-only') ?? 0) - before).toBe(2);
  });

  it('falls back to the next endpoint when one fails', async () => {
    const r = await fetchWith(`doh:${doh.url}/broken,${doh2.url}/dns-query#small.lists.test`);
    expect(r.status).toBe('ok');
    expect(r.blobs).toEqual([small]);
  });

  it('starts the next endpoint alongside one that hangs', async () => {
    const r = await fetchWith(`doh:${doh.url}/silent,${doh2.url}/dns-query#small.lists.test`, {}, { timeoutMs: 20_000, dohStaggerMs: 100 });
    expect(r.status).toBe('ok');
    expect(r.blobs).toEqual([small]);
    // Not after the hanging endpoint's 20 s timeout (the bound is wide: 2 shared cores).
    expect(r.elapsedMs).toBeLessThan(10_000);
  });

  it('names every endpoint when all fail', async () => {
    const r = await fetchWith(`doh:${doh.url}/broken,${doh2.url}/broken#small.lists.test`, {}, { retries: 0 });
    expect(r).toMatchObject({ status: 'http-error', detail: `127.0.0.1:${doh.port}: HTTP 500; 127.0.0.1:${doh2.port}: HTTP 500` });
  });

  it('does not fetch the parts of a list announced over the cap', async () => {
    const r = await fetchWith(`doh:${doh.url}/dns-query#huge.lists.test`);
    expect(r.status).toBe('too-large');
    expect(doh.queries.filter((q) => q.endsWith('huge.lists.test'))).toEqual(['huge.lists.test']);
  });

  it('stops looking up parts once what came in is over the cap', async () => {
    const total = dnsTxtRecords('nosize.lists.test', large).length - 1;
    const r = await fetchWith(`doh:${doh.url}/dns-query#nosize.lists.test`, { maxBytes: 600 });
    expect(r).toMatchObject({ status: 'too-large', detail: 'exceeded 600 bytes' });
    const asked = doh.queries.filter((q) => q.endsWith('.nosize.lists.test'));
    expect(asked.length).toBeGreaterThan(0);
    // Six look-ups run at once: a few more may already be under way when the cap is hit.
    expect(asked.length).toBeLessThanOrEqual(8);
    expect(total).toBeGreaterThan(20);
    const whole = await fetchWith(`doh:${doh.url}/dns-query#nosize.lists.test`);
    expect(whole.blobs).toEqual([large]);
  });

  it('follows a pointer', async () => {
    const r = await fetchWith(`doh:${doh.url}/dns-query#pointer.lists.test`);
    expect(r.blobs).toEqual([pointed]);
  });

  it('reports no such name', async () => {
    const r = await fetchWith(`doh:${doh.url}/dns-query#gone.lists.test`);
    expect(r.status).toBe('error');
    expect(r.detail).toBe(`127.0.0.1:${doh.port}: ENOTFOUND`);
  });
});

describe('doh: a resolver that is not ours (dnsdist in front of dnsmasq, DoH with the test certificate)', () => {
  let resolver: DnsdistDoh;
  beforeAll(async () => {
    resolver = await startDnsdistDoh(records, pki);
  }, 30_000);
  afterAll(async () => {
    await resolver?.stop();
  });

  it('reads a one-record list and a list split over many records', async () => {
    const one = await fetchWith(`doh:${resolver.url}#small.lists.test`);
    expect(one).toMatchObject({ status: 'ok', etag: `ph1:${listId(small)}` });
    expect(one.blobs).toEqual([small]);
    const split = await fetchWith(`doh:${resolver.url}#big.lists.test`);
    expect(split.status).toBe('ok');
    expect(split.blobs).toEqual([big]);
  });

  it('reads a list whose records carry several strings', async () => {
    const r = await fetchWith(`doh:${resolver.url}#wide.lists.test`);
    expect(r).toMatchObject({ status: 'ok', etag: `ph1:${listId(wide)}` });
    expect(r.blobs).toEqual([wide]);
  });

  it('a missing part gives no list rather than a short one; no such name gives no list, naming the endpoint', async () => {
    const broken = await fetchWith(`doh:${resolver.url}#broken.lists.test`, {}, { timeoutMs: 8_000 });
    expect(broken.status).not.toBe('ok');
    expect(broken.blobs).toEqual([]);
    const gone = await fetchWith(`doh:${resolver.url}#gone.lists.test`, {}, { timeoutMs: 8_000 });
    expect(gone.status).not.toBe('ok');
    expect(gone.blobs).toEqual([]);
    expect(gone.detail).toMatch(new RegExp(`^127\\.0\\.0\\.1:${resolver.port}: `));
  });

  it('refuses the resolver when its certificate is not trusted', async () => {
    const r = await fetchWith(`doh:${resolver.url}#small.lists.test`, {}, { ca: makeTestPki('Some Other CA').ca });
    expect(r.status).not.toBe('ok');
    expect(r.blobs).toEqual([]);
  });
});
