// Probes one server end to end: ports raced (TCP + handshake), then an HTTP request to a probe URL
// through the tunnel and a second one on the same kept-alive tunnel (mihomo's "unified delay").
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { Entry } from '../../../shared/entry.ts';
import { PortholeError } from '../../../shared/errors.ts';
import { errnoOf } from '../net/errno.ts';
import { describeFailure, failureKind, toFailure } from './classify.ts';
import { HttpExchange, type HttpAnswer } from './http-exchange.ts';
import { parseProbeUrl, type ProbeTarget } from './probe-url.ts';
import { withDeadline } from './deadline.ts';
import { racePorts, type RaceContext } from './race-ports.ts';
import { probeMtproto, unsupportedResult } from './mtproto.ts';
import type { ProbeFailure, ProbeResult } from './types.ts';

export interface EntryProbeContext extends RaceContext {
  /** Probe URLs for this entry, in the order to try them. */
  urls: readonly string[];
  /** Wall clock for `at`. */
  wallClock?: () => number;
}

interface Measured {
  firstRequestMs: number;
  latencyMs: number;
  reused: boolean;
  status: number;
}

export async function probeEntry(entry: Entry, ctx: EntryProbeContext): Promise<ProbeResult> {
  // Entries the bridge never carries: MTProto (Telegram's own) and kinds Porthole does not speak yet.
  if (entry.protocol === 'mtproto') return probeMtproto(entry, ctx);
  if (entry.protocol === 'unsupported') return unsupportedResult(entry, ctx.wallClock);
  const base: ProbeResult = {
    id: entry.id, entry, port: entry.ports[0]!, ok: false,
    connectMs: null, handshakeMs: null, firstRequestMs: null, latencyMs: null, reused: false,
    probeUrl: null, status: null, error: null, at: 0,
  };
  const done = (r: ProbeResult): ProbeResult => ({ ...r, at: (ctx.wallClock ?? Date.now)() });
  const targets: ProbeTarget[] = [];
  for (const url of ctx.urls) {
    try {
      targets.push(parseProbeUrl(url));
    } catch {
      // skipped: probeUrlsFor already filters, this is for direct callers
    }
  }
  if (targets.length === 0) {
    return done({ ...base, error: { kind: 'other', stage: 'request', message: 'no usable probe URL' } });
  }

  const result: ProbeResult = { ...base };
  // The port is chosen by the race on the first URL; further URLs reuse it.
  let port: number | null = null;
  let failure: ProbeFailure | null = null;
  // The proxy itself answered (its handshake completed, or it said it could not reach a URL), and
  // every failure since was the way on to a probe URL: the server is degraded, not dead.
  let answered = false;
  let onlyUrlFailures = true;
  const note = (f: ProbeFailure): void => {
    failure = f;
    if (f.kind === 'blocked') answered = true;
    else if (!(f.kind === 'timeout' && f.stage === 'request')) onlyUrlFailures = false;
  };
  for (const target of targets) {
    result.probeUrl = target.url;
    const dest = { host: target.host, port: target.port };
    let stream: Duplex;
    if (port === null) {
      const raced = await racePorts(entry, dest, ctx);
      result.port = raced.port;
      result.connectMs = raced.connectMs;
      if (!raced.ok) {
        note(raced.failure);
        // "blocked": the proxy answered but could not reach this URL; the next URL may work.
        if (raced.failure.kind !== 'blocked') break;
        port = raced.port;
        continue;
      }
      port = raced.port;
      result.handshakeMs = raced.handshakeMs;
      stream = raced.stream;
    } else {
      const upstream = ctx.upstreamFor(entry, port);
      try {
        stream = await withDeadline(ctx.signal, ctx.timeouts.handshakeMs, 'proxy handshake',
          (signal) => upstream.connect(dest, { signal, timeoutMs: ctx.timeouts.handshakeMs }),
          (late) => late.destroy());
      } catch (err) {
        const f = toFailure(err, 'handshake');
        note(f);
        if (f.kind !== 'blocked') break;
        continue;
      }
    }
    if (!SILENT_HANDSHAKE.has(entry.protocol)) answered = true; // a handshake reply came back
    const outcome = await measure(entry, stream, target, ctx);
    if ('latencyMs' in outcome) {
      return done({ ...result, ...outcome, ok: true, error: null });
    }
    note(outcome.failure);
    result.status = outcome.status;
    // Only a blocked or silent probe URL is worth trying another for.
    if (!onlyUrlFailures) break;
  }
  const degraded = answered && onlyUrlFailures && failure !== null;
  return done({ ...result, error: failure, ...(degraded ? { degraded: true } : {}) });
}

async function measure(entry: Entry, raw: Duplex, target: ProbeTarget, ctx: EntryProbeContext): Promise<Measured | { failure: ProbeFailure; status: number | null }> {
  let exchange: HttpExchange | null = null;
  const started = ctx.now();
  try {
    const stream = target.tls ? await startTls(raw, target, ctx) : raw;
    exchange = new HttpExchange(stream);
    const opts = { path: target.path, host: target.hostHeader, signal: ctx.signal, maxBody: 256 * 1024, keepBody: target.expectBody === null ? 0 : 256 };
    const tlsMs = ctx.now() - started;
    const left = Math.max(1, ctx.timeouts.requestMs - tlsMs);
    const firstAnswer = await exchange.request({ ...opts, timeoutMs: left });
    const blocked = blockedReason(firstAnswer, target);
    if (blocked) {
      return { failure: { kind: 'blocked', stage: 'request', message: describeFailure('blocked', 'request', blocked) }, status: firstAnswer.status };
    }
    const firstRequestMs = tlsMs + firstAnswer.totalMs;
    if (!firstAnswer.reusable) return { firstRequestMs, latencyMs: firstRequestMs, reused: false, status: firstAnswer.status };
    try {
      const second = await exchange.request({ ...opts, timeoutMs: ctx.timeouts.requestMs });
      if (blockedReason(second, target)) return { firstRequestMs, latencyMs: firstRequestMs, reused: false, status: firstAnswer.status };
      return { firstRequestMs, latencyMs: second.totalMs, reused: true, status: second.status };
    } catch (err) {
      if (failureKind(err) === 'aborted') throw err;
      return { firstRequestMs, latencyMs: firstRequestMs, reused: false, status: firstAnswer.status };
    }
  } catch (err) {
    return { failure: requestFailure(entry, err, exchange?.received ?? 0, target), status: null };
  } finally {
    if (exchange) exchange.close();
    else raw.destroy();
  }
}

function startTls(raw: Duplex, target: ProbeTarget, ctx: EntryProbeContext): Promise<Duplex> {
  return withDeadline(ctx.signal, ctx.timeouts.requestMs, 'TLS to the probe URL', () => new Promise<Duplex>((resolve, reject) => {
    const servername = /^[\d.]+$|:/.test(target.host) ? undefined : target.host;
    const socket = tls.connect({ socket: raw, servername, ALPNProtocols: ['http/1.1'] });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  }), (late) => late.destroy());
}

/** Why an answer that arrived counts as "the probe URL is blocked", or null when it is fine. */
function blockedReason(a: HttpAnswer, target: ProbeTarget): string | null {
  if (a.status === 451) return `HTTP 451 (unavailable for legal reasons) from ${target.url}`;
  if (target.expectStatus !== null && a.status !== target.expectStatus) {
    return `HTTP ${a.status} instead of ${target.expectStatus} from ${target.url} (a block or login page)`;
  }
  if (a.status < 200 || a.status > 299) return `HTTP ${a.status} from ${target.url}`;
  if (target.expectBody !== null && !a.bodyStart.toString('latin1').startsWith(target.expectBody)) {
    return `${target.url} answered with another page than its known one (a block or login page)`;
  }
  return null;
}

/**
 * A failure after the handshake. The proxy answered, so a reset or an early close is the path to the
 * probe URL being cut (blocked). Shadowsocks, Trojan, VLESS and VMess have no handshake reply:
 * silence there is the server's (a wrong password or user id, or a dead server behind a front).
 */
const SILENT_HANDSHAKE: ReadonlySet<string> = new Set(['shadowsocks', 'trojan', 'vless', 'vmess']);

function requestFailure(entry: Entry, err: unknown, received: number, target: ProbeTarget): ProbeFailure {
  const kind = failureKind(err);
  if (SILENT_HANDSHAKE.has(entry.protocol) && received === 0 && kind !== 'aborted' && kind !== 'local') {
    const what = entry.protocol === 'shadowsocks' ? 'wrong password or cipher' : entry.protocol === 'trojan' ? 'wrong password' : 'wrong user id';
    const detail = `${err instanceof Error ? err.message : String(err)}; no reply at all: ${what}, or the server is down`;
    return { kind, stage: 'handshake', message: describeFailure(kind, 'handshake', detail) };
  }
  const code = errnoOf(err) ?? (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS_|^ERR_SSL_/.test(code)) {
    return { kind: 'blocked', stage: 'request', message: describeFailure('blocked', 'request', `the certificate of ${target.url} is not valid (${code}): the connection may be intercepted`) };
  }
  if (kind === 'reset') {
    return { kind: 'blocked', stage: 'request', message: describeFailure('blocked', 'request', `the connection to ${target.url} was cut (${err instanceof Error ? err.message : String(err)})`) };
  }
  // The prober's own deadline (not an upstream's connect timeout).
  if (err instanceof PortholeError && err.upstream === undefined && kind === 'timeout') {
    return { kind, stage: 'request', message: describeFailure(kind, 'request', `${target.url} did not answer through the proxy: ${err.message}`) };
  }
  return toFailure(err, 'request');
}
