// `porthole up`: the whole engine, headless. Human lines by default; --json prints one JSON
// event per line (start, progress, ready, switch, failure, sources, stopped).
import { PortholeError } from '../../../shared/errors.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirOption, jsonOption, str, strs, type Command } from '../command.ts';
import { resolveDataDir } from '../../core/paths.ts';
import type { HostedOptions } from '../../core/engine-host/protocol.ts';
import { earlySpawner, forkSpawner, type EarlySpawner } from '../../core/engine-host/fork-spawner.ts';
import type { UiServer } from '../../core/ui-server/index.ts';
import type { DemoSetup } from '../../core/engine/demo.ts';
import { parseListen } from '../listen.ts';
import type { HostedHooks, UpEngine } from '../up-engine.ts';
import { upOutput, type UpOutput } from '../up-output.ts';

// Only light modules above: with --ui the engine process starts first and loads its code while
// this process loads the rest (the engine, the UI server, the demo) below, on another core.
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
included in the ready event as "ui"). The engine then runs in a process of its own, as in the
desktop app: if it dies, "crash" and "restarted" events tell it, and the bridge comes back on the
same port; after 4 deaths within a minute up exits with code 1.`,
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
    let ui: UiServer | null = null;
    let demo: DemoSetup | null = null;
    const out = upOutput({ json, stdout: ctx.stdout, stderr: ctx.stderr, quiet: Boolean(ctx.env.PORTHOLE_QUIET), ui: () => ui?.url ?? null, demoPage: () => demo?.pageUrl ?? null });
    const { emit, say } = out;
    // Without --listen the bridge keeps the port it first got (remembered in the data dir).
    const listenArg = str(values, 'listen');
    const listen = listenArg === undefined ? undefined : parseListen(listenArg);
    const uiPort = values.ui ? Number(str(values, 'ui-port') ?? '0') : 0;
    let tempDir: string | null = null;
    let dataDir = str(values, 'data-dir') ?? (values.demo ? null : resolveDataDir(undefined, ctx.env));
    if (!dataDir) {
      tempDir = await mkdtemp(join(tmpdir(), 'porthole-demo-'));
      dataDir = join(tempDir, 'client');
    }
    let engine: UpEngine | null = null;
    let early: EarlySpawner | null = null;
    // The engine process kept dying (`up --ui`): `up` ends with an error instead of waiting forever.
    let gaveUp: ((err: Error) => void) | null = null;
    const givenUp = new Promise<never>((_resolve, reject) => (gaveUp = reject));
    givenUp.catch(() => undefined);
    try {
      if (!Number.isInteger(uiPort) || uiPort < 0 || uiPort > 65535) throw new PortholeError('usage', '--ui-port must be a port number');
      if (values.ui) early = earlySpawner(forkSpawner({ env: ctx.env, stdio: 'stderr' }));
      const [{ startHosted, startInProcess }, uiServer] = await Promise.all([import('../up-engine.ts'), values.ui ? import('../ui-server.ts') : null]);
      const probeUrls = strs(values, 'probe-url');
      const options: HostedOptions = { ...(listen ? { listen } : {}), channels: strs(values, 'channel') };
      if (values.demo) {
        const { startDemo } = await import('../../core/engine/demo.ts');
        demo = await startDemo(join(tempDir ?? dataDir, 'demo'));
        options.pinned = [demo.chain];
        options.skipBootstrap = true;
        // Only local probe URLs in the demo: nothing leaves this machine.
        options.probe = { defaultProbeUrls: [demo.pageUrl] };
        say(`demo: local proxies and a signed demo list are up; demo page ${demo.pageUrl}`);
      } else if (probeUrls.length > 0) {
        options.probe = { probeUrls };
      }
      ctx.signal.addEventListener('abort', () => say('stopping…'), { once: true });
      // With the UI, the engine runs in its own process (as in the desktop app); a crash of it is
      // reported, and the engine restarted with its bridge on the same port.
      engine = values.ui
        ? await startHosted(dataDir, options, early!.spawn, hostedHooks(out, dataDir, ctx.env, (err) => gaveUp?.(err)))
        : await startInProcess(dataDir, options, out.engine);
      if (demo) await engine.request({ op: 'import', data: await readFile(demo.listFile), acceptNewKey: false });
      for (const code of strs(values, 'code')) {
        for (const o of (await engine.request({ op: 'import', data: code, acceptNewKey: true })).outcomes) {
          emit('import', { status: o.status, message: o.message });
          say(`code: ${o.message}`);
          if (o.status === 'rejected') throw new PortholeError('rejected', `--code: ${o.message}`);
        }
      }
      if (uiServer) {
        ui = await uiServer.serveUi(engine.api, uiPort, say);
        say(`UI: ${ui.url}`);
      }
      const b = await engine.request({ op: 'connect' });
      emit('start', { socks: b.socks, http: b.http, servers: b.servers, dataDir, ...(demo ? { demoPage: demo.pageUrl } : {}), ...(ui ? { ui: ui.url } : {}) });
      say(`Looking for a way through… ${b.servers} servers known. Bridge on ${b.socks} (SOCKS5 + HTTP).`);
      await Promise.race([givenUp, new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
      })]);
    } finally {
      early?.release();
      await ui?.close();
      await engine?.stop();
      await demo?.stop();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
      emit('stopped');
      say('stopped');
    }
    return 0;
  },
};

/** What `up --ui` says when the engine process crashes and comes back. */
function hostedHooks(out: UpOutput, dataDir: string, env: NodeJS.ProcessEnv, giveUp: (err: Error) => void): HostedHooks {
  let invalid = 0;
  // The last engine may have left the system proxy pointing at its dead bridge.
  const stopTrying = () => void import('../up-engine.ts').then((m) => m.repairSystemProxy(dataDir, env)).catch(() => undefined)
    .then(() => giveUp(new PortholeError('other', 'the engine process keeps stopping (see the messages above); the system proxy was put back')));
  return {
    onUp: out.engine,
    onCrash: (exit, restarting) => {
      const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code ?? 'none'}`;
      out.emit('crash', { code: exit.code, signal: exit.signal ?? null, restarting });
      out.emit('log', { level: 'error', message: `the engine process stopped unexpectedly (${how})` });
      out.warn('error', `the engine process stopped unexpectedly (${how}); ${restarting ? 'restarting it' : 'it keeps stopping, giving up'}`);
      if (!restarting) stopTrying();
    },
    onRestartFailed: (err, retrying) => {
      const message = `the engine process did not start again: ${err instanceof Error ? err.message : String(err)}`;
      out.emit('log', { level: 'error', message });
      out.warn('error', `${message}; ${retrying ? 'trying again' : 'it keeps stopping, giving up'}`);
      if (!retrying) stopTrying();
    },
    onRestarted: (r) => {
      if (!r.ok) {
        const message = `the restarted engine could not start its bridge: ${r.error instanceof Error ? r.error.message : String(r.error)}`;
        out.emit('log', { level: 'error', message });
        out.warn('error', message);
        return;
      }
      out.emit('restarted', { socks: r.connected.socks, http: r.connected.http, servers: r.connected.servers, pid: r.pid ?? null });
      out.say(`The engine is running again. Bridge on ${r.connected.socks} (SOCKS5 + HTTP).`);
    },
    onInvalid: () => {
      if (invalid++ === 0) out.warn('warn', 'the engine process sent a message that failed its checks; it was dropped');
    },
  };
}
