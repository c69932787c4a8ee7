// `porthole bridge`: runs the local SOCKS5 + HTTP bridge in the foreground over the upstreams given
// as proxy links, until interrupted.
import { PortholeError } from '../../../shared/errors.ts';
import { startBridge, type Bridge } from '../../core/bridge/index.ts';
import { directUpstream, upstreamFor } from '../../core/bridge/upstreams/index.ts';
import type { Upstream } from '../../core/bridge/upstreams/types.ts';
import { parseProxyLink } from '../../../shared/proxy-link.ts';
import { isBridged } from '../../../shared/entry.ts';
import type { Entry } from '../../../shared/entry.ts';
import { str, strs, type Command, type CommandContext, type OptionValues } from '../command.ts';

const DEFAULT_LISTEN = '127.0.0.1:1080';

/** Parses "HOST:PORT", "[V6]:PORT" or a bare "PORT" (on 127.0.0.1). */
export function parseListen(text: string): { host: string; port: number } {
  const t = text.trim();
  const m = /^\d{1,5}$/.test(t) ? [t, undefined, '127.0.0.1', t] : /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(t);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port <= 65535)) throw new PortholeError('usage', `--listen ${JSON.stringify(text)}: expected HOST:PORT, e.g. 127.0.0.1:1080`);
  return { host: (m[1] ?? m[2]) as string, port };
}

/** One upstream per port of each link, in the order given (the failover order). */
export function upstreamsFromLinks(links: string[]): Upstream[] {
  const out: Upstream[] = [];
  links.forEach((link, i) => {
    if (link.trim().toLowerCase() === 'direct') {
      out.push(directUpstream());
      return;
    }
    let entry: Entry;
    try {
      entry = { id: `cli-${i + 1}`, ...parseProxyLink(link) };
    } catch (err) {
      throw new PortholeError('usage', `--upstream #${i + 1}: ${(err as Error).message}`);
    }
    if (entry.protocol === 'mtproto') throw new PortholeError('usage', `--upstream #${i + 1}: an MTProto proxy is Telegram's own; give it to Telegram (porthole open telegram), the bridge cannot carry it`);
    if (!isBridged(entry.protocol)) throw new PortholeError('usage', `--upstream #${i + 1}: needs a protocol Porthole doesn't speak yet (${entry.scheme ?? 'unknown'})`);
    for (const port of entry.ports) out.push(upstreamFor(entry, port));
  });
  return out;
}

function shareOption(values: OptionValues): { username?: string; password?: string } | boolean {
  const username = str(values, 'share-user');
  const password = str(values, 'share-pass');
  if ((username === undefined) !== (password === undefined)) throw new PortholeError('usage', 'give both --share-user and --share-pass, or neither');
  if (username !== undefined && password !== undefined) {
    if (username === '' || password === '') throw new PortholeError('usage', '--share-user and --share-pass must not be empty');
    return { username, password };
  }
  return values.share === true;
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

export const bridge: Command = {
  name: 'bridge',
  summary: 'run the local SOCKS5 + HTTP proxy bridge over given upstreams',
  help: `Usage: porthole bridge --upstream LINK [--upstream LINK ...] [--listen HOST:PORT]
                       [--share | --share-user U --share-pass P] [--verbose]

Runs the local bridge in the foreground: one port that speaks SOCKS5 and HTTP proxy
(CONNECT and plain http:// requests), and serves a PAC file at /proxy.pac. Traffic goes
through the upstreams in the order given; a connection whose upstream fails before any
byte moved is retried on the next one. Host names are always resolved by the upstream.

  --upstream LINK     socks5://[user:pass@]host:port, http://…, https://…, ss://…,
                      tg://socks?server=…&port=…  (repeat for failover order), or
                      "direct" (no proxy: names are then resolved locally; for testing)
  --listen HOST:PORT  default ${DEFAULT_LISTEN}; if the port is taken the next free one
                      is used and printed
  --share             share on the LAN with random credentials (listens on 0.0.0.0
                      unless --listen says otherwise); LAN clients must authenticate
  --share-user U --share-pass P   share on the LAN with these credentials
  --verbose           log upstream failures and refused clients on stderr

Stops cleanly on Ctrl-C.`,
  options: {
    listen: { type: 'string' },
    upstream: { type: 'string', multiple: true },
    share: { type: 'boolean' },
    'share-user': { type: 'string' },
    'share-pass': { type: 'string' },
    verbose: { type: 'boolean' },
  },
  async run(values, _positionals, ctx: CommandContext) {
    const links = strs(values, 'upstream');
    if (links.length === 0) throw new PortholeError('usage', 'missing --upstream: give at least one proxy link');
    const candidates = upstreamsFromLinks(links);
    const share = shareOption(values);
    const listenText = str(values, 'listen');
    const listen = parseListen(listenText ?? DEFAULT_LISTEN);
    if (listenText === undefined && share !== false) listen.host = '0.0.0.0';
    const log = values.verbose === true ? (line: string) => ctx.stderr.write(`porthole bridge: ${line}\n`) : undefined;
    let running: Bridge;
    try {
      running = await startBridge({ host: listen.host, port: listen.port, candidates: () => candidates, share, log });
    } catch (err) {
      throw new PortholeError('other', `cannot listen on ${listen.host}:${listen.port}: ${(err as Error).message}`);
    }
    const shown = running.host.includes(':') ? `[${running.host}]` : running.host;
    ctx.stdout.write(`listening on ${shown}:${running.port} (SOCKS5 + HTTP)\n`);
    ctx.stdout.write(`PAC: ${running.pacUrl}\n`);
    ctx.stdout.write(`upstreams: ${candidates.map((u) => u.describe).join(', ')}\n`);
    if (running.share) ctx.stdout.write(`LAN sharing on: user ${running.share.username} password ${running.share.password}\n`);
    await waitForAbort(ctx.signal);
    await running.close();
    return 0;
  },
};
