// Servers a power user added by link: kept in the data dir (mode 0600: they hold credentials).
import { join } from 'node:path';
import { z } from 'zod';
import { EntrySchema, type Entry } from '../../../shared/entry.ts';
import { entryIdFor, parseProxyLink } from '../../../shared/proxy-link.ts';
import { JsonFile } from '../store/json-file.ts';

const UserServersSchema = z.strictObject({ format: z.literal('porthole-user-servers/1'), servers: z.array(EntrySchema).max(1000) });
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

  list(): Entry[] {
    return [...this.data.servers];
  }

  /** Adds a server from a link; throws LinkError naming what is wrong. Returns null when already there. */
  async addLink(link: string): Promise<Entry | null> {
    const parsed = parseProxyLink(link);
    const entry = EntrySchema.parse({ ...parsed, id: entryIdFor(parsed) });
    if (this.data.servers.some((s) => s.id === entry.id)) return null;
    const next = { ...this.data, servers: [...this.data.servers, entry] };
    await this.file.save(next);
    this.data = next;
    return entry;
  }

  async remove(id: string): Promise<boolean> {
    const next = { ...this.data, servers: this.data.servers.filter((s) => s.id !== id) };
    if (next.servers.length === this.data.servers.length) return false;
    await this.file.save(next);
    this.data = next;
    return true;
  }
}
