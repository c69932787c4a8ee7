// Client state that must never go backwards: the highest list version accepted per
// publisher, the newest signed issued-at accepted per publisher (its time floor), and used
// code nonces. Floors are per publisher so that no signer can move another's clock.
import { join } from 'node:path';
import { z } from 'zod';
import { EntrySchema } from '../../../shared/entry.ts';
import { JsonFile } from '../fs/json-file.ts';

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
  /** Per publisher: the newest issued-at accepted from it. */
  issuedAtFloor: z.record(z.string(), z.string()).optional(),
  /** Before per-publisher floors: one floor any signer could push. Read and dropped, never trusted. */
  newestIssuedAt: z.string().optional(),
  codes: z.array(CodeRecordSchema),
});
type State = z.infer<typeof StateSchema>;

const MAX_CODES = 1000;

export class StateStore {
  private readonly file: JsonFile<State>;
  private data: State = empty();
  /** Set when the state file was damaged and its previous good copy was read instead. */
  recovered: string | undefined;

  constructor(dataDir: string) {
    this.file = new JsonFile(join(dataDir, 'state.json'), StateSchema, empty);
  }

  async load(): Promise<this> {
    const loaded = await this.file.load();
    this.data = loaded.value;
    this.recovered = loaded.recovered;
    return this;
  }

  highestVersion(publisher: string): number | undefined {
    return this.data.highestVersion[publisher];
  }

  /** The newest issued-at accepted from a publisher, if any. */
  issuedAtFloor(publisher: string): Date | undefined {
    const seen = this.data.issuedAtFloor?.[publisher];
    return seen ? new Date(seen) : undefined;
  }

  /** max(system clock, the publisher's floor): a clock set back cannot revive its old lists or codes. */
  timeFloor(publisher: string, now = new Date()): Date {
    const seen = this.issuedAtFloor(publisher)?.getTime() ?? 0;
    return new Date(Math.max(now.getTime(), seen));
  }

  async recordList(publisher: string, version: number, issuedAt: string): Promise<void> {
    const next = structuredClone(this.data);
    next.highestVersion[publisher] = Math.max(version, next.highestVersion[publisher] ?? 0);
    const floors = { ...next.issuedAtFloor };
    const had = floors[publisher];
    // Stryker disable next-line EqualityOperator: `>=` only swaps the floor for another spelling of the same instant.
    if (!had || Date.parse(issuedAt) > Date.parse(had)) floors[publisher] = issuedAt;
    next.issuedAtFloor = floors;
    await this.save(next);
  }

  /**
   * Drops the codes of a publisher the user no longer trusts, with their servers and channels.
   * Its version and floor stay: trusting it again must not let its old lists back in.
   */
  async forgetCodesOf(publisher: string): Promise<number> {
    const next = structuredClone(this.data);
    next.codes = next.codes.filter((c) => c.publisher !== publisher);
    const dropped = this.data.codes.length - next.codes.length;
    if (dropped > 0) await this.save(next, { sameBackup: true });
    return dropped;
  }

  codeByNonce(nonce: string): CodeRecord | undefined {
    return this.data.codes.find((c) => c.nonce === nonce);
  }

  codes(): CodeRecord[] {
    return [...this.data.codes];
  }

  async recordCode(record: CodeRecord): Promise<void> {
    const next = structuredClone(this.data);
    next.codes = [...next.codes.filter((c) => c.nonce !== record.nonce), record].slice(-MAX_CODES);
    await this.save(next);
  }

  private async save(next: State, options: { sameBackup?: boolean } = {}): Promise<void> {
    delete next.newestIssuedAt;
    await this.file.save(next, options);
    this.data = next;
  }
}

function empty(): State {
  return { format: 'porthole-state/1', highestVersion: {}, issuedAtFloor: {}, codes: [] };
}
