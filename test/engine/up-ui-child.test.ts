// `porthole up --ui` runs its engine in a forked child through the engine host the desktop app uses
// (a utilityProcess there), for real: the same --json events as `up`, the bridge and the UI's Api
// served from the engine process; a SIGKILLed engine is reported and restarted on the same port,
// and the system proxy it left on is restored (real gsettings/dconf on a private D-Bus); SIGTERM,
// Ctrl-C to the process group and a killed parent all leave no engine, no port and no proxy behind;
// the UI in Chromium follows the engine through a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../e2e/harness.ts';
import { porthole } from '../helpers/cli.ts';
import { startUp, type UpEvent, type UpProcess } from '../helpers/up-process.ts';
import { startGnomeSession, type GnomeSession } from '../ui/shell/gnome-session.ts';

const exec = promisify(execFile);
const ENGINE_CHILD = /engine-host[/\\]child\.(ts|js)\b/;

let gnome: GnomeSession;
let dir: string;
beforeAll(async () => {
  gnome = await startGnomeSession();
  dir = await mkdtemp(join(tmpdir(), 'porthole-up-ui-'));
});
afterAll(async () => {
  await gnome?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The engine processes `up` has forked (children of its pid running the engine host's child). */
async function engineChildren(parent: number): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent) continue;
      if (ENGINE_CHILD.test((await readFile(`/proc/${name}/cmdline`, 'utf8')).replaceAll('\0', ' '))) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const split = (hostPort: string) => ({ host: hostPort.slice(0, hostPort.lastIndexOf(':')), port: Number(hostPort.slice(hostPort.lastIndexOf(':') + 1)) });

/** Nothing listens there, and the port can be taken again. */
async function portFree(hostPort: string): Promise<boolean> {
  const { host, port } = split(hostPort);
  const accepting = await new Promise<boolean>((resolve) => {
    const s = connect({ host, port }, () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
  if (accepting) return false;
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** One Api call through the UI server `up --ui` printed (the token is in the URL's fragment). */
async function uiCall(ui: string, method: string, request: unknown = {}): Promise<Record<string, unknown>> {
  const url = new URL(ui);
  const token = url.hash.replace(/^#token=/, '');
  const res = await fetch(`${url.origin}/api/call/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(request) });
  const body = await res.json() as { ok: boolean; result?: Record<string, unknown>; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result!;
}

async function page(proxy: string, url: string): Promise<string> {
  const { stdout } = await exec('curl', ['-s', '--max-time', '10', '--noproxy', '', '--proxy', `http://${proxy}`, url]);
  return stdout;
}

const after = (up: UpProcess, e: UpEvent) => (x: UpEvent) => up.events.indexOf(x) > up.events.indexOf(e);

describe('porthole up --ui: the engine in a forked child', () => {
  it('prints what `up` prints, serves bridge and UI from the engine process, restarts a SIGKILLed engine on the same port with the proxy restored, and SIGTERM leaves nothing behind', async () => {
    const up = startUp(['--ui', '--demo', '--listen', '127.0.0.1:0'], gnome.env);
    let code: number | null = null;
    try {
      // The first run may build the renderer once.
      const start = await up.waitFor('start', 180_000);
      const ready = await up.waitFor('ready', 30_000);
      expect(ready).toMatchObject({ socks: start.socks, http: start.http, ui: start.ui, server: { label: expect.stringMatching(/^Demo-(Frankfurt|Almaty)$/), latencyMs: expect.any(Number) } });
      expect(String(ready.why)).toMatch(/Demo-(Frankfurt|Almaty)/);
      expect(start.servers).toBe(5);
      const done = await up.waitFor('progress', 20_000, (e) => e.tested === e.total);
      expect(done.total).toBe(5);
      const errors = up.events.filter((e) => e.event === 'progress' && e.ok === false).map((e) => String(e.error));
      expect(errors.some((m) => /refused/.test(m))).toBe(true);
      expect(up.events.some((e) => e.event === 'failure' && typeof e.kind === 'string' && typeof e.message === 'string')).toBe(true);

      // The engine runs in a child process: one engine child of `up`, not `up` itself.
      const [engine, ...more] = await engineChildren(up.child.pid!);
      expect(engine).toBeGreaterThan(0);
      expect(more).toEqual([]);
      expect(await page(String(ready.http), String(start.demoPage))).toContain('You are through.');
      const state = await uiCall(String(start.ui), 'getState');
      expect(state).toMatchObject({ phase: 'connected', bridge: { socks: split(String(start.socks)) } });

      // The UI turns the system proxy on (the engine process writes it), then the engine dies.
      await uiCall(String(start.ui), 'setSettings', { systemProxy: true });
      expect(gnome.proxy().mode).toBe("'auto'");
      expect(gnome.proxy().url).toContain(`127.0.0.1:${split(String(start.socks)).port}`);
      process.kill(engine!, 'SIGKILL');
      const crash = await up.waitFor('crash', 20_000);
      expect(crash).toMatchObject({ code: null, signal: 'SIGKILL', restarting: true });
      await until(() => /the engine process stopped unexpectedly \(killed by SIGKILL\); restarting it/.test(up.stderr()));
      const restarted = await up.waitFor('restarted', 90_000);
      expect(restarted).toMatchObject({ socks: start.socks, http: start.http, servers: 5 });
      expect(restarted.pid).not.toBe(engine);
      expect(await engineChildren(up.child.pid!)).toEqual([restarted.pid]);
      // The new engine put back what the dead one left: the user's own setting.
      expect(gnome.proxy().mode).toBe("'manual'");
      await up.waitFor('ready', 30_000, after(up, restarted));
      expect(await page(String(start.http), String(start.demoPage))).toContain('You are through.');
      expect(await uiCall(String(start.ui), 'getState')).toMatchObject({ phase: 'connected', systemProxy: false });

      // SIGTERM: engine stopped (proxy restored), ports freed, exit 0.
      await uiCall(String(start.ui), 'setSettings', { systemProxy: true });
      expect(gnome.proxy().mode).toBe("'auto'");
      code = await up.stop('SIGTERM');
      expect(code).toBe(0);
      expect(up.events.at(-1)?.event).toBe('stopped');
      await until(() => !alive(Number(restarted.pid)));
      expect(await portFree(String(start.socks))).toBe(true);
      expect(await portFree(new URL(String(start.ui)).host)).toBe(true);
      expect(gnome.proxy().mode).toBe("'manual'");
      expect(up.events.filter((e) => e.event === 'crash')).toHaveLength(1);
    } finally {
      if (code === null) await up.stop('SIGKILL');
    }
  }, 360_000);

  it('the UI in Chromium follows the engine process: connected, then after a SIGKILL connected again without a reload', async () => {
    const up = startUp(['--ui', '--demo', '--listen', '127.0.0.1:0'], gnome.env);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
    try {
      const start = await up.waitFor('start', 180_000);
      const ui = new URL(String(start.ui));
      const context = await browser.newContext({ locale: 'en-US' });
      await context.route((url) => url.origin !== ui.origin, (route) => route.abort());
      const tab = await context.newPage();
      await tab.goto(ui.href);
      await tab.waitForSelector('main#main');
      const connected = tab.getByRole('status').filter({ hasText: /Connected through Demo-(Frankfurt|Almaty)/ });
      await connected.waitFor({ timeout: 30_000 });
      const [engine] = await engineChildren(up.child.pid!);
      process.kill(engine!, 'SIGKILL');
      // The page's event stream goes on through the restart: it sees the bridge go and come back.
      await connected.waitFor({ state: 'detached', timeout: 30_000 });
      await up.waitFor('restarted', 90_000);
      await connected.waitFor({ timeout: 30_000 });
      expect(await page(String(start.http), String(start.demoPage))).toContain('You are through.');
    } finally {
      await browser.close();
      expect(await up.stop('SIGTERM')).toBe(0);
    }
  }, 300_000);

  it('Ctrl-C in a terminal (SIGINT to the whole process group) stops the engine cleanly: no crash, no port, no proxy left', async () => {
    const up = startUp(['--ui', '--demo', '--listen', '127.0.0.1:0'], gnome.env, undefined, { detached: true });
    try {
      const start = await up.waitFor('start', 180_000);
      await up.waitFor('ready', 30_000);
      const [engine] = await engineChildren(up.child.pid!);
      await uiCall(String(start.ui), 'setSettings', { systemProxy: true });
      expect(gnome.proxy().mode).toBe("'auto'");
      process.kill(-up.child.pid!, 'SIGINT');
      expect(await up.exited).toBe(0);
      expect(up.events.some((e) => e.event === 'crash')).toBe(false);
      expect(up.events.at(-1)?.event).toBe('stopped');
      await until(() => !alive(engine!));
      expect(await portFree(String(start.socks))).toBe(true);
      expect(gnome.proxy().mode).toBe("'manual'");
    } finally {
      if (up.child.exitCode === null) await up.stop('SIGKILL');
    }
  }, 300_000);

  it('a killed `up` (no chance to clean up) still leaves no engine, no port and no proxy behind', async () => {
    const dataDir = join(dir, 'killed-parent');
    const up = startUp(['--ui', '--demo', '--listen', '127.0.0.1:0', '--data-dir', dataDir], gnome.env);
    try {
      const start = await up.waitFor('start', 180_000);
      await up.waitFor('ready', 30_000);
      const [engine] = await engineChildren(up.child.pid!);
      await uiCall(String(start.ui), 'setSettings', { systemProxy: true });
      expect(gnome.proxy().mode).toBe("'auto'");
      await up.stop('SIGKILL');
      // The engine sees its parent gone, restores the proxy and leaves by itself.
      await until(() => !alive(engine!), 30_000);
      expect(await portFree(String(start.socks))).toBe(true);
      expect(gnome.proxy().mode).toBe("'manual'");
    } finally {
      if (up.child.exitCode === null) await up.stop('SIGKILL');
    }
  }, 300_000);

  it('an engine that keeps dying: restarted 3 times, then `up` gives up with exit code 1, the proxy put back and nothing left running', async () => {
    const up = startUp(['--ui', '--demo', '--listen', '127.0.0.1:0'], gnome.env);
    try {
      const start = await up.waitFor('start', 180_000);
      await up.waitFor('ready', 30_000);
      await uiCall(String(start.ui), 'setSettings', { systemProxy: true });
      expect(gnome.proxy().mode).toBe("'auto'");
      // Kill every engine process as soon as it appears (whether it finished starting or not).
      const killed: number[] = [];
      while (up.child.exitCode === null && killed.length < 10) {
        let next: number | undefined;
        await until(async () => up.child.exitCode !== null || (next = (await engineChildren(up.child.pid!)).find((p) => !killed.includes(p))) !== undefined, 60_000);
        if (next === undefined) break;
        killed.push(next);
        process.kill(next, 'SIGKILL');
      }
      expect(await up.exited).toBe(1);
      expect(killed).toHaveLength(4);
      expect(up.stderr()).toMatch(/giving up/);
      expect(up.stderr()).toMatch(/porthole: the engine process keeps stopping \(see the messages above\); the system proxy was put back\n$/);
      // Each death is reported: as a crash, or (killed while starting) as a restart that failed.
      const crashes = up.events.filter((e) => e.event === 'crash');
      const failedStarts = up.events.filter((e) => e.event === 'log' && /did not start again/.test(String(e.message)));
      expect(crashes.length + failedStarts.length).toBe(4);
      expect(crashes[0]).toMatchObject({ signal: 'SIGKILL', restarting: true });
      expect(up.events.at(-1)?.event).toBe('stopped');
      expect(gnome.proxy().mode).toBe("'manual'");
      expect(await portFree(String(start.socks))).toBe(true);
      expect(killed.filter(alive)).toEqual([]);
    } finally {
      if (up.child.exitCode === null) await up.stop('SIGKILL');
    }
  }, 300_000);

  it('fails as `up` does: same message and exit code for a rejected --code, an unusable data dir and a bad --ui-port', async () => {
    const data = join(dir, 'codes');
    const notADir = join(dir, 'a-file');
    await writeFile(notADir, 'not a folder');
    const cases: Array<{ args: string[]; code: number; stderr: RegExp }> = [
      { args: ['--data-dir', data, '--listen', '127.0.0.1:0', '--code', 'PH1:garbage'], code: 3, stderr: /^porthole: --code: / },
      { args: ['--data-dir', join(notADir, 'porthole'), '--listen', '127.0.0.1:0'], code: 1, stderr: /^porthole: \/.+\/a-file\/porthole\/settings\.json: ENOTDIR/ },
    ];
    for (const c of cases) {
      const [plain, withUi] = await Promise.all([
        porthole(['up', '--json', ...c.args], { timeoutMs: 120_000 }),
        porthole(['up', '--json', '--ui', ...c.args], { timeoutMs: 120_000 }),
      ]);
      expect(plain.code, plain.stderr).toBe(c.code);
      expect(withUi.code, withUi.stderr).toBe(c.code);
      expect(plain.stderr).toMatch(c.stderr);
      expect(withUi.stderr).toBe(plain.stderr);
      const names = (out: string) => out.trim().split('\n').map((l) => (JSON.parse(l) as { event: string }).event);
      expect(names(withUi.stdout)).toEqual(names(plain.stdout));
    }
    const badPort = await porthole(['up', '--json', '--ui', '--ui-port', '99999', '--data-dir', data]);
    expect(badPort).toMatchObject({ code: 2, stderr: 'porthole: --ui-port must be a port number\n' });
  }, 240_000);
});
