// A JSON document on disk with a schema, atomic writes and previous-good-copy recovery.
import { PortholeError } from '../../../shared/errors.ts';
import type { z } from 'zod';
import { firstIssue } from '../../../shared/zod-message.ts';
import { readWithRecovery, writeFileAtomic } from './atomic.ts';

export interface Loaded<T> {
  value: T;
  /** Set when the file was corrupt or missing and the previous good copy was used. */
  recovered?: string;
}

export class JsonFile<T> {
  readonly path: string;
  private readonly schema: z.ZodType<T>;
  private readonly empty: () => T;

  constructor(path: string, schema: z.ZodType<T>, empty: () => T) {
    this.path = path;
    this.schema = schema;
    this.empty = empty;
  }

  private parse = (data: Buffer): T => {
    const json: unknown = JSON.parse(data.toString('utf8'));
    const parsed = this.schema.safeParse(json);
    if (!parsed.success) throw new Error(firstIssue(parsed.error).message);
    return parsed.data;
  };

  async load(): Promise<Loaded<T>> {
    const out = await readWithRecovery(this.path, this.parse);
    switch (out.state) {
      case 'ok': return { value: out.value };
      case 'missing': return { value: this.empty() };
      case 'recovered': return { value: out.value, recovered: `${out.problem}: restored the previous good copy` };
      case 'corrupt':
        throw new PortholeError('storage', `${out.problem}, and there is no good previous copy (${this.path})`);
    }
  }

  /**
   * Saves atomically; the copy being replaced becomes FILE.bak. With `sameBackup` (after a
   * removal) FILE.bak gets the new content too, so that recovering from it cannot bring
   * back what was just removed.
   */
  async save(value: T, options: { sameBackup?: boolean } = {}): Promise<void> {
    const checked = this.schema.parse(value);
    const text = `${JSON.stringify(checked, null, 2)}\n`;
    if (options.sameBackup) await writeFileAtomic(`${this.path}.bak`, text, { mode: 0o600 });
    const keepPrevious = (current: Buffer): boolean => {
      try {
        this.parse(current);
        return true;
      } catch {
        return false;
      }
    };
    await writeFileAtomic(this.path, text, { mode: 0o600, ...(options.sameBackup ? {} : { backup: keepPrevious }) });
  }
}
