// Secrets at rest: the LAN password is sealed with the keychain when there is one (never in the
// clear, not even in the backup copy), and without one it and the cached lists (which carry
// proxy credentials) are readable by this user only.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyedSecretBox } from '../../electron/core/engine-host/secret-box.ts';
import { SettingsStore } from '../../electron/core/engine/settings-store.ts';
import { ListCache } from '../../electron/core/catalog/list-cache.ts';

const PASSWORD = 'family-password-1';
const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), 'porthole-secrets-'));
const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;
const onDisk = async (dir: string): Promise<string> => {
  const main = await readFile(join(dir, 'settings.json'), 'utf8');
  const bak = await readFile(join(dir, 'settings.json.bak'), 'utf8').catch(() => '');
  return main + bak;
};

describe('the LAN password at rest', () => {
  it('is sealed with the keychain, and opens again on the next start', async () => {
    const dir = await tmp();
    const box = keyedSecretBox(randomBytes(32));
    const store = await new SettingsStore(dir, box).load();
    await store.update({ lanSharing: true, lanPassword: 'a-first-password' });
    await store.update({ lanPassword: PASSWORD });
    await store.update({ port: 2080 }); // a later save keeps a backup copy: it must not hold the password either
    expect(await onDisk(dir)).not.toContain(PASSWORD);
    expect(await onDisk(dir)).not.toContain('a-first-password');
    expect(await onDisk(dir)).toContain('lanPasswordSealed');
    expect((await new SettingsStore(dir, box).load()).get()).toMatchObject({ lanSharing: true, lanPassword: PASSWORD, port: 2080 });
  });

  it('a password left in the clear by an older version is sealed at the next start, backup included', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ language: 'auto', port: 1080, lanSharing: true, lanUsername: 'porthole', lanPassword: PASSWORD, systemProxy: false, startAtLogin: false, testUrl: 'http://cp.cloudflare.com/generate_204' }));
    await writeFile(join(dir, 'settings.json.bak'), JSON.stringify({ lanPassword: PASSWORD }));
    const box = keyedSecretBox(randomBytes(32));
    expect((await new SettingsStore(dir, box).load()).get().lanPassword).toBe(PASSWORD);
    expect(await onDisk(dir)).not.toContain(PASSWORD);
  });

  it('another keychain cannot open it: a new password is made and the log says so', async () => {
    const dir = await tmp();
    await (await new SettingsStore(dir, keyedSecretBox(randomBytes(32))).load()).update({ lanSharing: true, lanPassword: PASSWORD });
    const other = await new SettingsStore(dir, keyedSecretBox(randomBytes(32))).load();
    expect(other.get().lanPassword).not.toBe(PASSWORD);
    expect(other.get().lanPassword.length).toBeGreaterThanOrEqual(8);
    expect(other.warning).toMatch(/could not be unlocked/);
  });

  it('without a keychain it is kept in a file only this user can read', async () => {
    const dir = join(await tmp(), 'data');
    const store = await new SettingsStore(dir, keyedSecretBox(null)).load();
    await store.update({ lanSharing: true, lanPassword: PASSWORD });
    expect(await mode(join(dir, 'settings.json'))).toBe(0o600);
    expect(await mode(dir)).toBe(0o700);
  });
});

describe('cached lists at rest', () => {
  it('are 0600 in a 0700 folder, and an older cache is tightened when read', async () => {
    const data = await tmp();
    const cache = new ListCache(data);
    await cache.put('abcdefghijklmnop', new TextEncoder().encode('{}'));
    expect(await mode(join(data, 'lists', 'abcdefghijklmnop.signed'))).toBe(0o600);
    expect(await mode(join(data, 'lists'))).toBe(0o700);

    const old = await tmp();
    await mkdir(join(old, 'lists'), { mode: 0o755 });
    await chmod(join(old, 'lists'), 0o755);
    await writeFile(join(old, 'lists', 'bbbbbbbbbbbbbbbb.signed'), '{}', { mode: 0o644 });
    expect(await new ListCache(old).all()).toHaveLength(1);
    expect(await mode(join(old, 'lists', 'bbbbbbbbbbbbbbbb.signed'))).toBe(0o600);
    expect(await mode(join(old, 'lists'))).toBe(0o700);
  });
});
