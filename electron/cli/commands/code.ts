import { CliError, jsonOption, requireStr, str, strs, type Command } from '../command.ts';
import { printJson } from '../io.ts';
import { writeQrPng } from '../qr.ts';
import { parseProxyLink, LinkError, formatProxyLink } from '../../../shared/proxy-link.ts';
import { CODE_LINK_PREFIX, isGsm7Basic } from '../../../shared/code-format.ts';
import { ChannelSpecSchema } from '../../../shared/list-format.ts';
import { readSecretKey } from '../../core/lists/keyfiles.ts';
import { parseExpiry } from '../../core/lists/sign.ts';
import { createCode, readCode } from '../../core/codes/codes.ts';
import { keyIdOf, publisherIdFor } from '../../core/crypto/ed25519.ts';
import { publisherWords } from '../../core/crypto/fingerprint.ts';

const create: Command = {
  name: 'new',
  summary: 'make a one-time code for one or a few servers',
  help: `Usage: porthole code new --key DIR/publisher.key --server URL [--server URL…] [--channel SPEC…] [--expires 3d] [--short] [--qr FILE.png] [--json]

Prints a code that fits an SMS. --short uses the key-id form (for recipients who already
trust this key): one server with a 16-byte secret fits one SMS (160 characters); the full
form carries the key and fits two (306). --channel names where updates can be fetched.
--qr writes a QR code of the porthole:// link, to show on a screen or print.`,
  options: { key: { type: 'string' }, server: { type: 'string', multiple: true }, channel: { type: 'string', multiple: true }, expires: { type: 'string' }, short: { type: 'boolean' }, qr: { type: 'string' }, ...jsonOption },
  async run(values, _pos, ctx) {
    const key = await readSecretKey(requireStr(values, 'key'));
    const urls = strs(values, 'server');
    if (urls.length === 0) throw new CliError('code new needs at least one --server URL', 2);
    const servers = urls.map((u, i) => {
      try {
        return parseProxyLink(u);
      } catch (err) {
        if (err instanceof LinkError) throw new CliError(`--server #${i + 1}: ${err.message}`, 2);
        throw err;
      }
    });
    const channels = strs(values, 'channel');
    for (const c of channels) if (!ChannelSpecSchema.safeParse(c).success) throw new CliError(`--channel "${c}" is not a channel (https://…, dns:NAME, doh:URL#NAME)`, 2);
    const now = new Date();
    const expires = parseExpiry(str(values, 'expires') ?? '3d', now);
    let code: string;
    try {
      code = createCode({ key, servers, channels, expires, short: Boolean(values.short) });
    } catch (err) {
      throw new CliError(`cannot make a code: ${(err as Error).message}`);
    }
    const qr = str(values, 'qr');
    if (qr) await writeQrPng(qr, CODE_LINK_PREFIX + code);
    if (values.json) {
      return printJson(ctx, { code, link: CODE_LINK_PREFIX + code, length: code.length, sms: code.length <= 160 ? 1 : Math.ceil(code.length / 153), gsm7: isGsm7Basic(code), expires: expires.toISOString() });
    }
    ctx.stdout.write(`${code}\n`);
    ctx.stderr.write(`${code.length} characters (${code.length <= 160 ? '1 SMS' : `${Math.ceil(code.length / 153)} SMS`}), expires ${expires.toISOString()}; sender words: ${publisherWords(publisherIdFor([key.publicKey], 1)).join(' ')}\n`);
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
    if (!input) throw new CliError('code inspect takes a CODE', 2);
    const code = readCode(input);
    if (!code) throw new CliError('no code found in the input');
    const c = code.content;
    const sender = c.publicKey ? { key: c.publicKey, keyId: keyIdOf(c.publicKey), words: publisherWords(publisherIdFor([c.publicKey], 1)) } : { keyId: c.keyIdHex };
    const info = { sender, expires: c.expires.toISOString(), nonce: c.nonce, servers: c.servers.map((s) => formatProxyLink(s, { withCredentials: false })), channels: c.channels };
    if (values.json) return printJson(ctx, info);
    ctx.stdout.write(`sender   ${sender.keyId}${'words' in sender && sender.words ? ` (${sender.words.join(' ')})` : ' (key-id form)'}\nexpires  ${info.expires}\nservers  ${info.servers.join('\n         ')}\n${info.channels.length ? `channels ${info.channels.join(', ')}\n` : ''}(not verified: import it to check the signature)\n`);
  },
};

export const code: Command = {
  name: 'code',
  summary: 'one-time codes (new, inspect)',
  help: 'Usage: porthole code new|inspect …',
  options: {},
  subcommands: [create, inspect],
  run: async () => 2,
};
