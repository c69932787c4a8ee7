// Only verified parts are stored: a list whose embedded root chain is damaged is kept with the
// chain that verified, and the import says so.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importInput } from '../../electron/core/catalog/import.ts';
import { verifyRootChain } from '../../electron/core/lists/roots.ts';
import { loadStoredLists } from '../../electron/core/catalog/stored.ts';
import type { ListEnvelope } from '../../shared/list-format.ts';
import { freshClient, makeList, makePublisher } from '../helpers/publishers.ts';

describe('what is stored is verified', () => {
  for (const [what, damage] of [
    ['a flipped root signature', (e: ListEnvelope) => { e.roots[0]!.signatures[0]!.sig = `${e.roots[0]!.signatures[0]!.sig.slice(0, -4)}AAAA`; }],
    ['a root whose payload is not a root', (e: ListEnvelope) => { e.roots[0]!.signed = 'e30'; }],
    ["a stranger's signature on the root", (e: ListEnvelope) => { e.roots[0]!.signatures = [{ keyId: '0123456789abcdef', sig: e.roots[0]!.signatures[0]!.sig }]; }],
  ] as const) {
    it(`drops embedded roots with ${what} and keeps the list with the trusted chain`, async () => {
      const p = makePublisher();
      const stores = await freshClient([p.chain]);
      const envelope = JSON.parse(new TextDecoder().decode(makeList(p, { version: 3 }))) as ListEnvelope;
      damage(envelope);
      const [outcome] = await importInput(stores, JSON.stringify(envelope));
      expect(outcome).toMatchObject({ kind: 'list', status: 'added', version: 3 });
      expect(outcome!.message).toMatch(/the publisher roots it carried did not verify and were not kept/);
      const cached = JSON.parse(await readFile(join(stores.dataDir, 'lists', `${p.chain.publisher}.signed`), 'utf8')) as ListEnvelope;
      expect(cached.roots).toEqual(p.chain.chain);
      expect(verifyRootChain(cached.roots).publisher).toBe(p.chain.publisher);
      expect(cached.list).toEqual(envelope.list);
      expect((await loadStoredLists(stores)).lists.map((l) => l.payload.version)).toEqual([3]);
    });
  }

  it('keeps an intact file byte for byte', async () => {
    const p = makePublisher();
    const stores = await freshClient([p.chain]);
    const bytes = makeList(p, { version: 1 });
    const [outcome] = await importInput(stores, new TextDecoder().decode(bytes));
    expect(outcome!.message).not.toMatch(/not kept/);
    expect(Buffer.from(await readFile(join(stores.dataDir, 'lists', `${p.chain.publisher}.signed`))).equals(Buffer.from(bytes))).toBe(true);
  });
});
