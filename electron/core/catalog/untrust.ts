// Removing trust in a publisher removes everything it brought: its trust record, the servers
// and channels of its codes, and its cached list. Its version and time floor stay, so that
// trusting it again cannot let an older list back in.
import type { ClientStores } from './open.ts';

export interface Untrusted {
  publisher: string;
  /** How many of its codes (each with servers and channels) were dropped. */
  codes: number;
  /** Whether its cached list was deleted. */
  list: boolean;
  message: string;
}

export async function untrustPublisher(stores: ClientStores, publisher: string): Promise<Untrusted> {
  await stores.trust.remove(publisher); // throws a Rejection for a pinned or unknown publisher
  const codes = await stores.state.forgetCodesOf(publisher);
  const list = await stores.lists.remove(publisher);
  const dropped = [
    codes > 0 ? `the servers and channels of ${codes} code${codes === 1 ? '' : 's'}` : '',
    list ? 'its cached list' : '',
  ].filter(Boolean);
  return { publisher, codes, list, message: `removed publisher ${publisher}${dropped.length ? ` and ${dropped.join(' and ')}` : ''}` };
}
