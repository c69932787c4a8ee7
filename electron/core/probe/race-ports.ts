// Stages 1 and 2 for every alternative port of a server at once (the open-port trick): a plain TCP
// connect, then the proxy handshake and auth through the real connector. The first port whose
// handshake completes wins; the others are cancelled through their AbortSignals.
import type { Duplex } from 'node:stream';
import type { Entry } from '../../../shared/entry.ts';
import type { Destination } from '../bridge/upstreams/types.ts';
import { toFailure } from './classify.ts';
import { failureRank } from '../selection/rank.ts';
import { withDeadline } from './deadline.ts';
import type { ProbeFailure, StageTimeouts, TcpCheck, UpstreamFactory } from './types.ts';

export interface PortWin {
  ok: true;
  port: number;
  stream: Duplex;
  connectMs: number;
  handshakeMs: number;
}

export interface PortLoss {
  ok: false;
  port: number;
  connectMs: number | null;
  failure: ProbeFailure;
}

export interface RaceContext {
  upstreamFor: UpstreamFactory;
  tcpCheck: TcpCheck;
  timeouts: StageTimeouts;
  /** Live connect/handshake limits that may shrink while a stage runs (adaptive-timeout.ts). */
  limits?: { connectMs: () => number; handshakeMs: () => number };
  signal: AbortSignal;
  now: () => number;
  /** Called when a port attempt is cancelled because another won (tests watch this). */
  onCancelled?: (port: number) => void;
}

/** Stage 1 + 2 for one port. */
export async function connectPort(entry: Entry, port: number, dest: Destination, ctx: RaceContext): Promise<PortWin | PortLoss> {
  let connectMs: number;
  try {
    connectMs = await withDeadline(ctx.signal, ctx.limits?.connectMs ?? ctx.timeouts.connectMs, 'TCP connect',
      (signal) => ctx.tcpCheck(entry.host, port, { signal, timeoutMs: ctx.timeouts.connectMs }));
  } catch (err) {
    return { ok: false, port, connectMs: null, failure: toFailure(err, 'connect') };
  }
  const started = ctx.now();
  try {
    const upstream = ctx.upstreamFor(entry, port);
    const stream = await withDeadline(ctx.signal, ctx.limits?.handshakeMs ?? ctx.timeouts.handshakeMs, 'proxy handshake',
      (signal) => upstream.connect(dest, { signal, timeoutMs: ctx.timeouts.handshakeMs }),
      (late) => late.destroy());
    // upstream.connect opens its own TCP connection: take the pre-check's connect time out.
    const handshakeMs = Math.max(0, ctx.now() - started - connectMs);
    return { ok: true, port, stream, connectMs, handshakeMs };
  } catch (err) {
    return { ok: false, port, connectMs, failure: toFailure(err, 'handshake') };
  }
}

/** Races every port of the entry; resolves with the winner or the most telling failure. */
export function racePorts(entry: Entry, dest: Destination, ctx: RaceContext): Promise<PortWin | PortLoss> {
  const ports = [...new Set(entry.ports)];
  if (ports.length === 1) return connectPort(entry, ports[0]!, dest, ctx);
  return new Promise((resolve) => {
    const controllers = ports.map(() => new AbortController());
    const onParentAbort = (): void => controllers.forEach((c) => c.abort());
    ctx.signal.addEventListener('abort', onParentAbort, { once: true });
    const losses: PortLoss[] = [];
    let winner: PortWin | null = null;
    let settled = 0;
    ports.forEach((port, i) => {
      const child: RaceContext = { ...ctx, signal: controllers[i]!.signal };
      void connectPort(entry, port, dest, child).then((outcome) => {
        settled++;
        if (outcome.ok) {
          if (winner) {
            outcome.stream.destroy();
          } else {
            winner = outcome;
            controllers.forEach((c, j) => {
              if (j !== i && !c.signal.aborted) {
                c.abort();
                ctx.onCancelled?.(ports[j]!);
              }
            });
            ctx.signal.removeEventListener('abort', onParentAbort);
            resolve(outcome);
          }
        } else if (!winner) {
          losses.push(outcome);
        }
        if (settled === ports.length && !winner) {
          ctx.signal.removeEventListener('abort', onParentAbort);
          resolve(mostTelling(losses));
        }
      });
    });
  });
}

function mostTelling(losses: PortLoss[]): PortLoss {
  let best = losses[0]!;
  for (const l of losses) if (failureRank(l.failure.kind) > failureRank(best.failure.kind)) best = l;
  return best;
}
