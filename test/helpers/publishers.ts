// Test publishers: real keys, a signed root v1, and lists and codes signed with them.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClient, type ClientStores } from '../../electron/core/catalog/open.ts';
import { createCode } from '../../electron/core/codes/codes.ts';
import { generateKey, type SecretKey } from '../../electron/core/crypto/ed25519.ts';
import { newRoot, signRoot, verifyRootChain, type RootChain } from '../../electron/core/lists/roots.ts';
import { buildPayload, signList } from '../../electron/core/lists/sign.ts';
import type { ParsedLink } from '../../shared/proxy-link.ts';

export interface TestPublisher {
  chain: RootChain;
  listKey: SecretKey;
  rootKeys: SecretKey[];
}

/** A publisher with `n` root keys of which `threshold` sign, and one list key. */
export function makePublisher(threshold = 1, n = 1): TestPublisher {
  const rootKeys = Array.from({ length: n }, () => generateKey());
  const listKey = generateKey();
  const root = newRoot({ rootKeys: rootKeys.map((k) => k.publicKey), threshold, listKeys: [listKey.publicKey], issuedAt: new Date(Date.now() - 86400_000) });
  return { chain: verifyRootChain([signRoot(root, rootKeys)]), listKey, rootKeys };
}

export interface ListSpec {
  version: number;
  issuedAt?: Date;
  expires?: Date;
  urls?: string[];
  channels?: string[];
}

export function makeList(p: TestPublisher, spec: ListSpec): Uint8Array {
  const issuedAt = spec.issuedAt ?? new Date();
  const input = { entries: (spec.urls ?? ['socks5://203.0.113.10:1080']).map((url) => ({ url })), channels: spec.channels ?? [] };
  const payload = buildPayload(JSON.stringify(input), {
    publisher: p.chain.publisher,
    version: spec.version,
    issuedAt,
    expires: spec.expires ?? new Date(issuedAt.getTime() + 7 * 86400_000),
  });
  return signList(payload, p.listKey, p.chain);
}

/** A code signed by `key` (a bare key: its own publisher when the recipient does not know it). */
export function makeCode(key: SecretKey, opts: { servers?: ParsedLink[]; channels?: string[]; expires?: Date; short?: boolean } = {}): string {
  return createCode({
    key,
    servers: opts.servers ?? [{ protocol: 'socks5', host: '198.51.100.7', ports: [1080] }],
    channels: opts.channels ?? [],
    expires: opts.expires ?? new Date(Date.now() + 3 * 86400_000),
    ...(opts.short ? { short: true } : {}),
  });
}

export async function freshClient(pinned: RootChain[] = []): Promise<ClientStores> {
  return openClient(await mkdtemp(join(tmpdir(), 'porthole-sec-')), { pinned });
}
