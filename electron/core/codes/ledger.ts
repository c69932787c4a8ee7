// The ledger of a batch of codes (DIR/ledger.json): which servers went into which code, so that
// when a server gets blocked the volunteer can tell which people to send a new code to.
import { PortholeError } from '../../../shared/errors.ts';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { entryIdFor, formatProxyLink, parseProxyLink, type ParsedLink } from '../../../shared/proxy-link.ts';
import { utf8 } from '../../../shared/base64url.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import type { BatchCode } from './batch.ts';

const LEDGER_FILE = 'ledger.json';

const LedgerSchema = z.strictObject({
  format: z.literal('porthole-code-ledger/1'),
  createdAt: z.string(),
  publisher: z.string(),
  expires: z.string(),
  servers: z.array(z.strictObject({ id: z.string(), address: z.string(), label: z.string().optional() })).max(10_000),
  codes: z.array(z.strictObject({ number: z.number().int().min(1), code: z.string(), nonce: z.string(), servers: z.array(z.number().int().min(0)) })).max(1_000_000),
});
export type Ledger = z.infer<typeof LedgerSchema>;

/** How a server is named in the CSV, the sheets and the ledger: never with its password. */
export function serverName(s: ParsedLink): string {
  return formatProxyLink({ ...s, label: undefined } as ParsedLink, { withCredentials: false });
}

export function buildLedger(servers: ParsedLink[], codes: BatchCode[], publisher: string, expires: Date, now = new Date()): Ledger {
  return {
    format: 'porthole-code-ledger/1',
    createdAt: now.toISOString(),
    publisher,
    expires: expires.toISOString(),
    servers: servers.map((s) => ({ id: entryIdFor(s), address: serverName(s), ...(s.label ? { label: s.label } : {}) })),
    codes: codes.map((c) => ({ number: c.number, code: c.code, nonce: c.nonce, servers: c.servers })),
  };
}

export async function writeLedger(dir: string, ledger: Ledger): Promise<void> {
  await writeFileAtomic(join(dir, LEDGER_FILE), utf8(`${JSON.stringify(ledger, null, 1)}\n`), { mode: 0o600 });
}

export async function readLedger(dir: string): Promise<Ledger> {
  const file = resolve(dir, LEDGER_FILE);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new PortholeError('bad-ledger', `cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file (is this the --out folder of a `code batch`?)' : err.message}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PortholeError('bad-ledger', `${file} is not a ledger (not JSON)`);
  }
  const parsed = LedgerSchema.safeParse(json);
  if (!parsed.success) throw new PortholeError('bad-ledger', `${file} is not a Porthole code ledger`);
  return parsed.data;
}

/** The ledger's servers that `query` names: a proxy link, host:port, host, an entry id or a label. */
export function matchServers(ledger: Ledger, query: string): number[] {
  const q = query.trim();
  let id: string | undefined;
  try {
    id = entryIdFor(parseProxyLink(q));
  } catch {
    id = undefined;
  }
  const out: number[] = [];
  ledger.servers.forEach((s, i) => {
    const hostPort = s.address.replace(/^[a-z0-9]+:\/\//i, '').replace(/^[^@]*@/, '');
    const host = hostPort.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (s.id === id || s.id === q || hostPort === q || host === q || s.label === q || s.address === q) out.push(i);
  });
  return out;
}

export function codesWith(ledger: Ledger, servers: number[]): Ledger['codes'] {
  const want = new Set(servers);
  return ledger.codes.filter((c) => c.servers.some((i) => want.has(i)));
}
