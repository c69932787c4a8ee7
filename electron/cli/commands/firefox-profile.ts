// `porthole firefox-profile list|on|off`: "use Porthole in my usual Firefox" — Porthole's marked block in
// one of the user's own Firefox profiles (its user.js), and its exact removal.
import { PortholeError } from '../../../shared/errors.ts';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FirefoxProfile } from '../../core/browsers/firefox-profiles-ini.ts';
import { firefoxRoots, listFirefoxProfiles } from '../../core/browsers/firefox-profiles-ini.ts';
import { disablePortholeInProfile, enablePortholeInProfile, hasPortholeLeftovers, isProfileInUse, portholeBlockIn } from '../../core/browsers/firefox-usual.ts';
import type { HostEnv } from '../../core/browsers/host-env.ts';
import { realHost } from '../../core/browsers/real-host.ts';
import { DEFAULT_BRIDGE_PORT } from '../../core/bridge/index.ts';
import { dataDirOption, jsonOption, str, type Command, type CommandContext, type OptionValues } from '../command.ts';
import { printJson, table } from '../io.ts';
import { bridgePort } from './open.ts';

async function profilesOrFail(host: HostEnv): Promise<FirefoxProfile[]> {
  const all = await listFirefoxProfiles(host);
  if (all.length > 0) return all;
  const looked = firefoxRoots(host);
  throw new PortholeError('not-found', `no Firefox profiles found${looked.length > 0 ? ` (looked for profiles.ini in ${looked.join(', ')})` : ' (no home folder: HOME, or APPDATA on Windows, is not set)'}: start Firefox once, then run this again`);
}

const described = (all: FirefoxProfile[]): string => all.map((p) => `"${p.name}"${p.isDefault ? ' (default)' : ''} ${p.path}`).join('; ');

/** The profile --profile names (a name from profiles.ini, or its folder), else the default one. */
async function chooseProfile(all: FirefoxProfile[], wanted: string | undefined): Promise<FirefoxProfile> {
  if (wanted === undefined) {
    const defaults = all.filter((p) => p.isDefault);
    const only = defaults.length === 1 ? defaults[0] : defaults.length === 0 && all.length === 1 ? all[0] : undefined;
    if (only) return only;
    throw new PortholeError('usage', `${defaults.length === 0 ? 'no default Firefox profile' : 'several default Firefox profiles'}: choose one with --profile NAME|PATH (${described(all)})`);
  }
  const byName = all.filter((p) => p.name === wanted);
  const named = byName.length > 0 ? byName : all.filter((p) => p.name.toLowerCase() === wanted.toLowerCase());
  if (named.length > 1) throw new PortholeError('usage', `several Firefox profiles are called "${wanted}": choose one with --profile PATH (${described(named)})`);
  if (named[0]) return named[0];
  const full = path.resolve(wanted);
  const byPath = all.find((p) => path.resolve(p.path) === full || path.basename(p.path) === wanted);
  if (byPath) return byPath;
  // A profile folder of its own (`firefox --profile DIR`), not listed in profiles.ini: it has a prefs.js.
  if ((await stat(path.join(full, 'prefs.js')).catch(() => undefined))?.isFile()) return { name: path.basename(full), path: full, isDefault: false, root: path.dirname(full) };
  throw new PortholeError('not-found', `no Firefox profile "${wanted}": the profiles here are ${described(all)}`);
}

async function checkClosed(p: FirefoxProfile, values: OptionValues): Promise<void> {
  if (!values.force && (await isProfileInUse(p.path))) {
    throw new PortholeError('firefox-running', `Firefox has the profile "${p.name}" open (${p.path}): close Firefox first, then run this again`);
  }
}

async function target(values: OptionValues, ctx: CommandContext): Promise<FirefoxProfile> {
  return chooseProfile(await profilesOrFail(realHost(ctx.env)), str(values, 'profile'));
}

const summaryOf = (p: FirefoxProfile) => ({ name: p.name, path: p.path, isDefault: p.isDefault });

const list: Command = {
  name: 'list',
  summary: 'your Firefox profiles, and whether Porthole is on in each',
  help: 'Usage: porthole firefox-profile list [--json]',
  options: { ...dataDirOption, ...jsonOption },
  async run(values, _pos, ctx) {
    const all = await profilesOrFail(realHost(ctx.env));
    const rows = await Promise.all(
      all.map(async (p) => {
        const block = await portholeBlockIn(p.path);
        return { ...summaryOf(p), root: p.root, porthole: block !== undefined, port: block?.port ?? null, inUse: await isProfileInUse(p.path) };
      }),
    );
    if (values.json) return printJson(ctx, rows);
    const cells = [['NAME', 'DEFAULT', 'PORTHOLE', 'FIREFOX', 'PATH']];
    for (const r of rows) cells.push([r.name, r.isDefault ? 'yes' : '', r.porthole ? `on${r.port !== null ? ` (port ${r.port})` : ''}` : 'off', r.inUse ? 'running' : '', r.path]);
    ctx.stdout.write(table(cells));
  },
};

const on: Command = {
  name: 'on',
  summary: 'make one of your Firefox profiles use the bridge',
  help: `Usage: porthole firefox-profile on [--profile NAME|PATH] [--port N] [--force] [--json]

Adds a marked block to the profile's user.js (the old user.js is kept as
user.js.porthole-backup) so that Firefox sends everything through the bridge on
127.0.0.1:PORT, names resolved by the proxy. "off" takes it out again.
Firefox reads user.js when it starts: close it first (--force skips that check).

Options:
  --profile NAME|PATH   the profile (default: Firefox's default profile); see "list"
  --port N              the bridge's port (default: PORTHOLE_BRIDGE_PORT, else ${DEFAULT_BRIDGE_PORT})
  --force               even though Firefox has the profile open
  --json                machine-readable output`,
  options: { ...dataDirOption, ...jsonOption, profile: { type: 'string' }, port: { type: 'string' }, force: { type: 'boolean' } },
  async run(values, _pos, ctx) {
    const port = bridgePort(values, ctx.env);
    const p = await target(values, ctx);
    const before = await portholeBlockIn(p.path);
    const changed = before?.port !== port;
    if (changed) {
      await checkClosed(p, values);
      await enablePortholeInProfile(p.path, { port });
    }
    if (values.json) return printJson(ctx, { profile: summaryOf(p), port, changed, previousPort: before ? (before.port ?? null) : null });
    if (!changed) ctx.stdout.write(`Porthole is already on in the Firefox profile "${p.name}" (port ${port}): nothing changed\n`);
    else if (before) ctx.stdout.write(`Porthole in the Firefox profile "${p.name}" now uses port ${port} (was ${before.port ?? 'unknown'}); restart Firefox to use it\n`);
    else ctx.stdout.write(`Porthole is on in the Firefox profile "${p.name}" (${p.path}): Firefox will use the bridge at 127.0.0.1:${port} from its next start\n`);
  },
};

const off: Command = {
  name: 'off',
  summary: 'take Porthole out of one of your Firefox profiles',
  help: `Usage: porthole firefox-profile off [--profile NAME|PATH] [--force] [--json]

Removes Porthole's block from the profile's user.js (the rest stays byte for byte)
and puts back the prefs.js lines the profile had for those settings before.
Close Firefox first: it rewrites prefs.js when it exits (--force skips that check).`,
  options: { ...dataDirOption, ...jsonOption, profile: { type: 'string' }, force: { type: 'boolean' } },
  async run(values, _pos, ctx) {
    const p = await target(values, ctx);
    if (!(await hasPortholeLeftovers(p.path))) {
      if (values.json) return printJson(ctx, { profile: summaryOf(p), changed: false, removed: false, restoredPrefs: [] });
      ctx.stdout.write(`Porthole is not on in the Firefox profile "${p.name}": nothing changed\n`);
      return;
    }
    await checkClosed(p, values);
    const r = await disablePortholeInProfile(p.path, { force: true });
    if (values.json) return printJson(ctx, { profile: summaryOf(p), changed: true, ...r });
    ctx.stdout.write(`Porthole is off in the Firefox profile "${p.name}" (${p.path})${r.restoredPrefs.length > 0 ? `; prefs put back as they were: ${r.restoredPrefs.join(', ')}` : ''}\n`);
  },
};

export const firefoxProfile: Command = {
  name: 'firefox-profile',
  summary: 'use the bridge in your usual Firefox profile, or stop',
  help: `Usage: porthole firefox-profile list|on|off [--profile NAME|PATH] [--port N] [--json]

"porthole open firefox" starts Firefox with Porthole's own profile; this instead changes
one of your own profiles (bookmarks, logins and tabs stay), until "off" takes it out.`,
  options: {},
  subcommands: [list, on, off],
  async run() {},
};
