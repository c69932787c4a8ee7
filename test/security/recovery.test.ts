// A removal survives recovery from the previous good copy, and recovery says what it restored.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openClient } from '../../electron/core/catalog/open.ts';
import { generateKey } from '../../electron/core/crypto/ed25519.ts';
import { importInput } from '../../electron/core/catalog/import.ts';
import { bareKeyChain } from '../../electron/core/lists/roots.ts';
import { untrustPublisher } from '../../electron/core/catalog/untrust.ts';
import { freshClient, makeCode, makePublisher } from '../helpers/publishers.ts';

describe('recovery after a removal', () => {
  it('a corrupt trust.json restored from its backup does not bring a removed publisher back', async () => {
    const a = makePublisher();
    const b = makePublisher();
    const stores = await freshClient();
    await stores.trust.add(a.chain, 'manual');
    await stores.trust.add(b.chain, 'manual');
    await stores.trust.remove(a.chain.publisher);
    await writeFile(join(stores.dataDir, 'trust.json'), '{"format":"porthole-trust/1","publishers":[{"ch'); // torn write
    const reopened = await openClient(stores.dataDir, { pinned: [] });
    expect(reopened.trust.list().map((p) => p.publisher)).toEqual([b.chain.publisher]);
    expect(reopened.warnings.join('\n')).toMatch(new RegExp(`trust\\.json is corrupt.*restored the previous good copy: it trusts 1 publisher of your own \\(${b.chain.publisher}\\)`));
  });

  it("a corrupt state.json restored from its backup does not bring a removed sender's codes back", async () => {
    const key = generateKey();
    const stores = await freshClient();
    await importInput(stores, makeCode(key), { acceptNewKey: true });
    await importInput(stores, makeCode(key, { short: true }));
    expect(stores.state.codes()).toHaveLength(2);
    await untrustPublisher(stores, bareKeyChain(key.publicKey).publisher);
    await writeFile(join(stores.dataDir, 'state.json'), '{"format":');
    const reopened = await openClient(stores.dataDir, { pinned: [] });
    expect(reopened.state.codes()).toEqual([]);
    expect(reopened.trust.list()).toEqual([]);
  });
});
