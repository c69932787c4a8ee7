// Packaging check without downloading Electron: electron-builder's `dir` target runs against a
// stub Electron distribution (a fake `electron` executable), then the app.asar it produced is
// inspected: the built main, preload, renderer and production dependencies are in, dev files out.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { Arch, Platform, build } from 'electron-builder';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  build: {
    electronFuses: Record<string, boolean>;
    protocols: Array<{ schemes: string[] }>;
    nsis: Record<string, unknown>;
    linux: { target: string[] };
    mac: { target: string[] };
    fileAssociations: Array<{ ext: string }>;
  };
};
let work: string;
let asar: string;
let files: string[];

function node(...args: string[]): void {
  execFileSync(process.execPath, args, { cwd: root, stdio: 'pipe', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
}

function stubElectron(dir: string): void {
  mkdirSync(join(dir, 'locales'), { recursive: true });
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "stub electron: cannot run" >&2\nexit 1\n');
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), '45.4.1');
  for (const l of ['en-US', 'ru', 'kk', 'fa', 'de', 'ja']) writeFileSync(join(dir, 'locales', `${l}.pak`), '');
}

beforeAll(async () => {
  // The same steps as `npm run build:electron` and `npm run build:renderer`.
  node('node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json');
  node('node_modules/vite/bin/vite.js', 'build', '--config', 'electron/preload/vite.config.ts', '--logLevel', 'error');
  node('node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error');
  work = mkdtempSync(join(tmpdir(), 'porthole-pack-'));
  stubElectron(join(work, 'electron-dist'));
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    publish: 'never',
    config: {
      ...(pkg.build as unknown as Configuration),
      electronDist: join(work, 'electron-dist'),
      electronVersion: '45.4.1',
      // Fuses are flipped inside the real Electron binary; the stub has none to flip.
      electronFuses: null,
      directories: { output: join(work, 'out'), buildResources: 'build/installer' },
    },
  });
  asar = join(work, 'out', 'linux-unpacked', 'resources', 'app.asar');
  files = listPackage(asar, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('packaged app', () => {
  it('has the executable, the app.asar and only our UI languages', () => {
    const out = join(work, 'out', 'linux-unpacked');
    expect(existsSync(join(out, 'porthole'))).toBe(true);
    expect(existsSync(asar)).toBe(true);
    expect(readdirSync(join(out, 'locales')).sort()).toEqual(['en-US.pak', 'fa.pak', 'kk.pak', 'ru.pak']);
  });

  it('contains the built main, preload, renderer, shared contract and icon', () => {
    for (const f of ['/package.json', `/${pkg.main}`, '/dist/electron/main/ipc.js', '/dist/preload/preload.cjs',
      '/dist/renderer/index.html', '/dist/shared/api.js', '/dist/electron/core/ui-server/index.js', '/build/icons/icon.png', '/build/bootstrap/publisher.pub', '/build/bootstrap/list.signed']) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => /^\/dist\/renderer\/assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
    const packaged = JSON.parse(extractFile(asar, 'package.json').toString()) as { main: string; type: string };
    expect(packaged.main).toBe('dist/electron/main/main.js');
    expect(packaged.type).toBe('module');
  });

  it('the preload is one sandbox-loadable file that requires only electron', () => {
    const preload = extractFile(asar, 'dist/preload/preload.cjs').toString();
    expect([...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld');
  });

  it('the packaged renderer has the CSP and no inline script', () => {
    const html = extractFile(asar, 'dist/renderer/index.html').toString();
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('contains every production dependency', () => {
    for (const dep of Object.keys(pkg.dependencies)) expect(files, dep).toContain(`/node_modules/${dep}/package.json`);
  });

  it('unpacks the native AEAD addon (sodium-native\'s prebuilt N-API binary) next to the asar, loadable from there', () => {
    const addon = join(work, 'out', 'linux-unpacked', 'resources', 'app.asar.unpacked', 'node_modules', 'sodium-native', 'prebuilds', 'linux-x64', 'sodium-native.node');
    expect(existsSync(addon)).toBe(true);
    const loaded = execFileSync(process.execPath, ['-e', `const s = require(${JSON.stringify(addon)}); process.stdout.write(typeof s.crypto_aead_chacha20poly1305_ietf_encrypt_detached)`]).toString();
    expect(loaded).toBe('function');
  });

  it('contains no dev dependencies and no development files', () => {
    for (const dep of Object.keys(pkg.devDependencies)) {
      if (dep in pkg.dependencies) continue;
      expect(files, dep).not.toContain(`/node_modules/${dep}/package.json`);
    }
    const ours = files.filter((f) => !f.startsWith('/node_modules/'));
    expect(ours.filter((f) => /\.(ts|tsx|map)$/.test(f))).toEqual([]);
    expect(ours.filter((f) => /^\/(test|renderer|scripts|docs|bench|\.ci|\.cache|electron|shared|release)(\/|$)/.test(f))).toEqual([]);
    expect(ours.filter((f) => /^\/(tsconfig.*\.json|vitest\.config\.ts|eslint\.config\.js|package-lock\.json)$/.test(f))).toEqual([]);
    expect(ours.filter((f) => f.startsWith('/dist/electron/preload/'))).toEqual([]);
  });
});

describe('installer configuration', () => {
  it('registers porthole:// and .porthole files, per-user one-click NSIS, dmg, AppImage and deb', () => {
    const b = pkg.build;
    expect(pkg.build.protocols[0]?.schemes).toEqual(['porthole']);
    expect(b.fileAssociations[0]?.ext).toBe('porthole');
    expect(b.nsis).toMatchObject({ oneClick: true, perMachine: false, allowElevation: false });
    expect(b.mac.target).toEqual(['dmg']);
    expect(b.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('locks the Electron binary down with fuses', () => {
    expect(pkg.build.electronFuses).toMatchObject({
      runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true,
    });
  });
});
