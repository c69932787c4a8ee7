// The small text formats: reg query output, .desktop Exec lines, profiles.ini, GVariant strings, networksetup output.
import { describe, expect, it } from 'vitest';
import { parseDesktopEntry, splitExec } from './desktop-entry.ts';
import { listFirefoxProfiles, profilesFromIni } from './firefox-profiles-ini.ts';
import { fakeRunner } from '../../../test/browsers/helpers/fake-runner.ts';
import { memoryFs } from '../../../test/browsers/helpers/memory-fs.ts';
import { expandWindowsVars, parseRegQuery, programOfCommandLine } from './reg-query.ts';
import { gvariantString, parseGvariantString } from './system-proxy/gnome.ts';
import { parseAutoProxy, parseServices } from './system-proxy/macos.ts';

describe('reg query output', () => {
  it('parses keys, typed values, empty data and the localised default name', () => {
    const tree = parseRegQuery(
      [
        '',
        'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings',
        '    ProxyEnable    REG_DWORD    0x1',
        '    ProxyServer    REG_SZ    127.0.0.1:8080',
        '    ProxyOverride    REG_SZ    ',
        '    (Par défaut)    REG_SZ    (value not set)',
        '    Some Name With Spaces    REG_SZ    a  b    c',
        '',
        'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\5.0',
      ].join('\r\n'),
    );
    const v = tree.get('HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings');
    expect(Object.fromEntries(v ?? [])).toEqual({
      ProxyEnable: { type: 'REG_DWORD', data: 1 },
      ProxyServer: { type: 'REG_SZ', data: '127.0.0.1:8080' },
      ProxyOverride: { type: 'REG_SZ', data: '' },
      'Some Name With Spaces': { type: 'REG_SZ', data: 'a  b    c' },
    });
    expect(tree.get('HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\5.0')?.size).toBe(0);
  });

  it('expands %vars% case-insensitively and finds the program of a command line', () => {
    expect(expandWindowsVars('%programfiles%\\X\\%NOPE%', { ProgramFiles: 'C:\\PF' })).toBe('C:\\PF\\X\\%NOPE%');
    expect(programOfCommandLine('"C:\\Program Files\\X\\x.exe" -osint -url "%1"')).toBe('C:\\Program Files\\X\\x.exe');
    expect(programOfCommandLine('C:\\Program Files\\X\\x.exe --flag')).toBe('C:\\Program Files\\X\\x.exe');
  });
});

describe('desktop entries', () => {
  it('splits Exec with quoting, drops field codes, flatpak markers and env prefixes', () => {
    expect(splitExec('/usr/bin/firefox %u')).toEqual(['/usr/bin/firefox']);
    expect(splitExec('"/opt/my apps/brave" --incognito %U')).toEqual(['/opt/my apps/brave', '--incognito']);
    expect(splitExec('env A=1 B=2 /snap/bin/firefox %u')).toEqual(['/snap/bin/firefox']);
    expect(splitExec('/usr/bin/flatpak run --command=firefox org.mozilla.firefox @@u %u @@')).toEqual([
      '/usr/bin/flatpak',
      'run',
      '--command=firefox',
      'org.mozilla.firefox',
    ]);
    expect(splitExec('sh -c "echo \\"a b\\" 100%%"')).toEqual(['sh', '-c', 'echo "a b" 100%']);
  });

  it('reads only the [Desktop Entry] group', () => {
    const e = parseDesktopEntry('# c\n[Desktop Entry]\nName=Chromium\nExec=chromium %U\nHidden=false\n[Desktop Action incognito]\nExec=chromium --incognito\n');
    expect(e).toEqual({ name: 'Chromium', exec: 'chromium %U', hidden: false });
  });
});

describe('profiles.ini', () => {
  it('lists profiles and marks the install default (Windows paths)', () => {
    const ini = `[Install308046B0AF4A39CB]\r\nDefault=Profiles/ab12.default-release\r\nLocked=1\r\n\r\n[Profile1]\r\nName=default\r\nIsRelative=1\r\nPath=Profiles/xy34.default\r\nDefault=1\r\n\r\n[Profile0]\r\nName=default-release\r\nIsRelative=1\r\nPath=Profiles/ab12.default-release\r\n\r\n[Profile2]\r\nName=work\r\nIsRelative=0\r\nPath=D:\\ff\\work\r\n\r\n[General]\r\nStartWithLastProfile=1\r\n`;
    const root = 'C:\\Users\\ana\\AppData\\Roaming\\Mozilla\\Firefox';
    expect(profilesFromIni(ini, root, 'win32')).toEqual([
      { name: 'default', path: `${root}\\Profiles\\xy34.default`, isDefault: false, root },
      { name: 'default-release', path: `${root}\\Profiles\\ab12.default-release`, isDefault: true, root },
      { name: 'work', path: 'D:\\ff\\work', isDefault: false, root },
    ]);
  });

  it('finds profiles.ini of regular and Snap Firefox on Linux', async () => {
    const fs = memoryFs({
      '/home/ana/.mozilla/firefox/profiles.ini': '[Profile0]\nName=a\nIsRelative=1\nPath=a.default\n',
      '/home/ana/snap/firefox/common/.mozilla/firefox/profiles.ini': '[Profile0]\nName=b\nIsRelative=1\nPath=b.default\nDefault=1\n',
    });
    const found = await listFirefoxProfiles({ platform: 'linux', env: { HOME: '/home/ana' }, fs, runner: fakeRunner() });
    expect(found.map((p) => [p.name, p.path, p.isDefault])).toEqual([
      ['a', '/home/ana/.mozilla/firefox/a.default', false],
      ['b', '/home/ana/snap/firefox/common/.mozilla/firefox/b.default', true],
    ]);
  });

  it('falls back to Default=1 without an Install section', () => {
    const ini = '[Profile0]\nName=default\nIsRelative=1\nPath=abc.default\nDefault=1\n';
    expect(profilesFromIni(ini, '/home/ana/.mozilla/firefox', 'linux')).toEqual([
      { name: 'default', path: '/home/ana/.mozilla/firefox/abc.default', isDefault: true, root: '/home/ana/.mozilla/firefox' },
    ]);
  });
});

describe('GVariant strings and networksetup output', () => {
  it('round-trips quotes and backslashes', () => {
    for (const s of ['', 'http://127.0.0.1:1/proxy.pac', "it's", 'a\\b', `"x'y"`]) expect(parseGvariantString(gvariantString(s))).toBe(s);
    expect(parseGvariantString(`"it's"\n`)).toBe("it's");
  });

  it('lists only enabled services and reads the auto proxy state', () => {
    expect(parseServices('An asterisk (*) denotes that a network service is disabled.\nWi-Fi\n*Bluetooth PAN\nUSB 10/100/1000 LAN\n\n')).toEqual(['Wi-Fi', 'USB 10/100/1000 LAN']);
    expect(parseAutoProxy('URL: (null)\nEnabled: No\n')).toEqual({ url: null, enabled: false });
    expect(parseAutoProxy('URL: http://x/p.pac\nEnabled: Yes\n')).toEqual({ url: 'http://x/p.pac', enabled: true });
  });
});
