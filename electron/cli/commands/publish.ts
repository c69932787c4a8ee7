// `porthole publish`: turns a signed list into what each channel carries — the file for HTTPS
// mirrors, the armored text for Telegram, forums and pastes, and DNS TXT records (docs/dns-txt.md).
import { PortholeError } from '../../../shared/errors.ts';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { armor } from '../../../shared/armor.ts';
import { LIMITS, ListEnvelopeSchema } from '../../../shared/list-format.ts';
import { jsonOption, str, type Command } from '../command.ts';
import { printJson, readInputFile } from '../io.ts';
import { dnsPointerRecord, dnsTxtRecords, dnsZoneFragment, listId, type TxtRecord } from '../../core/channels/index.ts';
import { writeFileAtomic } from '../../core/fs/atomic.ts';
import { writeQrPng } from '../qr.ts';
import { readPublisherFile } from '../../core/lists/keyfiles.ts';
import { verifyRootChain } from '../../core/lists/roots.ts';
import { parseJsonWith } from '../../core/lists/signed.ts';
import { verifyList } from '../../core/lists/verify.ts';

function whole(values: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = values[name];
  if (typeof v !== 'string') return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new PortholeError('usage', `--${name} "${v}": expected a whole number from ${min} to ${max}`);
  return Number(v);
}

export const publish: Command = {
  name: 'publish',
  summary: 'prepare a signed list for mirrors, pastes and DNS TXT records',
  help: `Usage: porthole publish --in FILE.signed --out DIR [--dns-name NAME] [--pointer URL] [--ttl 300]
                        [--max-answer-bytes 1232] [--trust PUB] [--json]
       porthole publish FILE.signed [--dns-name NAME] …          (prints instead of writing)

Checks the signed list (against the publisher roots it carries, or --trust PUB), then:
  prints its armored block (for a Telegram channel, a forum post, a paste, an email), and
  with --dns-name NAME, BIND zone lines carrying it in TXT records of NAME (split over
  0.NAME, 1.NAME… when it does not fit one DNS answer); clients read them with dns:NAME
  or doh:URL#NAME. With --pointer URL, DNS carries only a pointer to that mirror.
--out DIR (or --out-dir) writes every channel's artifact instead of printing:
  DIR/list.signed  upload as is to each HTTPS mirror (GitHub raw, a CDN, object storage)
  DIR/list.txt     the armored block: post it in a Telegram channel, a forum, a paste, an email
  DIR/list.zone    TXT records for your DNS zone (NAME from --dns-name; list.example.org if not given)
  DIR/list.png     a QR code of the armored block, when the list is short enough for one
                   (for a single server, \`porthole code new --qr FILE\` makes a smaller one)`,
  options: {
    'dns-name': { type: 'string' },
    pointer: { type: 'string' },
    ttl: { type: 'string' },
    'max-answer-bytes': { type: 'string' },
    trust: { type: 'string' },
    'out-dir': { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
    ...jsonOption,
  },
  positionals: true,
  async run(values, positionals, ctx) {
    const file = str(values, 'in') ?? positionals[0];
    if (!file || positionals.length > (str(values, 'in') ? 0 : 1)) throw new PortholeError('usage', 'publish takes exactly one FILE (--in FILE.signed)');
    const outDir = str(values, 'out') ?? str(values, 'out-dir');
    const pointer = str(values, 'pointer');
    const dnsName = str(values, 'dns-name') ?? (outDir ? 'list.example.org' : undefined);
    if (pointer && !dnsName) throw new PortholeError('usage', '--pointer needs --dns-name');
    const ttl = whole(values, 'ttl', 1, 604_800) ?? 300;
    const maxAnswerBytes = whole(values, 'max-answer-bytes', 512, 65_000);

    const bytes = new Uint8Array(await readInputFile(file, ctx));
    if (bytes.length > LIMITS.maxListBytes) throw new PortholeError('other', `${file} is ${bytes.length} bytes: clients refuse lists over ${LIMITS.maxListBytes}`);
    const envelope = parseJsonWith(bytes, ListEnvelopeSchema, 'list file');
    const trustFile = str(values, 'trust');
    if (!trustFile && envelope.roots.length === 0) throw new PortholeError('usage', `${file} carries no publisher roots: pass --trust PUB to check it`);
    const chain = trustFile ? await readPublisherFile(trustFile) : verifyRootChain(envelope.roots);
    const list = verifyList(bytes, { trusted: [chain], now: new Date() });

    let records: TxtRecord[] = [];
    try {
      if (dnsName && pointer) records = [dnsPointerRecord(dnsName, pointer)];
      else if (dnsName) records = dnsTxtRecords(dnsName, bytes, maxAnswerBytes ? { maxAnswerBytes } : {});
    } catch (err) {
      throw new PortholeError('usage', (err as Error).message);
    }
    const armored = armor('LIST', bytes);
    const zone = records.length > 0 ? dnsZoneFragment(records, { ttl }) : undefined;
    const summary = `list v${list.payload.version} of ${list.publisher}, ${bytes.length} bytes, id ${listId(bytes)}`;

    let qr: string | undefined;
    if (outDir) {
      await mkdir(outDir, { recursive: true });
      await writeFileAtomic(join(outDir, 'list.signed'), bytes);
      await writeFileAtomic(join(outDir, 'list.txt'), armored);
      if (zone) await writeFileAtomic(join(outDir, 'list.zone'), zone);
      qr = (await writeQrPng(join(outDir, 'list.png'), armored)) ? join(outDir, 'list.png') : undefined;
      if (!qr) ctx.stderr.write('porthole: note: the list is too long for one QR code (list.png not written); share servers with `porthole code new --qr FILE`\n');
    }
    if (values.json) {
      printJson(ctx, { publisher: list.publisher, version: list.payload.version, bytes: bytes.length, id: listId(bytes), armored, dns: records, zone });
      return;
    }
    if (outDir) {
      ctx.stdout.write(`${summary}\nwrote ${join(outDir, 'list.signed')} (HTTPS mirrors), ${join(outDir, 'list.txt')} (posts)${zone ? `, ${join(outDir, 'list.zone')} (DNS: ${records.length} TXT records for ${dnsName})` : ''}${qr ? `, ${qr} (QR)` : ''}\n`);
      return;
    }
    ctx.stderr.write(`${summary}\n`);
    ctx.stdout.write(armored);
    if (zone) ctx.stdout.write(`\n; DNS TXT records for ${dnsName} (${records.length}); clients: dns:${dnsName}\n${zone}`);
  },
};
