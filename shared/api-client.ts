// Client side of any transport: builds a typed Api from a raw `invoke(method, request)` function,
// validating every response and event against the contract. The object has exactly the contract's
// methods, nothing generic.
import { PortholeError } from './errors.ts';
import { API_METHODS, ApiErrorPayloadSchema, ApiEventSchema, METHOD_NAMES } from './api.ts';
import type { Api, ApiEvent, ApiMethods, Unsubscribe } from './api.ts';
import { API_ISSUES } from './api-dispatch.ts';
import { zodMessage } from './zod-message.ts';
import type { DispatchResult } from './api-dispatch.ts';

export type RawInvoke = (method: string, request: unknown) => Promise<unknown>;
export type RawSubscribe = (listener: (raw: unknown) => void) => Unsubscribe;

/** Turns a transport's reply ({ok, result} | {ok:false, error}) into a value or a thrown ApiError. */
export function unwrapReply(reply: unknown): unknown {
  const r = reply as Partial<DispatchResult> | null;
  if (r && r.ok === true && 'result' in r) return r.result;
  if (r && r.ok === false) {
    const error = ApiErrorPayloadSchema.safeParse(r.error);
    if (error.success) throw new PortholeError(error.data.code, error.data.message);
  }
  throw new PortholeError('internal', 'malformed reply');
}

export function parseEvent(raw: unknown): ApiEvent | null {
  const parsed = ApiEventSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export function createApiClient(invoke: RawInvoke, subscribeRaw: RawSubscribe): Api {
  const methods: Record<string, (request?: unknown) => Promise<unknown>> = {};
  for (const name of METHOD_NAMES) {
    const spec = API_METHODS[name];
    methods[name] = async (request?: unknown) => {
      const req = spec.request.safeParse(request ?? {});
      if (!req.success) throw new PortholeError('bad-request', zodMessage(req.error, API_ISSUES));
      const raw = await invoke(name, req.data);
      const res = spec.response.safeParse(raw);
      if (!res.success) throw new PortholeError('internal', `invalid ${name} response: ${zodMessage(res.error, API_ISSUES)}`);
      return res.data;
    };
  }
  const subscribe = (listener: (event: ApiEvent) => void): Unsubscribe =>
    subscribeRaw((raw) => {
      const event = parseEvent(raw);
      if (event) listener(event);
    });
  return { ...(methods as unknown as ApiMethods), subscribe };
}
