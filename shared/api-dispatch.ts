// Server side of any transport (Electron IPC, loopback HTTP): validates a raw request against the
// contract, calls the implementation, validates its response. Transports stay generic over methods.
import { PortholeError } from './errors.ts';
import { API_METHODS, isMethodName } from './api.ts';
import type { Api, ApiErrorPayload } from './api.ts';
import { toErrorPayload } from './api-results.ts';
import { zodMessage } from './zod-message.ts';

/** How a request or response that failed the contract is described: up to five issues, 500 characters. */
export const API_ISSUES = { root: '(request)', max: 5, maxChars: 500 } as const;

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: ApiErrorPayload };

/** Validates and runs one call; throws a PortholeError ('bad-request' or 'internal') for a bad method, request or response. */
export async function callApi(api: Api, method: string, rawRequest: unknown): Promise<unknown> {
  if (!isMethodName(method)) throw new PortholeError('bad-request', 'unknown method');
  const spec = API_METHODS[method];
  const request = spec.request.safeParse(rawRequest ?? {});
  if (!request.success) throw new PortholeError('bad-request', zodMessage(request.error, API_ISSUES));
  const fn = api[method] as (req: unknown) => Promise<unknown>;
  const raw = await fn.call(api, request.data);
  const response = spec.response.safeParse(raw);
  if (!response.success) throw new PortholeError('internal', `invalid ${method} response: ${zodMessage(response.error, API_ISSUES)}`);
  return response.data;
}

/** Like callApi, but never throws: the shape both transports send back. */
export async function dispatch(api: Api, method: string, rawRequest: unknown): Promise<DispatchResult> {
  try {
    return { ok: true, result: await callApi(api, method, rawRequest) };
  } catch (err) {
    return { ok: false, error: toErrorPayload(err) };
  }
}
