// TXT look-ups through the system resolver or given DNS servers (node:dns, c-ares: UDP
// with EDNS, TCP when an answer is truncated).
import { Resolver } from 'node:dns/promises';
import { withinDeadline } from '../net/deadline.ts';

/** Looks up the TXT records of a name: one string[] (its character-strings) per record. */
export type TxtLookup = (name: string, signal: AbortSignal) => Promise<string[][]>;

export function systemTxtLookup(servers: readonly string[], timeoutMs: number): TxtLookup {
  return async (name, signal) => {
    signal.throwIfAborted();
    const resolver = new Resolver({ timeout: Math.max(100, Math.ceil(timeoutMs / 2)), tries: 2 });
    if (servers.length > 0) resolver.setServers([...servers]);
    return withinDeadline((bounded) => {
      bounded.addEventListener('abort', () => resolver.cancel(), { once: true });
      return resolver.resolveTxt(name);
    }, {
      signal,
      limitMs: timeoutMs,
      timeoutError: () => Object.assign(new Error(`DNS query for ${name} timed out`), { code: 'ETIMEOUT' }),
      abortError: () => Object.assign(new Error(`DNS query for ${name} cancelled`), { code: 'ECANCELLED' }),
      // A cancelled resolver rejects at once (ECANCELLED): that error is passed on as it is.
      abortWaits: true,
    });
  };
}
