// `porthole up`: the whole engine, headless. Human lines by default; --json prints one JSON
// event per line (start, progress, ready, switch, failure, sources, stopped).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, dataDirOption, jsonOption, str, strs, type Command, type CommandContext } from '../command.ts';
import { resolveDataDir } from '../../core/paths.ts';
import type { Engine } from '../../core/engine/engine.ts';
import { ApiService, type ApiServiceOptions } from '../../core/engine/api/service.ts';
import { generateToken, serveApiOverHttp, type UiServer } from '../../core/ui-server/index.ts';
import { ensureRenderer } from '../renderer-build.ts';
import type { CatalogServer } from '../../core/catalog/catalog.ts';
import { startDemo, type DemoSetup } from '../../core/engine/demo.ts';
import { formatProxyLink } from '../../../shared/proxy-link.ts';
import { parseListen } from '../listen.ts';

export const up: Command = {
  name: 'up',
  summary: 'run the engine: lists, probing, selection, failover and the local bridge',
  help: `Usage: porthole up [--channel SPEC]… [--code CODE]… [--listen 127.0.0.1:PORT] [--data-dir D]
                   [--probe-url URL]… [--json] [--demo] [--ui [--ui-port N]]

Loads the cached and embedded lists, refreshes every channel, tests every server, picks the
best and runs the bridge (SOCKS5 and HTTP proxy on one port, default 127.0.0.1:1080 or the next
free one). It keeps refreshing and failing over until Ctrl-C (SIGINT) or SIGTERM.
--code imports a one-time code first (its sender is trusted: you were given it).
--demo starts local demo proxies and a signed demo list (in a temporary data dir unless
--data-dir is given): the whole loop, offline.
--json prints events as JSON lines, e.g. {"event":"ready","socks":"127.0.0.1:1080",…}.
--ui also serves the Porthole UI on 127.0.0.1 (a random token in the URL, which is printed and
included in the ready event as "ui").`,
  options: {
    ...dataDirOption,
    ...jsonOption,
    channel: { type: 'string', multiple: true },
    code: { type: 'string', multiple: true },
    listen: { type: 'string' },
    'probe-url': { type: 'string', multiple: true },
    demo: { type: 'boolean' },
    ui: { type: 'boolean' },
    'ui-port': { type: 'string' },
  },
  async run(values, _pos, ctx) {
    const json = Boolean(values.json);
    const emit = (event: string, data: Record<string, unknown> = {}): void => {
      if (json) ctx.stdout.write(`${JSON.stringify({ event, at: new Date().toISOString(), ...data })}\n`);
    };
    const say = (line: string): void => {
      if (!json) ctx.stdout.write(`${line}\n`);
    };
    // Without --listen the bridge keeps the port it first got (remembered in the data dir).
    const listenArg = str(values, 'listen');
    const listen = listenArg === undefined ? undefined : parseListen(listenArg);
    let demo: DemoSetup | null = null;
    let tempDir: string | null = null;
    let dataDir = str(values, 'data-dir') ?? (values.demo ? null : resolveDataDir(undefined, ctx.env));
    if (!dataDir) {
      tempDir = await mkdtemp(join(tmpdir(), 'porthole-demo-'));
      dataDir = join(tempDir, 'client');
    }
    let api: ApiService | null = null;
    let ui: UiServer | null = null;
    try {
      const probeUrls = strs(values, 'probe-url');
      const options: ApiServiceOptions = { ...(listen ? { listen } : {}), channels: strs(values, 'channel'), onCore: (core) => wire(core, ctx, emit, say, demo, () => ui) };
      if (values.demo) {
        demo = await startDemo(join(tempDir ?? dataDir, 'demo'));
        options.pinned = [demo.chain];
        options.skipBootstrap = true;
        // Only local probe URLs in the demo: nothing leaves this machine.
        options.probe = { defaultProbeUrls: [demo.pageUrl] };
        say(`demo: local proxies and a signed demo list are up; demo page ${demo.pageUrl}`);
      } else if (probeUrls.length > 0) {
        options.probe = { probeUrls };
      }
      api = new ApiService({ dataDir, secrets: NO_KEYCHAIN }, options);
      ctx.signal.addEventListener('abort', () => say('stopping…'), { once: true });
      await api.start();
      if (demo) await api.importRaw(await readFile(demo.listFile), false);
      for (const code of strs(values, 'code')) {
        for (const o of await api.importRaw(code, true)) {
          emit('import', { status: o.status, message: o.message });
          say(`code: ${o.message}`);
          if (o.status === 'rejected') throw new CliError(`--code: ${o.message}`, 3);
        }
      }
      if (values.ui) {
        const uiPort = Number(str(values, 'ui-port') ?? '0');
        if (!Number.isInteger(uiPort) || uiPort < 0 || uiPort > 65535) throw new CliError('--ui-port must be a port number', 2);
        ui = await serveApiOverHttp(api, { host: '127.0.0.1', port: uiPort, token: generateToken(), staticDir: await ensureRenderer(say) });
        say(`UI: ${ui.url}`);
      }
      await api.connect({});
      const b = api.running!.bridgeInfo()!;
      emit('start', { socks: `${b.host}:${b.port}`, http: `${b.host}:${b.port}`, servers: api.running!.servers().length, dataDir, ...(demo ? { demoPage: demo.pageUrl } : {}), ...(ui ? { ui: ui.url } : {}) });
      say(`Looking for a way through… ${api.running!.servers().length} servers known. Bridge on ${b.host}:${b.port} (SOCKS5 + HTTP).`);
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } finally {
      await ui?.close();
      await api?.stop();
      await demo?.stop();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
      emit('stopped');
      say('stopped');
    }
    return 0;
  },
};

export function serverInfo(s: CatalogServer, latencyMs?: number | null, port?: number): Record<string, unknown> {
  return {
    id: s.id,
    ...(port !== undefined ? { host: s.entry.host, port } : {}),
    label: s.entry.label ?? s.entry.host,
    protocol: s.entry.protocol,
    url: formatProxyLink(s.entry, { withCredentials: false }),
    ...(s.entry.country ? { country: s.entry.country } : {}),
    origin: s.origin,
    publisher: s.publisher,
    ...(latencyMs !== undefined ? { latencyMs } : {}),
  };
}

/** The CLI has no OS keychain: nothing secret is sealed (LAN passwords stay in the 0600 settings file). */
const NO_KEYCHAIN = { available: false, seal: (s: string) => s, open: (s: string) => s };

function wire(engine: Engine, ctx: CommandContext, emit: (e: string, d?: Record<string, unknown>) => void, say: (l: string) => void, demo: DemoSetup | null, ui: () => UiServer | null): void {
  let lastProgress = 0;
  engine.on('progress', ({ tested, total, result }) => {
    emit('progress', { tested, total, server: result.id, ok: result.ok, latencyMs: result.latencyMs, error: result.error?.message ?? null });
    const now = Date.now();
    if (tested === total || now - lastProgress > 1000) {
      lastProgress = now;
      say(`tested ${tested} of ${total}`);
    }
  });
  engine.on('ready', ({ socks, http, server, port, latencyMs }) => {
    const u = ui();
    const why = engine.explain().text;
    emit('ready', { socks, http, server: serverInfo(server, latencyMs, port), why, ...(u ? { ui: u.url } : {}) });
    say(`Connected through ${server.entry.label ?? server.entry.host}${latencyMs !== null ? `, ${Math.round(latencyMs)} ms` : ''}.`);
    say(`  SOCKS5 and HTTP proxy: ${socks}   e.g. curl --proxy http://${http} ${demo ? demo.pageUrl : 'https://example.org/'}`);
    say(`  Why this server: ${why}`);
  });
  engine.on('switch', ({ from, to, reason }) => {
    const why = engine.explain().text;
    emit('switch', { from, to, reason, why });
    if (from !== null) say(`switched to ${to ? engine.server(to)?.entry.label ?? to : 'no server'} (${reason}): ${why}`);
  });
  engine.on('failure', (f) => emit('failure', f));
  engine.on('sources', (reports) => emit('sources', { channels: reports.map((r) => ({ channel: r.channel, status: r.status, detail: r.detail ?? null })) }));
  engine.on('log', ({ level, message }) => {
    if (level === 'warn' || level === 'error') {
      emit('log', { level, message });
      if (!ctx.env.PORTHOLE_QUIET) ctx.stderr.write(`porthole: ${level}: ${message}\n`);
    }
  });
}
