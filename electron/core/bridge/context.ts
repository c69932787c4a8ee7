// What the protocol handlers share: one BridgeContext per bridge, one Conn per client connection.
import type { Socket } from 'node:net';
import type { AuthPolicy } from './auth.ts';
import type { Counters } from './counters.ts';
import type { Dialer } from './dial.ts';
import type { BridgeLimits } from './limits.ts';

export interface BridgeContext {
  dialer: Dialer;
  counters: Counters;
  limits: BridgeLimits;
  auth: AuthPolicy;
  log: (line: string) => void;
}

export interface Conn {
  socket: Socket;
  /** Aborted when the client socket closes. */
  signal: AbortSignal;
  /** Cancels the handshake timeout: the client's request is complete. */
  handshakeDone(): void;
}

/** Ends a socket after its last bytes are flushed, and destroys it then (or after a grace period). */
export function closeAfter(socket: Socket, last?: Buffer | string): void {
  if (socket.destroyed) return;
  const timer = setTimeout(() => socket.destroy(), 2_000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.once('finish', () => socket.destroy());
  if (last === undefined) socket.end();
  else socket.end(last);
}
