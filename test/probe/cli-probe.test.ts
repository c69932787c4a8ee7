// `porthole probe` through the real CLI, against real local proxies.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { runCli } from '../../electron/cli/porthole.ts';
import { porthole as spawnPorthole, type CliResult } from '../helpers/cli.ts';
import { freePort, startMicrosocks, type MicrosocksPeer } from '../peers/index.ts';
import { startProbeTarget, type ProbeTargetServer } from './fake-servers.ts';

let socks: MicrosocksPeer;
let socksAuth: MicrosocksPeer;
let target: ProbeTargetServer;
let refused: number;
let dir: string;

beforeAll(async () => {
  [socks, socksAuth, target, refused, dir] = await Promise.all([
    startMicrosocks(),
    startMicrosocks({ user: 'alice', pass: 'right-secret' }),
    startProbeTarget(),
    freePort(),
    mkdtemp(join(tmpdir(), 'porthole-probe-cli-')),
  ]);
});

afterAll(async () => {
  await Promise.all([socks?.stop(), socksAuth?.stop(), target?.close(), dir ? rm(dir, { recursive: true, force: true }) : undefined]);
});

/** The real CLI as a child process, with room for a busy test machine. */
const porthole = (args: string[]): Promise<CliResult> => spawnPorthole(args, { timeoutMs: 60_000 });

async function runInProcess(args: string[]): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await runCli(args, { stdout: out, stderr: err, env: {}, signal: new AbortController().signal, readStdin: async () => Buffer.alloc(0) });
  return { code, stdout, stderr };
}

interface JsonRow {
  id: string;
  url: string;
  ok: boolean;
  latencyMs: number | null;
  error: string | null;
  errorKind: string | null;
  port: number;
  connectMs: number | null;
  handshakeMs: number | null;
  firstRequestMs: number | null;
}

describe('porthole probe', { timeout: 90_000 }, () => {
  it('--json: an array ranked best first with id, url without credentials, ok, latencyMs, error, port, stage timings', async () => {
    const r = await porthole([
      'probe',
      '--server', `socks5://127.0.0.1:${refused}`,
      '--server', `socks5://mallory:wrong-pass@127.0.0.1:${socksAuth.port}`,
      '--server', `socks5://alice:right-secret@127.0.0.1:${socksAuth.port}#Good%20one`,
      '--server', `socks5://127.0.0.1:${socks.port}`,
      '--probe-url', target.url('/generate_204'),
      '--timeout', '1500',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/wrong-pass|right-secret/);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    expect(rows).toHaveLength(4);
    expect(rows.slice(0, 2).every((x) => x.ok)).toBe(true);
    expect(rows.slice(2).every((x) => !x.ok)).toBe(true);
    for (const row of rows.slice(0, 2)) {
      expect(row.error).toBeNull();
      expect(typeof row.latencyMs).toBe('number');
      expect(typeof row.connectMs).toBe('number');
      expect(typeof row.handshakeMs).toBe('number');
      expect(typeof row.firstRequestMs).toBe('number');
    }
    expect(rows[0]!.latencyMs!).toBeLessThanOrEqual(rows[1]!.latencyMs!);
    const byUrl = new Map(rows.map((x) => [`${x.url} ${x.ok}`, x]));
    expect(byUrl.get(`socks5://127.0.0.1:${socksAuth.port} true`)).toBeDefined();
    const auth = byUrl.get(`socks5://127.0.0.1:${socksAuth.port} false`)!;
    expect(auth).toMatchObject({ errorKind: 'auth', latencyMs: null, port: socksAuth.port });
    expect(auth.error).toMatch(/^authentication failed \(handshake\)/);
    const dead = rows.find((x) => x.port === refused)!;
    expect(dead).toMatchObject({ ok: false, errorKind: 'refused', url: `socks5://127.0.0.1:${refused}` });
    expect(dead.id).toMatch(/^socks5-[0-9a-f]{12}$/);
    // Failures ranked by how close they came: the auth failure before the refused port.
    expect(rows[2]!.errorKind).toBe('auth');
  });

  it('prints a ranked table with the reason for each failure', async () => {
    const r = await porthole(['probe', '--server', `socks5://127.0.0.1:${socks.port}`, '--server', `socks5://127.0.0.1:${refused}`, '--probe-url', target.url('/ok'), '--concurrency', '2']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^#\s+server\s+latency\s+connect\s+handshake\s+first\s+result$/);
    expect(lines[1]).toMatch(new RegExp(`^1\\s+socks5://127\\.0\\.0\\.1:${socks.port}\\s+\\d+ ms\\s+\\d+\\s+\\d+\\s+\\d+\\s+ok$`));
    expect(lines[2]).toMatch(new RegExp(`^2\\s+socks5://127\\.0\\.0\\.1:${refused}\\s+-\\s+-\\s+-\\s+-\\s+connection refused \\(connect\\)`));
    expect(lines[3]).toMatch(/^1 of 2 work; best: socks5-[0-9a-f]+ \(\d+ ms\)$/);
  });

  it('--list FILE --trust PUB probes a signed list (alternative ports raced); exits 1 when nothing works', async () => {
    const p = (...parts: string[]): string => join(dir, ...parts);
    expect((await porthole(['keygen', '--out', p('pub')])).code).toBe(0);
    await writeFile(p('list.json'), JSON.stringify({
      entries: [
        { url: `socks5://alice:right-secret@127.0.0.1:${refused}`, ports: [refused, socksAuth.port], label: 'Two-ports', probeUrls: [target.url('/ok')] },
        { url: `socks5://127.0.0.1:${refused}`, label: 'Dead' },
      ],
    }));
    expect((await porthole(['sign', '--key', p('pub', 'publisher.key'), '--in', p('list.json'), '--out', p('l.signed')])).code).toBe(0);
    const r = await porthole(['probe', '--list', p('l.signed'), '--trust', p('pub', 'publisher.pub'), '--probe-url', target.url('/generate_204'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as (JsonRow & { label: string })[];
    expect(rows.map((x) => [x.label, x.ok, x.port])).toEqual([['Two-ports', true, socksAuth.port], ['Dead', false, refused]]);
    expect(rows[0]!.url).toBe(`socks5://127.0.0.1:${socksAuth.port}`);

    const none = await porthole(['probe', '--server', `socks5://127.0.0.1:${refused}`, '--probe-url', target.url('/ok')]);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/none of 1 works/);
  });

  it('refuses bad usage with a one-line reason', async () => {
    const cases: [string[], RegExp][] = [
      [['probe'], /give --list FILE --trust PUB, or one or more --server URL/],
      [['probe', '--list', 'x.signed'], /--list needs --trust PUB/],
      [['probe', '--server', 'vmess://abc'], /--server: the vmess:\/\/ link is not base64/],
      [['probe', '--server', 'socks5://127.0.0.1:1', '--timeout', 'soon'], /--timeout "soon" is not a whole number/],
      [['probe', '--server', 'socks5://127.0.0.1:1', '--probe-url', 'ftp://x/'], /--probe-url "ftp:\/\/x\/" is not an http/],
    ];
    // In-process (the real runCli with a captured context): five spawned CLIs are slow on a busy machine.
    const results = await Promise.all(cases.map(([args]) => runInProcess(args)));
    for (const [i, [, message]] of cases.entries()) {
      const r = results[i]!;
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
