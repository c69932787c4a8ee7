// The AppImage on Ubuntu ≥ 24.04: AppArmor forbids unprivileged user namespaces there, and the
// AppImage's chrome-sandbox cannot be setuid (the image is mounted nosuid), so Electron aborts
// unless started with --no-sandbox. The AppImage's launcher (AppRun, written by electron-builder)
// adds --no-sandbox only when `unshare -Ur true` fails, i.e. only where the sandbox cannot work;
// our desktop entry adds nothing (build.appImage.executableArgs: []), so elsewhere the sandbox
// stays on. Here AppRun runs for real against a fake app binary and an unshare that fails or works.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAppRunScript } from 'app-builder-lib/out/targets/appimage/appImageUtil.js';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { build: { appImage: { executableArgs: string[] }; executableName: string } };

function launch(unshareWorks: boolean, args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-apprun-'));
  const appDir = join(dir, 'AppDir');
  const bin = join(dir, 'bin');
  mkdirSync(appDir);
  mkdirSync(bin);
  const name = pkg.build.executableName;
  writeFileSync(join(appDir, 'AppRun'), generateAppRunScript({
    DesktopFileName: `${name}.desktop`, ExecutableName: name, ProductName: 'Porthole', ProductFilename: 'Porthole', ResourceName: `appimagekit-${name}`,
  }), { mode: 0o755 });
  const out = join(dir, 'argv');
  writeFileSync(join(appDir, name), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${out}"\n`, { mode: 0o755 });
  writeFileSync(join(bin, 'unshare'), unshareWorks ? '#!/bin/sh\nexit 0\n' : '#!/bin/sh\necho "unshare: write failed /proc/self/uid_map: Operation not permitted" >&2\nexit 1\n');
  chmodSync(join(bin, 'unshare'), 0o755);
  execFileSync(join(appDir, 'AppRun'), args, { env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, APPDIR: appDir }, stdio: 'ignore' });
  return readFileSync(out, 'utf8').split('\n').filter(Boolean);
}

describe('AppImage sandbox', () => {
  it('user namespaces restricted (Ubuntu ≥ 24.04): AppRun starts the app with --no-sandbox, keeping its arguments', () => {
    expect(launch(false, ['--hidden', 'porthole://import?c=PH1-X'])).toEqual(['--no-sandbox', '--hidden', 'porthole://import?c=PH1-X']);
  });

  it('user namespaces available: the sandbox stays on', () => {
    expect(launch(true, ['--hidden'])).toEqual(['--hidden']);
    expect(launch(true, [])).toEqual([]);
  });

  it('the desktop entry adds no blanket --no-sandbox', () => {
    expect(pkg.build.appImage.executableArgs).toEqual([]);
  });
});
