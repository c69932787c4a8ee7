// The journal/restore state machine: exact commands, what is on disk at each step, and crashes at every step.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostEnv } from '../../electron/core/browsers/host-env.ts';
import type { Journal, JournalStore } from '../../electron/core/browsers/system-proxy/journal.ts';
import { fileJournal, journalPath } from '../../electron/core/browsers/system-proxy/journal.ts';
import { macosBackend } from '../../electron/core/browsers/system-proxy/macos.ts';
import { createSystemProxy } from '../../electron/core/browsers/system-proxy/manager.ts';
import { transition } from '../../electron/core/browsers/system-proxy/state-machine.ts';
import type { ProxyBackend } from '../../electron/core/browsers/system-proxy/types.ts';
import { INTERNET_SETTINGS, windowsBackend } from '../../electron/core/browsers/system-proxy/windows.ts';
import type { Handler } from './helpers/fake-runner.ts';
import { fakeRunner } from './helpers/fake-runner.ts';
import type { FakeService } from './helpers/fake-systems.ts';
import { fakeNetworksetup, fakeReg } from './helpers/fake-systems.ts';
import { memoryFs } from './helpers/memory-fs.ts';

const KEY = INTERNET_SETTINGS;
const PAC = 'http://127.0.0.1:1080/proxy.pac';
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'porthole-sp-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const never = new Promise<never>(() => undefined);
const host = (handler: Handler): HostEnv & { runner: ReturnType<typeof fakeRunner> } => ({ platform: 'win32', env: {}, fs: memoryFs({}), runner: fakeRunner(handler) });
const readJournal = async (): Promise<Journal | undefined> => {
  try {
    return JSON.parse(await readFile(journalPath(dataDir), 'utf8')) as Journal;
  } catch {
    return undefined;
  }
};
/**
 * A step where the process "dies": it never finishes. `reached` resolves when the abandoned
 * operation gets there, so the test looks at the disk exactly at the crash point (no sleeping).
 */
function crashPoint() {
  let hit = (): void => undefined;
  const reached = new Promise<void>((r) => (hit = r));
  return { reached, here: (): Promise<never> => { hit(); return never; } };
}

function windows(reg: ReturnType<typeof fakeReg>, intercept?: Handler) {
  const h = host((c, a) => intercept?.(c, a) ?? reg.handle(c, a));
  const backends: ProxyBackend[] = [windowsBackend(h.runner)];
  return { h, backends, sp: (journal?: JournalStore) => createSystemProxy({ dataDir, host: h, backends, ...(journal ? { journal } : {}) }) };
}

const ORIGINAL = () => ({ ProxyEnable: { type: 'REG_DWORD', data: '0x0' }, ProxyServer: { type: 'REG_SZ', data: 'corp:3128' } });
const snapshot = (reg: ReturnType<typeof fakeReg>) => Object.fromEntries(reg.values);

describe('state machine', () => {
  it('allows only the documented transitions', () => {
    expect(transition('idle', 'journal-intent')).toBe('intent');
    expect(transition('intent', 'applied')).toBe('applied');
    expect(transition('intent', 'begin-restore')).toBe('restoring');
    expect(transition('applied', 'begin-restore')).toBe('restoring');
    expect(transition('restoring', 'begin-restore')).toBe('restoring');
    expect(transition('restoring', 'restored')).toBe('idle');
    expect(() => transition('idle', 'applied')).toThrow(expect.objectContaining({ name: 'PortholeError', code: 'internal' }));
    expect(() => transition('applied', 'journal-intent')).toThrow(expect.objectContaining({ name: 'PortholeError', code: 'internal' }));
    expect(() => transition('idle', 'restored')).toThrow(expect.objectContaining({ name: 'PortholeError', code: 'internal' }));
  });
});

describe('on / off', () => {
  it('journals the previous settings before changing them, then restores them exactly', async () => {
    const reg = fakeReg(ORIGINAL());
    const original = snapshot(reg);
    let journalAtFirstWrite: Journal | undefined;
    const { h, sp } = windows(reg, (c, a) => {
      if (a[0] === 'add' && !journalAtFirstWrite) void readJournal().then((j) => (journalAtFirstWrite = j ?? ({} as Journal)));
      return undefined;
    });
    const status = await sp().on(1080);
    expect(status).toMatchObject({ phase: 'applied', target: { pacUrl: PAC }, items: [{ backend: 'windows', item: 'internet-settings', pointsAtPorthole: true }] });
    expect(journalAtFirstWrite).toMatchObject({ phase: 'intent', items: [{ previous: { ProxyServer: 'corp:3128', ProxyEnable: 0, AutoConfigURL: null } }] });
    expect(await readJournal()).toMatchObject({ version: 1, phase: 'applied', target: { host: '127.0.0.1', port: 1080, pacUrl: PAC } });

    h.runner.calls.length = 0;
    expect(await sp().off()).toEqual({ restored: ['windows:internet-settings'], leftAsIs: [], missing: [], failed: [] });
    expect(h.runner.lines().slice(0, 2)).toEqual([
      `reg query ${KEY}`,
      `reg delete ${KEY} /v AutoConfigURL /f`,
    ]);
    expect(h.runner.lines()[2]).toMatch(/^powershell\.exe -NoProfile/);
    expect(snapshot(reg)).toEqual(original);
    expect(await readJournal()).toBeUndefined();
    expect(await sp().off()).toEqual({ restored: [], leftAsIs: [], missing: [], failed: [] });
  });

  it('never clobbers what the user changed meanwhile', async () => {
    const reg = fakeReg(ORIGINAL());
    const { sp } = windows(reg);
    await sp().on(1080);
    reg.values.set('AutoConfigURL', { type: 'REG_SZ', data: 'http://corp/new.pac' });
    reg.values.set('ProxyServer', { type: 'REG_SZ', data: 'other:8080' });
    const mine = snapshot(reg);
    expect(await sp().off()).toMatchObject({ restored: [], leftAsIs: ['windows:internet-settings'] });
    expect(snapshot(reg)).toEqual(mine);
    expect(await readJournal()).toBeUndefined();
  });

  it('restores only the fields that still hold Porthole\'s values', async () => {
    const reg = fakeReg(ORIGINAL());
    const { sp } = windows(reg);
    await sp().on(1080);
    reg.values.delete('AutoConfigURL'); // the user unticked "use setup script"; the manual proxy is still ours
    await sp().off();
    expect(snapshot(reg)).toEqual(snapshot(fakeReg(ORIGINAL())));
  });

  it('is a no-op when already on for the same port; another port restores first and keeps the original previous', async () => {
    const reg = fakeReg(ORIGINAL());
    const { h, sp } = windows(reg);
    await sp().on(1080);
    h.runner.calls.length = 0;
    await sp().on(1080);
    expect(h.runner.lines().filter((l) => !l.startsWith('reg query'))).toEqual([]);
    await sp().on(2000);
    expect(reg.values.get('AutoConfigURL')?.data).toBe('http://127.0.0.1:2000/proxy.pac');
    expect((await readJournal())?.items[0]?.previous).toEqual({ AutoConfigURL: null, ProxyServer: 'corp:3128', ProxyOverride: null, ProxyEnable: 0 });
    await sp().off();
    expect(snapshot(reg)).toEqual(snapshot(fakeReg(ORIGINAL())));
  });

  it('rolls back when a change fails half-way', async () => {
    const reg = fakeReg(ORIGINAL());
    const { sp } = windows(reg, (c, a) => (a[0] === 'add' && a[3] === 'AutoConfigURL' ? { code: 1, stderr: 'ERROR: Access is denied.' } : undefined));
    await expect(sp().on(1080)).rejects.toThrow(/could not set the system proxy: .*Access is denied/);
    expect(snapshot(reg)).toEqual(snapshot(fakeReg(ORIGINAL())));
    expect(await readJournal()).toBeUndefined();
  });

  it('treats settings left pointing at a Porthole bridge (lost journal) as "no proxy" to go back to', async () => {
    const reg = fakeReg({ AutoConfigURL: { type: 'REG_SZ', data: 'http://127.0.0.1:1999/proxy.pac' }, ProxyEnable: { type: 'REG_DWORD', data: '0x0' } });
    const { sp } = windows(reg);
    await sp().on(1080);
    await sp().off();
    expect(snapshot(reg)).toEqual({ ProxyEnable: { type: 'REG_DWORD', data: '0x0' } });
  });

  it('keeps the journal when a restore fails, and the next start finishes it', async () => {
    const reg = fakeReg(ORIGINAL());
    let deny = false;
    const { sp } = windows(reg, (c, a) => (deny && c === 'reg' && a[0] !== 'query' ? { code: 1, stderr: 'ERROR: Access is denied.' } : undefined));
    await sp().on(1080);
    deny = true;
    const r = await sp().off();
    expect(r.failed).toHaveLength(1);
    expect((await readJournal())?.phase).toBe('restoring');
    deny = false;
    expect(await sp().repairOnStartup()).toMatchObject({ repaired: true, phase: 'restoring', restored: ['windows:internet-settings'] });
    expect(snapshot(reg)).toEqual(snapshot(fakeReg(ORIGINAL())));
  });
});

describe('crashes', () => {
  it('crash after "intent" was journaled, before any setting changed: repair changes nothing', async () => {
    const reg = fakeReg(ORIGINAL());
    const crash = crashPoint();
    const crashed = windows(reg, (_c, a) => (a[0] === 'add' ? crash.here() : undefined));
    void crashed.sp().on(1080);
    await crash.reached;
    expect((await readJournal())?.phase).toBe('intent');
    expect(snapshot(reg)).toEqual(snapshot(fakeReg(ORIGINAL())));

    const next = windows(reg);
    expect(await next.sp().repairOnStartup()).toMatchObject({ repaired: true, phase: 'intent', restored: [], leftAsIs: ['windows:internet-settings'] });
    expect(next.h.runner.lines()).toEqual([`reg query ${KEY}`]);
    expect(await readJournal()).toBeUndefined();
  });

  it('crash between "set" and "applied" journaled: the next start restores', async () => {
    const reg = fakeReg(ORIGINAL());
    const crashed = windows(reg);
    const store = fileJournal(journalPath(dataDir));
    const crash = crashPoint();
    const dying: JournalStore = { ...store, save: (j) => (j.phase === 'applied' ? crash.here() : store.save(j)) };
    void crashed.sp(dying).on(1080);
    await crash.reached;
    expect(reg.values.get('AutoConfigURL')?.data).toBe(PAC); // the settings were changed…
    expect((await readJournal())?.phase).toBe('intent'); // …but "applied" never reached the disk

    const next = windows(reg);
    expect(await next.sp().repairOnStartup()).toMatchObject({ repaired: true, phase: 'intent', restored: ['windows:internet-settings'] });
    expect(snapshot(reg)).toEqual(snapshot(fakeReg(ORIGINAL())));
    expect(await readJournal()).toBeUndefined();
    expect(await next.sp().repairOnStartup()).toMatchObject({ repaired: false });
  });

  it('crash after some macOS services were set: repair restores those and leaves the rest', async () => {
    const services: FakeService[] = [
      { name: 'Wi-Fi', url: null, enabled: false },
      { name: 'Ethernet', url: 'http://corp/wpad.pac', enabled: true },
    ];
    const ns = fakeNetworksetup(services);
    const mk = (intercept?: Handler) => {
      const runner = fakeRunner((c, a) => intercept?.(c, a) ?? ns.handle(c, a));
      return { runner, sp: createSystemProxy({ dataDir, host: { platform: 'darwin', env: {}, fs: memoryFs({}), runner }, backends: [macosBackend(runner)] }) };
    };
    const crash = crashPoint();
    void mk((_c, a) => (a[0] === '-setautoproxyurl' && a[1] === 'Ethernet' ? crash.here() : undefined)).sp.on(1080);
    await crash.reached;
    expect(services[0]).toMatchObject({ url: PAC, enabled: true });
    expect(services[1]).toMatchObject({ url: 'http://corp/wpad.pac', enabled: true });

    const next = mk();
    expect(await next.sp.repairOnStartup()).toMatchObject({ phase: 'intent', restored: ['macos:Wi-Fi'], leftAsIs: ['macos:Ethernet'] });
    expect(next.runner.lines().filter((l) => l.includes('-set'))).toEqual(['networksetup -setautoproxystate Wi-Fi off']);
    expect(services[0]).toMatchObject({ enabled: false });
    expect(services[1]).toMatchObject({ url: 'http://corp/wpad.pac', enabled: true });
  });

  it('crash while restoring: the next start finishes the job', async () => {
    const reg = fakeReg(ORIGINAL());
    await windows(reg).sp().on(1080);
    const crash = crashPoint();
    void windows(reg, (c) => (c === 'powershell.exe' ? crash.here() : undefined)).sp().off();
    await crash.reached;
    expect((await readJournal())?.phase).toBe('restoring');
    expect(reg.values.has('AutoConfigURL')).toBe(false); // part of the restore had happened
    // Only the PAC URL was Porthole's and it is already back: the next start finds nothing left to restore.
    expect(await windows(reg).sp().repairOnStartup()).toMatchObject({ repaired: true, phase: 'restoring', failed: [] });
    expect(snapshot(reg)).toEqual(snapshot(fakeReg(ORIGINAL())));
  });
});

describe('journal file', () => {
  it('is written atomically: stale temp files from a crash mid-write are removed, the old journal stays valid', async () => {
    const reg = fakeReg(ORIGINAL());
    await windows(reg).sp().on(1080);
    const dir = path.dirname(journalPath(dataDir));
    await writeFile(path.join(dir, '.journal.json.deadbeef.tmp'), '{"version":1,"pha'); // torn write of a newer journal
    expect((await windows(reg).sp().status()).phase).toBe('applied');
    expect(await readdir(dir)).toEqual(['journal.json']);
  });

  it('sets an unreadable journal aside instead of acting on it', async () => {
    const file = journalPath(dataDir);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'not json');
    await expect(windows(fakeReg()).sp().repairOnStartup()).rejects.toThrow(/unreadable and was set aside/);
    expect((await readdir(path.dirname(file))).some((n) => n.startsWith('journal.json.corrupt-'))).toBe(true);
    expect(await windows(fakeReg()).sp().repairOnStartup()).toMatchObject({ repaired: false });
  });
});
