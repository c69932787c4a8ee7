// What arrives from the engine process is checked before anyone uses it: `up` events that do not
// fit the schema are dropped (and reported), the CLI's replies and a failed start come back as the
// same kind of error the engine threw (so `up --ui` exits as `up` does).
import { PortholeError } from '../../../shared/errors.ts';
import { describe, expect, it } from 'vitest';
import { fromErrorWire, toErrorWire } from './error-wire.ts';
import { launchEngine } from './process-engine.ts';
import type { ChildHandle } from './process-engine.ts';
import { MAX_BATCH, type ToEngine } from './protocol.ts';
import type { UpEvent } from './up-events.ts';

function fakeChild() {
  const sent: ToEngine[] = [];
  let deliver: (m: unknown) => void = () => {};
  let exit: (code: number | null, signal?: string | null) => void = () => {};
  const handle: ChildHandle = {
    pid: 4242,
    send: (m) => void sent.push(m),
    onMessage: (l) => void (deliver = l),
    onExit: (l) => void (exit = l),
    kill: () => exit(null, 'SIGKILL'),
  };
  return { handle, sent, from: (m: unknown) => deliver(m), exit: (code: number | null, signal?: string | null) => exit(code, signal) };
}

const init = { t: 'init', dataDir: '/tmp/x', secretKey: null, followCore: true } as const;

describe('the engine process protocol, on arrival', () => {
  it('passes well-formed up events on and drops malformed ones, saying so', async () => {
    const child = fakeChild();
    const invalid: unknown[] = [];
    const starting = launchEngine(() => child.handle, { init, onInvalid: (raw) => invalid.push(raw) });
    expect(child.sent[0]).toEqual(init);
    child.from({ t: 'ready' });
    const engine = await starting;
    const seen: UpEvent[] = [];
    engine.onUp((e) => seen.push(e));
    const good = { event: 'failure', server: 's1@p', kind: 'refused', message: 'connection refused' };
    child.from({ t: 'up', event: good });
    child.from({ t: 'up', event: { ...good, extra: 1 } });
    child.from({ t: 'up', event: { event: 'progress', tested: -1, total: 2, server: 'x', ok: true, latencyMs: 5, error: null } });
    child.from({ t: 'up', event: { event: 'log', level: 'info', message: 'chatter is not for `up`' } });
    child.from({ t: 'up', event: { ...good, message: 'x'.repeat(5000) } });
    child.from({ t: 'nonsense' });
    expect(seen).toEqual([good]);
    expect(invalid).toHaveLength(5);
  });

  it('takes a batch apart and checks each message as if it came alone: bad ones dropped and reported, the rest in order; a bad or nested batch is refused whole', async () => {
    const child = fakeChild();
    const invalid: unknown[] = [];
    const starting = launchEngine(() => child.handle, { init, onInvalid: (raw) => invalid.push(raw) });
    child.from({ t: 'batch', messages: [{ t: 'ready' }] });
    const engine = await starting;
    const seen: UpEvent[] = [];
    engine.onUp((e) => seen.push(e));
    const events: unknown[] = [];
    engine.subscribe((e) => events.push(e));
    const fail = (server: string) => ({ event: 'failure', server, kind: 'refused', message: 'connection refused' });
    const progress = { type: 'progress', progress: { tested: 1, total: 2, running: true } };
    child.from({ t: 'batch', messages: [{ t: 'up', event: fail('a') }, { t: 'up', event: { ...fail('b'), extra: 1 } }, { t: 'event', event: progress }, { t: 'up', event: fail('c') }] });
    expect(seen).toEqual([fail('a'), fail('c')]);
    expect(events).toEqual([progress]);
    expect(invalid).toEqual([{ t: 'up', event: { ...fail('b'), extra: 1 } }]);

    const nested = { t: 'batch', messages: [{ t: 'batch', messages: [{ t: 'up', event: fail('d') }] }] };
    child.from(nested);
    child.from({ t: 'batch', messages: [] });
    child.from({ t: 'batch', messages: 'not a list' });
    child.from({ t: 'batch', messages: Array.from({ length: MAX_BATCH + 1 }, () => ({ t: 'up', event: fail('e') })) });
    expect(seen).toEqual([fail('a'), fail('c')]);
    expect(invalid).toHaveLength(5);
    expect(invalid[1]).toEqual(nested.messages[0]);
  });

  it('a CLI request answers typed results, and errors come back as the kind the engine threw', async () => {
    const child = fakeChild();
    const starting = launchEngine(() => child.handle, { init });
    child.from({ t: 'ready' });
    const engine = await starting;
    const connecting = engine.cli({ op: 'connect' });
    const sent = child.sent.at(-1) as Extract<ToEngine, { t: 'cli' }>;
    expect(sent).toMatchObject({ t: 'cli', request: { op: 'connect' } });
    child.from({ t: 'cli-reply', id: sent.id, reply: { ok: true, result: { op: 'connect', socks: '127.0.0.1:1080', http: '127.0.0.1:1080', servers: 3 } } });
    expect(await connecting).toEqual({ op: 'connect', socks: '127.0.0.1:1080', http: '127.0.0.1:1080', servers: 3 });

    const importing = engine.cli({ op: 'import', data: new Uint8Array([1, 2, 3]), acceptNewKey: false });
    const id = (child.sent.at(-1) as Extract<ToEngine, { t: 'cli' }>).id;
    const enotdir = Object.assign(new Error('ENOTDIR: not a directory'), { code: 'ENOTDIR', path: '/a/b' });
    child.from({ t: 'cli-reply', id, reply: { ok: false, error: toErrorWire(enotdir) } });
    await expect(importing).rejects.toMatchObject({ message: 'ENOTDIR: not a directory', code: 'ENOTDIR', path: '/a/b' });

    // The process dies with a request in flight: answered in words, not left hanging.
    const late = engine.cli({ op: 'connect' });
    child.exit(null, 'SIGKILL');
    await expect(late).rejects.toBeInstanceOf(PortholeError);
    await expect(late).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('a failed start carries the engine\'s own error as its cause', async () => {
    const child = fakeChild();
    const starting = launchEngine(() => child.handle, { init });
    child.from({ t: 'start-failed', message: 'disk full', error: toErrorWire(new PortholeError('storage', 'disk full')) });
    const err = await starting.then(() => new Error('started'), (e: unknown) => e as Error);
    expect(err.message).toBe('disk full');
    expect(err.cause).toBeInstanceOf(PortholeError);
    expect(err.cause).toMatchObject({ code: 'storage' });
  });

  it('revives every kind of error it carries', () => {
    expect(fromErrorWire(toErrorWire(new PortholeError('not-found', 'no such server')))).toMatchObject({ name: 'PortholeError', code: 'not-found', message: 'no such server' });
    expect(fromErrorWire(toErrorWire(new PortholeError('storage', 'cannot write')))).toBeInstanceOf(PortholeError);
    expect(fromErrorWire(toErrorWire(new PortholeError('storage', 'cannot write')))).toMatchObject({ code: 'storage', message: 'cannot write' });
    expect(fromErrorWire({ kind: 'failure', code: 'no-such-code', message: 'm' })).toMatchObject({ code: 'internal' });
    expect(fromErrorWire(toErrorWire('a string'))).toMatchObject({ message: 'a string' });
  });
});
