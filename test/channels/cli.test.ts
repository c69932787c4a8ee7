// `porthole publish` and `porthole fetch` end to end: a publisher signs and publishes a list;
// dnsmasq, an HTTPS mirror and a page carry it; a client fetches, verifies and stores it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command, CommandContext } from '../../electron/cli/command.ts';
import { fetchCmd } from '../../electron/cli/commands/fetch.ts';
import { publish } from '../../electron/cli/commands/publish.ts';
import { describeError } from '../../electron/cli/errors.ts';
import type { TxtRecord } from '../../electron/core/channels/index.ts';
import { porthole } from '../helpers/cli.ts';
import { startDnsmasq, type Dnsmasq } from '../fixtures/channels/dnsmasq.ts';
import { startDeadServer, startServer, type TestServer } from '../fixtures/channels/servers.ts';
import { makeTestPki, type TestPki } from '../fixtures/channels/tls.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one command in-process, the way electron/cli/porthole.ts does. */
async function run(cmd: Command, args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void): Writable => new Writable({ write: (chunk: Buffer, _enc, cb) => { add(chunk.toString()); cb(); } });
  const ctx: CommandContext = {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    env: { PORTHOLE_DATA_DIR: '' },
    signal: new AbortController().signal,
    readStdin: async () => Buffer.alloc(0),
  };
  try {
    const parsed = parseArgs({ args, options: cmd.options, allowPositionals: true, strict: true });
    const code = await cmd.run(parsed.values as Record<string, string | boolean | string[] | undefined>, parsed.positionals, ctx);
    return { code: code ?? 0, stdout, stderr };
  } catch (err) {
    const { message, code } = describeError(err);
    return { code, stdout, stderr: `${stderr}porthole: ${message}\n` };
  }
}

let dir: string;
let pki: TestPki;
let mirror: TestServer;
let dns: Dnsmasq | undefined;
const p = (...parts: string[]): string => join(dir, ...parts);
const served: { v1?: Buffer; v2?: Buffer; page?: string } = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-chcli-'));
  pki = makeTestPki();
  await writeFile(p('ca.pem'), pki.ca);
  mirror = await startServer({
    '/v2.signed': (_req, res) => res.end(served.v2),
    '/post.html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(served.page),
  }, pki);
  await writeFile(p('list.json'), JSON.stringify({
    name: 'Channel Test',
    entries: [{ url: 'socks5://127.0.0.1:1080', label: 'One' }],
    channels: [`${mirror.url}/v2.signed`],
  }));
  expect((await porthole(['keygen', '--out', p('pub'), '--name', 'Channel Test'])).code).toBe(0);
  expect((await porthole(['sign', '--key', p('pub', 'publisher.key'), '--in', p('list.json'), '--out', p('v1.signed')])).code).toBe(0);
  expect((await porthole(['trust', 'add', p('pub', 'publisher.pub'), '--data-dir', p('client')])).code).toBe(0);
  served.v1 = await readFile(p('v1.signed'));
  const tampered = Buffer.from(served.v1);
  const at = tampered.lastIndexOf('"sig":"') + 10; // the list's signature (the roots come first)
  tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
  await writeFile(p('tampered.signed'), tampered);
}, 60_000);

afterAll(async () => {
  await Promise.all([mirror?.close(), dns?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe('porthole publish', () => {
  it('prints the armored block and a zone fragment that round-trips through the DNS format', async () => {
    const r = await run(publish, [p('v1.signed'), '--dns-name', 'v1.lists.test', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { version: number; armored: string; dns: TxtRecord[]; zone: string };
    expect(out.version).toBe(1);
    expect(out.armored).toMatch(/^-----BEGIN PORTHOLE LIST-----\n/);
    expect(out.dns[0]?.name).toBe('v1.lists.test');
    expect(out.zone.trimEnd().split('\n')).toHaveLength(out.dns.length);
    expect(out.zone).toMatch(/^v1\.lists\.test\. +300 IN TXT "ph1 /);
  });

  it('writes the files for every channel with --out-dir', async () => {
    const r = await run(publish, [p('v1.signed'), '--dns-name', 'v1.lists.test', '--pointer', `${mirror.url}/v2.signed`, '--ttl', '60', '--out-dir', p('out')]);
    expect(r.code).toBe(0);
    expect(await readFile(p('out', 'list.signed'))).toEqual(served.v1);
    expect(await readFile(p('out', 'list.txt'), 'utf8')).toMatch(/BEGIN PORTHOLE LIST/);
    expect(await readFile(p('out', 'list.zone'), 'utf8')).toBe(`v1.lists.test. 60 IN TXT "ph1 url=${mirror.url}/v2.signed"\n`);
  });

  it('refuses a tampered list and bad options', async () => {
    const r = await run(publish, [p('tampered.signed')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^porthole: rejected: bad signature/);
    expect((await run(publish, [p('v1.signed'), '--pointer', 'https://x.example/l'])).stderr).toMatch(/--pointer needs --dns-name/);
    expect((await run(publish, [p('v1.signed'), '--dns-name', 'bad name'])).stderr).toMatch(/not a valid DNS name/);
  });
});

describe('porthole fetch', () => {
  it('fetches a list from DNS TXT records served by dnsmasq, verifies and stores it', async () => {
    const pub = JSON.parse((await run(publish, [p('v1.signed'), '--dns-name', 'v1.lists.test', '--json'])).stdout) as { dns: TxtRecord[] };
    dns = await startDnsmasq(pub.dns);
    const r = await run(fetchCmd, [`dns:v1.lists.test@${dns.server}`, '--only', '--data-dir', p('client'), '--timeout', '10s']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ok +dns:v1\\.lists\\.test@${dns.server.replaceAll('.', '\\.')} +\\d+ ms\\n +added list v1 of Channel Test: 1 servers`));
  });

  it('follows the channels the stored list names, and keeps the newest', async () => {
    expect((await porthole(['sign', '--key', p('pub', 'publisher.key'), '--in', p('list.json'), '--out', p('v2.signed')])).code).toBe(0);
    served.v2 = await readFile(p('v2.signed'));
    served.page = `<html><body><p>old post:</p><pre>${(await run(publish, [p('v1.signed')])).stdout}</pre></body></html>`;
    const client = p('client2');
    expect((await porthole(['trust', 'add', p('pub', 'publisher.pub'), '--data-dir', client])).code).toBe(0);
    // The page carries v1, which names the mirror, which carries v2.
    const first = await run(fetchCmd, [`page:${mirror.url}/post.html`, '--data-dir', client, '--ca', p('ca.pem'), '--json']);
    expect(first.code).toBe(0);
    const reports = JSON.parse(first.stdout) as { channel: string; status: string; candidates: number; lists: { status: string; message: string }[] }[];
    expect(reports.map((x) => [x.channel, x.status, x.lists.map((l) => l.status)])).toEqual([[`page:${mirror.url}/post.html`, 'ok', ['added']]]);
    const second = await run(fetchCmd, ['--data-dir', client, '--ca', p('ca.pem')]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^ok +${mirror.url}/v2\\.signed .*\\n +updated list v2 of Channel Test`));
    const lists = JSON.parse((await porthole(['lists', '--json', '--data-dir', client])).stdout) as { lists: { version: number }[] };
    expect(lists.lists.map((l) => l.version)).toEqual([2]);
  });

  it('reports every dead channel and exits 1 when no list came in', async () => {
    const dead = await startDeadServer();
    try {
      const r = await run(fetchCmd, [`https://127.0.0.1:${dead.port}/l.signed`, `${mirror.url}/nothing`, '--only', '--data-dir', p('client3'), '--timeout', '600ms', '--ca', p('ca.pem')]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^timeout +https://127\\.0\\.0\\.1:${dead.port}/l\\.signed +\\d+ ms: deadline passed\\n`));
      expect(r.stdout).toMatch(/\nhttp-error +https:\/\/127\.0\.0\.1:\d+\/nothing +\d+ ms: HTTP 404\n/);
      expect(r.stderr).toBe('porthole: no channel delivered a valid list\n');
    } finally {
      await dead.close();
    }
  });

  it('rejects what does not verify and bad arguments', async () => {
    expect((await porthole(['trust', 'add', p('pub', 'publisher.pub'), '--data-dir', p('client4')])).code).toBe(0);
    const r = await run(fetchCmd, [`file:${p('tampered.signed')}`, '--only', '--data-dir', p('client4')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ +rejected: bad signature/);
    expect((await run(fetchCmd, ['ftp://x', '--data-dir', p('client4')])).code).toBe(2);
    expect((await run(fetchCmd, ['--only', '--data-dir', p('client4')])).stderr).toMatch(/no channels/);
    expect((await run(fetchCmd, [`${mirror.url}/x`, '--timeout', 'soon', '--data-dir', p('client4')])).stderr).toMatch(/--timeout "soon"/);
  });
});
