// `porthole open firefox|chrome|telegram|…`: starts a browser (or Telegram) already set up for the bridge.
import { PortholeError, isPortholeError } from '../../../shared/errors.ts';
import { DEFAULT_BRIDGE_PORT } from '../../core/bridge/index.ts';
import { BROWSER_IDS } from '../../core/browsers/catalog.ts';
import { detectBrowsers } from '../../core/browsers/detect.ts';
import { isOpenTarget, openOnBridge } from '../../core/browsers/open-browser.ts';
import { formatCommand } from '../../core/browsers/runner.ts';
import { realHost } from '../../core/browsers/real-host.ts';
import { resolveDataDir } from '../../core/paths.ts';
import { dataDirOption, jsonOption, str, type Command, type OptionValues } from '../command.ts';
import { printJson, table } from '../io.ts';

/** --port, else PORTHOLE_BRIDGE_PORT, else the bridge's default port. */
export function bridgePort(values: OptionValues, env: NodeJS.ProcessEnv): number {
  const raw = str(values, 'port') ?? env.PORTHOLE_BRIDGE_PORT ?? String(DEFAULT_BRIDGE_PORT);
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new PortholeError('usage', `--port must be 1-65535, not "${raw}"`);
  return port;
}

const TARGETS = ['firefox', 'chrome', 'telegram', ...BROWSER_IDS.filter((b) => b !== 'firefox' && b !== 'chrome')];

export const open: Command = {
  name: 'open',
  summary: 'open Firefox, Chrome or Telegram set up to use the bridge',
  help: `Usage: porthole open ${TARGETS.join('|')} [--url URL] [--port N] [--data-dir D]
       porthole open --list

Starts the browser with its own Porthole profile (your usual profile is not touched),
sends everything through the bridge on 127.0.0.1:PORT with names resolved by the proxy,
then fetches a check URL through the bridge and says whether it worked.
"firefox" also accepts Firefox ESR; "chrome" any Chromium-based browser (Chromium, Edge,
Brave, Yandex, Opera) when Chrome itself is not installed. "telegram" hands Telegram
Desktop the bridge as its SOCKS5 proxy (it asks you to confirm).

Options:
  --port N          the bridge's port (default: PORTHOLE_BRIDGE_PORT, else ${DEFAULT_BRIDGE_PORT})
  --url URL         page to open
  --check-url URL   what to fetch through the bridge afterwards
  --no-check        skip that check
  --list            show the browsers found on this computer
  --json            machine-readable output`,
  options: {
    ...dataDirOption,
    ...jsonOption,
    port: { type: 'string' },
    url: { type: 'string' },
    'check-url': { type: 'string' },
    'no-check': { type: 'boolean' },
    list: { type: 'boolean' },
  },
  positionals: true,
  async run(values, positionals, ctx) {
    const host = realHost(ctx.env);
    if (values.list) {
      const found = await detectBrowsers(host);
      if (values.json) return printJson(ctx, found);
      const rows = [['ID', 'NAME', 'FOUND VIA', 'COMMAND']];
      for (const b of found) rows.push([b.id, b.name, b.source, formatCommand(b.command, b.baseArgs)]);
      ctx.stdout.write(found.length > 0 ? table(rows) : 'no supported browser found\n');
      return;
    }
    const target = positionals[0];
    if (!target || positionals.length > 1) throw new PortholeError('usage', `open takes one of: ${TARGETS.join(', ')}`);
    if (!isOpenTarget(target)) throw new PortholeError('usage', `unknown browser "${target}": expected one of ${TARGETS.join(', ')}`);
    const port = bridgePort(values, ctx.env);
    const url = str(values, 'url');
    const checkUrl = values['no-check'] ? false : str(values, 'check-url');
    let result;
    try {
      result = await openOnBridge(host, target, {
        dataDir: resolveDataDir(str(values, 'data-dir'), ctx.env),
        port,
        ...(url ? { url } : {}),
        ...(checkUrl !== undefined ? { checkUrl } : {}),
      });
    } catch (err) {
      if (isPortholeError(err, 'browser-not-found')) throw new PortholeError('other', err.message);
      throw new PortholeError('other', (err as Error).message);
    }
    if (values.json) {
      const { kind, check } = result;
      const what = result.kind === 'browser' ? { browser: result.browser, command: result.launched.command, args: result.launched.args, pid: result.launched.process.pid } : { link: result.link };
      printJson(ctx, { kind, ...what, check });
    } else if (result.kind === 'browser') {
      ctx.stdout.write(`opened ${result.browser.name} with Porthole's profile (${result.launched.profileDir}) on the bridge at 127.0.0.1:${port}\n`);
    } else {
      ctx.stdout.write(`asked Telegram Desktop to use the bridge: ${result.link}\n`);
    }
    const check = result.check;
    if (!check) return;
    if (!values.json) {
      ctx.stdout.write(check.ok ? `bridge check: ok (${check.url}: HTTP ${check.status}, ${check.ms} ms)\n` : `bridge check: FAILED (${check.url}: ${check.error ?? `HTTP ${check.status}`})\n`);
    }
    return check.ok ? 0 : 1;
  },
};
