// TXT look-ups over DNS-over-HTTPS (RFC 8484, application/dns-message), GET first and POST
// when the server turns GET down, across several endpoints raced with a stagger.
import dnsPacket from 'dns-packet';
import type { TxtLookup } from './dns-system.ts';
import { httpRequest, type HttpRequest } from './http-get.ts';
import { isAllFailed, raceStaggered, type AllFailedError } from './race.ts';
import { channelFailure, classifyError, type ChannelFailure } from './result.ts';
import type { ChannelSettings, ProxyAgentOption } from './types.ts';

const DNS_MESSAGE = 'application/dns-message';
/** A DNS message is at most 65535 bytes. */
const MAX_MESSAGE = 65_535;
/** Statuses that mean "not this method": try POST. */
const TRY_POST = new Set([400, 405, 414, 415, 501]);

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function encodeTxtQuery(name: string): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id: 0, // RFC 8484 §4.1: 0 keeps GET answers cacheable
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'TXT', class: 'IN', name }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

/** The TXT records in a DNS answer, each as its strings; throws coded errors like node:dns. */
function decodeTxtAnswer(message: Buffer, name: string): string[][] {
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(message);
  } catch {
    throw coded('DoH answer is not a DNS message', 'EBADRESP');
  }
  const rcode = (packet as { rcode?: string }).rcode ?? 'NOERROR';
  if (rcode === 'NXDOMAIN') throw coded(`${name}: no such name`, 'ENOTFOUND');
  if (rcode === 'REFUSED') throw coded(`${name}: refused`, 'EREFUSED');
  if (rcode !== 'NOERROR') throw coded(`${name}: ${rcode}`, rcode === 'SERVFAIL' ? 'ESERVFAIL' : `E${rcode}`);
  const out: string[][] = [];
  for (const a of packet.answers ?? []) {
    if (a.type !== 'TXT') continue;
    const data = Array.isArray(a.data) ? a.data : [a.data];
    out.push(data.map((d) => (typeof d === 'string' ? d : d.toString('latin1'))));
  }
  if (out.length === 0) throw coded(`${name}: no TXT records`, 'ENODATA');
  return out;
}

async function exchange(
  endpoint: string,
  query: Buffer,
  method: 'GET' | 'POST',
  signal: AbortSignal,
  settings: ChannelSettings,
  proxy: ProxyAgentOption | undefined,
): Promise<{ status: number; body?: Buffer }> {
  const req: HttpRequest = { signal, maxBytes: MAX_MESSAGE, url: endpoint, headers: { accept: DNS_MESSAGE }, ...(proxy ? { proxy } : {}) };
  if (method === 'GET') {
    req.url = `${endpoint}${endpoint.includes('?') ? '&' : '?'}dns=${query.toString('base64url')}`;
  } else {
    req.method = 'POST';
    req.body = query;
    req.headers = { accept: DNS_MESSAGE, 'content-type': DNS_MESSAGE };
  }
  const out = await httpRequest(req, settings);
  if (out.kind === 'ok') {
    if (!out.contentType?.toLowerCase().startsWith(DNS_MESSAGE)) throw coded(`answer is ${out.contentType ?? 'untyped'}, not ${DNS_MESSAGE}`, 'EBADRESP');
    return { status: out.statusCode, body: out.body };
  }
  return { status: out.kind === 'status' ? out.statusCode : 304 };
}

/** One TXT query against one DoH endpoint. */
async function dohQuery(
  endpoint: string,
  name: string,
  signal: AbortSignal,
  settings: ChannelSettings,
  proxy?: ProxyAgentOption,
): Promise<string[][]> {
  const query = encodeTxtQuery(name);
  let res = await exchange(endpoint, query, 'GET', signal, settings, proxy);
  if (!res.body && TRY_POST.has(res.status)) res = await exchange(endpoint, query, 'POST', signal, settings, proxy);
  if (!res.body) throw channelFailure(res.status === 451 ? 'blocked' : 'http-error', `HTTP ${res.status}`);
  return decodeTxtAnswer(res.body, name);
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/** Sums up the failures of every endpoint into one status and one line. */
function summarize(endpoints: readonly string[], err: AllFailedError): ChannelFailure {
  const parts = err.errors.map((e, i) => ({ host: hostOf(endpoints[i] ?? '?'), ...classifyError(e) }));
  const statuses = new Set(parts.map((p) => p.status));
  const status = statuses.size === 1 ? (parts[0]?.status ?? 'error') : statuses.has('blocked') ? 'blocked' : 'error';
  const detail = parts.map((p) => `${p.host}: ${p.detail}`).join('; ');
  // DNS answers (no such name, no records) from any endpoint are worth keeping as the code.
  const dnsCode = parts.find((p) => p.detail === 'ENOTFOUND' || p.detail === 'ENODATA');
  return channelFailure(status, detail, dnsCode ? { code: dnsCode.detail } : undefined);
}

export function dohTxtLookup(endpoints: readonly string[], settings: ChannelSettings, proxy?: ProxyAgentOption): TxtLookup {
  return async (name, signal) => {
    try {
      return await raceStaggered(endpoints.map((ep) => (s: AbortSignal) => dohQuery(ep, name, s, settings, proxy)), settings.dohStaggerMs, signal);
    } catch (err) {
      throw isAllFailed(err) ? summarize(endpoints, err) : err;
    }
  };
}
