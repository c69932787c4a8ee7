// The boot test, quitting: Quit from the tray holds the quit until the engine process has stopped
// and restored the system proxy, then exits; nothing restarts the engine; nothing is left unhandled.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { boot, fake, until } from './boot-harness.ts';
import type { Booted } from './boot-harness.ts';

vi.mock('electron', () => import('./fake-electron.ts'));

let shell: Booted;
beforeAll(async () => { shell = await boot(); }, 30_000);
afterAll(async () => { await shell?.close(); });

describe('boot, then Quit', () => {
  it('Quit restores the system proxy before exiting', async () => {
    await shell.call('connect', {});
    await shell.call('setSettings', { systemProxy: true });
    expect(shell.gnome.proxy().mode).toBe("'auto'");
    const quit = fake.FakeTray.last!.menu!.items.find((i) => i.label === 'Выйти из Porthole' || i.label === 'Quit Porthole')!;
    const t0 = Date.now();
    quit.click!();
    // Held: the window is still there while the engine stops.
    expect(fake.app.quitted).toBe(false);
    await until(() => fake.app.exitCode !== null, 10_000);
    expect(fake.app.exitCode).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(shell.gnome.proxy().mode).toBe("'manual'");
    await until(() => fake.FakeUtilityProcess.all.every((u) => u.pid === undefined), 5000);
    // A stopped engine is not a crash: no second engine process.
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.FakeUtilityProcess.all).toHaveLength(1);
    const { violations } = await import('./fake-electron.ts');
    expect(violations).toEqual([]);
    expect(shell.rejections).toEqual([]);
  }, 60_000);
});
