// Moves bytes both ways between a client socket and an upstream stream.
// pipe() semantics written out so each chunk is counted on the way: a side that cannot take more
// pauses the other (nothing buffers without bound), a FIN is passed on as a half-close, and every
// error, idle timeout or close ends both sides. If the upstream fails before any payload byte has
// moved, the relay asks for another upstream and carries on with it (nothing was sent, so nothing
// is re-sent).
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Counters } from './counters.ts';
import type { Dialed } from './dial.ts';
import type { Upstream } from './upstreams/types.ts';

export interface RelayOptions {
  client: Socket;
  dialed: Dialed;
  counters: Counters;
  idleTimeoutMs: number;
  /** Client bytes read during the handshake, to send before anything else. */
  head?: Buffer;
  /** Reports an upstream whose stream failed before any payload moved. */
  reportEarlyFailure?: (upstream: Upstream, err: unknown) => void;
  /** Opens a stream through another candidate, skipping the ones tried; null when none is left. */
  redial?: (tried: ReadonlySet<Upstream>) => Promise<Dialed | null>;
}

/** How long a side may take to flush its last bytes after the other side closed. */
const LINGER_MS = 10_000;

function endThenDestroy(stream: Duplex): void {
  if (stream.destroyed) return;
  const timer = setTimeout(() => stream.destroy(), LINGER_MS);
  timer.unref();
  stream.once('close', () => clearTimeout(timer));
  if (stream.writableFinished) stream.destroy();
  else {
    stream.once('finish', () => stream.destroy());
    stream.end();
  }
}

const noop = (): void => {};

export function relay(o: RelayOptions): void {
  const { client, counters } = o;
  let cur: Dialed = o.dialed;
  let closeStream = counters.open(cur.stats);
  let moved = 0;
  // Bytes each way through the current upstream: once both are non-zero, real traffic worked.
  let sent = 0;
  let received = 0;
  let carried = false;
  const noteCarried = (): void => {
    if (carried || sent === 0 || received === 0) return;
    carried = true;
    cur.carried?.();
  };
  let swapping = false;
  let done = false;
  const tried = new Set<Upstream>([cur.upstream]);

  const finish = (): void => {
    if (done) return;
    done = true;
    closeStream();
    client.destroy();
    cur.stream.destroy();
  };

  // client → upstream
  client.on('data', (chunk: Buffer) => {
    moved += chunk.length;
    sent += chunk.length;
    counters.up(cur.stats, chunk.length);
    noteCarried();
    if (!cur.stream.write(chunk)) client.pause();
  });
  client.on('end', () => { if (!swapping) cur.stream.end(); });
  client.on('drain', () => { if (!swapping) cur.stream.resume(); });
  client.on('error', finish);
  client.on('close', () => {
    if (done) return;
    if (swapping) { finish(); return; }
    done = true;
    closeStream();
    endThenDestroy(cur.stream);
  });
  client.setTimeout(o.idleTimeoutMs);
  client.on('timeout', finish);

  const attach = (d: Dialed): void => {
    const stream = d.stream;
    (stream as Partial<Socket>).setNoDelay?.(true);
    const onData = (chunk: Buffer): void => {
      moved += chunk.length;
      received += chunk.length;
      counters.down(d.stats, chunk.length);
      noteCarried();
      if (!client.write(chunk)) stream.pause();
    };
    const onDrain = (): void => { client.resume(); };
    const onEnd = (): void => { client.end(); };
    const detach = (): void => {
      stream.off('data', onData);
      stream.off('drain', onDrain);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      stream.on('error', noop);
    };
    const onError = (err: unknown): void => {
      if (moved === 0 && o.redial && !client.destroyed && !done) {
        detach();
        stream.destroy();
        swapAfter(err);
        return;
      }
      finish();
    };
    const onClose = (): void => {
      if (done) return;
      done = true;
      closeStream();
      endThenDestroy(client);
    };
    stream.on('data', onData);
    stream.on('drain', onDrain);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    stream.resume();
  };

  const swapAfter = (err: unknown): void => {
    swapping = true;
    client.pause();
    closeStream();
    o.reportEarlyFailure?.(cur.upstream, err);
    const redial = o.redial as NonNullable<RelayOptions['redial']>;
    redial(tried).then((next) => {
      if (!next || done || client.destroyed) {
        next?.stream.destroy();
        if (!done) { done = true; client.destroy(); }
        return;
      }
      swapping = false;
      cur = next;
      tried.add(next.upstream);
      closeStream = counters.open(next.stats);
      attach(next);
      if (client.readableEnded) next.stream.end();
      client.resume();
    }, () => {
      if (!done) { done = true; client.destroy(); }
    });
  };

  attach(cur);
  let canWrite = true;
  if (o.head && o.head.length > 0) {
    moved += o.head.length;
    sent += o.head.length;
    counters.up(cur.stats, o.head.length);
    canWrite = cur.stream.write(o.head);
  }
  // The client may have sent its FIN along with its request, before the relay started.
  if (client.readableEnded) cur.stream.end();
  // Otherwise the upstream's 'drain' resumes the client.
  if (canWrite) client.resume();
}
