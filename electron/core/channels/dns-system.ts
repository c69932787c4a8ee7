// TXT look-ups through the system resolver or given DNS servers (node:dns, c-ares: UDP
// with EDNS, TCP when an answer is truncated).
import { Resolver } from 'node:dns/promises';

/** Looks up the TXT records of a name: one string[] (its character-strings) per record. */
export type TxtLookup = (name: string, signal: AbortSignal) => Promise<string[][]>;

export function systemTxtLookup(servers: readonly string[], timeoutMs: number): TxtLookup {
  return async (name, signal) => {
    signal.throwIfAborted();
    const resolver = new Resolver({ timeout: Math.max(100, Math.ceil(timeoutMs / 2)), tries: 2 });
    if (servers.length > 0) resolver.setServers([...servers]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => resolver.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          resolver.cancel();
          reject(Object.assign(new Error(`DNS query for ${name} timed out`), { code: 'ETIMEOUT' }));
        }, timeoutMs);
      });
      return await Promise.race([resolver.resolveTxt(name), deadline]);
    } finally {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  };
}
