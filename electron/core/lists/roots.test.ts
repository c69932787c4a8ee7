// Publisher roots beyond test/trust/verify-roots.test.ts: the name a root carries, and which of
// two refusals a root v1 without enough of its own signatures gets (nobody signed it at all, or
// only keys that are not its own did).
import { describe, expect, it } from 'vitest';
import { generateKey } from '../crypto/ed25519.ts';
import { newRoot, signRoot, verifyRootChain } from './roots.ts';
import { refusal } from '../../../test/trust/fixtures.ts';

describe('a publisher root', () => {
  const key = generateKey();

  it('carries the name the publisher gives itself, and none when it gives none', () => {
    const named = newRoot({ rootKeys: [key.publicKey], threshold: 1, listKeys: [key.publicKey], name: 'Volunteers' });
    expect(verifyRootChain([signRoot(named, [key])]).root.name).toBe('Volunteers');
    expect(newRoot({ rootKeys: [key.publicKey], threshold: 1, listKeys: [key.publicKey] })).not.toHaveProperty('name');
  });

  it('v1 signed by none of its keys: "bad signature" when strangers signed it, "below threshold" when nobody did', () => {
    const root = newRoot({ rootKeys: [key.publicKey], threshold: 1, listKeys: [key.publicKey] });
    expect(refusal(() => verifyRootChain([signRoot(root, [generateKey()])]))).toBe('bad-signature: bad signature on root v1');
    const unsigned = { ...signRoot(root, [key]), signatures: [] };
    expect(refusal(() => verifyRootChain([unsigned]))).toBe('below-threshold: below threshold: root v1 has 0 of 1 signatures from its own root keys');
  });
});
