// Helpers shared by the `code` commands: server links, the sender's name, the sender line.
import { PortholeError } from '../../shared/errors.ts';
import { dirname, join } from 'node:path';
import { parseProxyLink, isLinkError, type ParsedLink } from '../../shared/proxy-link.ts';
import { MAX_NAME } from '../../shared/code-format.ts';
import { smsCount } from '../../shared/code-bytes.ts';
import { PUB_FILE, readPublisherFile } from '../core/lists/keyfiles.ts';
import { createCode, type NewCodeOptions } from '../core/codes/codes.ts';
import { publisherIdFor } from '../core/crypto/ed25519.ts';
import { publisherCheck } from '../core/crypto/fingerprint.ts';

/** Codes live days; the record keeps the expiry within ±3.7 years of the reader's clock. */
export const CODE_MAX_MS = 3 * 365 * 86_400_000;

export function parseServers(urls: string[], what = '--server'): ParsedLink[] {
  return urls.map((u, i) => {
    try {
      return parseProxyLink(u);
    } catch (err) {
      if (isLinkError(err)) throw new PortholeError('usage', `${what} #${i + 1}: ${err.message}`);
      throw err;
    }
  });
}

/** The name the sender gave its key (keygen --name), from publisher.pub beside the key file. */
export async function senderNameFor(keyFile: string, given: string | undefined): Promise<string | undefined> {
  const name = given ?? (await readPublisherFile(join(dirname(keyFile), PUB_FILE)).then((c) => c.root.name, () => undefined));
  if (name !== undefined && new TextEncoder().encode(name).length > MAX_NAME) {
    if (given !== undefined) throw new PortholeError('usage', `--name is longer than ${MAX_NAME} bytes`);
    return undefined;
  }
  return name || undefined;
}

/** Makes a code; the sender's name goes in only when it does not cost another SMS. */
export function codeWithName(opts: NewCodeOptions, name: string | undefined): { code: string; named: boolean } {
  const bare = createCode(opts);
  if (!name || opts.short) return { code: bare, named: false };
  const named = createCode({ ...opts, name });
  return smsCount(named, true) <= smsCount(bare, true) ? { code: named, named: true } : { code: bare, named: false };
}

export function senderLine(publicKey: string, name: string | undefined): string {
  const id = publisherIdFor([publicKey], 1);
  return `${name ? `"${name}" (name chosen by the sender, not checked), ` : ''}publisher ID ${id}, check numbers ${publisherCheck(id).join(' ')}`;
}

