// Servers a person added themselves (a link, a pasted subscription, Clash/sing-box/Outline config):
// kept in the data dir (mode 0600: they hold credentials).
import { join } from 'node:path';
import { z } from 'zod';
import { EntrySchema, type Entry } from '../../../shared/entry.ts';
import { entryIdFor, type ParsedLink } from '../../../shared/proxy-link.ts';
import { JsonFile } from '../fs/json-file.ts';

/** A person's own servers: room for one big subscription. */
const MAX_USER_SERVERS = 5000;

const UserServersSchema = z.strictObject({ format: z.literal('porthole-user-servers/1'), servers: z.array(EntrySchema).max(MAX_USER_SERVERS) });
type UserServers = z.infer<typeof UserServersSchema>;


export class UserServerStore {
  private readonly file: JsonFile<UserServers>;
  private data: UserServers = { format: 'porthole-user-servers/1', servers: [] };

  constructor(dataDir: string) {
    this.file = new JsonFile(join(dataDir, 'servers.json'), UserServersSchema, () => ({ format: 'porthole-user-servers/1', servers: [] }));
  }

  async load(): Promise<this> {
    this.data = (await this.file.load()).value;
    return this;
  }

  readonly limit = MAX_USER_SERVERS;

  list(): Entry[] {
    return [...this.data.servers];
  }

  /** Adds parsed servers in one write; those already there (same id) are counted, not added twice. */
  async addEntries(links: ParsedLink[]): Promise<{ added: Entry[]; already: number; full: number }> {
    const have = new Set(this.data.servers.map((s) => s.id));
    const added: Entry[] = [];
    let already = 0;
    let full = 0;
    for (const link of links) {
      const entry: Entry = { ...link, id: entryIdFor(link) }; // links were checked when parsed; save() checks all
      if (have.has(entry.id)) {
        already++;
        continue;
      }
      if (this.data.servers.length + added.length >= MAX_USER_SERVERS) {
        full++;
        continue;
      }
      have.add(entry.id);
      added.push(entry);
    }
    if (added.length > 0) {
      const next = { ...this.data, servers: [...this.data.servers, ...added] };
      await this.file.save(next);
      this.data = next;
    }
    return { added, already, full };
  }

  async remove(id: string): Promise<boolean> {
    const next = { ...this.data, servers: this.data.servers.filter((s) => s.id !== id) };
    if (next.servers.length === this.data.servers.length) return false;
    await this.file.save(next);
    this.data = next;
    return true;
  }
}
