// `porthole up --code` over real proxies (microsocks, dante, ss-server): the code's servers are
// probed, one is chosen and pages go through the bridge; when the chosen proxy dies, a "switch"
// event names the next one and pages keep coming; SIGTERM stops it cleanly with a "stopped" event.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { porthole } from '../helpers/cli.ts';
import { startUp } from '../helpers/up-process.ts';
import { HELLO_BODY, startDante, startHttpTarget, startMicrosocks, startSsServer, type HttpTarget, type Peer } from '../peers/index.ts';

const exec = promisify(execFile);
let dir: string;
let web: HttpTarget;
const peers = new Map<string, Peer>();
let code: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-up-code-'));
  web = await startHttpTarget();
  const [micro, dante, ss] = await Promise.all([startMicrosocks(), startDante(), startSsServer({ method: 'chacha20-ietf-poly1305', password: 'up-code-test-secret' })]);
  const ssLink = `ss://${Buffer.from(`chacha20-ietf-poly1305:up-code-test-secret`).toString('base64url')}@127.0.0.1:${ss.port}#SS`;
  peers.set('Micro', micro).set('Dante', dante).set('SS', ss);
  expect((await porthole(['keygen', '--out', join(dir, 'key')])).code).toBe(0);
  const made = await porthole(['code', 'new', '--key', join(dir, 'key', 'publisher.key'), '--json',
    '--server', `socks5://127.0.0.1:${micro.port}#Micro`, '--server', `socks5://127.0.0.1:${dante.port}#Dante`, '--server', ssLink]);
  expect(made.stderr).toBe('');
  code = (JSON.parse(made.stdout) as { code: string }).code;
}, 60_000);
afterAll(async () => {
  await Promise.all([...peers.values()].map((p) => p.stop()));
  await web?.close();
  await rm(dir, { recursive: true, force: true });
});

async function page(http: string): Promise<string> {
  const { stdout } = await exec('curl', ['-s', '--max-time', '15', '--noproxy', '', '--proxy', `http://${http}`, `http://127.0.0.1:${web.port}/hello`]);
  return stdout;
}

describe('porthole up --code over real proxies', () => {
  it('imports the code, picks a working proxy, switches when it dies, and stops on SIGTERM', { timeout: 120_000 }, async () => {
    const up = startUp(['--code', code, '--data-dir', join(dir, 'client'), '--listen', '127.0.0.1:0', '--probe-url', `http://127.0.0.1:${web.port}/hello`]);
    let exit: number | null;
    try {
      const ready = await up.waitFor('ready', 60_000);
      const first = ready.server as { id: string; label: string };
      expect(['Micro', 'Dante', 'SS']).toContain(first.label);
      const http = String(ready.http);
      expect(await page(http)).toBe(HELLO_BODY);

      // The chosen proxy dies: the engine moves to another one, says so, and pages keep coming.
      await peers.get(first.label)!.stop();
      peers.delete(first.label);
      // Traffic meets the dead proxy: the bridge fails over at once and reports it, the engine switches.
      const until = Date.now() + 60_000;
      let body = '';
      const switched = () => up.events.find((e) => e.event === 'switch' && e.from === first.id);
      while (Date.now() < until && !(switched() && body === HELLO_BODY)) body = await page(http).catch(() => '');
      const sw = switched();
      expect(sw).toMatchObject({ from: first.id, to: expect.any(String), reason: expect.any(String), why: expect.any(String) });
      expect(sw!.to).not.toBe(first.id);
      expect(body).toBe(HELLO_BODY);
    } finally {
      exit = await up.stop('SIGTERM');
    }
    expect(exit).toBe(0);
    expect(up.events.at(-1)?.event).toBe('stopped');
  });
});
