// Packaging check without downloading Electron: electron-builder's `dir` and `deb` targets run
// against a stub Electron distribution (a fake `electron` executable), then the app.asar it produced
// is inspected (the built main, preload, renderer, engine process and production dependencies are
// in, dev files out), and so is the .deb (metadata, desktop entry, MIME types) with dpkg-deb. fpm,
// which electron-builder downloads, cannot be had here: fpm-standin.ts builds the .deb from the same
// arguments with dpkg-deb (see there).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { Arch, Platform, build } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  version: string;
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
let deb: string;
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
  const fpm = join(work, 'fpm');
  writeFileSync(fpm, `#!/bin/sh\nexec "${process.execPath}" --disable-warning=ExperimentalWarning "${join(import.meta.dirname, 'fpm-standin.ts')}" "$@"\n`);
  chmodSync(fpm, 0o755);
  process.env.CUSTOM_FPM_PATH = fpm;
  process.env.FPM_STANDIN_LOG = join(work, 'fpm-args.json');
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget(['dir', 'deb'], Arch.x64),
    publish: 'never',
    // Only the overrides: electron-builder merges them into package.json's "build" itself (arrays
    // concatenated), as `npm run dist` reads it.
    config: {
      electronDist: join(work, 'electron-dist'),
      electronVersion: '45.4.1',
      // Fuses are flipped inside the real Electron binary; the stub has none to flip.
      electronFuses: null,
      directories: { output: join(work, 'out'), buildResources: 'build/installer' },
    },
  });
  asar = join(work, 'out', 'linux-unpacked', 'resources', 'app.asar');
  const debs = readdirSync(join(work, 'out')).filter((f) => f.endsWith('.deb'));
  deb = join(work, 'out', debs.length === 1 ? debs[0]! : 'missing.deb');
  files = listPackage(asar, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
}, 240_000);

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
      '/dist/renderer/index.html', '/dist/shared/api.js', '/dist/electron/core/ui-server/index.js', '/dist/electron/core/engine-host/child.js', '/build/icons/icon.png', '/build/bootstrap/publisher.pub', '/build/bootstrap/list.signed']) {
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

describe('deb package (npm run dist)', () => {
  const dpkg = (...args: string[]) => execFileSync('dpkg-deb', args, { encoding: 'utf8' });
  let tree: string;
  beforeAll(() => {
    tree = join(work, 'deb-tree');
    dpkg('-x', deb, tree);
  });

  it('has the package metadata a deb needs: maintainer (author email), homepage, description, dependencies', () => {
    expect(deb.endsWith(`/porthole_${pkg.version}_amd64.deb`)).toBe(true);
    expect(existsSync(deb)).toBe(true);
    const field = (f: string) => dpkg('-f', deb, f).trim();
    expect(field('Package')).toBe('porthole');
    expect(field('Version')).toBe(pkg.version);
    expect(field('Architecture')).toBe('amd64');
    expect(field('Maintainer')).toBe('Porthole contributors <maintainers@porthole.example>');
    expect(field('Homepage')).toBe('https://porthole.example/');
    expect(field('Description')).toMatch(/^Gets you online during internet shutdowns\n/);
    // libsecret: safeStorage keeps the engine's secret key in the desktop keyring.
    expect(field('Depends').split(', ')).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libsecret-1-0', 'xdg-utils']));
    expect(dpkg('-I', deb)).toMatch(/postinst/);
  });

  it('installs the app under /opt with its desktop entry, MIME definition, icons and the AppArmor profile', () => {
    const listing = dpkg('-c', deb);
    for (const path of ['./opt/Porthole/porthole', './opt/Porthole/resources/app.asar', './opt/Porthole/resources/apparmor-profile',
      './usr/share/applications/porthole.desktop', './usr/share/mime/packages/porthole.xml']) {
      expect(listing, path).toContain(path);
    }
    expect(listing).toMatch(/\.\/usr\/share\/icons\/hicolor\/\d+x\d+\/apps\/porthole\.png/);
    // Ubuntu ≥ 24.04 restricts unprivileged user namespaces: the postinst loads the AppArmor profile
    // that lets the installed app keep Chromium's sandbox.
    expect(readFileSync(join(tree, 'opt', 'Porthole', 'resources', 'apparmor-profile'), 'utf8')).toMatch(/userns/);
    expect(dpkg('--ctrl-tarfile', deb).length).toBeGreaterThan(0);
  });

  it('the desktop entry is valid, matches the window (WM_CLASS = desktopName) and lists each MIME type once', () => {
    const file = join(tree, 'usr', 'share', 'applications', 'porthole.desktop');
    const entry = Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(entry).toMatchObject({ Name: 'Porthole', Exec: '/opt/Porthole/porthole %U', Icon: 'porthole', Categories: 'Network;', StartupWMClass: 'porthole' });
    expect(entry.MimeType).toBe('application/x-porthole;x-scheme-handler/porthole;');
    execFileSync('desktop-file-validate', [file]);
    // Electron names the window after package.json's desktopName; it must be this entry's name.
    const packaged = JSON.parse(extractFile(asar, 'package.json').toString()) as { desktopName: string; productName: string };
    expect(packaged.desktopName).toBe('porthole.desktop');
    expect(packaged.productName).toBe('Porthole');
  });

  it('defines the .porthole MIME type by its extension', () => {
    const xml = readFileSync(join(tree, 'usr', 'share', 'mime', 'packages', 'porthole.xml'), 'utf8');
    expect(xml).toMatch(/<mime-type type="application\/x-porthole">/);
    expect(xml).toMatch(/<glob pattern="\*\.porthole"\s*\/>/);
  });
});
