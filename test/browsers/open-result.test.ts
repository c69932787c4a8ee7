// "Open Firefox" reports what happened: a browser that closes right after it started is a failure
// with a reason in plain words, not a success. Real processes (tiny scripts standing in for browsers).
import { PortholeError } from '../../shared/errors.ts';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOnBridge } from '../../electron/core/browsers/open-browser.ts';
import { realHost } from '../../electron/core/browsers/real-host.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-open-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fakeBrowser(name: string, script: string): Promise<string> {
  const bin = join(dir, name);
  await import('node:fs/promises').then((fs) => fs.mkdir(bin, { recursive: true }));
  await writeFile(join(bin, 'firefox'), `#!/bin/sh\n${script}\n`);
  await chmod(join(bin, 'firefox'), 0o755);
  return bin;
}

const hostFor = (bin: string) => realHost({ PATH: bin, HOME: join(dir, 'home'), XDG_DATA_DIRS: join(dir, 'share') });

describe('open a browser: the result says what happened', () => {
  it('a browser that exits with an error at once is reported as failed to start', async () => {
    const bin = await fakeBrowser('crashing', 'exit 3');
    const err = await openOnBridge(hostFor(bin), 'firefox', { dataDir: join(dir, 'data1'), port: 1080, checkUrl: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortholeError);
    expect(err).toMatchObject({ code: 'browser-failed' });
    expect((err as Error).message).toBe('Firefox closed right after it started (exit code 3)');
  });

  it('a browser that keeps running is reported as started', async () => {
    const bin = await fakeBrowser('running', 'exec /bin/sleep 3');
    const r = await openOnBridge(hostFor(bin), 'firefox', { dataDir: join(dir, 'data2'), port: 1080, checkUrl: false, startWatchMs: 300 });
    expect(r.kind).toBe('browser');
  });

  it('a missing browser is "not installed"', async () => {
    const err = await openOnBridge(hostFor(join(dir, 'empty')), 'edge', { dataDir: join(dir, 'data3'), port: 1080, checkUrl: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortholeError);
    expect(err).toMatchObject({ code: 'browser-not-found' });
  });
});
