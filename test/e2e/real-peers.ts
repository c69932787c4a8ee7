// The servers behind the real-engine e2e: real proxies from Debian (microsocks, dante, ss-server),
// two that do not work (a closed port, one that accepts and never answers), a page to fetch, and a
// signed list naming all five, from a publisher the test client pins. Loopback only.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../../electron/core/crypto/ed25519.ts';
import { bareKeyChain, type RootChain } from '../../electron/core/lists/roots.ts';
import { buildPayload, signList } from '../../electron/core/lists/sign.ts';
import { freePort, startBlackhole, startDante, startHttpTarget, startMicrosocks, startSsServer } from '../peers/index.ts';

export interface RealPeers {
  chain: RootChain;
  listFile: string;
  pageUrl: string;
  /** What the page says. */
  body: string;
  /** The labels of the servers that work. */
  working: string[];
  /** microsocks' port (a working SOCKS5 server for codes). */
  socksPort: number;
  stop(): Promise<void>;
}

export async function startRealPeers(): Promise<RealPeers> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-e2e-peers-'));
  const secret = 'e2e-real-peers-secret';
  const [web, micro, dante, ss, silent, closed] = await Promise.all([
    startHttpTarget(), startMicrosocks(), startDante(), startSsServer({ method: 'chacha20-ietf-poly1305', password: secret }), startBlackhole(), freePort(),
  ]);
  const ssInfo = Buffer.from(`chacha20-ietf-poly1305:${secret}`).toString('base64url');
  const entries = [
    { url: `socks5://127.0.0.1:${micro.port}`, label: 'Microsocks-Frankfurt' },
    { url: `socks5://127.0.0.1:${dante.port}`, label: 'Dante-Almaty' },
    { url: `ss://${ssInfo}@127.0.0.1:${ss.port}`, label: 'SS-Astana' },
    { url: `socks5://127.0.0.1:${closed}`, label: 'Closed-Tokyo' },
    { url: `socks5://127.0.0.1:${silent.port}`, label: 'Silent-Paris' },
  ];
  const key = generateKey();
  const chain = bareKeyChain(key.publicKey);
  const now = new Date();
  const payload = buildPayload(JSON.stringify({ name: 'E2E real peers', entries }), {
    publisher: chain.publisher, version: 1, issuedAt: now, expires: new Date(now.getTime() + 7 * 86_400_000),
  });
  const listFile = join(dir, 'list.signed');
  await writeFile(listFile, signList(payload, key, chain));
  const page = await fetch(`http://127.0.0.1:${web.port}/hello`).then((r) => r.text());
  return {
    chain,
    listFile,
    pageUrl: `http://127.0.0.1:${web.port}/hello`,
    body: page,
    working: ['Microsocks-Frankfurt', 'Dante-Almaty', 'SS-Astana'],
    socksPort: micro.port,
    async stop() {
      await Promise.all([micro.stop(), dante.stop(), ss.stop(), silent.close(), web.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
