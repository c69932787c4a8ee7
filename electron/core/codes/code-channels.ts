// Which channels a one-time code may name: the same kinds a signed list may (https://, page:,
// dns:NAME, doh:URL#NAME; never file: or a DNS server of the code's choosing), and none that
// points at this computer (a code's sender is trusted for its servers, not to make the client
// poke loopback services).
import { isIP } from 'node:net';
import { bareHost, parseIPv6 } from '../../../shared/ip.ts';
import { ChannelSpecSchema, LIMITS } from '../../../shared/list-format.ts';

export interface CheckedChannels {
  kept: string[];
  /** One line per refused channel: the spec (shortened) and why. */
  refused: string[];
}

export function checkCodeChannels(channels: readonly string[]): CheckedChannels {
  const kept: string[] = [];
  const refused: string[] = [];
  for (const spec of channels) {
    const why = codeChannelProblem(spec) ?? (kept.length >= LIMITS.maxChannels ? `more than ${LIMITS.maxChannels} channels` : null);
    if (why) refused.push(`${spec.length > 60 ? `${spec.slice(0, 57)}…` : spec} (${why})`);
    else if (!kept.includes(spec)) kept.push(spec);
  }
  return { kept, refused };
}

/** Why a code may not name this channel, or null when it may. */
function codeChannelProblem(spec: string): string | null {
  if (!ChannelSpecSchema.safeParse(spec).success) {
    return 'a code may name https://, page:https://, dns:NAME or doh:URL#NAME channels only';
  }
  const url = spec.startsWith('page:') ? spec.slice(5) : spec.startsWith('doh:') ? spec.slice(4, spec.lastIndexOf('#')) : spec.startsWith('dns:') ? null : spec;
  if (url === null) return null;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return 'not a URL';
  }
  return pointsAtThisComputer(host) ? 'it points at this computer' : null;
}

/** Loopback, unspecified and link-local addresses, and localhost names (hostname as `new URL` writes it). */
export function pointsAtThisComputer(hostname: string): boolean {
  const host = bareHost(hostname).toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const v6 = isIP(host) === 4 ? null : parseIPv6(host);
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as its IPv4 address.
  const mapped = v6 !== null && v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  const v4 = isIP(host) === 4 ? host.split('.').map(Number) : mapped ? [...v6.subarray(12)] : null;
  if (v4) {
    const [a = 0, b = 0] = v4;
    return a === 127 || a === 0 || (a === 169 && b === 254);
  }
  if (v6) {
    const zeroHead = v6.subarray(0, 15).every((b) => b === 0);
    const loopbackOrUnspecified = zeroHead && (v6[15] === 1 || v6[15] === 0);
    const linkLocal = v6[0] === 0xfe && ((v6[1] as number) & 0xc0) === 0x80; // fe80::/10
    return loopbackOrUnspecified || linkLocal;
  }
  return false;
}
