// `porthole code new|inspect|batch|ledger`: one-time codes for one person, or many at once.
import { PortholeError } from '../../../shared/errors.ts';
import { jsonOption, requireStr, str, strs, type Command } from '../command.ts';
import { printJson } from '../io.ts';
import { writeQrPng } from '../qr.ts';
import { formatProxyLink } from '../../../shared/proxy-link.ts';
import { CODE_LINK_PREFIX, isGsm7Basic } from '../../../shared/code-format.ts';
import { smsCount } from '../../../shared/code-bytes.ts';
import { ChannelSpecSchema } from '../../../shared/list-format.ts';
import { parseExpiryTime } from '../../../shared/duration.ts';
import { readSecretKey } from '../../core/lists/keyfiles.ts';
import { createCode, readCode } from '../../core/codes/codes.ts';
import { keyIdOf, publisherIdFor, type SecretKey } from '../../core/crypto/ed25519.ts';
import { publisherCheck } from '../../core/crypto/fingerprint.ts';
import { codeBatch, codeLedger } from './code-batch.ts';
import { CODE_MAX_MS, codeWithName, parseServers, senderLine, senderNameFor } from '../code-helpers.ts';

const create: Command = {
  name: 'new',
  summary: 'make a one-time code for one or a few servers',
  help: `Usage: porthole code new --key DIR/publisher.key --server URL [--server URL…] [--channel SPEC…] [--expires 3d] [--name NAME] [--short] [--qr FILE.png] [--json]

Prints a code to send by SMS. The default form carries your key, so anyone can check it:
one server with a user name and password fits one SMS (160 characters); when the servers
do not fit one, it says how many SMS the code takes. --short uses the key-id form, 32
characters shorter, for recipients who already trust this key. The code carries your name
(keygen --name, or --name) when that costs no extra SMS. --expires takes a duration (3d,
12h, 30m) or a date, at most ${CODE_MAX_MS / 86_400_000}d ahead; a code keeps its expiry to the hour, rounded up.
--channel names where updates can be fetched. --qr writes a QR code of the porthole:// link.`,
  options: { key: { type: 'string' }, server: { type: 'string', multiple: true }, channel: { type: 'string', multiple: true }, expires: { type: 'string' }, name: { type: 'string' }, short: { type: 'boolean' }, qr: { type: 'string' }, ...jsonOption },
  async run(values, _pos, ctx) {
    const keyFile = requireStr(values, 'key');
    const now = new Date();
    const expiresAsked = parseExpiryTime(str(values, 'expires') ?? '3d', now, '--expires', { maxMs: CODE_MAX_MS });
    const key: SecretKey = await readSecretKey(keyFile);
    const urls = strs(values, 'server');
    if (urls.length === 0) throw new PortholeError('usage', 'code new needs at least one --server URL');
    const servers = parseServers(urls);
    const channels = strs(values, 'channel');
    for (const c of channels) if (!ChannelSpecSchema.safeParse(c).success) throw new PortholeError('usage', `--channel "${c}" is not a channel (https://…, dns:NAME, doh:URL#NAME)`);
    const name = await senderNameFor(keyFile, str(values, 'name'));
    const short = Boolean(values.short);
    let made: { code: string; named: boolean };
    let shortLength: number;
    try {
      made = codeWithName({ key, servers, channels, expires: expiresAsked, short }, name);
      shortLength = short ? made.code.length : createCode({ key, servers, channels, expires: expiresAsked, short: true }).length;
    } catch (err) {
      throw new PortholeError('other', `cannot make a code: ${(err as Error).message}`);
    }
    const { code } = made;
    const expires = readCode(code)!.content.expires;
    const qr = str(values, 'qr');
    if (qr) await writeQrPng(qr, CODE_LINK_PREFIX + code);
    const sms = smsCount(code, isGsm7Basic(code));
    if (values.json) {
      return printJson(ctx, { code, link: CODE_LINK_PREFIX + code, length: code.length, sms, gsm7: isGsm7Basic(code), expires: expires.toISOString(), form: short ? 'short' : 'full', senderName: made.named ? name : null, publisher: publisherIdFor([key.publicKey], 1) });
    }
    ctx.stdout.write(`${code}\n`);
    const fits = sms === 1 ? '1 SMS' : `${sms} SMS (one SMS holds 160 characters): send all parts, or fewer servers per code`;
    const hint = sms > 1 && !short && smsCount('x'.repeat(shortLength), true) < sms ? `\n--short makes it ${shortLength} characters (${smsCount('x'.repeat(shortLength), true)} SMS) for people who already trust you` : '';
    const dropped = name && !made.named && !short ? `\nyour name "${name}" was left out so the code needs no extra SMS` : '';
    ctx.stderr.write(`${code.length} characters: ${fits}; expires ${expires.toISOString()}\nsender: ${senderLine(key.publicKey, made.named ? name : undefined)}${hint}${dropped}\n`);
  },
};

const inspect: Command = {
  name: 'inspect',
  summary: 'show what a code holds without importing it',
  help: 'Usage: porthole code inspect CODE|- [--json]   (a whole pasted message is fine)',
  options: { ...jsonOption },
  positionals: true,
  async run(values, positionals, ctx) {
    const input = positionals[0] === '-' ? (await ctx.readStdin()).toString('utf8') : positionals.join(' ');
    if (!input) throw new PortholeError('usage', 'code inspect takes a CODE');
    const code = readCode(input);
    if (!code) throw new PortholeError('other', 'no code found in the input');
    const c = code.content;
    const expired = c.expires.getTime() <= Date.now();
    const id = c.publicKey ? publisherIdFor([c.publicKey], 1) : undefined;
    const sender = c.publicKey
      ? { publisher: id!, name: c.name ?? null, nameChecked: false, check: publisherCheck(id!), key: c.publicKey, keyId: keyIdOf(c.publicKey) }
      : { keyId: c.keyIdHex! };
    const info = { sender, expires: c.expires.toISOString(), expired, nonce: c.nonce, servers: c.servers.map((s) => formatProxyLink(s, { withCredentials: false })), channels: c.channels, length: code.text.length, sms: smsCount(code.text, true) };
    if (values.json) return printJson(ctx, info);
    const who = c.publicKey ? senderLine(c.publicKey, c.name) : `key id ${c.keyIdHex} (short form: only for people who already trust the sender)`;
    const when = expired ? `${info.expires} — EXPIRED: ask the sender for a new code` : info.expires;
    ctx.stdout.write(`sender   ${who}\nexpires  ${when}\nservers  ${info.servers.join('\n         ')}\n${info.channels.length ? `channels ${info.channels.join(', ')}\n` : ''}length   ${info.length} characters (${info.sms} SMS)\n(not verified: import it to check the signature)\n`);
  },
};

export const code: Command = {
  name: 'code',
  summary: 'one-time codes (new, inspect, batch, ledger)',
  help: 'Usage: porthole code new|inspect|batch|ledger …',
  options: {},
  subcommands: [create, inspect, codeBatch, codeLedger],
  run: async () => 2,
};
