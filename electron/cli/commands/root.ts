import { PortholeError } from '../../../shared/errors.ts';
import { requireStr, str, strs, type Command, type OptionValues } from '../command.ts';
import { readPublisherFile, readSecretKey, writePublisherFile } from '../../core/lists/keyfiles.ts';
import { newRoot, signRoot, verifyRootChain } from '../../core/lists/roots.ts';
import { publisherCheck } from '../../core/crypto/fingerprint.ts';
import type { SecretKey } from '../../core/crypto/ed25519.ts';

const KEY43 = /^[A-Za-z0-9_-]{43}$/;

async function keySet(values: OptionValues, secretFlag: string, pubFlag: string): Promise<{ secrets: SecretKey[]; publics: string[] }> {
  const secrets = await Promise.all(strs(values, secretFlag).map((f) => readSecretKey(f)));
  const extra = strs(values, pubFlag);
  for (const k of extra) if (!KEY43.test(k)) throw new PortholeError('usage', `--${pubFlag} "${k}" is not a 43-character public key`);
  return { secrets, publics: [...new Set([...secrets.map((s) => s.publicKey), ...extra])] };
}

async function listKeys(values: OptionValues): Promise<string[]> {
  const fromFiles = await Promise.all(strs(values, 'list-key').map(async (f) => (await readSecretKey(f)).publicKey));
  const keys = [...fromFiles, ...strs(values, 'list-pub')];
  for (const k of keys) if (!KEY43.test(k)) throw new PortholeError('usage', `list key "${k}" is not a 43-character public key`);
  if (keys.length === 0) throw new PortholeError('usage', 'name at least one list-signing key (--list-key FILE or --list-pub KEY)');
  return keys;
}

function threshold(values: OptionValues, keys: number): number {
  const t = Number(requireStr(values, 'threshold'));
  if (!Number.isInteger(t) || t < 1 || t > keys) throw new PortholeError('usage', `--threshold must be between 1 and the number of root keys (${keys})`);
  return t;
}

const init: Command = {
  name: 'init',
  summary: 'create root v1 from a set of offline root keys with a threshold',
  help: `Usage: porthole root init --key R1.key [--key R2.key…] [--pub KEY…] --threshold N
                          (--list-key L.key | --list-pub KEY)… --out publisher.pub [--name NAME]

Make each root key with \`porthole keygen --out DIR\` (keep them offline). At least N of the
root keys must be present as secret key files to sign. The list keys sign lists day to day.`,
  options: { key: { type: 'string', multiple: true }, pub: { type: 'string', multiple: true }, threshold: { type: 'string' }, 'list-key': { type: 'string', multiple: true }, 'list-pub': { type: 'string', multiple: true }, out: { type: 'string' }, name: { type: 'string' } },
  async run(values, _pos, ctx) {
    const { secrets, publics } = await keySet(values, 'key', 'pub');
    const t = threshold(values, publics.length);
    if (secrets.length < t) throw new PortholeError('other', `below threshold: ${secrets.length} secret root keys given, ${t} needed to sign`);
    const root = newRoot({ rootKeys: publics, threshold: t, listKeys: await listKeys(values), ...(str(values, 'name') ? { name: str(values, 'name')! } : {}) });
    const chain = [signRoot(root, secrets)];
    verifyRootChain(chain);
    await writePublisherFile(requireStr(values, 'out'), chain);
    ctx.stdout.write(`root v1 of publisher ${root.publisher} (${t} of ${publics.length})\ncheck numbers: ${publisherCheck(root.publisher).join(' ')}\n`);
  },
};

const rotate: Command = {
  name: 'rotate',
  summary: 'make the next root, signed by the old threshold and the new one',
  help: `Usage: porthole root rotate --in publisher.pub --old-key R.key… --key N.key… [--pub KEY…]
                            --threshold N (--list-key L.key | --list-pub KEY)… --out publisher.pub

The new root is valid only with a threshold of signatures from the current root keys AND a
threshold from the new root keys (as in TUF). Clients follow the chain in the next list.`,
  options: { in: { type: 'string' }, 'old-key': { type: 'string', multiple: true }, key: { type: 'string', multiple: true }, pub: { type: 'string', multiple: true }, threshold: { type: 'string' }, 'list-key': { type: 'string', multiple: true }, 'list-pub': { type: 'string', multiple: true }, out: { type: 'string' }, name: { type: 'string' } },
  async run(values, _pos, ctx) {
    const current = await readPublisherFile(requireStr(values, 'in'));
    const old = await Promise.all(strs(values, 'old-key').map((f) => readSecretKey(f)));
    const oldValid = old.filter((k) => current.root.rootKeys.includes(k.publicKey));
    if (oldValid.length < current.root.threshold) throw new PortholeError('other', `below threshold: ${oldValid.length} of the current root keys given, ${current.root.threshold} needed`);
    const { secrets, publics } = await keySet(values, 'key', 'pub');
    const t = threshold(values, publics.length);
    if (secrets.length < t) throw new PortholeError('other', `below threshold: ${secrets.length} new secret root keys given, ${t} needed`);
    const name = str(values, 'name') ?? current.root.name;
    const root = newRoot({ rootKeys: publics, threshold: t, listKeys: await listKeys(values), previous: current.root, ...(name ? { name } : {}) });
    const signers = [...new Map([...oldValid, ...secrets].map((k) => [k.publicKey, k])).values()];
    const chain = [...current.chain, signRoot(root, signers)];
    verifyRootChain(chain);
    await writePublisherFile(requireStr(values, 'out'), chain);
    ctx.stdout.write(`root v${root.version} of publisher ${root.publisher} (${t} of ${publics.length})\n`);
  },
};

export const root: Command = {
  name: 'root',
  summary: 'offline root keys with a threshold (init, rotate)',
  help: 'Usage: porthole root init|rotate …',
  options: {},
  subcommands: [init, rotate],
  run: async () => 2,
};
