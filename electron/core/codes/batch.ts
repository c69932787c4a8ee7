// Many one-SMS codes at once, for volunteers answering thousands of requests: N codes, each a
// different set of M servers out of S, spread evenly (each server in about N·M/S codes), so a
// blocked server touches few people and the ledger can say which ones.
import { PortholeError } from '../../../shared/errors.ts';
import { randomInt } from 'node:crypto';
import type { ParsedLink } from '../../../shared/proxy-link.ts';
import { smsCount } from '../../../shared/code-bytes.ts';
import { readCode, createCode } from './codes.ts';
import type { SecretKey } from '../crypto/ed25519.ts';

export interface BatchCode {
  /** 1-based, as printed on the sheets. */
  number: number;
  code: string;
  /** Indexes into the batch's server list. */
  servers: number[];
  /** The code's id (what `import` remembers to say "already added"). */
  nonce: string;
}

export interface BatchOptions {
  key: SecretKey;
  servers: ParsedLink[];
  count: number;
  perCode: number;
  expires: Date;
  short?: boolean;
  name?: string;
  /** The most SMS one code may take (default 1). */
  maxSms?: number;
}

/** How many different sets of k out of n exist (capped, to compare with a count). */
function subsetsAvailable(n: number, k: number, cap = Number.MAX_SAFE_INTEGER): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) {
    c = (c * (n - Math.min(k, n - k) + i)) / i;
    if (c > cap) return cap;
  }
  return Math.round(c);
}

/**
 * Picks `count` different sets of `perCode` server indexes: each set takes the least-used
 * servers (random among equals), which keeps every server's use within one of N·M/S.
 */
function pickSubsets(serverCount: number, count: number, perCode: number): number[][] {
  if (perCode < 1 || perCode > serverCount) throw new PortholeError('bad-batch', `--per-code must be between 1 and the number of servers (${serverCount})`);
  if (subsetsAvailable(serverCount, perCode, count) < count) {
    throw new PortholeError('bad-batch', `${serverCount} servers make only ${subsetsAvailable(serverCount, perCode)} different sets of ${perCode}: lower --count, or change --per-code, or add servers`);
  }
  const used = new Array<number>(serverCount).fill(0);
  const seen = new Set<string>();
  const out: number[][] = [];
  for (let n = 0; n < count; n++) {
    let pick: number[] | undefined;
    for (let attempt = 0; attempt < 64 && !pick; attempt++) {
      // Least used first; random tie-breaks (and, after a few clashes, a little more randomness).
      const order = used.map((u, i) => ({ i, k: u + (attempt > 8 ? randomInt(0, 1 + (attempt >> 3)) : 0), r: randomInt(0, 1 << 30) }))
        .sort((a, b) => a.k - b.k || a.r - b.r);
      const set = order.slice(0, perCode).map((o) => o.i).sort((a, b) => a - b);
      if (!seen.has(set.join(','))) pick = set;
    }
    if (!pick) pick = unusedSet(serverCount, perCode, seen, used);
    seen.add(pick.join(','));
    for (const i of pick) used[i]! += 1;
    out.push(pick);
  }
  return out;
}

/** The least-used set not taken yet (a systematic walk, for when random picks keep clashing). */
function unusedSet(n: number, k: number, seen: Set<string>, used: number[]): number[] {
  const byUse = used.map((u, i) => ({ u, i })).sort((a, b) => a.u - b.u).map((x) => x.i);
  const idx = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    const set = idx.map((j) => byUse[j]!).sort((a, b) => a - b);
    if (!seen.has(set.join(','))) return set;
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) throw new PortholeError('bad-batch', 'no different set of servers is left');
    idx[i]! += 1;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1;
  }
}

export function makeBatch(opts: BatchOptions): BatchCode[] {
  const maxSms = opts.maxSms ?? 1;
  const subsets = pickSubsets(opts.servers.length, opts.count, opts.perCode);
  return subsets.map((set, n) => {
    const base = { key: opts.key, servers: set.map((i) => opts.servers[i]!), expires: opts.expires, short: Boolean(opts.short) };
    let code = createCode(base);
    if (opts.name && !opts.short) {
      const named = createCode({ ...base, name: opts.name });
      if (smsCount(named, true) <= smsCount(code, true)) code = named;
    }
    const sms = smsCount(code, true);
    if (sms > maxSms) {
      throw new PortholeError('bad-batch', `code #${n + 1} (${set.length} servers) is ${code.length} characters, ${sms} SMS: use a smaller --per-code, --max-sms ${sms}, --short (for people who already trust you), or servers with shorter names`);
    }
    return { number: n + 1, code, servers: set, nonce: readCode(code)!.content.nonce };
  });
}
