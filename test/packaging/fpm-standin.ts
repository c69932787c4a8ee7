// A stand-in for fpm in the packaging test. electron-builder downloads fpm (a Ruby tool) from
// GitHub, which cannot be reached here and Debian does not package it; CUSTOM_FPM_PATH points
// electron-builder at this instead. It takes the very arguments electron-builder gives fpm
// (`-s dir -t deb`, the control fields, `src=dest` mappings, after-install/remove scripts) and
// builds the .deb with dpkg-deb, as fpm would, so what electron-builder puts in the package
// (desktop entry, MIME types, metadata) can be checked with dpkg-deb. It also saves the arguments.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const flags = new Map<string, string[]>();
const mappings: Array<[string, string]> = [];
const WITHOUT_VALUE = new Set(['--force', '--debug']);
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a.startsWith('-')) {
    if (WITHOUT_VALUE.has(a)) continue;
    flags.set(a, [...(flags.get(a) ?? []), args[++i] ?? '']);
  } else {
    const eq = a.lastIndexOf('=');
    mappings.push([a.slice(0, eq), a.slice(eq + 1)]);
  }
}
const one = (f: string) => flags.get(f)?.[0];
if (one('-s') !== 'dir' || one('-t') !== 'deb') throw new Error(`fpm stand-in: only -s dir -t deb, got ${args.join(' ')}`);
if (process.env.FPM_STANDIN_LOG) writeFileSync(process.env.FPM_STANDIN_LOG, JSON.stringify({ args, mappings }, null, 2));

const root = mkdtempSync(join(tmpdir(), 'fpm-standin-'));
for (const [src, dest] of mappings) {
  const target = join(root, dest);
  if (statSync(src).isDirectory()) cpSync(src, target, { recursive: true, verbatimSymlinks: true });
  else {
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(src, target);
  }
}
const debian = join(root, 'DEBIAN');
mkdirSync(debian);
const sizeKb = Number(execFileSync('du', ['-sk', '--exclude=DEBIAN', root], { encoding: 'utf8' }).split('\t')[0]);
const [summary, ...rest] = (one('--description') ?? '').split('\n');
const control = [
  `Package: ${one('--name')}`, `Version: ${one('--version')}`, `License: ${one('--license') ?? 'unknown'}`, `Vendor: ${one('--vendor')}`,
  `Architecture: ${one('--architecture')}`, `Maintainer: ${one('--maintainer')}`, `Installed-Size: ${sizeKb}`,
  `Depends: ${(flags.get('-d') ?? []).join(', ')}`, `Recommends: ${(flags.get('--deb-recommends') ?? []).join(', ')}`,
  'Section: default', `Priority: ${one('--deb-priority') ?? 'optional'}`, `Homepage: ${one('--url')}`,
  `Description: ${summary}`, ...rest.map((l) => (l.trim() ? ` ${l.trim()}` : ' .')), '',
].join('\n');
writeFileSync(join(debian, 'control'), control);
for (const [flag, name] of [['--after-install', 'postinst'], ['--after-remove', 'postrm']] as const) {
  const script = one(flag);
  if (script) {
    copyFileSync(script, join(debian, name));
    chmodSync(join(debian, name), 0o755);
  }
}
execFileSync('dpkg-deb', ['--root-owner-group', `-Z${one('--deb-compression') ?? 'xz'}`, '--build', root, one('--package')!], { stdio: 'ignore' });
