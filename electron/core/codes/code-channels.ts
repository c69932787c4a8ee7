// Which channels a one-time code may name: the same kinds a signed list may (https://, page:,
// dns:NAME, doh:URL#NAME; never file: or a DNS server of the code's choosing), and none that
// points at this computer (a code's sender is trusted for its servers, not to make the client
// poke loopback services).
import { isIP } from 'node:net';
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
export function codeChannelProblem(spec: string): string | null {
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
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const v4 = isIP(host) === 4 ? host : /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1];
  if (v4) {
    const [a = 0, b = 0] = v4.split('.').map(Number);
    return a === 127 || a === 0 || (a === 169 && b === 254);
  }
  if (isIP(host) === 6) {
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mapped) return pointsAtThisComputer(`${parseInt(mapped[1]!, 16) >> 8}.${parseInt(mapped[1]!, 16) & 255}.0.0`);
    return host === '::1' || host === '::' || /^fe[89ab][0-9a-f]?:/.test(host);
  }
  return false;
}
