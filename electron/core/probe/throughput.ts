// The optional short download sample: N bytes through the proxy from the probe target, in bytes/s.
import type { Entry } from '../../../shared/entry.ts';
import { PortholeError } from '../../../shared/errors.ts';
import { HttpExchange } from './http-exchange.ts';
import { parseProbeUrl } from './probe-url.ts';
import { withDeadline } from './deadline.ts';
import type { UpstreamFactory } from './types.ts';

export interface ThroughputContext {
  upstreamFor: UpstreamFactory;
  signal: AbortSignal;
  handshakeTimeoutMs: number;
  /** Bound on the download itself. */
  timeoutMs: number;
}

/** Downloads up to `bytes` of `url` through entry:port; resolves with bytes per second. */
export async function sampleThroughput(entry: Entry, port: number, url: string, bytes: number, ctx: ThroughputContext): Promise<number> {
  const target = parseProbeUrl(url);
  if (target.tls) throw new PortholeError('other', 'throughput samples use plain http:// URLs');
  const upstream = ctx.upstreamFor(entry, port);
  const stream = await withDeadline(ctx.signal, ctx.handshakeTimeoutMs, 'proxy handshake',
    (signal) => upstream.connect({ host: target.host, port: target.port }, { signal, timeoutMs: ctx.handshakeTimeoutMs }),
    (late) => late.destroy());
  const exchange = new HttpExchange(stream);
  try {
    const answer = await exchange.request({ path: target.path, host: target.hostHeader, timeoutMs: ctx.timeoutMs, signal: ctx.signal, maxBody: bytes });
    if (answer.status < 200 || answer.status > 299) throw new PortholeError('blocked', `HTTP ${answer.status} from ${url}`);
    // Time from the first byte: the rate of the transfer itself, not of the round trip before it.
    const seconds = Math.max(answer.totalMs - answer.firstByteMs, 1) / 1000;
    return Math.round(answer.bodyBytes / seconds);
  } finally {
    exchange.close();
  }
}
