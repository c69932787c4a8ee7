// Resource limits of the bridge and their defaults.

export interface BridgeLimits {
  /** From accept until the client's SOCKS request or first HTTP request head is complete; also bounds every later HTTP request head. */
  handshakeTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed. */
  idleTimeoutMs: number;
  /** Client connections open at once; further ones are closed at accept. */
  maxConnections: number;
  /**
   * Of maxConnections, how many only clients that need no credentials (this computer's own
   * browsers) may use: LAN clients cannot take the last ones.
   */
  loopbackReserve: number;
  /** Bound on one upstream attempt (connect + proxy handshake). */
  connectTimeoutMs: number;
  /** Candidates tried per client connection before giving up. */
  maxAttempts: number;
  /** Largest HTTP request head accepted (bytes); larger gets 431. */
  maxHeaderBytes: number;
}

export const DEFAULT_LIMITS: Readonly<BridgeLimits> = Object.freeze({
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 300_000,
  maxConnections: 4096,
  loopbackReserve: 256,
  connectTimeoutMs: 15_000,
  maxAttempts: 4,
  maxHeaderBytes: 16 * 1024,
});

export function resolveLimits(partial: Partial<BridgeLimits> | undefined): BridgeLimits {
  const out: BridgeLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof BridgeLimits)[]) {
    const v = partial?.[key];
    if (v === undefined) continue;
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`limits.${key} must be a positive number, got ${String(v)}`);
    out[key] = Math.floor(v);
  }
  return out;
}
