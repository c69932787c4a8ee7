// The boot test, Windows sign-out: 'query-session-end' (the moment Windows still waits) delays the
// end only while the system proxy points at Porthole, restores it and quits before the deadline.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OS_SESSION_END_DEADLINE_MS } from '../../../electron/main/quit.ts';
import { boot, fake, until } from './boot-harness.ts';
import type { Booted } from './boot-harness.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

let shell: Booted;
beforeAll(async () => { shell = await boot(); }, 30_000);
afterAll(async () => { await shell?.close(); });

describe('boot, then Windows ends the session', () => {
  it('query-session-end restores the system proxy and quits before the deadline', async () => {
    await shell.call('connect', {});
    await shell.call('setSettings', { systemProxy: true });
    expect(shell.gnome.proxy().mode).toBe("'auto'");
    await until(() => fake.FakeTray.last!.tooltip !== '' && /Porthole/.test(fake.FakeTray.last!.tooltip));
    const query = Object.assign(new fake.FakeEvent(), { reasons: ['logoff'] });
    const t0 = Date.now();
    shell.window().emit('query-session-end', query);
    // The proxy still points at the bridge: Windows is asked to wait.
    expect(query.defaultPrevented).toBe(true);
    shell.window().emit('session-end', Object.assign(new fake.FakeEvent(), { reasons: ['logoff'] }));
    await until(() => fake.app.quitted, OS_SESSION_END_DEADLINE_MS);
    expect(Date.now() - t0).toBeLessThan(OS_SESSION_END_DEADLINE_MS);
    expect(shell.gnome.proxy().mode).toBe("'manual'");
    const { violations } = await import('./fake-electron.ts');
    expect(violations).toEqual([]);
    expect(shell.rejections).toEqual([]);
  }, 60_000);
});
