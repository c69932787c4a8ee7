// The engine process's outgoing messages, sent once per turn of the event loop as one batch instead
// of one by one: a first probe round of 1,000 servers makes five messages per result, and sending,
// receiving and checking them one at a time cost the engine process and the shell more than the
// probing itself. Api events that only say "this is now the value" (state, progress, one server,
// the server list, sources, settings) are sent once per batch, the latest; everything else (replies,
// log lines, the `up` events the CLI prints one per line) goes as it came, in order.
import { MAX_BATCH, type FromEngine, type FromEngineBatch } from './protocol.ts';

export interface Outbox {
  send(message: FromEngine): void;
  /** Sends what waits now (before the process exits). */
  flush(): void;
}

/** The key of an Api event that replaces the one before it with the same key; null for the rest. */
function snapshotKey(message: FromEngine): string | null {
  if (message.t !== 'event') return null;
  const event = message.event as { type?: unknown; server?: { id?: unknown } } | null;
  switch (event?.type) {
    case 'state':
    case 'progress':
    case 'servers':
    case 'sources':
    case 'settings':
      return event.type;
    case 'server':
      return typeof event.server?.id === 'string' ? `server:${event.server.id}` : null;
    default:
      return null;
  }
}

/**
 * `post` sends one message or a batch of them; `later` runs the flush after what the event loop has
 * ready now (setImmediate).
 */
export function createOutbox(post: (message: FromEngine | FromEngineBatch) => void, later: (run: () => void) => void = setImmediate): Outbox {
  let queue: FromEngine[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const all = queue;
    queue = [];
    // Latest wins: a snapshot event is dropped when a later one with the same key follows.
    const seen = new Set<string>();
    const kept: FromEngine[] = [];
    for (let i = all.length - 1; i >= 0; i--) {
      const key = snapshotKey(all[i]!);
      if (key !== null) {
        if (seen.has(key)) continue;
        seen.add(key);
      }
      kept.push(all[i]!);
    }
    kept.reverse();
    if (kept.length === 1) return post(kept[0]!);
    for (let i = 0; i < kept.length; i += MAX_BATCH) post({ t: 'batch', messages: kept.slice(i, i + MAX_BATCH) });
  };
  return {
    send: (message) => {
      queue.push(message);
      if (!scheduled) {
        scheduled = true;
        later(flush);
      }
    },
    flush,
  };
}
