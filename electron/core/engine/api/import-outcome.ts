// What the UI is told about an import: the core's outcomes (one per list or code found) folded
// into the one ImportOutcome of the Api contract.
import type { ImportOutcome as UiImportOutcome } from '../../../../shared/api.ts';
import { findCode } from '../../../../shared/code-format.ts';
import { serverIdFor } from '../../../../shared/server-id.ts';
import type { ImportOutcome } from '../../catalog/import.ts';
import { codeProblem } from '../../codes/codes.ts';
import type { ServersOutcome } from '../../catalog/import-servers.ts';
import { publisherFingerprint } from './views.ts';

export function uiImportOutcome(outcomes: ImportOutcome[], text: string): UiImportOutcome {
  const servers = outcomes.find((o) => o.kind === 'servers');
  if (servers && servers.kind === 'servers') return serversOutcome(servers);
  const added = outcomes.filter((o) => o.status === 'added' || o.status === 'updated');
  if (added.length > 0) {
    const servers = added.flatMap((o) => (o.kind === 'code' && o.status === 'added' ? o.servers.map((s) => serverIdFor(s.id, o.publisher)) : []));
    const count = added.reduce((n, o) => n + (o.kind === 'list' && 'entries' in o ? o.entries : o.kind === 'code' && 'servers' in o ? o.servers.length : 0), 0);
    const first = added[0]!;
    return { kind: 'added', added: count, serverIds: servers, publisher: 'publisher' in first ? first.publisher : null };
  }
  const trust = outcomes.find((o) => o.status === 'needs-trust');
  if (trust && trust.status === 'needs-trust') {
    const servers = codeIn(text)?.content.servers.length ?? 0;
    const name = trust.senderName;
    return { kind: 'needs-trust', publisher: { fingerprint: publisherFingerprint(trust.publisher), words: trust.words, name: name ?? trust.publisher, id: trust.publisher, nameDeclared: name !== undefined }, serverCount: servers };
  }
  if (outcomes.some((o) => o.status === 'already-added')) return { kind: 'already-added', count: outcomes.filter((o) => o.status === 'already-added').length };
  const first = outcomes[0];
  if (first && first.status === 'rejected') {
    if (first.reason === 'damaged') return { kind: 'damaged', message: first.message.slice(0, 500), problem: codeProblem(text, []) ?? 'damaged' };
    if (first.reason === 'expired') return { kind: 'expired', expiredAt: (codeIn(text)?.content.expires ?? new Date()).toISOString() };
    return { kind: 'invalid', message: first.message.slice(0, 500) };
  }
  return { kind: 'invalid', message: 'nothing to import' };
}

function codeIn(text: string): ReturnType<typeof findCode> {
  try {
    return findCode(text);
  } catch {
    return null;
  }
}

/** Servers of one's own (links, subscriptions, configs): added with the lines that failed, or why none could be. */
export function serversOutcome(o: ServersOutcome): UiImportOutcome {
  const problems = o.problems.slice(0, 100).map((p) => ({ line: p.line, message: p.message.slice(0, 500) }));
  if (o.status === 'rejected') return { kind: 'invalid', message: o.message.slice(0, 500), problems };
  if (o.status === 'already-added') return { kind: 'already-added', count: o.already };
  return {
    kind: 'added',
    added: o.servers.length,
    serverIds: o.servers.slice(0, 5000).map((s) => serverIdFor(s.id, null)),
    publisher: null,
    own: true,
    unsupported: o.unsupported,
    already: o.already,
    problems,
  };
}
