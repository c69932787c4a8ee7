// Probes entries the bridge never carries. MTProto proxies (Telegram's own protocol): a TCP connect
// to each port in turn and, for ee-secrets, the fake-TLS handshake, which only a proxy holding the
// secret answers correctly (so a wrong secret or a DPI box playing the front site is caught).
// Not-yet-spoken ('unsupported') entries are never dialled: their result says what they need.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Entry } from '../../../shared/entry.ts';
import { unsupportedReason } from '../../../shared/proxy-link.ts';
import { toFailure } from './classify.ts';
import { fakeTlsAnswerNeeds, fakeTlsAnswerValid, fakeTlsClientHello, fakeTlsSecret } from './mtproto-faketls.ts';
import type { ProbeResult, StageTimeouts } from './types.ts';

const MAX_ANSWER = 64 * 1024;

export interface UnbridgedProbeContext {
  timeouts: StageTimeouts;
  signal: AbortSignal;
  wallClock?: () => number;
}

function baseResult(entry: Entry): ProbeResult {
  return {
    id: entry.id, entry, port: entry.ports[0]!, ok: false, connectMs: null, handshakeMs: null, firstRequestMs: null,
    latencyMs: null, reused: false, probeUrl: null, status: null, error: null, at: 0,
  };
}

/** The result for an entry Porthole does not speak: no network at all. */
export function unsupportedResult(entry: Entry, wallClock: () => number = Date.now): ProbeResult {
  return { ...baseResult(entry), at: wallClock(), error: { kind: 'other', stage: 'connect', message: `not tested: needs ${unsupportedReason(entry.scheme)}` } };
}

export async function probeMtproto(entry: Entry, ctx: UnbridgedProbeContext): Promise<ProbeResult> {
  const secret = fakeTlsSecret(entry.secret ?? '');
  let last: ProbeResult = baseResult(entry);
  for (const port of entry.ports) {
    const result: ProbeResult = { ...baseResult(entry), port };
    const t0 = performance.now();
    let socket: Socket;
    try {
      socket = await open(entry.host, port, ctx.timeouts.connectMs, ctx.signal);
    } catch (err) {
      last = { ...result, error: toFailure(err, 'connect') };
      continue;
    }
    result.connectMs = performance.now() - t0;
    try {
      if (secret) {
        const t1 = performance.now();
        const { hello, random } = fakeTlsClientHello(secret);
        const answer = await exchange(socket, hello, ctx.timeouts.handshakeMs, ctx.signal);
        if (!fakeTlsAnswerValid(secret, random, answer)) {
          last = { ...result, error: { kind: 'auth', stage: 'handshake', message: `the proxy's fake-TLS answer does not match the secret (a wrong secret, or not an MTProto proxy in front of ${secret.domain})` } };
          continue;
        }
        result.handshakeMs = performance.now() - t1;
      }
      const latency = (result.connectMs ?? 0) + (result.handshakeMs ?? 0);
      return { ...result, ok: true, latencyMs: latency, at: (ctx.wallClock ?? Date.now)() };
    } catch (err) {
      last = { ...result, error: toFailure(err, 'handshake') };
    } finally {
      socket.destroy();
    }
  }
  return { ...last, at: (ctx.wallClock ?? Date.now)() };
}

function open(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (err: Error): void => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(Object.assign(new Error('TCP connect timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
    const onAbort = (): void => fail(Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ABORT_ERR' }));
    const cleanup = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', fail);
    socket.once('connect', () => {
      cleanup();
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}

/** Sends the hello and reads the three answer records (bounded in time and size). */
function exchange(socket: Socket, hello: Buffer, timeoutMs: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const done = (err: Error | null): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      if (err) reject(err);
      else resolve(got);
    };
    const timer = setTimeout(() => done(Object.assign(new Error('no fake-TLS answer in time'), { code: 'ETIMEDOUT' })), timeoutMs);
    const onAbort = (): void => done(Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ABORT_ERR' }));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      const needs = fakeTlsAnswerNeeds(got);
      if (needs < 0) done(Object.assign(new Error('the answer is not a TLS handshake'), { code: 'EPROTO' }));
      else if (needs === 0) done(null);
      else if (got.length > MAX_ANSWER) done(Object.assign(new Error('the answer is too long'), { code: 'EPROTO' }));
    });
    socket.once('error', (err) => done(err));
    socket.once('end', () => done(Object.assign(new Error('the proxy closed the connection'), { code: 'ECONNRESET' })));
    socket.write(hello);
  });
}

