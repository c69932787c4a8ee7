// Firefox profiles on disk: Porthole's dedicated profile, and the opt-in block in the user's own profile.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareFirefoxProfile, profileDirFor } from '../../electron/core/browsers/firefox-profile.ts';
import {
  disablePortholeInProfile,
  enablePortholeInProfile,
  isPortholeInProfile,
  USER_JS_BACKUP,
} from '../../electron/core/browsers/firefox-usual.ts';
import { BLOCK_BEGIN } from '../../electron/core/browsers/user-js-block.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'porthole-ff-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = (f: string) => readFile(path.join(dir, f), 'utf8');

describe('dedicated profile', () => {
  it('is created in the data dir with proxy, remote DNS, no-DoH, WebRTC and quiet prefs, rewritten per port', async () => {
    const profile = profileDirFor(dir, 'firefox-esr');
    expect(profile).toBe(path.join(dir, 'browsers', 'firefox-esr-profile'));
    await prepareFirefoxProfile(profile, { port: 4321, extraPrefs: { 'network.proxy.allow_hijacking_localhost': true } });
    const userJs = await readFile(path.join(profile, 'user.js'), 'utf8');
    for (const line of [
      'user_pref("network.proxy.type", 1);',
      'user_pref("network.proxy.socks", "127.0.0.1");',
      'user_pref("network.proxy.socks_port", 4321);',
      'user_pref("network.proxy.socks_version", 5);',
      'user_pref("network.proxy.socks_remote_dns", true);',
      'user_pref("network.trr.mode", 5);',
      'user_pref("media.peerconnection.ice.proxy_only", true);',
      'user_pref("media.peerconnection.ice.default_address_only", true);',
      'user_pref("browser.shell.checkDefaultBrowser", false);',
      'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
      'user_pref("browser.startup.homepage_override.mstone", "ignore");',
      'user_pref("startup.homepage_welcome_url", "");',
      'user_pref("network.proxy.allow_hijacking_localhost", true);',
    ]) {
      expect(userJs.split('\n')).toContain(line);
    }
    await prepareFirefoxProfile(profile, { port: 5555 });
    const again = await readFile(path.join(profile, 'user.js'), 'utf8');
    expect(again).toContain('"network.proxy.socks_port", 5555');
    expect(again).not.toContain('4321');
    expect(again).not.toContain('allow_hijacking_localhost');
  });
});

describe('"use Porthole in my usual Firefox"', () => {
  const USER_JS = '// my tweaks\r\nuser_pref("browser.tabs.warnOnClose", true);\r\nuser_pref("network.proxy.type", 0);'; // CRLF, no final line break
  const PREFS_JS = [
    '// Mozilla User Preferences',
    '',
    'user_pref("browser.startup.page", 3);',
    'user_pref("network.proxy.http", "corp.example");',
    'user_pref("network.proxy.type", 4);',
    'user_pref("network.trr.mode", 2);',
    '',
  ].join('\n');

  it('adds a marked block with a backup, and turning off restores user.js byte for byte and the old prefs.js values', async () => {
    await writeFile(path.join(dir, 'user.js'), USER_JS);
    await writeFile(path.join(dir, 'prefs.js'), PREFS_JS);
    await enablePortholeInProfile(dir, { port: 9050 });

    expect(await read(USER_JS_BACKUP)).toBe(USER_JS);
    const on = await read('user.js');
    expect(on.startsWith(USER_JS)).toBe(true);
    expect(on).toContain(`\r\n${BLOCK_BEGIN}\r\n`);
    expect(on).toContain('user_pref("network.proxy.socks_port", 9050);');
    expect(await isPortholeInProfile(dir)).toBe(true);

    // Firefox runs: it copies the user.js values into prefs.js and writes it on exit.
    const firefoxWrote = [
      '// Mozilla User Preferences',
      '',
      'user_pref("browser.startup.page", 3);',
      'user_pref("network.proxy.http", "corp.example");',
      'user_pref("network.proxy.socks", "127.0.0.1");',
      'user_pref("network.proxy.socks_port", 9050);',
      'user_pref("network.proxy.socks_remote_dns", true);',
      'user_pref("network.proxy.type", 1);',
      'user_pref("network.trr.mode", 5);',
      'user_pref("zzz.new", true);',
      '',
    ].join('\n');
    await writeFile(path.join(dir, 'prefs.js'), firefoxWrote);

    // Turning on again (new port) keeps the first backup and the original prefs.
    await enablePortholeInProfile(dir, { port: 9051 });
    expect(await read(USER_JS_BACKUP)).toBe(USER_JS);

    const r = await disablePortholeInProfile(dir);
    expect(r.removed).toBe(true);
    expect(await read('user.js')).toBe(USER_JS);
    expect(await read('prefs.js')).toBe(
      [
        '// Mozilla User Preferences',
        '',
        'user_pref("browser.startup.page", 3);',
        'user_pref("network.proxy.http", "corp.example");',
        'user_pref("network.proxy.type", 4);',
        'user_pref("network.trr.mode", 2);',
        'user_pref("zzz.new", true);',
        '',
      ].join('\n'),
    );
    expect(r.restoredPrefs).toEqual(['network.proxy.socks', 'network.proxy.socks_port', 'network.proxy.socks_remote_dns', 'network.proxy.type', 'network.trr.mode']);
    expect(await isPortholeInProfile(dir)).toBe(false);
  });

  it('removes a user.js that Porthole created, and refuses while Firefox has the profile open', async () => {
    await enablePortholeInProfile(dir, { port: 9050 });
    expect(await read('user.js')).toContain(BLOCK_BEGIN);
    // Firefox's lock names a live process (this test's own pid stands in for it)…
    await symlink(`127.0.0.1:+${process.pid}`, path.join(dir, 'lock'));
    await expect(disablePortholeInProfile(dir)).rejects.toMatchObject({ name: 'PortholeError', code: 'firefox-running' });
    // …while a lock left behind by a Firefox that has exited does not block.
    await rm(path.join(dir, 'lock'));
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await symlink(`127.0.0.1:+${gone}`, path.join(dir, 'lock'));
    await disablePortholeInProfile(dir);
    await expect(read('user.js')).rejects.toThrow(/ENOENT/);
  });
});
