// Imports whatever a person pastes, drops or opens: a signed list file, text or HTML
// with armored blocks, a one-time code, or servers of their own (share links, subscriptions,
// Clash/sing-box/Outline configs: see import-servers.ts). Verifies signed input first; stores
// only what verified; a rejected input changes nothing that was stored before.
import { fromUtf8 } from '../../../shared/base64url.ts';
import { extractArmored } from '../../../shared/armor.ts';
import { entryIdFor } from '../../../shared/proxy-link.ts';
import type { Entry } from '../../../shared/entry.ts';
import type { ClientStores } from './open.ts';
import { checkCodeChannels } from '../codes/code-channels.ts';
import { readCode, verifyCode } from '../codes/codes.ts';
import { publisherCheck } from '../crypto/fingerprint.ts';
import { Rejection, type RejectionReason } from '../lists/signed.ts';
import { verifyList } from '../lists/verify.ts';
import { importServers, type ServerImportOptions, type ServersOutcome } from './import-servers.ts';

export type ImportOutcome =
  | { kind: 'list'; status: 'added' | 'updated'; publisher: string; version: number; entries: number; expires: string; message: string }
  | { kind: 'code'; status: 'added'; publisher: string; words: string[]; servers: Entry[]; newPublisher: boolean; message: string; senderName?: string }
  /** `words`: the fingerprint as digit groups to read out; `senderName`: the name the sender gave itself (unchecked). */
  | { kind: 'code'; status: 'needs-trust'; publisher: string; words: string[]; message: string; senderName?: string }
  | { kind: 'list' | 'code' | 'key' | 'input'; status: 'rejected' | 'already-added'; reason: RejectionReason | 'nothing-found' | 'publisher-key'; message: string }
  | ServersOutcome;

export interface ImportOptions extends ServerImportOptions {
  /** Accept a new publisher key carried by a code (the person confirmed its words). */
  acceptNewKey?: boolean;
  now?: Date;
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
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
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

/**
 * One accept at a time per client: verifying, caching and recording must each see the previous
 * accept's result, or two lists arriving at once (a refresh round and a paste) could both pass the
 * version check and leave the older one in the cache and the state.
 */
const lanes = new WeakMap<object, Promise<unknown>>();
function oneAtATime<T>(stores: ClientStores, fn: () => Promise<T>): Promise<T> {
  const run = lanes.get(stores.state) ?? Promise.resolve();
  const p = run.then(fn, fn);
  lanes.set(stores.state, p.catch(() => undefined));
  return p;
}

export function acceptList(stores: ClientStores, bytes: Uint8Array, options: ImportOptions): Promise<ImportOutcome> {
  return oneAtATime(stores, () => acceptListNow(stores, bytes, options));
}

async function acceptListNow(stores: ClientStores, bytes: Uint8Array, options: ImportOptions): Promise<ImportOutcome> {
  try {
    const verified = verifyList(bytes, {
      trusted: stores.trust.listChains(),
      codeOnly: stores.trust.codeOnlyChains(),
      now: options.now ?? new Date(),
      floor: (p) => stores.state.issuedAtFloor(p),
      highestVersion: (p) => stores.state.highestVersion(p),
    });
    const had = stores.state.highestVersion(verified.publisher);
    await stores.cache.put(verified.publisher, verified.bytes);
    await stores.state.recordList(verified.publisher, verified.payload.version, verified.payload.issuedAt);
    await stores.trust.add(verified.chain, 'list');
    const p = verified.payload;
    return {
      kind: 'list',
      status: had === undefined ? 'added' : 'updated',
      publisher: p.publisher,
      version: p.version,
      entries: p.entries.length,
      expires: p.expires,
      message: `${had === undefined ? 'added' : 'updated'} list v${p.version} of ${p.name ?? p.publisher}: ${p.entries.length} servers, expires ${p.expires.slice(0, 10)}`
        + (verified.strippedRoots ? `; the publisher roots it carried did not verify and were not kept` : ''),
    };
  } catch (err) {
    return rejected('list', err);
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

function rejected(kind: 'list' | 'code', err: unknown): ImportOutcome {
  if (err instanceof Rejection && err.reason === 'unchanged') return { kind, status: 'already-added', reason: 'unchanged', message: `already added: ${err.message}` };
  if (err instanceof Rejection) return { kind, status: 'rejected', reason: err.reason, message: err.message };
  throw err;
}

