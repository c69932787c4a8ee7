// One HTTP(S) request through `got`, bounded every way a hostile network can stretch it:
// per-attempt timeout, a byte cap enforced while the body streams in, a few jittered
// retries (network errors and 5xx only), the caller's abort signal, an optional proxy.
import { rootCertificates } from 'node:tls';
import type { Method, Response } from 'got';
import { transientCodes } from '../net/errno.ts';
import { tooLarge } from './result.ts';
import type { ChannelSettings, ProxyAgentOption } from './types.ts';

export interface HttpRequest {
  url: string;
  method?: Method;
  body?: Uint8Array;
  headers?: Record<string, string>;
  signal: AbortSignal;
  maxBytes: number;
  etag?: string;
  proxy?: ProxyAgentOption;
}

export type HttpOutcome =
  | { kind: 'ok'; statusCode: number; body: Buffer; etag?: string; contentType?: string }
  | { kind: 'not-modified'; etag?: string }
  | { kind: 'status'; statusCode: number };

const RETRY_STATUS = [408, 429, 500, 502, 503, 504];

/** Delay before retry `attempt` (1-based): base·2^(attempt-1), scaled by a random factor in [0.5, 1.5). */
function retryDelay(attempt: number, baseMs: number): number {
  return Math.round(baseMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
}

function caList(ca: ChannelSettings['ca']): string[] | undefined {
  if (ca === undefined) return undefined;
  return [...rootCertificates, ...(Array.isArray(ca) ? ca : [ca])];
}

/**
 * Sends the request. Resolves with the outcome (any HTTP status is an outcome);
 * rejects with a 'too-large' PortholeError past the cap, or got's RequestError / TimeoutError.
 */
export async function httpRequest(req: HttpRequest, settings: ChannelSettings): Promise<HttpOutcome> {
  const cap = new AbortController();
  const signal = AbortSignal.any([req.signal, cap.signal]);
  const headers: Record<string, string> = { 'user-agent': settings.userAgent, ...req.headers };
  if (req.etag) headers['if-none-match'] = req.etag;
  const ca = caList(settings.ca);

  // Loaded on first use (cached after): got and its dependencies are a tenth of the engine's start-up,
  // and a start with a cached list needs no request before the first server works.
  const { default: got } = await import('got');
  const request = got(req.url, {
    method: req.method ?? 'GET',
    ...(req.body ? { body: Buffer.from(req.body) } : {}),
    headers,
    signal,
    responseType: 'buffer',
    throwHttpErrors: false,
    followRedirect: true,
    maxRedirects: 5,
    timeout: { request: settings.timeoutMs },
    ...(ca ? { https: { certificateAuthority: ca } } : {}),
    ...(req.proxy ? { agent: req.proxy } : {}),
    retry: {
      limit: settings.retries,
      methods: ['GET', 'POST'],
      statusCodes: RETRY_STATUS,
      errorCodes: transientCodes(),
      calculateDelay: ({ computedValue, attemptCount }) => (computedValue === 0 ? 0 : retryDelay(attemptCount, settings.retryBaseMs)),
    },
  });
  request.on('downloadProgress', ({ transferred, total }) => {
    // `total` is the announced Content-Length: refuse at once when it is over the cap.
    if (transferred > req.maxBytes || (total !== undefined && total > req.maxBytes)) {
      if (!cap.signal.aborted) cap.abort(tooLarge(req.maxBytes));
    }
  });

  let res: Response<Buffer>;
  try {
    res = await request;
  } catch (err) {
    if (cap.signal.aborted && !req.signal.aborted) throw cap.signal.reason;
    throw err;
  }
  if (res.rawBody.length > req.maxBytes) throw tooLarge(req.maxBytes);
  const etag = headerOf(res, 'etag');
  if (res.statusCode === 304) return etag === undefined ? { kind: 'not-modified' } : { kind: 'not-modified', etag };
  if (res.statusCode < 200 || res.statusCode > 299) return { kind: 'status', statusCode: res.statusCode };
  const out: HttpOutcome = { kind: 'ok', statusCode: res.statusCode, body: res.rawBody };
  if (etag !== undefined) out.etag = etag;
  const contentType = headerOf(res, 'content-type');
  if (contentType !== undefined) out.contentType = contentType;
  return out;
}

function headerOf(res: Response, name: string): string | undefined {
  const v = res.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
}
