// The GNOME path against the real gsettings + dconf, on a private D-Bus session with a temporary
// XDG_CONFIG_HOME, and the `porthole system-proxy` CLI on top. The PAC URL is served by the real bridge.
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Bridge } from '../../electron/core/bridge/index.ts';
import { startBridge } from '../../electron/core/bridge/index.ts';
import { realHost } from '../../electron/core/browsers/real-host.ts';
import type { JournalStore } from '../../electron/core/browsers/system-proxy/journal.ts';
import { fileJournal, journalPath } from '../../electron/core/browsers/system-proxy/journal.ts';
import { createSystemProxy } from '../../electron/core/browsers/system-proxy/manager.ts';
import type { CommandContext } from '../../electron/cli/command.ts';
import { systemProxy } from '../../electron/cli/commands/system-proxy.ts';

let root: string;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let bus: ChildProcess;
let bridge: Bridge;

const gs = (...args: string[]): string => execFileSync('gsettings', args, { env, encoding: 'utf8' }).trim();
const setUser = (mode: string, url: string): void => {
  gs('set', 'org.gnome.system.proxy', 'mode', mode);
  gs('set', 'org.gnome.system.proxy', 'autoconfig-url', url);
};
const current = () => ({ mode: gs('get', 'org.gnome.system.proxy', 'mode'), url: gs('get', 'org.gnome.system.proxy', 'autoconfig-url') });

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'porthole-gnome-'));
  const config = path.join(root, 'config');
  const runtime = path.join(root, 'runtime');
  await mkdir(config, { recursive: true });
  await mkdir(runtime, { recursive: true, mode: 0o700 });
  env = { ...process.env, XDG_CONFIG_HOME: config, XDG_RUNTIME_DIR: runtime, GSETTINGS_BACKEND: 'dconf', XDG_CURRENT_DESKTOP: 'GNOME' };
  delete env.KDE_FULL_SESSION;
  bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1', `--address=unix:path=${runtime}/bus`], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    bus.once('error', reject);
    bus.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()));
  });
  env.DBUS_SESSION_BUS_ADDRESS = address;
  bridge = await startBridge({ host: '127.0.0.1', port: 0, candidates: () => [] });
});
afterAll(async () => {
  await bridge.close();
  bus.kill();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(root, 'data-'));
  setUser("'manual'", "''");
});

const pac = () => `'http://127.0.0.1:${bridge.port}/proxy.pac'`;

describe('GNOME with real gsettings/dconf', () => {
  it('on → auto + the bridge PAC URL (which the bridge serves); off → back to the user\'s manual setting', async () => {
    const sp = createSystemProxy({ dataDir, host: realHost(env) });
    const status = await sp.on(bridge.port);
    expect(status.backends).toEqual(['gnome']);
    expect(current()).toEqual({ mode: "'auto'", url: pac() });
    expect((await stat(path.join(env.XDG_CONFIG_HOME as string, 'dconf', 'user'))).size).toBeGreaterThan(0);

    // What GNOME now points at is a PAC script from the bridge that sends traffic to the bridge.
    const script = await (await fetch(`http://127.0.0.1:${bridge.port}/proxy.pac`)).text();
    expect(script).toContain('function FindProxyForURL');
    expect(script).toContain(`PROXY 127.0.0.1:${bridge.port}`);
    expect(script).toContain('isInNet(h, "192.168.0.0", "255.255.0.0")');

    expect(await sp.off()).toMatchObject({ restored: ['gnome:gnome'] });
    expect(current()).toEqual({ mode: "'manual'", url: "''" });
  });

  it('leaves the user\'s own change alone', async () => {
    const sp = createSystemProxy({ dataDir, host: realHost(env) });
    await sp.on(bridge.port);
    gs('set', 'org.gnome.system.proxy', 'mode', "'none'");
    expect(await sp.off()).toMatchObject({ restored: [], leftAsIs: ['gnome:gnome'] });
    expect(current().mode).toBe("'none'");
  });

  it('repairs after a crash between "set" and "applied"', async () => {
    const store = fileJournal(journalPath(dataDir));
    const dying: JournalStore = { ...store, save: (j) => (j.phase === 'applied' ? new Promise<never>(() => undefined) : store.save(j)) };
    void createSystemProxy({ dataDir, host: realHost(env), journal: dying }).on(bridge.port);
    for (let i = 0; i < 100 && current().mode !== "'auto'"; i++) await new Promise((r) => setTimeout(r, 20));
    expect(current()).toEqual({ mode: "'auto'", url: pac() });

    const r = await createSystemProxy({ dataDir, host: realHost(env) }).repairOnStartup();
    expect(r).toMatchObject({ repaired: true, phase: 'intent', restored: ['gnome:gnome'] });
    expect(current()).toEqual({ mode: "'manual'", url: "''" });
  });

  it('porthole system-proxy on|status|off|repair', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    out.on('data', (d: Buffer) => (stdout += d.toString()));
    const ctx: CommandContext = { stdout: out, stderr: err, env, signal: new AbortController().signal, readStdin: async () => Buffer.alloc(0) };
    const sub = (name: string) => systemProxy.subcommands?.find((c) => c.name === name);
    const args = { port: String(bridge.port), 'data-dir': dataDir };

    await sub('on')?.run(args, [], ctx);
    expect(stdout).toContain(`system proxy on: http://127.0.0.1:${bridge.port}/proxy.pac (gnome:gnome)`);
    expect(current().mode).toBe("'auto'");
    stdout = '';
    await sub('status')?.run({ 'data-dir': dataDir }, [], ctx);
    expect(stdout).toMatch(/^porthole: applied http:\/\/127\.0\.0\.1:\d+\/proxy\.pac\ngnome:gnome {2}Porthole/);
    stdout = '';
    expect(await sub('off')?.run({ 'data-dir': dataDir }, [], ctx)).toBe(0);
    expect(stdout).toBe('restored: gnome:gnome\n');
    expect(current()).toEqual({ mode: "'manual'", url: "''" });
    stdout = '';
    expect(await sub('repair')?.run({ 'data-dir': dataDir }, [], ctx)).toBe(0);
    expect(stdout).toBe('nothing to repair\n');
  });
});
