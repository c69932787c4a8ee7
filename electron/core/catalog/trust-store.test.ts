// The trust store survives a crash mid-write and a corrupt file without losing trusted keys.
import { PortholeError } from '../../../shared/errors.ts';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../crypto/ed25519.ts';
import { bareKeyChain } from '../lists/roots.ts';
import { TrustStore } from './trust-store.ts';

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'porthole-trust-'));
}

describe('trust store', () => {
  it('recovers the previous good copy when trust.json is corrupt', async () => {
    const dir = await tmp();
    const a = bareKeyChain(generateKey().publicKey);
    const b = bareKeyChain(generateKey().publicKey);
    const store = await new TrustStore(dir, []).load();
    await store.add(a, 'manual');
    await store.add(b, 'manual');
    await writeFile(join(dir, 'trust.json'), '{"format":"porthole-trust/1","publishers":[{"ch'); // torn write
    const reloaded = await new TrustStore(dir, []).load();
    expect(reloaded.recovered).toMatch(/trust\.json is corrupt .*restored the previous good copy/);
    // The backup is the state before the last save: it holds `a` (and the save after it re-adds b).
    expect(reloaded.list().map((p) => p.publisher)).toContain(a.publisher);
    await reloaded.add(b, 'manual');
    const again = await new TrustStore(dir, []).load();
    expect(again.recovered).toBeUndefined();
    expect(again.list().map((p) => p.publisher).sort()).toEqual([a.publisher, b.publisher].sort());
    await rm(dir, { recursive: true });
  });

  it('refuses to start from garbage with no good copy, instead of silently trusting nothing', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'trust.json'), 'garbage');
    await expect(new TrustStore(dir, []).load()).rejects.toBeInstanceOf(PortholeError);
    await rm(dir, { recursive: true });
  });

  it('survives being killed at random points while writing (kill -9)', async () => {
    const dir = await tmp();
    const keys = Array.from({ length: 40 }, () => generateKey().publicKey);
    // A child process adds keys one by one, as fast as it can, until it is killed.
    const script = `
      import { TrustStore } from ${JSON.stringify(new URL('./trust-store.ts', import.meta.url).href)};
      import { bareKeyChain } from ${JSON.stringify(new URL('../lists/roots.ts', import.meta.url).href)};
      const keys = ${JSON.stringify(keys)};
      const store = await new TrustStore(${JSON.stringify(dir)}, []).load();
      let i = 0;
      for (;;) { await store.add(bareKeyChain(keys[i % keys.length]), 'manual'); if (++i === 1) process.stdout.write('writing\\n'); if (i % keys.length === 0) await store.remove(bareKeyChain(keys[0]).publisher).catch(() => {}); }
    `;
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((r) => child.stdout.once('data', r)); // it is writing now
      await new Promise((r) => setTimeout(r, 5 + round * 23)); // …then die at some point mid-write
      child.kill('SIGKILL');
      await new Promise((r) => child.on('close', r));
      const store = await new TrustStore(dir, []).load();
      const ids = store.list().map((p) => p.publisher);
      // Whatever moment it died at, the store loads and every entry is a real trusted key.
      const known = new Set(keys.map((k) => bareKeyChain(k).publisher));
      for (const id of ids) expect(known.has(id)).toBe(true);
      if (round > 0) expect(ids.length).toBeGreaterThan(0);
    }
    // No temp files pile up beyond the last interrupted write.
    const leftovers = (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
    expect(leftovers.length).toBeLessThanOrEqual(6);
    JSON.parse(await readFile(join(dir, 'trust.json'), 'utf8'));
    await rm(dir, { recursive: true });
  });

  it('keeps pinned publishers and refuses to remove them', async () => {
    const dir = await tmp();
    const pinned = bareKeyChain(generateKey().publicKey);
    const store = await new TrustStore(dir, [pinned]).load();
    expect(store.list()).toEqual([expect.objectContaining({ publisher: pinned.publisher, pinned: true })]);
    await expect(store.remove(pinned.publisher)).rejects.toThrow(/pinned in this build/);
    await rm(dir, { recursive: true });
  });
});
