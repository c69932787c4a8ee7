// The Api over loopback HTTP + server-sent events, for the headless web mode (`porthole up --ui`).
// Calls: POST /api/call/<method>; events: GET /api/events (streamed with fetch so the token can
// travel in a header). Reconnects with backoff; the server re-sends snapshots on each connection.
import { createApiClient, unwrapReply } from '../../../shared/api-client.ts';
import type { Api } from '../../../shared/api.ts';
import { SseParser } from './sse.ts';

export interface HttpApiOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Delay before reconnecting the event stream; grows up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

export type HttpApi = Api & { close(): void };

export function createHttpApi(options: HttpApiOptions): HttpApi {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = { authorization: `Bearer ${options.token}` };
  const listeners = new Set<(raw: unknown) => void>();
  let controller: AbortController | null = null;
  let closed = false;

  const invoke = async (method: string, request: unknown): Promise<unknown> => {
    const res = await doFetch(`${options.baseUrl}/api/call/${method}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    const body: unknown = await res.json().catch(() => null);
    return unwrapReply(body);
  };

  const streamOnce = async (signal: AbortSignal): Promise<void> => {
    const res = await doFetch(`${options.baseUrl}/api/events`, { headers: { ...headers, accept: 'text/event-stream' }, signal });
    if (!res.ok || !res.body) throw new Error(`event stream: HTTP ${res.status}`);
    const parser = new SseParser((data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(data);
      } catch {
        return;
      }
      for (const l of [...listeners]) l(raw);
    });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.push(decoder.decode(value, { stream: true }));
    }
  };

  const run = async (ctrl: AbortController): Promise<void> => {
    let delay = options.retryMs ?? 1000;
    while (!ctrl.signal.aborted) {
      try {
        await streamOnce(ctrl.signal);
        delay = options.retryMs ?? 1000;
      } catch {
        // fall through to the retry delay
      }
      if (ctrl.signal.aborted) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, options.maxRetryMs ?? 10_000);
    }
  };

  const subscribeRaw = (listener: (raw: unknown) => void) => {
    listeners.add(listener);
    if (!controller && !closed) {
      controller = new AbortController();
      void run(controller);
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && controller) {
        controller.abort();
        controller = null;
      }
    };
  };

  const api = createApiClient(invoke, subscribeRaw);
  return Object.assign(api, {
    close() {
      closed = true;
      controller?.abort();
      controller = null;
      listeners.clear();
    },
  });
}
