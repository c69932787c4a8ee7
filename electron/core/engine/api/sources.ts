// The Sources screen's data (channels with their last report, trusted publishers with their list
// and server count), and the senders of pasted codes that wait for the person to trust them.
import { PortholeError } from '../../../../shared/errors.ts';
import type { Publisher, Sources } from '../../../../shared/api.ts';
import { findCode } from '../../../../shared/code-format.ts';
import { bareKeyChain, type RootChain } from '../../lists/roots.ts';
import type { Engine as CoreEngine } from '../engine.ts';
import { channelView, publisherFingerprint, publisherView } from './views.ts';

export function sourcesView(core: CoreEngine): Sources {
  const lists = core.lists();
  const names = new Map(lists.map((l) => [l.publisher, l.payload.name ?? l.publisher]));
  const counts = new Map<string, number>();
  for (const s of core.servers()) if (s.publisher) counts.set(s.publisher, (counts.get(s.publisher) ?? 0) + 1);
  const publishers: Publisher[] = core.publishers().map((p) => publisherView(p, lists.find((l) => l.publisher === p.publisher), counts.get(p.publisher) ?? 0));
  return { channels: core.channelReports().map((r) => channelView(r, names)), publishers, refreshing: core.state().refreshing };
}

/** Pasted codes from an unknown sender, by the sender's fingerprint, until the person trusts it. */
export class PendingTrust {
  private readonly texts = new Map<string, string>();

  note(fingerprint: string, text: string): void {
    this.texts.set(fingerprint, text);
  }

  /** The key to trust for this fingerprint; an ApiError says what is wrong. */
  chain(fingerprint: string): RootChain {
    const pending = this.texts.get(fingerprint);
    if (!pending) throw new PortholeError('not-found', 'nothing waits for this publisher: paste the code again');
    let key: string | undefined;
    try {
      key = findCode(pending)?.content.publicKey;
    } catch {
      key = undefined;
    }
    if (!key) throw new PortholeError('bad-request', 'the code no longer carries a key');
    const chain = bareKeyChain(key);
    if (publisherFingerprint(chain.publisher) !== fingerprint) throw new PortholeError('bad-request', 'the fingerprint does not match the code');
    return chain;
  }

  done(fingerprint: string): void {
    this.texts.delete(fingerprint);
  }
}
