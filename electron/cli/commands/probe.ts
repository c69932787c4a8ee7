import { PortholeError } from '../../../shared/errors.ts';
import type { Entry } from '../../../shared/entry.ts';
import { entryIdFor, formatProxyLink, isLinkError, parseProxyLink } from '../../../shared/proxy-link.ts';
import { jsonOption, str, strs, type Command, type CommandContext, type OptionValues } from '../command.ts';
import { listInInputFile, printJson, readInputFile, table } from '../io.ts';
import { readPublisherFile } from '../../core/lists/keyfiles.ts';
import { verifyList } from '../../core/lists/verify.ts';
import { startProbe } from '../../core/probe/index.ts';
import type { ProbeOptions, ProbeResult } from '../../core/probe/index.ts';

export const probe: Command = {
  name: 'probe',
  summary: 'test servers end to end and rank them (latency, success, why each failure)',
  help: `Usage: porthole probe (--list FILE --trust PUB | --server URL…) [--probe-url URL…]
                      [--json] [--timeout MS] [--concurrency N] [--throughput N]

Tests every server: TCP connect, the proxy handshake and login, then an HTTP request to a probe
URL through the proxy and a second one on the same connection (its time is the latency).
Alternative ports of a server are raced; the first that completes the handshake is used.

  --list FILE      a signed list (or text holding an armored list block; "-" reads stdin),
  --trust PUB      checked against this publisher file
  --server URL     a proxy link (socks5://, http://, https://, ss://, tg://socks?…); repeatable
  --probe-url URL  probe URL tried after each server's own ones, instead of the built-in
                   defaults (cp.cloudflare.com, www.gstatic.com); repeatable
  --timeout MS     time limit of each stage (connect, handshake, request); default 3000/3000/5000
  --concurrency N  servers tested at once at most (default: starts at 128, adapts)
  --throughput N   also measure the download rate of the N fastest servers
  --json           an array, best first: id, url (no credentials), ok, latencyMs, error, …

Exits 0 when at least one server works, 1 when none does.`,
  options: {
    list: { type: 'string' },
    trust: { type: 'string' },
    server: { type: 'string', multiple: true },
    'probe-url': { type: 'string', multiple: true },
    timeout: { type: 'string' },
    concurrency: { type: 'string' },
    throughput: { type: 'string' },
    ...jsonOption,
  },
  async run(values, _pos, ctx) {
    const entries = await collectEntries(values, ctx);
    if (entries.length === 0) throw new PortholeError('other', 'nothing to probe: the list has no entries');
    const options = probeOptions(values, ctx);
    const run = startProbe(entries, options);
    const tty = Boolean((ctx.stderr as { isTTY?: boolean }).isTTY) && !values.json;
    if (tty) run.on('result', (p) => ctx.stderr.write(`\rtested ${p.tested}/${p.total}`));
    const ranked = await run.done;
    if (tty) ctx.stderr.write('\r\x1b[K');
    if (values.json) printJson(ctx, ranked.map(toJson));
    else ctx.stdout.write(render(ranked));
    return ranked.some((r) => r.ok) ? 0 : 1;
  },
};

async function collectEntries(values: OptionValues, ctx: CommandContext): Promise<Entry[]> {
  const listFile = str(values, 'list');
  const servers = strs(values, 'server');
  if (!listFile && servers.length === 0) throw new PortholeError('usage', 'give --list FILE --trust PUB, or one or more --server URL');
  const out = new Map<string, Entry>();
  if (listFile) {
    const trust = str(values, 'trust');
    if (!trust) throw new PortholeError('usage', '--list needs --trust PUB (the publisher file to check it against)');
    const chain = await readPublisherFile(trust);
    const raw = await readInputFile(listFile, ctx);
    const bytes = listInInputFile(raw, 'the --list file');
    // Expired lists are still worth testing: people may be offline for weeks (verify says so too).
    const v = verifyList(bytes, { trusted: [chain], now: new Date(), allowExpired: true });
    if (v.expired) ctx.stderr.write(`porthole: warning: the list expired on ${v.payload.expires}; probing it anyway\n`);
    for (const e of v.payload.entries) out.set(e.id, e);
  }
  for (const link of servers) {
    try {
      const parsed = parseProxyLink(link);
      const id = entryIdFor(parsed);
      out.set(id, { ...parsed, id });
    } catch (err) {
      if (isLinkError(err)) throw new PortholeError('usage', `--server: ${err.message}`);
      throw err;
    }
  }
  return [...out.values()];
}

function int(values: OptionValues, name: string, min: number, max: number): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new PortholeError('usage', `--${name} "${v}" is not a whole number from ${min} to ${max}`);
  return Number(v);
}

function probeOptions(values: OptionValues, ctx: CommandContext): ProbeOptions {
  const options: ProbeOptions = { signal: ctx.signal };
  const urls = strs(values, 'probe-url');
  for (const u of urls) {
    if (!/^https?:\/\/[^/]/i.test(u) || !URL.canParse(u)) throw new PortholeError('usage', `--probe-url "${u}" is not an http:// or https:// URL`);
  }
  if (urls.length > 0) options.defaultProbeUrls = urls;
  const timeout = int(values, 'timeout', 50, 120_000);
  if (timeout !== undefined) options.timeouts = { connectMs: timeout, handshakeMs: timeout, requestMs: timeout };
  const concurrency = int(values, 'concurrency', 1, 4096);
  if (concurrency !== undefined) options.concurrency = { initial: concurrency, max: concurrency, min: Math.min(4, concurrency) };
  const top = int(values, 'throughput', 1, 100);
  if (top !== undefined) options.throughput = { top };
  return options;
}

function ms(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10;
}

/** The link of the port that was tested, without credentials or label. */
function publicUrl(r: ProbeResult): string {
  const { label: _label, ...rest } = r.entry;
  return formatProxyLink({ ...rest, ports: [r.port] }, { withCredentials: false });
}

function toJson(r: ProbeResult): Record<string, unknown> {
  return {
    id: r.id,
    label: r.entry.label ?? null,
    url: publicUrl(r),
    protocol: r.entry.protocol,
    host: r.entry.host,
    port: r.port,
    ok: r.ok,
    latencyMs: ms(r.latencyMs),
    error: r.error?.message ?? null,
    errorKind: r.error?.kind ?? null,
    stage: r.error?.stage ?? null,
    connectMs: ms(r.connectMs),
    handshakeMs: ms(r.handshakeMs),
    firstRequestMs: ms(r.firstRequestMs),
    reused: r.reused,
    probeUrl: r.probeUrl,
    status: r.status,
    throughputBps: r.throughputBps ?? null,
  };
}

function cell(v: number | null): string {
  return v === null ? '-' : `${Math.round(v)}`;
}

function rate(bps: number | undefined): string {
  if (bps === undefined) return '';
  return bps >= 1e6 ? ` ${(bps / 1e6).toFixed(1)} MB/s` : ` ${Math.round(bps / 1e3)} kB/s`;
}

function render(ranked: ProbeResult[]): string {
  const rows = [['#', 'server', 'latency', 'connect', 'handshake', 'first', 'result']];
  ranked.forEach((r, i) => {
    rows.push([
      String(i + 1),
      `${r.entry.label ? `${r.entry.label} ` : ''}${publicUrl(r)}`,
      r.ok ? `${cell(r.latencyMs)} ms` : '-',
      cell(r.connectMs),
      cell(r.handshakeMs),
      cell(r.firstRequestMs),
      r.ok ? `ok${r.reused ? '' : ' (no keep-alive)'}${rate(r.throughputBps)}` : r.error?.message ?? 'failed',
    ]);
  });
  const working = ranked.filter((r) => r.ok);
  const best = working[0];
  const summary = best
    ? `${working.length} of ${ranked.length} work; best: ${best.entry.label ?? best.id} (${cell(best.latencyMs)} ms)\n`
    : `none of ${ranked.length} works\n`;
  return table(rows) + summary;
}
