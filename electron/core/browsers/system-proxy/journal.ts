// The system-proxy journal on disk: what Porthole changed and what was there before.
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isTempOf, syncDir, writeFileAtomic } from '../atomic-file.ts';
import type { Phase } from './state-machine.ts';
import type { ItemState, ProxyTarget } from './types.ts';

export interface JournalItem {
  backend: string;
  item: string;
  /** The settings before Porthole: what a restore puts back. */
  previous: ItemState;
  /** The fields Porthole writes. */
  applied: ItemState;
}

export interface Journal {
  version: 1;
  phase: Exclude<Phase, 'idle'>;
  target: ProxyTarget;
  createdAt: string;
  updatedAt: string;
  items: JournalItem[];
}

export interface JournalStore {
  load(): Promise<Journal | undefined>;
  save(journal: Journal): Promise<void>;
  clear(): Promise<void>;
}

const Value = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const JournalSchema = z.object({
  version: z.literal(1),
  phase: z.enum(['intent', 'applied', 'restoring']),
  target: z.object({ host: z.string(), port: z.number().int(), pacUrl: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  items: z.array(z.object({ backend: z.string(), item: z.string(), previous: z.record(z.string(), Value), applied: z.record(z.string(), Value) })),
});

export function journalPath(dataDir: string): string {
  return path.join(dataDir, 'system-proxy', 'journal.json');
}

export function fileJournal(file: string): JournalStore {
  return {
    async load() {
      await removeStaleTemps(file);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      try {
        return JournalSchema.parse(JSON.parse(text)) as Journal;
      } catch (err) {
        // Atomic writes make this unlikely; keep the evidence and carry on.
        await rename(file, `${file}.corrupt-${Date.now()}`);
        throw new Error(`system proxy journal was unreadable and was set aside: ${(err as Error).message}`, { cause: err });
      }
    },
    async save(journal) {
      await writeFileAtomic(file, `${JSON.stringify(journal, null, 2)}\n`);
    },
    async clear() {
      await rm(file, { force: true });
      await syncDir(path.dirname(file));
    },
  };
}

async function removeStaleTemps(file: string): Promise<void> {
  const dir = path.dirname(file);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const n of names) if (isTempOf(file, n)) await rm(path.join(dir, n), { force: true });
}
