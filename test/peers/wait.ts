// Waiting helpers for peers: poll until a TCP port accepts, bounded in time.
import net from 'node:net';

/** Resolves true once a TCP connect to host:port succeeds (the probe connection is closed at once). */
export function tryConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls until host:port accepts TCP connections. Throws after timeoutMs, or as soon as
 * `failed()` returns a reason (e.g. the peer process exited).
 */
export async function waitForAccept(host: string, port: number, timeoutMs: number, failed: () => string | null = () => null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    const reason = failed();
    if (reason !== null) throw new Error(reason);
    if (await tryConnect(host, port)) return;
    const reasonAfter = failed();
    if (reasonAfter !== null) throw new Error(reasonAfter);
    if (Date.now() > deadline) throw new Error(`nothing accepted on ${host}:${port} within ${timeoutMs} ms`);
    await delay(wait);
  }
}
