// `porthole code batch` (many one-SMS codes: CSV, printable QR sheets, a ledger) and
// `porthole code ledger` (which codes of a batch included a server).
import { PortholeError, isPortholeError } from '../../../shared/errors.ts';
import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { jsonOption, requireStr, str, type Command } from '../command.ts';
import { printJson } from '../io.ts';
import { utf8 } from '../../../shared/base64url.ts';
import { smsCount } from '../../../shared/code-bytes.ts';
import { looksLikeJson } from '../../../shared/sniff.ts';
import { parseExpiryTime } from '../../../shared/duration.ts';
import { writeFileAtomic } from '../../core/fs/atomic.ts';
import { readSecretKey } from '../../core/lists/keyfiles.ts';
import { publisherIdFor } from '../../core/crypto/ed25519.ts';
import { makeBatch } from '../../core/codes/batch.ts';
import { readCode } from '../../core/codes/codes.ts';
import { buildLedger, codesWith, matchServers, readLedger, writeLedger } from '../../core/codes/ledger.ts';
import { batchCsv, batchSheets } from '../../core/codes/sheets.ts';
import { CODE_MAX_MS, parseServers, senderNameFor } from '../code-helpers.ts';

function count(values: Record<string, unknown>, name: string, max: number): number {
  const text = requireStr(values as never, name);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new PortholeError('usage', `--${name} "${text}" must be a whole number from 1 to ${max}`);
  return Number(text);
}

/** Server links, one a line (# comments), or a list input file ({"entries":[{"url":…}]}). */
async function readServerFile(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new PortholeError('other', `cannot read ${resolve(file)}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  if (looksLikeJson(text)) {
    let json: { entries?: { url?: unknown }[] };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      throw new PortholeError('other', `${resolve(file)} looks like JSON but does not parse`);
    }
    const urls = (json.entries ?? []).map((e) => e.url).filter((u): u is string => typeof u === 'string');
    if (urls.length === 0) throw new PortholeError('other', `${resolve(file)} has no entries with a "url"`);
    return urls;
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

export const codeBatch: Command = {
  name: 'batch',
  summary: 'make many one-SMS codes at once, spread evenly over your servers',
  help: `Usage: porthole code batch --key DIR/publisher.key --servers FILE --count N --per-code M --out DIR [--expires 3d] [--short] [--max-sms 1] [--json]

FILE holds server links, one a line (# starts a comment), or is a list.json. Makes N codes,
each with a different set of M servers, spread evenly: each server goes into about N·M/S
codes (S servers). Every code fits one SMS (--max-sms allows more), or the command says what
to change: a code with the full key holds one server in one SMS, the --short form (for people
who already trust your key) two or three. Writes
  DIR/codes.csv      number, code, servers, expiry (for a mail merge or an SMS gateway)
  DIR/sheets/page-NNN.html   printable QR sheets, 12 codes a page
  DIR/ledger.json    which servers went into which code (keep it: \`code ledger\` reads it)
The CSV and the ledger hold the codes, so they are written readable by you only.`,
  options: { key: { type: 'string' }, servers: { type: 'string' }, count: { type: 'string' }, 'per-code': { type: 'string' }, out: { type: 'string' }, expires: { type: 'string' }, short: { type: 'boolean' }, 'max-sms': { type: 'string' }, ...jsonOption },
  async run(values, _pos, ctx) {
    const keyFile = requireStr(values, 'key');
    const out = resolve(requireStr(values, 'out'));
    const n = count(values, 'count', 100_000);
    const m = count(values, 'per-code', 8);
    const maxSms = values['max-sms'] === undefined ? 1 : count(values, 'max-sms', 10);
    const now = new Date();
    const expires = parseExpiryTime(str(values, 'expires') ?? '3d', now, '--expires', { maxMs: CODE_MAX_MS });
    const key = await readSecretKey(keyFile);
    const servers = parseServers(await readServerFile(requireStr(values, 'servers')), 'server line');
    if (await access(join(out, 'ledger.json')).then(() => true, () => false)) {
      throw new PortholeError('other', `${out} already holds a batch (ledger.json): choose another --out, so no ledger is lost`);
    }
    const started = performance.now();
    let batch;
    try {
      batch = makeBatch({ key, servers, count: n, perCode: m, expires, short: Boolean(values.short), maxSms, name: await senderNameFor(keyFile, undefined) });
    } catch (err) {
      if (isPortholeError(err, 'bad-batch')) throw new PortholeError('usage', err.message);
      throw err;
    }
    const codesMs = performance.now() - started;
    const ledger = buildLedger(servers, batch, publisherIdFor([key.publicKey], 1), readCode(batch[0]!.code)?.content.expires ?? expires, now);
    await writeLedger(out, ledger);
    await writeFileAtomic(join(out, 'codes.csv'), utf8(batchCsv(ledger)), { mode: 0o600 });
    const pages = await batchSheets(ledger);
    for (const [i, page] of pages.entries()) await writeFileAtomic(join(out, 'sheets', `page-${String(i + 1).padStart(3, '0')}.html`), utf8(page));
    const totalMs = performance.now() - started;
    const uses = servers.map((_, i) => batch.filter((c) => c.servers.includes(i)).length);
    const longest = Math.max(...batch.map((c) => c.code.length));
    const summary = { codes: batch.length, servers: servers.length, perCode: m, usesPerServer: { min: Math.min(...uses), max: Math.max(...uses), expected: (n * m) / servers.length }, longestCode: longest, expires: ledger.expires, out, pages: pages.length, codesMs: Math.round(codesMs), totalMs: Math.round(totalMs) };
    if (values.json) return printJson(ctx, summary);
    ctx.stdout.write(`made ${batch.length} codes of ${m} servers each (longest ${longest} characters, ${smsCount(batch.find((c) => c.code.length === longest)!.code, true)} SMS), from ${servers.length} servers: each in ${summary.usesPerServer.min}–${summary.usesPerServer.max} codes (about ${summary.usesPerServer.expected.toFixed(1)})\n` +
      `wrote ${join(out, 'codes.csv')}, ${pages.length} sheet page${pages.length === 1 ? '' : 's'} in ${join(out, 'sheets')}, ${join(out, 'ledger.json')}\n` +
      `expires ${ledger.expires}; took ${(totalMs / 1000).toFixed(1)} s (codes ${(codesMs / 1000).toFixed(1)} s)\n`);
  },
};

export const codeLedger: Command = {
  name: 'ledger',
  summary: 'which codes of a batch included a server (e.g. one that got blocked)',
  help: `Usage: porthole code ledger --out DIR --server URL|HOST:PORT|HOST|LABEL [--json]

Reads DIR/ledger.json written by \`code batch\` and lists the codes that included the server,
so you know who to send a new code to.`,
  options: { out: { type: 'string' }, server: { type: 'string' }, ...jsonOption },
  async run(values, _pos, ctx) {
    let ledger;
    try {
      ledger = await readLedger(requireStr(values, 'out'));
    } catch (err) {
      if (isPortholeError(err, 'bad-ledger')) throw new PortholeError('other', err.message);
      throw err;
    }
    const query = requireStr(values, 'server');
    const servers = matchServers(ledger, query);
    if (servers.length === 0) throw new PortholeError('other', `no server of this batch matches "${query}" (the batch has ${ledger.servers.length}: ${ledger.servers.slice(0, 3).map((s) => s.address).join(', ')}${ledger.servers.length > 3 ? ', …' : ''})`);
    const codes = codesWith(ledger, servers);
    if (values.json) return printJson(ctx, { servers: servers.map((i) => ledger.servers[i]!.address), codes: codes.map((c) => ({ number: c.number, code: c.code })) });
    ctx.stdout.write(`${servers.map((i) => ledger.servers[i]!.address).join(', ')}: in ${codes.length} of ${ledger.codes.length} codes\n`);
    for (const c of codes) ctx.stdout.write(`#${c.number}\t${c.code}\n`);
  },
};
