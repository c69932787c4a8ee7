// The Api's events as a server-sent-event stream. Each connection starts with fresh snapshots
// (so a client that reconnects has missed nothing), then follows the Api's events.
import type { ServerResponse } from 'node:http';
import { ApiEventSchema } from '../../../shared/api.ts';
import type { Api, ApiEvent } from '../../../shared/api.ts';
import { SECURITY_HEADERS } from './static.ts';

export function sseFrame(event: ApiEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

export async function streamEvents(api: Api, res: ServerResponse, heartbeatMs: number): Promise<() => void> {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const queue: ApiEvent[] = [];
  let ready = false;
  const send = (event: ApiEvent) => {
    const checked = ApiEventSchema.safeParse(event);
    if (!checked.success || res.destroyed) return;
    if (ready) res.write(sseFrame(checked.data));
    else queue.push(checked.data);
  };
  // Subscribe before reading snapshots so nothing falls between them; queued events follow the snapshots.
  const unsubscribe = api.subscribe(send);
  const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  res.on('close', stop);
  try {
    const [state, servers, sources, settings] = await Promise.all([api.getState(), api.listServers(), api.getSources(), api.getSettings()]);
    const snapshots: ApiEvent[] = [
      { type: 'state', state }, { type: 'servers', servers }, { type: 'sources', sources }, { type: 'settings', settings },
    ];
    if (!res.destroyed) res.write(': connected\n\n' + snapshots.map(sseFrame).join(''));
  } catch {
    // The client still gets live events; it loads snapshots itself anyway.
  }
  ready = true;
  for (const e of queue.splice(0)) res.write(sseFrame(e));
  return stop;
}
