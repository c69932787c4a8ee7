// The one IPv6 text <-> bytes codec (RFC 4291 §2.2 text forms in, RFC 5952 form out), plus the
// bracket rule for literals in authorities. Used by the code format (shared) and by the SOCKS5,
// VLESS/VMess and bridge address codecs (electron/core/net). Written by hand: node:net only says
// yes/no and is not available in shared/ (the renderer bundles it); the libraries that parse
// IPv6 (ip-address) are large and regex-driven. This is one linear pass, size-capped.

/** Longest IPv6 literal we read: 8 groups of 4 hex digits and 7 colons, or 6 groups + dotted IPv4 (45), plus a zone. */
const MAX_TEXT = 45 + 1 + 64;

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** A zone id as node:net accepts it: letters, digits, '-', '.', ':'. */
function isZone(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x3a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e;
    if (!ok) return false;
  }
  return true;
}

/** One "h16" group: 1-4 hex digits; -1 if it is not one. */
function hexGroup(text: string): number {
  if (text.length < 1 || text.length > 4) return -1;
  for (let i = 0; i < text.length; i++) if (!isHex(text.charCodeAt(i))) return -1;
  return parseInt(text, 16);
}

/** A dotted IPv4 tail ("192.0.2.1": four decimal octets, no leading zeros) as two groups; null if it is not one. */
function ipv4Groups(text: string): [number, number] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  for (const part of parts) {
    if (part.length < 1 || part.length > 3 || (part.length > 1 && part[0] === '0')) return null;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return null;
    }
    const v = Number(part);
    if (v > 255) return null;
    octets.push(v);
  }
  return [((octets[0] as number) << 8) | (octets[1] as number), ((octets[2] as number) << 8) | (octets[3] as number)];
}

/** The groups of one side of "::" (or of the whole address); the last part may be a dotted IPv4 tail. */
function sideGroups(side: string, mayEndInIpv4: boolean): number[] | null {
  if (side === '') return [];
  const parts = side.split(':');
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (mayEndInIpv4 && i === parts.length - 1 && part.includes('.')) {
      const tail = ipv4Groups(part);
      if (!tail) return null;
      out.push(...tail);
    } else {
      const g = hexGroup(part);
      if (g < 0) return null;
      out.push(g);
    }
  }
  return out;
}

/**
 * The 16 bytes of an IPv6 literal ("2001:db8::1", "::ffff:192.0.2.1", "fe80::1%eth0"; the zone id is
 * dropped); null when the text is not one. Brackets are not part of the literal: see bareHost.
 */
export function parseIPv6(text: string): Uint8Array | null {
  if (text.length < 2 || text.length > MAX_TEXT) return null;
  const zone = text.indexOf('%');
  if (zone >= 0 && !isZone(text.slice(zone + 1))) return null;
  const addr = zone >= 0 ? text.slice(0, zone) : text;
  const gap = addr.indexOf('::');
  let groups: number[];
  if (gap < 0) {
    const all = sideGroups(addr, true);
    if (!all || all.length !== 8) return null;
    groups = all;
  } else {
    if (addr.indexOf('::', gap + 1) >= 0) return null; // at most one "::" (this also refuses ":::")
    const head = sideGroups(addr.slice(0, gap), false);
    const tail = sideGroups(addr.slice(gap + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** True when text is an IPv6 literal (without brackets; a zone id is allowed). */
export function isIPv6Literal(text: string): boolean {
  return parseIPv6(text) !== null;
}

/** RFC 5952 text of 16 address bytes: lower-case hex, the longest run of two or more zero groups as "::". */
export function formatIPv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** A host without the brackets of an authority's "[v6]" form. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
