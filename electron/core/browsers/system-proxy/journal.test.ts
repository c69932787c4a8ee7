// Reading the system-proxy journal: no journal is "nothing to restore", but a journal that exists
// and cannot be read is never taken for none (that would forget what to put back).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileJournal, journalPath, type Journal } from './journal.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'porthole-journal-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const JOURNAL: Journal = {
  version: 1,
  phase: 'applied',
  target: { host: '127.0.0.1', port: 1080, pacUrl: 'http://127.0.0.1:1080/proxy.pac' },
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  items: [{ backend: 'gnome', item: 'desktop', previous: { mode: 'none' }, applied: { mode: 'auto' } }],
};

describe('the system-proxy journal', () => {
  it('none on disk reads as none; a saved one reads back as saved', async () => {
    const disk = fileJournal(journalPath(dataDir));
    expect(await disk.load()).toBeUndefined();
    await disk.save(JOURNAL);
    expect(await disk.load()).toEqual(JOURNAL);
    await disk.clear();
    expect(await disk.load()).toBeUndefined();
  });

  it('a journal that is there but cannot be read is an error, not "nothing to restore"', async () => {
    const file = journalPath(dataDir);
    await mkdir(file, { recursive: true }); // something else sits where the journal is: reading fails
    await expect(fileJournal(file).load()).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
