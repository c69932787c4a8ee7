// Traffic and connection counters, per upstream and in total.

export interface UpstreamStats {
  id: string;
  describe: string;
  /** Payload bytes sent towards the upstream (client → internet). */
  bytesUp: number;
  /** Payload bytes received from the upstream (internet → client). */
  bytesDown: number;
  /** Streams through this upstream open now. */
  active: number;
  /** Streams opened through this upstream since start. */
  connections: number;
  /** Failed attempts (connect errors and streams that failed before any payload). */
  failures: number;
}

export interface BridgeStats {
  bytesUp: number;
  bytesDown: number;
  /** Client connections open now (any protocol, including ones still in handshake). */
  active: number;
  /** Streams to upstreams open now. */
  activeStreams: number;
  /** Client connections accepted since start. */
  accepted: number;
  /** Client connections closed at accept because maxConnections was reached. */
  rejected: number;
  upstreams: UpstreamStats[];
}

export class Counters {
  private readonly byId = new Map<string, UpstreamStats>();
  bytesUp = 0;
  bytesDown = 0;
  active = 0;
  activeStreams = 0;
  accepted = 0;
  rejected = 0;

  upstream(id: string, describe: string): UpstreamStats {
    let s = this.byId.get(id);
    if (!s) {
      s = { id, describe, bytesUp: 0, bytesDown: 0, active: 0, connections: 0, failures: 0 };
      this.byId.set(id, s);
    }
    return s;
  }

  up(s: UpstreamStats, n: number): void {
    s.bytesUp += n;
    this.bytesUp += n;
  }

  down(s: UpstreamStats, n: number): void {
    s.bytesDown += n;
    this.bytesDown += n;
  }

  /** Marks a stream through `s` as open; returns the function that marks it closed (idempotent). */
  open(s: UpstreamStats): () => void {
    s.active++;
    s.connections++;
    this.activeStreams++;
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      s.active--;
      this.activeStreams--;
    };
  }

  snapshot(): BridgeStats {
    return {
      bytesUp: this.bytesUp,
      bytesDown: this.bytesDown,
      active: this.active,
      activeStreams: this.activeStreams,
      accepted: this.accepted,
      rejected: this.rejected,
      upstreams: [...this.byId.values()].map((s) => ({ ...s })),
    };
  }
}
