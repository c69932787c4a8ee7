// "Use Porthole in my usual Firefox": a marked block in a chosen profile's user.js, and its exact removal.
//
// Firefox copies user.js values into prefs.js, so turning off also puts back the prefs.js lines that the
// profile had for those prefs before Porthole (saved beside the backup when the block was first added).
import { PortholeError } from '../../../shared/errors.ts';
import { copyFile, readFile, readlink, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import { prefNameOfLine, proxyPrefs, renderUserJs } from './firefox-prefs.ts';
import { findBlock, insertBlock, removeBlock } from './user-js-block.ts';

export const USER_JS_BACKUP = 'user.js.porthole-backup';
export const SAVED_PREFS = 'porthole-saved-prefs.json';

interface SavedPrefs {
  version: 1;
  userJsExisted: boolean;
  /** prefs.js lines (without line break) per pref name Porthole sets; null when the profile had none. */
  prefsJs: Record<string, string[]>;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Whether Firefox has the profile open: on Linux and macOS its `lock` symlink names "IP:+PID" and stays
 * behind after Firefox exits, so the process must still be alive. (Windows cannot tell this way.)
 */
export async function isProfileInUse(profileDir: string): Promise<boolean> {
  let target: string;
  try {
    target = await readlink(path.join(profileDir, 'lock'));
  } catch {
    return false;
  }
  const pid = Number(/:\+(\d+)$/.exec(target)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function isPortholeInProfile(profileDir: string): Promise<boolean> {
  return (await portholeBlockIn(profileDir)) !== undefined;
}

/** Porthole's block in the profile's user.js (the bridge port it names, if readable), or undefined. */
export async function portholeBlockIn(profileDir: string): Promise<{ port: number | undefined } | undefined> {
  const text = await readOptional(path.join(profileDir, 'user.js'));
  const at = text === undefined ? undefined : findBlock(text);
  if (text === undefined || at === undefined) return undefined;
  let port: number | undefined;
  for (const line of text.slice(at.start, at.end).split(/\r?\n/)) {
    if (prefNameOfLine(line) !== 'network.proxy.socks_port') continue;
    const m = /,\s*(\d{1,5})\s*\)/.exec(line);
    port = m ? Number(m[1]) : undefined;
  }
  return { port };
}

/** Whether turning off has something to undo: the block, or prefs.js lines saved when it was added. */
export async function hasPortholeLeftovers(profileDir: string): Promise<boolean> {
  return (await isPortholeInProfile(profileDir)) || (await readOptional(path.join(profileDir, SAVED_PREFS))) !== undefined;
}

export async function enablePortholeInProfile(profileDir: string, options: { host?: string; port: number }): Promise<void> {
  const userJs = path.join(profileDir, 'user.js');
  const before = await readOptional(userJs);
  const prefs = proxyPrefs(options.host ?? '127.0.0.1', options.port);
  if (before === undefined || !findBlock(before)) {
    if (before !== undefined) await copyFile(userJs, path.join(profileDir, USER_JS_BACKUP));
    const prefsJs = (await readOptional(path.join(profileDir, 'prefs.js'))) ?? '';
    const saved: SavedPrefs = { version: 1, userJsExisted: before !== undefined, prefsJs: {} };
    const names = new Set(Object.keys(prefs));
    for (const line of prefsJs.split(/\r?\n/)) {
      const name = prefNameOfLine(line);
      if (name !== undefined && names.has(name)) (saved.prefsJs[name] ??= []).push(line);
    }
    await writeFileAtomic(path.join(profileDir, SAVED_PREFS), `${JSON.stringify(saved, null, 2)}\n`, 0o644);
  }
  await writeFileAtomic(userJs, insertBlock(before ?? '', renderUserJs(prefs)), 0o644);
}

export interface DisableResult {
  /** Whether a Porthole block was found and removed. */
  removed: boolean;
  /** Prefs whose prefs.js lines were put back as they were (or dropped when the profile had none). */
  restoredPrefs: string[];
}

export async function disablePortholeInProfile(profileDir: string, options: { force?: boolean } = {}): Promise<DisableResult> {
  if (!options.force && (await isProfileInUse(profileDir))) throw new PortholeError('firefox-running', `Firefox has this profile open (${profileDir}): close Firefox first`);
  const userJs = path.join(profileDir, 'user.js');
  const text = await readOptional(userJs);
  const savedText = await readOptional(path.join(profileDir, SAVED_PREFS));
  const saved = savedText ? (JSON.parse(savedText) as SavedPrefs) : undefined;
  const removed = text !== undefined && findBlock(text) !== undefined;
  if (removed) {
    const rest = removeBlock(text);
    if (rest === '' && saved && !saved.userJsExisted) await rm(userJs, { force: true });
    else await writeFileAtomic(userJs, rest, 0o644);
  }
  const restoredPrefs = await restorePrefsJs(profileDir, saved);
  await rm(path.join(profileDir, SAVED_PREFS), { force: true });
  return { removed, restoredPrefs };
}

async function restorePrefsJs(profileDir: string, saved: SavedPrefs | undefined): Promise<string[]> {
  const file = path.join(profileDir, 'prefs.js');
  const text = await readOptional(file);
  if (text === undefined) return [];
  const ours = new Set(Object.keys(proxyPrefs('127.0.0.1', 1)));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const restored = new Set<string>();
  const kept: string[] = [];
  for (const line of lines) {
    const name = prefNameOfLine(line);
    if (name === undefined || !ours.has(name)) {
      kept.push(line);
      continue;
    }
    // Put the profile's own line(s) back where Firefox had the pref; drop duplicates.
    if (!restored.has(name)) kept.push(...(saved?.prefsJs[name] ?? []));
    restored.add(name);
  }
  for (const [name, old] of Object.entries(saved?.prefsJs ?? {})) {
    if (restored.has(name)) continue;
    const at = kept.length > 0 && kept[kept.length - 1] === '' ? kept.length - 1 : kept.length;
    kept.splice(at, 0, ...old);
    restored.add(name);
  }
  if (restored.size > 0) await writeFileAtomic(file, kept.join(eol), 0o600);
  return [...restored].sort();
}
