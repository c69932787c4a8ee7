// Client state that must never go backwards: the highest list version accepted per
// publisher, the newest signed issued-at seen (the time floor), and used code nonces.
import { join } from 'node:path';
import { z } from 'zod';
import { EntrySchema } from '../../../shared/entry.ts';
import { JsonFile } from './json-file.ts';

const CodeRecordSchema = z.strictObject({
  nonce: z.string(),
  publisher: z.string(),
  importedAt: z.string(),
  expires: z.string(),
  servers: z.array(EntrySchema),
  channels: z.array(z.string()),
});
export type CodeRecord = z.infer<typeof CodeRecordSchema>;

const StateSchema = z.strictObject({
  format: z.literal('porthole-state/1'),
  highestVersion: z.record(z.string(), z.number().int()),
  newestIssuedAt: z.string().optional(),
  codes: z.array(CodeRecordSchema),
});
type State = z.infer<typeof StateSchema>;

const MAX_CODES = 1000;

export class StateStore {
  private readonly file: JsonFile<State>;
  private data: State = empty();
  recovered?: string;

  constructor(dataDir: string) {
    this.file = new JsonFile(join(dataDir, 'state.json'), StateSchema, empty);
  }

  async load(): Promise<this> {
    const loaded = await this.file.load();
    this.data = loaded.value;
    if (loaded.recovered) this.recovered = loaded.recovered;
    return this;
  }

  highestVersion(publisher: string): number | undefined {
    return this.data.highestVersion[publisher];
  }

  /** max(system clock, newest signed issued-at seen): a wrong clock cannot revive old lists. */
  timeFloor(now = new Date()): Date {
    const seen = this.data.newestIssuedAt ? Date.parse(this.data.newestIssuedAt) : 0;
    return new Date(Math.max(now.getTime(), seen));
  }

  async recordList(publisher: string, version: number, issuedAt: string): Promise<void> {
    const next = structuredClone(this.data);
    next.highestVersion[publisher] = Math.max(version, next.highestVersion[publisher] ?? 0);
    if (!next.newestIssuedAt || Date.parse(issuedAt) > Date.parse(next.newestIssuedAt)) next.newestIssuedAt = issuedAt;
    await this.save(next);
  }

  codeByNonce(nonce: string): CodeRecord | undefined {
    return this.data.codes.find((c) => c.nonce === nonce);
  }

  codes(): CodeRecord[] {
    return [...this.data.codes];
  }

  async recordCode(record: CodeRecord, issuedAt?: string): Promise<void> {
    const next = structuredClone(this.data);
    next.codes = [...next.codes.filter((c) => c.nonce !== record.nonce), record].slice(-MAX_CODES);
    if (issuedAt && (!next.newestIssuedAt || Date.parse(issuedAt) > Date.parse(next.newestIssuedAt))) next.newestIssuedAt = issuedAt;
    await this.save(next);
  }

  private async save(next: State): Promise<void> {
    await this.file.save(next);
    this.data = next;
  }
}

function empty(): State {
  return { format: 'porthole-state/1', highestVersion: {}, codes: [] };
}
