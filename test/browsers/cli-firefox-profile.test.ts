// `porthole firefox-profile list|on|off`: the real CLI against a HOME holding a real Firefox profiles.ini
// and profile folders — on writes the block with the bridge port, off gives user.js and prefs.js back
// byte for byte, and the errors (no profiles, unknown profile, Firefox running) say what to do.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLOCK_BEGIN, BLOCK_END } from '../../electron/core/browsers/user-js-block.ts';
import { porthole } from '../helpers/cli.ts';

let home: string;
let root: string;
let main: string;
let work: string;
let outside: string;

const PROFILES_INI = [
  '[Install4F96D1932A9F858E]',
  'Default=abcd1234.default-release',
  'Locked=1',
  '',
  '[Profile1]',
  'Name=work',
  'IsRelative=1',
  'Path=wxyz9876.work',
  '',
  '[Profile0]',
  'Name=default-release',
  'IsRelative=1',
  'Path=abcd1234.default-release',
  'Default=1',
  '',
  '[General]',
  'StartWithLastProfile=1',
  'Version=2',
  '',
].join('\n');
// The user's own user.js: CRLF and no final line break, the hardest case for giving bytes back.
const USER_JS = '// my tweaks\r\nuser_pref("browser.tabs.warnOnClose", true);\r\nuser_pref("network.proxy.type", 0);';
const PREFS_JS = ['// Mozilla User Preferences', '', 'user_pref("browser.startup.page", 3);', 'user_pref("network.proxy.type", 4);', 'user_pref("network.trr.mode", 2);', ''].join('\n');

beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'porthole-ffcli-'));
  root = path.join(home, '.mozilla', 'firefox');
  main = path.join(root, 'abcd1234.default-release');
  work = path.join(root, 'wxyz9876.work');
  outside = path.join(home, 'elsewhere', 'kiosk');
  for (const d of [main, work, outside]) await mkdir(d, { recursive: true });
  await writeFile(path.join(root, 'profiles.ini'), PROFILES_INI);
  await writeFile(path.join(main, 'user.js'), USER_JS);
  await writeFile(path.join(main, 'prefs.js'), PREFS_JS);
  await writeFile(path.join(work, 'prefs.js'), PREFS_JS);
  await writeFile(path.join(outside, 'prefs.js'), PREFS_JS);
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => porthole(['firefox-profile', ...args], { env: { HOME: home, PORTHOLE_BRIDGE_PORT: undefined, ...env }, cwd: home, timeoutMs: 60_000 });
const read = (dir: string, f: string) => readFile(path.join(dir, f), 'utf8');

interface Listed {
  name: string;
  path: string;
  isDefault: boolean;
  porthole: boolean;
  port: number | null;
  inUse: boolean;
}

describe('porthole firefox-profile', { timeout: 180_000 }, () => {
  it('turns Porthole on in the default profile with the port, and off again byte for byte', async () => {
    const before = await run(['list', '--json']);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(0);
    const listed = JSON.parse(before.stdout) as Listed[];
    expect(listed.map((p) => [p.name, p.path, p.isDefault, p.porthole, p.inUse]).sort()).toEqual([
      ['default-release', main, true, false, false],
      ['work', work, false, false, false],
    ]);

    const on = await run(['on', '--port', '4567']);
    expect(on.stderr).toBe('');
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('"default-release"');
    expect(on.stdout).toContain('127.0.0.1:4567');
    const userJs = await read(main, 'user.js');
    expect(userJs.startsWith(USER_JS)).toBe(true);
    expect(userJs).toContain(`\r\n${BLOCK_BEGIN}\r\n`);
    expect(userJs.endsWith(BLOCK_END)).toBe(true);
    expect(userJs).toContain('user_pref("network.proxy.socks_port", 4567);');
    expect(userJs).toContain('user_pref("network.proxy.socks", "127.0.0.1");');
    expect(await readdir(work)).toEqual(['prefs.js']); // the other profile is not touched

    const table = await run(['list']);
    expect(table.stdout).toMatch(/default-release\s+yes\s+on \(port 4567\)\s+.*abcd1234\.default-release/);
    expect(table.stdout).toMatch(/work\s+off\s+.*wxyz9876\.work/);

    // Same port again: nothing to do. The port from PORTHOLE_BRIDGE_PORT (like `open`): the block follows.
    const again = await run(['on', '--port', '4567', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ profile: { name: 'default-release', path: main }, port: 4567, changed: false });
    const moved = await run(['on', '--json'], { PORTHOLE_BRIDGE_PORT: '5678' });
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ port: 5678, changed: true, previousPort: 4567 });
    const movedJs = await read(main, 'user.js');
    expect(movedJs).toContain('user_pref("network.proxy.socks_port", 5678);');
    expect(movedJs).not.toContain('4567');
    expect(movedJs.split(BLOCK_BEGIN)).toHaveLength(2);

    // Firefox ran with the block: it copied the values into prefs.js and wrote it on exit.
    await writeFile(
      path.join(main, 'prefs.js'),
      [
        '// Mozilla User Preferences',
        '',
        'user_pref("browser.startup.page", 3);',
        'user_pref("network.proxy.socks", "127.0.0.1");',
        'user_pref("network.proxy.socks_port", 5678);',
        'user_pref("network.proxy.socks_remote_dns", true);',
        'user_pref("network.proxy.type", 1);',
        'user_pref("network.trr.mode", 5);',
        '',
      ].join('\n'),
    );

    const off = await run(['off', '--json']);
    expect(off.stderr).toBe('');
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)).toMatchObject({ profile: { name: 'default-release' }, changed: true, removed: true });
    expect(await read(main, 'user.js')).toBe(USER_JS);
    expect(await read(main, 'prefs.js')).toBe(PREFS_JS);
    expect((JSON.parse((await run(['list', '--json'])).stdout) as Listed[]).every((p) => !p.porthole)).toBe(true);

    const offAgain = await run(['off']);
    expect(offAgain.code).toBe(0);
    expect(offAgain.stdout).toMatch(/Porthole is not on in the Firefox profile "default-release": nothing changed/);
    expect(await read(main, 'user.js')).toBe(USER_JS);
  });

  it('chooses a profile by name or folder, and a profile folder outside profiles.ini', async () => {
    const byName = await run(['on', '--profile', 'WORK', '--port', '9050']);
    expect(byName.code).toBe(0);
    expect(await read(work, 'user.js')).toContain('user_pref("network.proxy.socks_port", 9050);');
    await expect(read(main, 'user.js')).resolves.toBe(USER_JS);
    const byPath = await run(['off', '--profile', work]);
    expect(byPath.code).toBe(0);
    await expect(read(work, 'user.js')).rejects.toThrow(/ENOENT/); // Porthole had created it
    expect(await read(work, 'prefs.js')).toBe(PREFS_JS);

    const relative = await run(['on', '--profile', 'elsewhere/kiosk', '--port', '9051', '--json']);
    expect(relative.code).toBe(0);
    expect(JSON.parse(relative.stdout)).toMatchObject({ profile: { name: 'kiosk', path: outside }, port: 9051 });
    expect(await read(outside, 'user.js')).toContain('"network.proxy.socks_port", 9051');
  });

  it('says which profiles there are for an unknown one, and where it looked when there are none', async () => {
    const unknown = await run(['on', '--profile', 'nosuch']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^porthole: no Firefox profile "nosuch": the profiles here are .*"work".*"default-release" \(default\)/);
    expect(await read(main, 'user.js')).toBe(USER_JS);

    const badPort = await run(['on', '--port', '70000']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be 1-65535, not "70000"');

    const empty = await mkdtemp(path.join(tmpdir(), 'porthole-ffcli-empty-'));
    try {
      const none = await run(['list'], { HOME: empty });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain(`porthole: no Firefox profiles found (looked for profiles.ini in ${empty}/.mozilla/firefox`);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('refuses while Firefox has the profile open, unless --force', async () => {
    // Firefox's lock names a live process (this test's own pid stands in for it).
    await symlink(`127.0.0.1:+${process.pid}`, path.join(main, 'lock'));
    expect((JSON.parse((await run(['list', '--json'])).stdout) as Listed[]).find((p) => p.isDefault)).toMatchObject({ inUse: true });
    const refused = await run(['on', '--port', '4567']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^porthole: Firefox has the profile "default-release" open \(.*abcd1234\.default-release\): close Firefox first/);
    expect(await read(main, 'user.js')).toBe(USER_JS);

    expect((await run(['on', '--port', '4567', '--force'])).code).toBe(0);
    const offRefused = await run(['off']);
    expect(offRefused.code).toBe(1);
    expect(offRefused.stderr).toContain('close Firefox first');
    expect(await read(main, 'user.js')).toContain(BLOCK_BEGIN);

    await rm(path.join(main, 'lock'));
    expect((await run(['off'])).code).toBe(0);
    expect(await read(main, 'user.js')).toBe(USER_JS);
    expect(await read(main, 'prefs.js')).toBe(PREFS_JS);
  });

  it('sees a real Firefox ESR holding the profile, and works once it has quit', async () => {
    // Everything this Firefox sends goes to a closed loopback port: it must reach no other address.
    const ownUserJs = 'user_pref("network.proxy.type", 1);\nuser_pref("network.proxy.socks", "127.0.0.1");\nuser_pref("network.proxy.socks_port", 9);\nuser_pref("network.proxy.failover_direct", false);\nuser_pref("network.trr.mode", 5);\n';
    await writeFile(path.join(work, 'user.js'), ownUserJs);
    const firefox = spawn('firefox-esr', ['--headless', '--no-remote', '-profile', work, 'about:blank'], { env: { ...process.env, HOME: home }, stdio: 'ignore' });
    const exited = new Promise<unknown>((resolve) => firefox.once('exit', resolve));
    try {
      let lock: string | undefined;
      for (let i = 0; i < 120 && lock === undefined; i++) {
        lock = await readlink(path.join(work, 'lock')).catch(() => undefined);
        if (lock === undefined) await new Promise((r) => setTimeout(r, 250));
      }
      expect(lock, 'firefox-esr must start and lock its profile (scripts/install-peers)').toMatch(/:\+\d+$/);
      const listed = JSON.parse((await run(['list', '--json'])).stdout) as Listed[];
      expect(listed.find((p) => p.name === 'work')).toMatchObject({ inUse: true });
      expect(listed.find((p) => p.name === 'default-release')).toMatchObject({ inUse: false });
      const refused = await run(['on', '--profile', 'work', '--port', '4567']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Firefox has the profile "work" open');
      expect(await read(work, 'user.js')).toBe(ownUserJs);
    } finally {
      firefox.kill('SIGTERM');
      await exited;
    }
    // Firefox wrote its prefs.js on the way out; on and off give both files back exactly.
    const prefsJs = await read(work, 'prefs.js');
    expect((await run(['on', '--profile', 'work', '--port', '4567'])).code).toBe(0);
    expect(await read(work, 'user.js')).toContain('"network.proxy.socks_port", 4567');
    expect((await run(['off', '--profile', 'work'])).code).toBe(0);
    expect(await read(work, 'user.js')).toBe(ownUserJs);
    expect(await read(work, 'prefs.js')).toBe(prefsJs);
  });
});
