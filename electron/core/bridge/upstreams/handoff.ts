// Handing a socket over after a handshake. The handshake read with a 'data' listener (or `socks`
// resumed it), so the socket is in flowing or paused mode. We stop the flow, put back bytes that belong
// to the tunnel, and return the socket to its initial state (readableFlowing null): it then starts
// flowing when the consumer pipes it, adds a 'data' listener or resumes it, like a fresh socket, and
// nothing is read away before that (a plain pause() would make a later 'data' listener wait forever).
import type { Readable } from 'node:stream';

export function handOff(stream: Readable, early: readonly Buffer[] = []): void {
  stream.pause();
  for (let i = early.length - 1; i >= 0; i--) {
    const chunk = early[i];
    if (chunk && chunk.length > 0) stream.unshift(chunk);
  }
  // Readable's readableFlowing has a setter (the stream internals use it); null = "not decided yet".
  (stream as { readableFlowing: boolean | null }).readableFlowing = null;
}
