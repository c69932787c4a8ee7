// `porthole fetch`: fetches every channel at once (the ones given and the ones the stored lists
// and codes name), verifies every candidate, stores what verified, and reports each channel: one
// refresh round of the catalog (catalog/refresh.ts, refreshOnce), as the engine runs them.
import { PortholeError } from '../../../shared/errors.ts';
import { readFile } from 'node:fs/promises';
import { LIMITS } from '../../../shared/list-format.ts';
import { parseDurationMs } from '../../../shared/duration.ts';
import { dataDirOption, jsonOption, str, strs, type Command, type CommandContext } from '../command.ts';
import { openClientFor } from '../client-dir.ts';
import { printJson } from '../io.ts';
import { httpProxyAgents, type Channel, type ChannelFetchResult, type ChannelSettings } from '../../core/channels/index.ts';
import type { ListOutcome } from '../../core/catalog/accept.ts';
import { channelsOf, refreshOnce, type ChannelRound } from '../../core/catalog/refresh.ts';
import { loadStoredLists } from '../../core/catalog/stored.ts';
import type { ClientStores } from '../../core/catalog/open.ts';

/** '30s', '500ms', '2m' or plain seconds → milliseconds (the one duration parser: shared/duration.ts). */
export function parseDuration(text: string, what: string): number {
  return parseDurationMs(text, what, { bareUnit: 's', maxMs: 3_600_000 });
}

async function channelsToFetch(given: string[], stores: ClientStores, only: boolean, settings: Partial<ChannelSettings>, ctx: CommandContext): Promise<Channel[]> {
  const specs = [...given];
  if (!only) {
    const stored = await loadStoredLists(stores);
    for (const l of stored.lists) specs.push(...l.payload.channels);
    for (const c of stored.codes) specs.push(...c.channels);
  }
  return channelsOf(specs, settings, (spec, err) => {
    if (given.includes(spec)) throw new PortholeError('usage', `bad channel: ${err.message}`);
    ctx.stderr.write(`porthole: warning: skipping a channel named by a stored list: ${err.message}\n`);
  });
}

interface ChannelReport extends Omit<ChannelFetchResult, 'blobs'> {
  candidates: number;
  lists: Pick<ListOutcome, 'status' | 'message'>[];
}

/** The CLI's report of a channel: what it answered and what its candidates became. */
function reportOf(round: ChannelRound): ChannelReport {
  return { ...round.fetched, candidates: round.candidates, lists: round.outcomes.map((o) => ({ status: o.status, message: o.message })) };
}

function printReports(reports: ChannelReport[], ctx: CommandContext): void {
  const width = Math.min(60, Math.max(0, ...reports.map((r) => r.channel.length)));
  for (const r of reports) {
    const said = r.detail ? `: ${r.detail}` : '';
    ctx.stdout.write(`${r.status.padEnd(12)} ${r.channel.padEnd(width)} ${String(r.elapsedMs).padStart(6)} ms${said}\n`);
    for (const l of r.lists) ctx.stdout.write(`${''.padEnd(13)}${l.status === 'rejected' ? `rejected: ${l.message}` : l.message}\n`);
  }
}

export const fetchCmd: Command = {
  name: 'fetch',
  summary: 'fetch lists from every channel at once, verify them, keep the newest',
  help: `Usage: porthole fetch [--channel CHANNEL]… [CHANNEL…] [--data-dir D] [--only] [--timeout 30s] [--request-timeout 15s]
                      [--max-bytes N] [--proxy http://127.0.0.1:PORT] [--dns-server IP[:PORT]]…
                      [--ca FILE] [--json]

CHANNEL is https://…, http://…, page:URL (any page or paste with armored blocks),
dns:NAME[@SERVER,…], doh:URL[,URL…]#NAME or file:PATH (a file or a folder such as a USB stick).
Unless --only is given, the channels named by the stored lists and codes are fetched too.
All channels are fetched at once within --timeout; every candidate is verified and what
verifies is stored (the newest version of each publisher wins). --proxy fetches web channels
through a working local HTTP proxy (the bridge); --dns-server sets the servers of dns: channels.
Each channel gets a line: ok, not-modified, timeout, blocked, too-large, http-error or error.
Exit codes: 0 a valid list came in (new or already held), 1 none did, 2 bad usage.`,
  options: {
    ...dataDirOption,
    ...jsonOption,
    channel: { type: 'string', multiple: true },
    only: { type: 'boolean' },
    timeout: { type: 'string' },
    'request-timeout': { type: 'string' },
    'max-bytes': { type: 'string' },
    proxy: { type: 'string' },
    'dns-server': { type: 'string', multiple: true },
    ca: { type: 'string' },
  },
  positionals: true,
  async run(values, positionals, ctx) {
    const timeoutMs = parseDuration(str(values, 'timeout') ?? '30s', '--timeout');
    const requestMs = Math.min(timeoutMs, parseDuration(str(values, 'request-timeout') ?? '15s', '--request-timeout'));
    const maxText = str(values, 'max-bytes');
    if (maxText !== undefined && (!/^\d+$/.test(maxText) || Number(maxText) < 1 || Number(maxText) > LIMITS.maxListBytes * 8)) {
      throw new PortholeError('usage', `--max-bytes "${maxText}": expected a whole number of bytes up to ${LIMITS.maxListBytes * 8}`);
    }
    const settings: Partial<ChannelSettings> = { timeoutMs: requestMs, dnsServers: strs(values, 'dns-server') };
    const caFile = str(values, 'ca');
    if (caFile) {
      settings.ca = await readFile(caFile, 'utf8').catch(() => {
        throw new PortholeError('other', `cannot read --ca ${caFile}`);
      });
    }
    let proxy;
    try {
      proxy = str(values, 'proxy') ? httpProxyAgents(str(values, 'proxy') ?? '') : undefined;
    } catch (err) {
      throw new PortholeError('usage', `--proxy: ${(err as Error).message}`);
    }

    const stores = await openClientFor(values, ctx);
    const channels = await channelsToFetch([...strs(values, 'channel'), ...positionals], stores, Boolean(values.only), settings, ctx);
    if (channels.length === 0) throw new PortholeError('usage', 'no channels: give one (e.g. https://…/list.signed) or import a list that names some');
    const rounds = await refreshOnce(stores, channels, {
      timeoutMs,
      maxBytes: maxText ? Number(maxText) : LIMITS.maxListBytes,
      signal: ctx.signal,
      ...(proxy ? { proxy } : {}),
    });
    const reports = rounds.map(reportOf);
    const good = reports.some((r) => r.status === 'not-modified' || r.lists.some((l) => l.status !== 'rejected'));
    if (values.json) printJson(ctx, reports);
    else printReports(reports, ctx);
    if (!good) {
      if (values.json) return 1;
      throw new PortholeError('other', 'no channel delivered a valid list');
    }
    return 0;
  },
};
