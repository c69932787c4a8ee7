// The headless web mode for end-to-end tests: the renderer built by Vite, served by
// serveApiOverHttp with a FakeApi behind it, driven by Debian's Chromium through playwright-core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { generateToken, serveApiOverHttp } from '../../electron/core/ui-server/index.ts';
import type { UiServer } from '../../electron/core/ui-server/index.ts';
import { FakeApi } from '../ui/fake-api.ts';

const root = join(import.meta.dirname, '..', '..');

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run', '--disable-default-apps',
];

/** Builds the renderer once into a temporary folder. */
export async function buildRenderer(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'porthole-renderer-'));
  await build({
    configFile: join(root, 'renderer', 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

export interface Harness {
  api: FakeApi;
  server: UiServer;
  browser: Browser;
  staticDir: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const staticDir = await buildRenderer();
  const api = new FakeApi({ probeStepMs: 5 });
  const server = await serveApiOverHttp(api, { token: generateToken(), staticDir, port: 0 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  return {
    api, server, browser, staticDir,
    async close() {
      await browser.close();
      await server.close();
      rmSync(staticDir, { recursive: true, force: true });
    },
  };
}
