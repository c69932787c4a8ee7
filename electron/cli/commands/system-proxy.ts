// `porthole system-proxy on|off|status|repair`: points the system proxy settings at the bridge's PAC file.
import { PortholeError } from '../../../shared/errors.ts';
import type { SystemProxy, RestoreResult } from '../../core/browsers/system-proxy/manager.ts';
import { createSystemProxy } from '../../core/browsers/system-proxy/manager.ts';
import { resolveDataDir } from '../../core/paths.ts';
import { dataDirOption, jsonOption, str, type Command, type CommandContext, type OptionValues } from '../command.ts';
import { printJson } from '../io.ts';
import { realHost } from '../../core/browsers/real-host.ts';
import { bridgePort } from './open.ts';

function manager(values: OptionValues, ctx: CommandContext): SystemProxy {
  return createSystemProxy({ dataDir: resolveDataDir(str(values, 'data-dir'), ctx.env), host: realHost(ctx.env) });
}

function report(ctx: CommandContext, r: RestoreResult): number {
  if (r.restored.length > 0) ctx.stdout.write(`restored: ${r.restored.join(', ')}\n`);
  if (r.leftAsIs.length > 0) ctx.stdout.write(`left as they are (no longer pointing at Porthole): ${r.leftAsIs.join(', ')}\n`);
  if (r.missing.length > 0) ctx.stdout.write(`gone: ${r.missing.join(', ')}\n`);
  for (const f of r.failed) ctx.stderr.write(`porthole: could not restore ${f.key}: ${f.error}\n`);
  return r.failed.length > 0 ? 1 : 0;
}

const on: Command = {
  name: 'on',
  summary: 'point the system proxy at the bridge',
  help: `Usage: porthole system-proxy on [--port N] [--data-dir D]

Sets the automatic proxy configuration (PAC) URL http://127.0.0.1:PORT/proxy.pac
(Windows Internet Settings, every enabled macOS network service, GNOME, KDE). The
previous settings are saved first; "off", quitting Porthole or the next start put them back.`,
  options: { ...dataDirOption, ...jsonOption, port: { type: 'string' } },
  async run(values, _pos, ctx) {
    const port = bridgePort(values, ctx.env);
    const status = await manager(values, ctx).on(port).catch((err: Error) => {
      throw new PortholeError('other', err.message);
    });
    if (values.json) return printJson(ctx, status);
    ctx.stdout.write(`system proxy on: ${status.target?.pacUrl} (${status.items.filter((i) => i.pointsAtPorthole).map((i) => `${i.backend}:${i.item}`).join(', ')})\n`);
  },
};

const off: Command = {
  name: 'off',
  summary: 'put the previous system proxy settings back',
  help: 'Usage: porthole system-proxy off [--data-dir D]\n\nSettings that you changed yourself since "on" are left as they are.',
  options: { ...dataDirOption, ...jsonOption },
  async run(values, _pos, ctx) {
    const r = await manager(values, ctx).off();
    if (values.json) return void printJson(ctx, r);
    if (r.restored.length + r.leftAsIs.length + r.missing.length + r.failed.length === 0) ctx.stdout.write('system proxy was not set by Porthole\n');
    return report(ctx, r);
  },
};

const status: Command = {
  name: 'status',
  summary: 'show the system proxy settings',
  help: 'Usage: porthole system-proxy status [--data-dir D] [--json]',
  options: { ...dataDirOption, ...jsonOption },
  async run(values, _pos, ctx) {
    const s = await manager(values, ctx).status();
    if (values.json) return printJson(ctx, s);
    ctx.stdout.write(`porthole: ${s.phase === 'idle' ? 'not set' : `${s.phase} ${s.target?.pacUrl ?? ''}`}\n`);
    if (s.backends.length === 0) ctx.stdout.write('no system proxy settings found that Porthole can change\n');
    for (const i of s.items) ctx.stdout.write(`${i.backend}:${i.item}  ${i.pointsAtPorthole ? 'Porthole' : 'other'}  ${JSON.stringify(i.current)}\n`);
  },
};

const repair: Command = {
  name: 'repair',
  summary: 'undo what a crashed run left behind',
  help: 'Usage: porthole system-proxy repair [--data-dir D]\n\nWhat Porthole also does on every start.',
  options: { ...dataDirOption, ...jsonOption },
  async run(values, _pos, ctx) {
    const r = await manager(values, ctx).repairOnStartup();
    if (values.json) return void printJson(ctx, r);
    if (!r.repaired) {
      ctx.stdout.write('nothing to repair\n');
      return 0;
    }
    ctx.stdout.write(`found an unfinished change (${r.phase})\n`);
    return report(ctx, r);
  },
};

export const systemProxy: Command = {
  name: 'system-proxy',
  summary: 'point the system proxy settings at the bridge, or put them back',
  help: 'Usage: porthole system-proxy on|off|status|repair [--port N] [--data-dir D]',
  options: {},
  subcommands: [on, off, status, repair],
  async run() {},
};
