// The last good signed list of each publisher, cached on disk as the bytes that verified,
// one file per publisher, written atomically. Lists carry proxy credentials: files are 0600
// in a 0700 folder (and older caches are tightened when read).
import { chmod, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.ts';

export class ListCache {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'lists');
  }

  private fileFor(publisher: string): string {
    if (!/^[a-z2-7]{16}$/.test(publisher)) throw new Error(`bad publisher id ${publisher}`);
    return join(this.dir, `${publisher}.signed`);
  }

  async put(publisher: string, bytes: Uint8Array): Promise<void> {
    await writeFileAtomic(this.fileFor(publisher), bytes, { mode: 0o600 });
  }

  /** Deletes a publisher's cached list; true when there was one. */
  async remove(publisher: string): Promise<boolean> {
    const file = this.fileFor(publisher);
    const had = (await readFile(file).catch(() => null)) !== null;
    await rm(file, { force: true });
    return had;
  }

  /** Every cached list's bytes; the caller re-verifies them. */
  async all(): Promise<{ publisher: string; bytes: Uint8Array }[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    if (names.length > 0) await chmod(this.dir, 0o700).catch(() => undefined);
    const out: { publisher: string; bytes: Uint8Array }[] = [];
    for (const name of names) {
      const m = /^([a-z2-7]{16})\.signed$/.exec(name);
      if (!m) continue;
      await chmod(join(this.dir, name), 0o600).catch(() => undefined);
      const bytes = await readFile(join(this.dir, name)).catch(() => null);
      if (bytes) out.push({ publisher: m[1]!, bytes });
    }
    return out;
  }
}
