// Fetches an Outline dynamic key (ssconf://host/path → https://host/path): directly and, when the
// bridge runs, through it at the same time; the first good answer wins. 10 s per attempt (Outline's
// own limit), 64 KB cap. An answer's `error.message` is shown to the person as the provider wrote it.
import { rootCertificates } from 'node:tls';
import { isPortholeError, PortholeError } from '../../../shared/errors.ts';
import { isLinkError, parseProxyLink, type ParsedLink } from '../../../shared/proxy-link.ts';
import { outlineConfig } from '../../../shared/links/outline-config.ts';
import { parseJsonConfig, parseYamlConfig, yamlValue } from '../../../shared/links/structured.ts';
import { httpProxyAgents } from '../channels/proxy-agent.ts';
import type { ProxyAgentOption } from '../channels/types.ts';

const OUTLINE_KEY_TIMEOUT_MS = 10_000;
const OUTLINE_KEY_MAX_BYTES = 64 * 1024;

export interface OutlineKeyOptions {
  /** The bridge's HTTP proxy (http://127.0.0.1:PORT) when it runs: a second way to the key. */
  proxyUrl?: string | undefined;
  /** Extra CA certificates (tests). */
  ca?: string | string[] | undefined;
  timeoutMs?: number;
}

/** The server an Outline dynamic key names. Throws a link error (isLinkError) with a message for people. */
export async function fetchOutlineKey(url: string, options: OutlineKeyOptions = {}): Promise<ParsedLink> {
  const hash = url.indexOf('#');
  const address = hash >= 0 ? url.slice(0, hash) : url;
  const label = hash >= 0 ? safeDecode(url.slice(hash + 1)) : undefined;
  const ways: Promise<string>[] = [get(address, undefined, options)];
  if (options.proxyUrl) ways.push(get(address, httpProxyAgents(options.proxyUrl, options.timeoutMs ?? OUTLINE_KEY_TIMEOUT_MS), options));
  let body: string;
  try {
    body = await Promise.any(ways);
  } catch (err) {
    const first = err instanceof AggregateError ? err.errors[0] : err;
    if (isLinkError(first)) throw first;
    throw new PortholeError('bad-link', `the Outline key could not be fetched from ${hostOf(address)}: ${describe(first)}`);
  }
  const trimmed = body.trim();
  const value = trimmed.startsWith('{') ? parseJsonConfig(trimmed) : yamlValue(parseYamlConfig(trimmed));
  if (typeof value === 'string' && value.startsWith('ss://')) return parseProxyLink(value);
  const entry = outlineConfig(value, label);
  return label && !entry.label ? { ...entry, label } : entry;
}

async function get(url: string, agent: ProxyAgentOption | undefined, options: OutlineKeyOptions): Promise<string> {
  const cap = new AbortController();
  const { default: got } = await import('got'); // loaded on first use, as in channels/http-get.ts
  const request = got(url, {
    responseType: 'buffer',
    throwHttpErrors: false,
    followRedirect: true,
    maxRedirects: 3,
    retry: { limit: 0 },
    timeout: { request: options.timeoutMs ?? OUTLINE_KEY_TIMEOUT_MS },
    signal: cap.signal,
    headers: { 'user-agent': 'Porthole' },
    ...(options.ca ? { https: { certificateAuthority: [...rootCertificates, ...(Array.isArray(options.ca) ? options.ca : [options.ca])] } } : {}),
    ...(agent ? { agent } : {}),
  });
  request.on('downloadProgress', ({ transferred, total }) => {
    if (transferred > OUTLINE_KEY_MAX_BYTES || (total !== undefined && total > OUTLINE_KEY_MAX_BYTES)) cap.abort();
  });
  let res;
  try {
    res = await request;
  } catch (err) {
    if (cap.signal.aborted) throw new PortholeError('bad-link', `the Outline key's answer is larger than ${OUTLINE_KEY_MAX_BYTES / 1024} KB`);
    throw err;
  }
  const text = res.rawBody.subarray(0, OUTLINE_KEY_MAX_BYTES).toString('utf8');
  if (res.statusCode >= 200 && res.statusCode < 300) return text;
  // Providers answer errors as {error: {message}} with a 4xx/5xx status: show that message.
  try {
    outlineConfig(parseJsonConfig(text.trim()));
  } catch (err) {
    if (isPortholeError(err, 'provider-message')) throw err;
  }
  throw new PortholeError('bad-link', `the Outline key's server answered HTTP ${res.statusCode}`);
}

function hostOf(url: string): string {
  const rest = url.slice(url.indexOf('://') + 3);
  const slash = rest.indexOf('/');
  return slash >= 0 ? rest.slice(0, slash) : rest;
}

function describe(err: unknown): string {
  const e = err as { code?: string; name?: string; message?: string };
  if (e?.name === 'TimeoutError' || e?.code === 'ETIMEDOUT') return `no answer within ${OUTLINE_KEY_TIMEOUT_MS / 1000} s`;
  if (e?.code === 'ECONNREFUSED') return 'the connection was refused';
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return 'its name does not resolve';
  if (typeof e?.code === 'string' && e.code.startsWith('ERR_TLS') || e?.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || e?.code === 'SELF_SIGNED_CERT_IN_CHAIN') return 'its certificate is not valid';
  return (e?.message ?? 'network error').slice(0, 120);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text).trim().slice(0, 100) || undefined;
  } catch {
    return text.trim().slice(0, 100) || undefined;
  }
}
