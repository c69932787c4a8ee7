// The engine process: runs the core engine (ApiService) away from the shell's UI thread and serves
// the Api over its parent channel. The same file runs as an Electron utilityProcess (messages on
// process.parentPort) and as a forked Node child (process.send / 'message'). Electron-free.
import { dispatch } from '../../../shared/api-dispatch.ts';
import { ApiService } from '../engine/index.ts';
import type { ApiServiceOptions } from '../engine/api/service.ts';
import { runCliRequest } from './cli-requests.ts';
import { toErrorWire } from './error-wire.ts';
import { ToEngineSchema } from './protocol.ts';
import type { FromEngine, ToEngine } from './protocol.ts';
import { createOutbox } from './outbox.ts';
import { keyedSecretBox } from './secret-box.ts';
import { followCore } from './up-events.ts';

interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

interface Channel {
  send(message: FromEngine): void;
  /** Sends what the outbox holds now. */
  flush(): void;
  onMessage(listener: (message: unknown) => void): void;
}

function parentChannel(): Channel {
  const port = (process as { parentPort?: ParentPortLike }).parentPort;
  if (port) {
    const out = createOutbox((m) => port.postMessage(m));
    return { send: out.send, flush: out.flush, onMessage: (l) => void port.on('message', (e) => l(e.data)) };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('the engine process needs a parent (Electron utilityProcess or a Node fork with IPC)');
  // The parent went away without stopping us (it crashed): restore the system proxy, then leave.
  process.once('disconnect', () => void stopAndExit());
  // Once the parent is gone, a send fails with ERR_IPC_CHANNEL_CLOSED. Without a callback Node emits
  // that as an 'error' on process, which would kill this process in the middle of stopping, before
  // the system proxy is restored. The callback takes the error; 'disconnect' above does the rest.
  const ignoreClosed = (): void => {};
  const out = createOutbox((m) => { if (process.connected) send(m, ignoreClosed); });
  return { send: out.send, flush: out.flush, onMessage: (l) => void process.on('message', l) };
}

const channel = parentChannel();
let starting: Promise<ApiService> | null = null;
let stopping: Promise<void> | null = null;

function stopAndExit(): Promise<void> {
  stopping ??= (starting ?? Promise.resolve(null)).then((e) => e?.stop(), () => undefined).catch(() => undefined);
  return stopping.then(() => {
    channel.flush();
    process.exit(0);
  });
}

// Ctrl-C in a terminal reaches the whole process group: the parent decides when the engine stops
// (it asks, and the system proxy is restored first). A SIGTERM meant for us alone (or for the whole
// group: a service manager) stops the engine cleanly before leaving.
process.on('SIGINT', () => {});
process.once('SIGTERM', () => void stopAndExit());

async function open(init: Extract<ToEngine, { t: 'init' }>): Promise<ApiService> {
  const secrets = keyedSecretBox(init.secretKey ? Buffer.from(init.secretKey, 'base64') : null);
  const options = { ...(init.options ?? {}) } as ApiServiceOptions;
  if (init.followCore) options.onCore = (core) => followCore(core, (event) => channel.send({ t: 'up', event }));
  const engine = new ApiService({ dataDir: init.dataDir, secrets }, options);
  engine.subscribe((event) => channel.send({ t: 'event', event }));
  await engine.start();
  return engine;
}

async function handle(raw: unknown): Promise<void> {
  const parsed = ToEngineSchema.safeParse(raw);
  if (!parsed.success) return; // not ours: ignore rather than die
  const msg = parsed.data;
  if (msg.t === 'init') {
    if (starting) return;
    starting = open(msg);
    starting.then(() => channel.send({ t: 'ready' }), (err: unknown) => {
      channel.send({ t: 'start-failed', message: (err instanceof Error ? err.message : String(err)).slice(0, 2000), error: toErrorWire(err) });
    });
    return;
  }
  if (msg.t === 'call') {
    const engine = starting ? await starting.catch(() => null) : null;
    const reply = engine && !stopping
      ? await dispatch(engine, msg.method, msg.request)
      : { ok: false as const, error: { code: 'unavailable' as const, message: 'the engine is not running' } };
    channel.send({ t: 'reply', id: msg.id, reply });
    return;
  }
  if (msg.t === 'cli') {
    const engine = starting ? await starting.catch(() => null) : null;
    const reply = engine && !stopping
      ? await runCliRequest(engine, msg.request).then((result) => ({ ok: true as const, result }), (err: unknown) => ({ ok: false as const, error: toErrorWire(err) }))
      : { ok: false as const, error: { kind: 'failure' as const, code: 'unavailable', message: 'the engine is not running' } };
    channel.send({ t: 'cli-reply', id: msg.id, reply });
    return;
  }
  stopping ??= (starting ?? Promise.resolve(null)).then((e) => e?.stop(), () => undefined).catch(() => undefined);
  await stopping;
  channel.send({ t: 'stopped', id: msg.id });
}

channel.onMessage((raw) => void handle(raw));
