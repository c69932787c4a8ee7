// Signs the embedded bootstrap list (build/bootstrap/list.json → list.signed) with the
// project's bootstrap publisher key. The secret key never lives in the repository: pass
// --key FILE (kept offline by the release managers). Without --key, a fresh development
// publisher is made in a temporary folder and its public file replaces build/bootstrap/publisher.pub.
//   node scripts/make-bootstrap.ts [--key FILE] [--expires 730d]
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSimplePublisher, readPublisherFile, readSecretKey } from '../electron/core/lists/keyfiles.ts';
import { buildPayload, signList } from '../electron/core/lists/sign.ts';
import { parseExpiryTime } from '../shared/duration.ts';

const { values } = parseArgs({ options: { key: { type: 'string' }, expires: { type: 'string' }, version: { type: 'string' } } });
const dir = new URL('../build/bootstrap/', import.meta.url).pathname;
let key;
let chain;
if (values.key) {
  key = await readSecretKey(values.key);
  chain = await readPublisherFile(join(dir, 'publisher.pub'));
} else {
  const tmp = await mkdtemp(join(tmpdir(), 'porthole-bootstrap-'));
  ({ key, chain } = await createSimplePublisher(tmp, 'Porthole bootstrap (development)'));
  await writeFile(join(dir, 'publisher.pub'), await readFile(join(tmp, 'publisher.pub')));
  console.log(`new development bootstrap publisher ${chain.publisher}; its secret key was left in ${tmp}`);
}
const now = new Date();
const payload = buildPayload(await readFile(join(dir, 'list.json')), {
  publisher: chain.publisher,
  version: Number(values.version ?? Math.floor(now.getTime() / 1000)),
  issuedAt: now,
  expires: parseExpiryTime(values.expires ?? '730d', now),
});
await writeFile(join(dir, 'list.signed'), signList(payload, key, chain));
console.log(`signed build/bootstrap/list.signed v${payload.version}, ${payload.entries.length} entries, expires ${payload.expires}`);
