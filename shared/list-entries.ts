// Forward compatibility of signed lists: an entry of a kind this client does not know (a protocol
// added later, or a field it cannot honour) is read as an 'unsupported' entry that keeps the
// publisher's id, host, ports and label, instead of making the whole list malformed. The entry
// is shown as "needs a newer Porthole" and never dialled; every other entry of the list works.
import { EntrySchema, PROTOCOLS } from './entry.ts';

const KNOWN_FIELDS = new Set(Object.keys(EntrySchema.shape));
/** Fields kept on the 'unsupported' entry (all valid for it). */
const KEPT = ['id', 'host', 'ports', 'label', 'country', 'region', 'tags', 'expires'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What makes this entry unknown to this client ("hysteria3", "vless+flow"), or null when it is known. */
export function futureKind(raw: Record<string, unknown>): string | null {
  const protocol = raw.protocol;
  if (typeof protocol !== 'string') return null; // not an entry at all: the schema says what is wrong
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) return protocol;
  const extra = Object.keys(raw).find((k) => !KNOWN_FIELDS.has(k));
  return extra === undefined ? null : `${protocol}+${extra}`;
}

/** The entries array with future kinds turned into 'unsupported' entries (others untouched). */
export function readFutureEntries(raw: unknown): unknown {
  if (!Array.isArray(raw)) return raw;
  return raw.map((item) => {
    if (!isRecord(item)) return item;
    const kind = futureKind(item);
    if (kind === null) return item;
    const out: Record<string, unknown> = {};
    for (const k of KEPT) if (item[k] !== undefined) out[k] = item[k];
    const port = Array.isArray(item.ports) ? item.ports[0] : undefined;
    const host = typeof item.host === 'string' ? item.host : '';
    out.protocol = 'unsupported';
    out.scheme = kind.slice(0, 32);
    out.link = `${kind.replace(/[^a-z0-9+.-]/gi, '').slice(0, 32) || 'unknown'}://${host.includes(':') ? `[${host}]` : host}:${String(port)}`.slice(0, 4096);
    return out;
  });
}
