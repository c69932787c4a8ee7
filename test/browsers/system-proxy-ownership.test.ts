// Porthole owns only what it changed, and only while it still holds Porthole's value: a restore puts
// back each field that still points at the bridge, leaves every field the user changed since, and
// never touches a setting it had no reason to change. Shown with a settings panel kept in memory
// (the real backends' command lines are checked in system-proxy-manager/-backends tests).
import { PortholeError } from '../../shared/errors.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostEnv } from '../../electron/core/browsers/host-env.ts';
import { fileJournal, journalPath, type Journal, type JournalStore } from '../../electron/core/browsers/system-proxy/journal.ts';
import { createSystemProxy, fieldsToRestore } from '../../electron/core/browsers/system-proxy/manager.ts';
import type { ItemState, ProxyBackend, ProxyTarget } from '../../electron/core/browsers/system-proxy/types.ts';
import { transition } from '../../electron/core/browsers/system-proxy/state-machine.ts';
import { fakeRunner } from './helpers/fake-runner.ts';
import { memoryFs } from './helpers/memory-fs.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'porthole-own-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const host: HostEnv = { platform: 'linux', env: {}, fs: memoryFs({}), runner: fakeRunner(() => undefined) };
const pacOf = (port: number): string => `http://127.0.0.1:${port}/proxy.pac`;

interface Panel extends ProxyBackend {
  items: Record<string, ItemState>;
  /** "item.field=value" for every field written, in order. */
  writes: string[];
  commits: number;
  fail: { read?: boolean; write?: string; commit?: boolean };
}

/** A desktop's proxy settings: a PAC URL, a manual server, a bypass list and an on switch, per item. */
function panel(name: string, items: Record<string, ItemState>): Panel {
  const p: Panel = {
    name,
    items,
    writes: [],
    commits: 0,
    fail: {},
    read: async () => {
      if (p.fail.read) throw new Error(`${name}: cannot read the settings`);
      return structuredClone(p.items);
    },
    target: (_item: string, t: ProxyTarget) => ({ pac: t.pacUrl, server: `${t.host}:${t.port}`, bypass: 'localhost', enabled: true }),
    pointsAt: (s: ItemState, t: ProxyTarget) => s.pac === t.pacUrl || (s.enabled === true && s.server === `${t.host}:${t.port}`),
    isPorthole: (s: ItemState) => typeof s.pac === 'string' && /^http:\/\/127\.0\.0\.1:\d+\/proxy\.pac$/.test(s.pac),
    neutral: () => ({ pac: null, server: null, bypass: null, enabled: false }),
    write: async (item: string, fields: ItemState) => {
      for (const [f, v] of Object.entries(fields)) {
        if (p.fail.write === `${item}.${f}`) throw new Error(`${name}: access denied to ${item}.${f}`);
        p.writes.push(`${item}.${f}=${String(v)}`);
        const cur = p.items[item]!;
        if (v === null) delete cur[f];
        else cur[f] = v;
      }
    },
    commit: async () => {
      if (p.fail.commit) throw new Error(`${name}: refresh failed`);
      p.commits++;
    },
  };
  return p;
}

/** How a panel item reads (missing fields are null), for comparing with what was there before. */
const view = (s: ItemState | undefined): ItemState => ({ pac: null, server: null, bypass: null, enabled: false, ...s });
const CORP = (): ItemState => ({ pac: null, server: 'corp:3128', bypass: '*.corp', enabled: false });
const journal = async (): Promise<Journal | undefined> => {
  try {
    return JSON.parse(await readFile(journalPath(dataDir), 'utf8')) as Journal;
  } catch {
    return undefined;
  }
};
const proxyWith = (...backends: ProxyBackend[]) => createSystemProxy({ dataDir, host, backends, now: () => new Date('2026-03-01T10:00:00Z') });

describe('restore, field by field', () => {
  it('puts back the fields that still hold Porthole\'s values and keeps the ones the user changed since', async () => {
    const wifi = panel('gnome', { desktop: CORP() });
    await proxyWith(wifi).on(1080);
    expect(wifi.items.desktop).toEqual({ pac: pacOf(1080), server: '127.0.0.1:1080', bypass: 'localhost', enabled: true });

    // Meanwhile the user edits the bypass list by hand and switches the manual proxy to another server.
    wifi.items.desktop!.bypass = 'localhost, *.bank.example';
    wifi.items.desktop!.server = 'home:8080';
    const r = await proxyWith(wifi).off();
    expect(r).toEqual({ restored: ['gnome:desktop'], leftAsIs: [], missing: [], failed: [] });
    // The PAC URL and the switch were still ours: back to before. The two edits are the user's: kept.
    expect(view(wifi.items.desktop)).toEqual({ pac: null, server: 'home:8080', bypass: 'localhost, *.bank.example', enabled: false });
    expect(await journal()).toBeUndefined();
  });

  it('does not write a field whose value before Porthole was already the value Porthole wanted', async () => {
    const wifi = panel('gnome', { desktop: { pac: null, server: 'corp:3128', bypass: 'localhost', enabled: false } });
    await proxyWith(wifi).on(1080);
    wifi.writes.length = 0;
    await proxyWith(wifi).off();
    expect(wifi.writes).toEqual(['desktop.pac=null', 'desktop.server=corp:3128', 'desktop.enabled=false']);
    expect(view(wifi.items.desktop)).toEqual({ pac: null, server: 'corp:3128', bypass: 'localhost', enabled: false });
  });

  it('fieldsToRestore: exactly the fields still holding what was applied, with their earlier values', () => {
    const item = { backend: 'b', item: 'i', previous: { a: 'old-a', b: 'old-b', c: 'same' }, applied: { a: 'new-a', b: 'new-b', c: 'same', d: 'new-d' } };
    expect(fieldsToRestore(item, { a: 'new-a', b: 'user-b', c: 'same', d: 'new-d' })).toEqual({ a: 'old-a', d: null });
    expect(fieldsToRestore(item, { a: 'user', b: 'user', c: 'user', d: 'user' })).toEqual({});
  });

  it('leaves an item the user pointed elsewhere entirely alone, and restores the others', async () => {
    const net = panel('macos', { 'Wi-Fi': CORP(), Ethernet: CORP() });
    await proxyWith(net).on(1080);
    net.items.Ethernet = { pac: 'http://corp/wpad.pac', server: 'corp:3128', bypass: '*.corp', enabled: true };
    const before = structuredClone(net.items.Ethernet);
    net.writes.length = 0;
    expect(await proxyWith(net).off()).toEqual({ restored: ['macos:Wi-Fi'], leftAsIs: ['macos:Ethernet'], missing: [], failed: [] });
    expect(net.items.Ethernet).toEqual(before);
    expect(net.writes.every((w) => w.startsWith('Wi-Fi.'))).toBe(true);
    expect(view(net.items['Wi-Fi'])).toEqual(CORP());
    expect(net.commits).toBe(2); // once after setting, once after restoring
  });

  it('reports a removed item as missing and a lost backend as missing, and finishes', async () => {
    const a = panel('kde', { desktop: CORP() });
    const b = panel('gnome', { desktop: CORP(), vpn: CORP() });
    await proxyWith(a, b).on(1080);
    delete b.items.vpn;
    expect(await proxyWith(b).off()).toEqual({ restored: ['gnome:desktop'], leftAsIs: [], missing: ['kde:desktop', 'gnome:vpn'], failed: [] });
    expect(await journal()).toBeUndefined();
  });

  it('a setting left pointing at some Porthole bridge (a lost journal) counts as "no proxy" to go back to', async () => {
    const wifi = panel('gnome', { desktop: { pac: pacOf(1999), server: null, bypass: null, enabled: true } });
    await proxyWith(wifi).on(1080);
    expect((await journal())?.items[0]?.previous).toEqual({ pac: null, server: null, bypass: null, enabled: false });
    await proxyWith(wifi).off();
    expect(view(wifi.items.desktop)).toEqual({ pac: null, server: null, bypass: null, enabled: false });
  });
});

describe('failures keep the promise for the next start', () => {
  it('an unreadable backend or a refused write keeps the journal; the next start restores what is left', async () => {
    const wifi = panel('gnome', { desktop: CORP(), vpn: CORP() });
    await proxyWith(wifi).on(1080);
    wifi.fail.read = true;
    const r1 = await proxyWith(wifi).off();
    expect(r1.failed).toEqual([
      { key: 'gnome:desktop', error: 'gnome: cannot read the settings' },
      { key: 'gnome:vpn', error: 'gnome: cannot read the settings' },
    ]);
    expect((await journal())?.phase).toBe('restoring');

    wifi.fail = { write: 'vpn.pac' };
    const r2 = await proxyWith(wifi).repairOnStartup();
    expect(r2).toMatchObject({ repaired: true, phase: 'restoring', restored: ['gnome:desktop'], failed: [{ key: 'gnome:vpn', error: 'gnome: access denied to vpn.pac' }] });
    expect(view(wifi.items.desktop)).toEqual(CORP());
    expect((await journal())?.phase).toBe('restoring');

    wifi.fail = {};
    expect(await proxyWith(wifi).repairOnStartup()).toMatchObject({ repaired: true, restored: ['gnome:vpn'], failed: [] });
    expect(view(wifi.items.vpn)).toEqual(CORP());
    expect(await journal()).toBeUndefined();
    expect(await proxyWith(wifi).repairOnStartup()).toEqual({ repaired: false, phase: 'idle', restored: [], leftAsIs: [], missing: [], failed: [] });
  });

  it('a failed refresh after restoring is reported and retried on the next start', async () => {
    const wifi = panel('gnome', { desktop: CORP() });
    await proxyWith(wifi).on(1080);
    wifi.fail.commit = true;
    const r = await proxyWith(wifi).off();
    expect(r.failed).toEqual([{ key: 'gnome:commit', error: 'gnome: refresh failed' }]);
    expect(await journal()).toBeDefined();
  });

  it('switching on with nothing to change says so, and changes nothing', async () => {
    await expect(proxyWith().on(1080)).rejects.toThrow(new PortholeError('system-proxy', 'found no system proxy settings that Porthole can change here (Linux: GNOME gsettings or KDE kwriteconfig5/6)'));
    await expect(proxyWith(panel('macos', {})).on(1080)).rejects.toThrow('found no enabled network service to set a proxy for');
    expect(await journal()).toBeUndefined();
  });

  it('a failed change is undone at once, and the error says what failed', async () => {
    const wifi = panel('gnome', { desktop: CORP() });
    wifi.fail.write = 'desktop.enabled';
    await expect(proxyWith(wifi).on(1080)).rejects.toThrow(/^could not set the system proxy: gnome: access denied to desktop\.enabled$/);
    expect(view(wifi.items.desktop)).toEqual(CORP());
    expect(await journal()).toBeUndefined();
  });

  it('when the undo fails too, the error says it is retried on the next start, and the next start does it', async () => {
    const wifi = panel('gnome', { desktop: CORP() });
    wifi.fail.commit = true;
    await expect(proxyWith(wifi).on(1080)).rejects.toThrow(/could not set the system proxy: gnome: refresh failed \(undo incomplete: it is retried on the next start\)/);
    wifi.fail = {};
    expect(await proxyWith(wifi).repairOnStartup()).toMatchObject({ repaired: true, phase: 'restoring', failed: [] });
    expect(view(wifi.items.desktop)).toEqual(CORP());
  });

  it('moving to another port first undoes the old change; if that cannot be undone, nothing new is applied', async () => {
    const wifi = panel('gnome', { desktop: CORP() });
    await proxyWith(wifi).on(1080);
    wifi.fail.write = 'desktop.pac';
    await expect(proxyWith(wifi).on(2000)).rejects.toThrow('could not undo the earlier system proxy change: gnome: access denied to desktop.pac');
    expect(wifi.items.desktop!.pac).toBe(pacOf(1080));
    wifi.fail = {};
    const s = await proxyWith(wifi).on(2000);
    expect(s).toMatchObject({ phase: 'applied', target: { port: 2000, pacUrl: pacOf(2000) } });
    expect(view((await journal())?.items[0]?.previous)).toEqual(CORP());
  });
});

describe('more failures, said plainly', () => {
  it('every item that could not be undone is named in the error', async () => {
    const wifi = panel('gnome', { a: CORP(), b: CORP() });
    await proxyWith(wifi).on(1080);
    wifi.fail.read = true;
    await expect(proxyWith(wifi).on(2000)).rejects.toThrow('could not undo the earlier system proxy change: gnome: cannot read the settings; gnome: cannot read the settings');
  });

  it('when even the journal cannot record the undo, the error says the undo is incomplete and keeps the cause', async () => {
    const wifi = panel('gnome', { desktop: CORP() });
    wifi.fail.write = 'desktop.enabled';
    const disk = fileJournal(journalPath(dataDir));
    const full: JournalStore = { ...disk, save: (j) => (j.phase === 'restoring' ? Promise.reject(new Error('disk full')) : disk.save(j)) };
    const err = await createSystemProxy({ dataDir, host, backends: [wifi], journal: full }).on(1080).catch((e: unknown) => e as PortholeError);
    expect(err).toBeInstanceOf(PortholeError);
    expect(err).toMatchObject({ code: 'system-proxy' });
    expect((err as Error).message).toBe('could not set the system proxy: gnome: access denied to desktop.enabled (undo incomplete: it is retried on the next start)');
    expect(((err as Error).cause as Error).message).toBe('gnome: access denied to desktop.enabled');
  });

  it('a run that crashed before applying is finished properly by the next "on", not taken as already on', async () => {
    const wifi = panel('gnome', { desktop: CORP() });
    const disk = fileJournal(journalPath(dataDir));
    // The last run journaled its intent for port 1080 and died before changing anything.
    await disk.save({ version: 1, phase: 'intent', target: { host: '127.0.0.1', port: 1080, pacUrl: pacOf(1080) }, createdAt: 'x', updatedAt: 'x', items: [{ backend: 'gnome', item: 'desktop', previous: CORP(), applied: { pac: pacOf(1080) } }] });
    const s = await proxyWith(wifi).on(1080);
    expect(s.phase).toBe('applied');
    expect(wifi.items.desktop!.pac).toBe(pacOf(1080));
  });

  it('the journal lives in the data dir, can be cleared twice, and a broken one keeps its cause', async () => {
    expect(journalPath('/data')).toBe(path.join('/data', 'system-proxy', 'journal.json'));
    const disk = fileJournal(journalPath(dataDir));
    await disk.clear();
    await disk.clear();
    expect(await disk.load()).toBeUndefined();
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(path.dirname(journalPath(dataDir)), { recursive: true });
    await writeFile(journalPath(dataDir), '{"version":1}');
    const err = await disk.load().catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/^system proxy journal was unreadable and was set aside: /);
    expect((err as Error).cause).toBeDefined();
  });

  it('an illegal step of the state machine names the phase and the event', () => {
    const err = (() => {
      try {
        transition('idle', 'restored');
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(PortholeError);
    expect(err).toMatchObject({ code: 'internal' });
    expect(err).toMatchObject({ name: 'PortholeError', code: 'internal', message: 'system proxy: "restored" is not allowed in phase "idle"' });
  });
});

describe('what status and the journal say', () => {
  it('journals the intent with the previous settings before the first change, and marks it applied after', async () => {
    const wifi = panel('gnome', { desktop: CORP() });
    let atFirstWrite: Journal | undefined;
    const write = wifi.write;
    wifi.write = async (item, fields) => {
      atFirstWrite ??= await journal();
      await write(item, fields);
    };
    const s = await proxyWith(wifi).on(1090, '127.0.0.2');
    expect(atFirstWrite).toMatchObject({ phase: 'intent', target: { host: '127.0.0.2', port: 1090 }, items: [{ backend: 'gnome', item: 'desktop', previous: CORP() }] });
    expect(await journal()).toEqual({
      version: 1, phase: 'applied', target: { host: '127.0.0.2', port: 1090, pacUrl: 'http://127.0.0.2:1090/proxy.pac' },
      createdAt: '2026-03-01T10:00:00.000Z', updatedAt: '2026-03-01T10:00:00.000Z',
      items: [{ backend: 'gnome', item: 'desktop', previous: CORP(), applied: { pac: 'http://127.0.0.2:1090/proxy.pac', server: '127.0.0.2:1090', bypass: 'localhost', enabled: true } }],
    });
    expect(s).toEqual({
      phase: 'applied', target: { host: '127.0.0.2', port: 1090, pacUrl: 'http://127.0.0.2:1090/proxy.pac' }, backends: ['gnome'],
      items: [{ backend: 'gnome', item: 'desktop', current: wifi.items.desktop, pointsAtPorthole: true }],
    });
  });

  it('status without a journal still recognises settings left at a Porthole bridge', async () => {
    const wifi = panel('gnome', { a: { pac: pacOf(1999), enabled: true }, b: CORP() });
    expect(await proxyWith(wifi).status()).toEqual({
      phase: 'idle', backends: ['gnome'],
      items: [
        { backend: 'gnome', item: 'a', current: { pac: pacOf(1999), enabled: true }, pointsAtPorthole: true },
        { backend: 'gnome', item: 'b', current: CORP(), pointsAtPorthole: false },
      ],
    });
  });

  it('on, off and status run one at a time in the order asked', async () => {
    const wifi = panel('gnome', { desktop: CORP() });
    const sp = proxyWith(wifi);
    const [on, off, after] = await Promise.all([sp.on(1080), sp.off(), sp.status()]);
    expect(on.phase).toBe('applied');
    expect(off.restored).toEqual(['gnome:desktop']);
    expect(after.phase).toBe('idle');
    expect(view(wifi.items.desktop)).toEqual(CORP());
  });

  it('off with nothing applied is a no-op', async () => {
    const wifi = panel('gnome', { desktop: CORP() });
    expect(await proxyWith(wifi).off()).toEqual({ restored: [], leftAsIs: [], missing: [], failed: [] });
    expect(wifi.writes).toEqual([]);
  });
});
