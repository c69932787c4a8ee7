// The trust store: pinned publishers shipped in build/ plus publishers the user chose to
// trust (by a code or by hand). Saved atomically, with the previous good copy kept.
import { PortholeError } from '../../../shared/errors.ts';
import { join } from 'node:path';
import { z } from 'zod';
import { SignedSchema, type Signed } from '../../../shared/list-format.ts';
import { bareKeyChain, verifyRootChain, type RootChain } from '../lists/roots.ts';
import { JsonFile } from '../fs/json-file.ts';

const TrustFileSchema = z.strictObject({
  format: z.literal('porthole-trust/1'),
  publishers: z.array(z.strictObject({
    /** The verified root chain; empty for a bare key (from a code) until a list brings the chain. */
    chain: z.array(SignedSchema),
    key: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
    label: z.string().max(100).optional(),
    addedAt: z.string(),
    via: z.enum(['code', 'manual', 'list']),
  })),
});
type TrustFile = z.infer<typeof TrustFileSchema>;

export interface TrustedPublisher extends RootChain {
  pinned: boolean;
  label?: string;
  addedAt?: string;
  via?: 'code' | 'manual' | 'list' | 'pinned';
}

export class TrustStore {
  private readonly file: JsonFile<TrustFile>;
  private readonly pinned: RootChain[];
  private data: TrustFile = { format: 'porthole-trust/1', publishers: [] };
  private listed: { data: TrustFile; publishers: readonly TrustedPublisher[] } | null = null;
  recovered?: string;

  constructor(dataDir: string, pinned: RootChain[]) {
    this.file = new JsonFile(join(dataDir, 'trust.json'), TrustFileSchema, () => ({ format: 'porthole-trust/1', publishers: [] }));
    this.pinned = pinned;
  }

  async load(): Promise<this> {
    const loaded = await this.file.load();
    this.data = loaded.value;
    if (loaded.recovered) {
      const ids = this.data.publishers.map((r) => chainOf(r)?.publisher).filter((id): id is string => Boolean(id));
      this.recovered = `${loaded.recovered}: it trusts ${ids.length === 0 ? 'no publisher of your own' : `${ids.length} publisher${ids.length === 1 ? '' : 's'} of your own (${ids.join(', ')})`}`;
    }
    return this;
  }

  /** Every trusted publisher; a user-stored chain that is newer than the pinned one wins. */
  list(): TrustedPublisher[] {
    // Stored chains are verified once per version of the file, not at every question.
    if (this.listed?.data !== this.data) this.listed = { data: this.data, publishers: this.verifiedList() };
    return [...this.listed.publishers];
  }

  private verifiedList(): TrustedPublisher[] {
    const out = new Map<string, TrustedPublisher>();
    for (const p of this.pinned) out.set(p.publisher, { ...p, pinned: true, via: 'pinned' });
    for (const rec of this.data.publishers) {
      const chain = chainOf(rec);
      if (!chain) continue; // a stored record that no longer verifies is ignored, never trusted
      const prev = out.get(chain.publisher);
      if (prev && prev.root.version >= chain.root.version) continue;
      out.set(chain.publisher, { ...chain, pinned: prev?.pinned ?? false, via: prev?.via ?? rec.via, addedAt: rec.addedAt, ...(rec.label ? { label: rec.label } : {}) });
    }
    return [...out.values()];
  }

  /** Every trusted publisher: the ones whose codes are accepted. */
  chains(): RootChain[] {
    return this.list();
  }

  /** The publishers whose lists are accepted: all but senders trusted only through a code. */
  listChains(): RootChain[] {
    return this.list().filter((p) => p.via !== 'code');
  }

  /** Senders trusted through a code only: their key may sign codes for their own servers, not lists. */
  codeOnlyChains(): RootChain[] {
    return this.list().filter((p) => p.via === 'code');
  }

  get(publisher: string): TrustedPublisher | undefined {
    return this.list().find((p) => p.publisher === publisher);
  }

  /**
   * Adds a publisher, or records a longer (rotated) chain for one already trusted. Trusting
   * by hand a sender first trusted through a code makes it a full publisher (its lists count).
   */
  async add(chain: RootChain, via: 'code' | 'manual' | 'list', label?: string): Promise<'added' | 'updated' | 'unchanged'> {
    const existing = this.get(chain.publisher);
    const promote = existing?.via === 'code' && via === 'manual';
    const newer = !existing || existing.root.version < chain.root.version || (existing.root.version === chain.root.version && existing.chain.length < chain.chain.length);
    if (!newer && !promote) return 'unchanged';
    const best: RootChain = newer || !existing ? chain : existing;
    const rest = this.data.publishers.filter((r) => chainOf(r)?.publisher !== chain.publisher);
    const prevRec = this.data.publishers.find((r) => chainOf(r)?.publisher === chain.publisher);
    const bareKey = best.chain.length === 0 ? best.root.rootKeys[0] : undefined;
    const next: TrustFile = {
      ...this.data,
      publishers: [...rest, {
        chain: best.chain,
        ...(bareKey ? { key: bareKey } : {}),
        addedAt: prevRec?.addedAt ?? new Date().toISOString(),
        via: promote ? 'manual' : prevRec?.via ?? via,
        ...(label ?? prevRec?.label ? { label: label ?? prevRec?.label } : {}),
      }],
    };
    await this.file.save(next);
    this.data = next;
    return existing ? 'updated' : 'added';
  }

  async remove(publisher: string): Promise<void> {
    if (this.pinned.some((p) => p.publisher === publisher)) {
      throw new PortholeError('not-trusted', `publisher ${publisher} is pinned in this build and cannot be removed`);
    }
    const next = { ...this.data, publishers: this.data.publishers.filter((r) => chainOf(r)?.publisher !== publisher) };
    if (next.publishers.length === this.data.publishers.length) throw new PortholeError('not-trusted', `publisher ${publisher} is not trusted`);
    await this.file.save(next, { sameBackup: true }); // a restored backup must not bring it back
    this.data = next;
  }
}

function chainOf(rec: { chain: Signed[]; key?: string | undefined }): RootChain | undefined {
  try {
    if (rec.chain.length > 0) return verifyRootChain(rec.chain);
    return rec.key ? bareKeyChain(rec.key) : undefined;
  } catch {
    return undefined;
  }
}
