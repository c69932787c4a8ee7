// The README's publishing section works as written on a fresh checkout (run command by command
// from another folder), an older system Node gets one clear line, and a signal to
// `scripts/dev npm run …` stops the engine instead of leaving it orphaned on its port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startUp } from '../helpers/up-process.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DEV = join(REPO, 'scripts', 'dev');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-readme-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The fenced sh block under the README's "Publishing a list" heading. */
async function publishingBlock(): Promise<string> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Publishing a list'));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('the README has no sh block in its publishing section');
  return m[1]!;
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function portOpen(hostPort: string): Promise<boolean> {
  const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(':')), Number(hostPort.slice(hostPort.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const s = connect({ host, port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe('the README publishing section', { timeout: 240_000 }, () => {
  it('runs as written, from a folder of its own, and produces what it says', async () => {
    const block = await publishingBlock();
    // The commands say `scripts/dev …` from the checkout; run them from an empty folder instead,
    // with the checkout's script by its full path, and a fresh HOME for ~/porthole-key.
    const script = block.replace(/^scripts\/dev /gm, `${JSON.stringify(DEV)} `);
    expect(script).not.toMatch(/^npm run cli/m);
    const r = await bash(script, dir, { ...process.env, HOME: dir, npm_lifecycle_event: '', INIT_CWD: '', PORTHOLE_CWD: '' });
    expect(r.stderr).not.toMatch(/Error|at .*\.ts:\d+/);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'porthole-key', 'publisher.key'))).toBe(true);
    for (const f of ['list.signed', 'list.txt', 'list.zone']) expect(existsSync(join(dir, 'upload', f)), f).toBe(true);
    expect(r.stdout).toMatch(/^PH1:[A-Za-z0-9_-]{100,156}$/m);
    expect(r.stderr).toMatch(/\d+ characters: 1 SMS/);
    expect((await readFile(join(dir, 'batch', 'codes.csv'), 'utf8')).trim().split('\n')).toHaveLength(4);
    expect(await readdir(join(dir, 'batch', 'sheets'))).toEqual(['page-001.html']);
    expect(r.stdout).toMatch(/socks5:\/\/198\.51\.100\.12:1080: in 1 of 3 codes/);
    // nothing was written into the checkout
    expect(existsSync(join(REPO, 'list.json'))).toBe(false);
    expect(existsSync(join(REPO, 'upload'))).toBe(false);
  });

  it('a bare `npm run cli` on an older system Node stops with one clear line, not a stack trace', async () => {
    const system = '/usr/bin/node';
    const { stdout: version } = await promisify(execFile)(system, ['-p', 'process.versions.node']);
    const [major, minor] = version.trim().split('.').map(Number) as [number, number];
    const r = await bash(`PATH=/usr/bin:/bin npm --prefix ${JSON.stringify(REPO)} run --silent cli -- --version`, dir, { ...process.env, PATH: '/usr/bin:/bin' });
    if (major < 22 || (major === 22 && minor < 18)) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`this is Node ${version.trim()}`);
      expect(r.stderr).toContain('scripts/dev npm run cli -- <command>');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } else {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^porthole \d/);
    }
  });
});

describe('signals through scripts/dev npm run …', { timeout: 120_000 }, () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s stops `up` and frees its ports', async (signal) => {
    const up = startUp(['--demo', '--listen', '127.0.0.1:0', '--data-dir', join(dir, `data-${signal}`)], { npm_lifecycle_event: '', INIT_CWD: '', PORTHOLE_CWD: '' }, [DEV, 'npm', 'run', '--silent', 'cli', '--']);
    const start = await up.waitFor('start', 60_000);
    const socks = String(start.socks);
    expect(await portOpen(socks)).toBe(true);
    const code = await up.stop(signal);
    expect(code).not.toBeNull(); // exited by itself, not killed after the grace period
    expect(up.events.at(-1)?.event).toBe('stopped');
    expect(await portOpen(socks)).toBe(false);
  });
});
