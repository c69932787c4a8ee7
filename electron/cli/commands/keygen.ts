import { PortholeError } from '../../../shared/errors.ts';
import { access, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { requireStr, str, type Command } from '../command.ts';
import { createSimplePublisher, KEY_FILE, PUB_FILE } from '../../core/lists/keyfiles.ts';
import { keyIdOf } from '../../core/crypto/ed25519.ts';
import { publisherCheck } from '../../core/crypto/fingerprint.ts';

export const keygen: Command = {
  name: 'keygen',
  summary: 'create a publisher key (DIR/publisher.key, DIR/publisher.pub)',
  help: `Usage: porthole keygen --out DIR [--name NAME] [--force]

Writes DIR/publisher.key (the secret key, mode 0600, never printed) and DIR/publisher.pub
(the public publisher file to give to clients). The key is both the root key (threshold 1)
and the list-signing key. For an offline root key set with a threshold, see \`porthole root\`.`,
  options: { out: { type: 'string' }, name: { type: 'string' }, force: { type: 'boolean' } },
  async run(values, _pos, ctx) {
    const dir = resolve(requireStr(values, 'out'));
    await mkdir(dir, { recursive: true });
    if (!values.force && (await access(join(dir, KEY_FILE)).then(() => true, () => false))) {
      throw new PortholeError('other', `${join(dir, KEY_FILE)} already exists: refusing to overwrite a key (use --force)`);
    }
    const name = str(values, 'name');
    const { key, chain } = await createSimplePublisher(dir, name);
    ctx.stdout.write(`${name ? `name      ${name}\n` : ''}publisher ${chain.publisher}   (the publisher ID: \`trust list\`, \`lists\` and the app show this)\ncheck     ${publisherCheck(chain.publisher).join(' ')}   (read these numbers to people who add you)\nkey       ${key.publicKey}\nkey id    ${keyIdOf(key.publicKey)}\nwrote     ${join(dir, KEY_FILE)} (secret, keep offline)\n          ${join(dir, PUB_FILE)} (public)\n`);
  },
};
