// Imports whatever a person pastes, drops or opens: a signed list file, text or HTML
// with armored blocks, a one-time code, or servers of their own (share links, subscriptions,
// Clash/sing-box/Outline configs: see import-servers.ts). Verifies signed input first; stores
// only what verified; a rejected input changes nothing that was stored before.
import { fromUtf8 } from '../../../shared/base64url.ts';
import { extractArmored } from '../../../shared/armor.ts';
import { looksLikeJson } from '../../../shared/sniff.ts';
import { entryIdFor } from '../../../shared/proxy-link.ts';
import type { Entry } from '../../../shared/entry.ts';
import type { ClientStores } from './open.ts';
import { checkCodeChannels } from '../codes/code-channels.ts';
import { readCode, verifyCode } from '../codes/codes.ts';
import { publisherCheck } from '../crypto/fingerprint.ts';
import { acceptList, oneAtATime, rejected, type AcceptOptions, type ListOutcome } from './accept.ts';
import { importServers, type ServerImportOptions, type ServersOutcome } from './import-servers.ts';

export type ImportOutcome =
  | ListOutcome
  | { kind: 'code'; status: 'added'; publisher: string; words: string[]; servers: Entry[]; newPublisher: boolean; message: string; senderName?: string }
  /** `words`: the fingerprint as digit groups to read out; `senderName`: the name the sender gave itself (unchecked). */
  | { kind: 'code'; status: 'needs-trust'; publisher: string; words: string[]; message: string; senderName?: string }
  | ServersOutcome;

export interface ImportOptions extends ServerImportOptions, AcceptOptions {
  /** Accept a new publisher key carried by a code (the person confirmed its words). */
  acceptNewKey?: boolean;
}

const MAX_INPUT = 8 * 1024 * 1024;

export async function importInput(stores: ClientStores, input: string | Uint8Array, options: ImportOptions = {}): Promise<ImportOutcome[]> {
  const size = typeof input === 'string' ? input.length : input.length;
  if (size > MAX_INPUT) return [{ kind: 'input', status: 'rejected', reason: 'too-large', message: `too large: ${size} bytes (limit ${MAX_INPUT})` }];
  let text: string;
  try {
    text = typeof input === 'string' ? input : fromUtf8(input);
  } catch {
    return [{ kind: 'input', status: 'rejected', reason: 'malformed', message: 'the input is not text: expected a signed list, a page with a Porthole block, or a code' }];
  }
  if (looksLikeJson(text)) {
    const trimmed = text.trimStart();
    if (/"format"\s*:\s*"porthole-publisher\/1"/.test(trimmed)) {
      return [{ kind: 'key', status: 'rejected', reason: 'publisher-key', message: 'this is a publisher key, not a list: add it with `porthole trust add`' }];
    }
    if (!/"format"\s*:\s*"porthole-/.test(trimmed.slice(0, 4096))) {
      const servers = await importServers(stores.dataDir, text, options);
      if (servers) return [servers];
    }
    return [await acceptList(stores, new TextEncoder().encode(text), options)];
  }
  const blocks = extractArmored(text);
  if (blocks.length > 0) {
    const out: ImportOutcome[] = [];
    for (const b of blocks) {
      if (!b.ok) out.push({ kind: b.kind === 'KEY' ? 'key' : 'list', status: 'rejected', reason: 'damaged', message: b.error });
      else if (b.kind === 'KEY') out.push({ kind: 'key', status: 'rejected', reason: 'publisher-key', message: 'this is a publisher key, not a list: add it with `porthole trust add`' });
      else out.push(await acceptList(stores, b.bytes, options));
    }
    return out;
  }
  if (!hasCode(text)) {
    const servers = await importServers(stores.dataDir, text, options);
    if (servers) return [servers];
  }
  return [await oneAtATime(stores, () => importCode(stores, text, options))];
}

function hasCode(text: string): boolean {
  try {
    return readCode(text) !== null;
  } catch {
    return true; // a damaged code: the code path says what is wrong with it
  }
}

async function importCode(stores: ClientStores, text: string, options: ImportOptions): Promise<ImportOutcome> {
  try {
    const code = readCode(text);
    if (!code) {
      return { kind: 'input', status: 'rejected', reason: 'nothing-found', message: 'no Porthole list, block or code found in the input' };
    }
    const used = stores.state.codeByNonce(code.content.nonce);
    if (used) {
      return { kind: 'code', status: 'already-added', reason: 'already-added', message: `this code was already added (on ${used.importedAt.slice(0, 10)})` };
    }
    const verified = verifyCode(code, stores.trust.chains(), options.now ?? new Date(), (p) => stores.state.issuedAtFloor(p));
    const publisher = verified.chain.publisher;
    const words = publisherCheck(publisher);
    const senderName = code.content.name;
    const named = senderName ? { senderName } : {};
    const who = senderName ? `"${senderName}" (a name the sender chose, not checked), publisher ID ${publisher}` : `publisher ID ${publisher}`;
    if (!verified.trusted && !options.acceptNewKey) {
      return { kind: 'code', status: 'needs-trust', publisher, words, ...named, message: `new sender ${who}: check these numbers with the sender before you accept: ${words.join(' ')}` };
    }
    if (!verified.trusted) await stores.trust.add(verified.chain, 'code', senderName);
    const servers: Entry[] = verified.content.servers.map((s) => ({ ...s, id: entryIdFor(s) }));
    const channels = checkCodeChannels(code.content.channels);
    await stores.state.recordCode({
      nonce: code.content.nonce,
      publisher,
      importedAt: new Date().toISOString(),
      expires: code.content.expires.toISOString(),
      servers,
      channels: channels.kept,
    });
    const ignored = channels.refused.length > 0 ? `; ignored ${channels.refused.length === 1 ? 'a channel' : `${channels.refused.length} channels`}: ${channels.refused.join(', ')}` : '';
    return {
      kind: 'code',
      status: 'added',
      publisher,
      words,
      servers,
      newPublisher: !verified.trusted,
      ...named,
      message: `added ${servers.length} server${servers.length === 1 ? '' : 's'} from ${who} (${words.join(' ')})${ignored}`,
    };
  } catch (err) {
    return rejected('code', err);
  }
}
