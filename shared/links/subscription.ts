// Reads a subscription or any pasted text that carries servers: plain or base64 lists of share
// links (also links inside a message), Clash/mihomo YAML `proxies:`, sing-box JSON `outbounds`,
// Outline configs. Each bad line or item is reported with its line (or item) and why; the rest
// still imports. One pass over the text; no regex runs over the whole input.
import { checkEntry } from './check.ts';
import { clip, decodeLooseBase64, isLinkError, type ParsedLink } from './common.ts';
import { clashProxy } from './clash.ts';
import { isOutlineConfig, outlineConfig } from './outline-config.ts';
import { ROUTING_OUTBOUNDS, singboxOutbound } from './singbox.ts';
import { MAX_CONFIG_CHARS, parseJsonConfig, parseYamlConfig, yamlItems, yamlValue } from './structured.ts';
import { asObj, str } from './config-values.ts';
import { LINK_SCHEMES, parseProxyLink } from '../proxy-link.ts';
import { isPortholeError, PortholeError } from '../errors.ts';

/** At most this many servers are read from one subscription. */
export const MAX_SUBSCRIPTION_ENTRIES = 5000;

export interface SubscriptionProblem {
  /** 1-based line of the input (of the decoded text for base64 lists); null when not line-based. */
  line: number | null;
  message: string;
}

export type SubscriptionFormat = 'links' | 'base64' | 'clash' | 'sing-box' | 'outline';

export interface Subscription {
  format: SubscriptionFormat;
  entries: ParsedLink[];
  problems: SubscriptionProblem[];
  /** ssconf:// keys found: they are fetched by the caller (https URL and the line). */
  dynamicKeys: { line: number | null; url: string }[];
}

const SCHEMES = new Set<string>([...LINK_SCHEMES, 'http', 'https']);

/** The servers `text` carries, or null when it holds nothing that looks like servers. */
export function parseSubscription(text: string): Subscription | null {
  if (text.length > MAX_CONFIG_CHARS) throw new PortholeError('bad-config', `this subscription is too large: ${Math.round(text.length / 1024)} KB (the limit is ${MAX_CONFIG_CHARS / 1024 / 1024} MB)`);
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (trimmed.startsWith('{')) return fromJson(trimmed);
  if (looksLikeYaml(trimmed)) return fromYaml(trimmed);
  if (!trimmed.includes('://')) {
    const decoded = decodeLooseBase64(trimmed);
    if (decoded !== null && decoded.includes('://')) {
      const out = fromLines(decoded, 'base64');
      return out.entries.length + out.problems.length + out.dynamicKeys.length > 0 ? out : null;
    }
    return null;
  }
  const out = fromLines(trimmed, 'links');
  return out.entries.length + out.problems.length + out.dynamicKeys.length > 0 ? out : null;
}

function looksLikeYaml(text: string): boolean {
  for (const line of text.slice(0, 64 * 1024).split('\n')) {
    if (line.startsWith('proxies:') || line.startsWith('Proxy:') || line.startsWith('transport:')) return true;
  }
  return false;
}

function empty(format: SubscriptionFormat): Subscription {
  return { format, entries: [], problems: [], dynamicKeys: [] };
}

function add(out: Subscription, entry: ParsedLink, line: number | null, check = false): void {
  if (check) checkEntry(entry);
  if (out.entries.length < MAX_SUBSCRIPTION_ENTRIES) out.entries.push(entry);
  else if (out.entries.length === MAX_SUBSCRIPTION_ENTRIES && !out.problems.some((p) => p.message.startsWith('only the first'))) {
    out.problems.push({ line, message: `only the first ${MAX_SUBSCRIPTION_ENTRIES} servers were read` });
  }
}

function problem(out: Subscription, line: number | null, err: unknown, what: string): void {
  if (!isLinkError(err)) throw err;
  if (out.problems.length < 1000) out.problems.push({ line, message: what === '' ? err.message : `${what}: ${err.message}` });
}

function fromLines(text: string, format: 'links' | 'base64'): Subscription {
  const out = empty(format);
  const lines = text.split('\n');
  const single = lines.filter((l) => l.trim() !== '').length === 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    const startScheme = schemeAt(line, 0);
    // A line that is a link: the whole line (names after '#' may hold spaces).
    const links = startScheme !== null ? [line] : linksInside(line);
    for (const link of links) {
      const scheme = schemeAt(link, 0) ?? '';
      if ((scheme === 'http' || scheme === 'https') && !single && !isProxyLike(link)) continue; // a web link in a message
      try {
        add(out, parseProxyLink(link), i + 1);
      } catch (err) {
        if (isPortholeError(err, 'dynamic-key') && err.url !== undefined) out.dynamicKeys.push({ line: i + 1, url: err.url });
        else problem(out, i + 1, err, single ? '' : `line ${i + 1} (${clip(link)})`);
      }
    }
  }
  return out;
}

/** The scheme of a link starting at `at` ("vless" in "vless://…"), or null. */
function schemeAt(text: string, at: number): string | null {
  const sep = text.indexOf('://', at);
  if (sep < 0 || sep - at > 32 || sep === at) return null;
  const scheme = text.slice(at, sep).toLowerCase();
  for (let i = 0; i < scheme.length; i++) {
    const c = scheme.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e));
    if (!ok) return null;
  }
  return scheme;
}

/** Links of known schemes inside a line of prose, each up to the next whitespace. */
function linksInside(line: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const sep = line.indexOf('://', from);
    if (sep < 0) return out;
    let start = sep;
    while (start > 0 && sep - start < 32 && /[A-Za-z0-9+.-]/.test(line[start - 1]!)) start--;
    let end = sep + 3;
    while (end < line.length && !/\s/.test(line[end]!)) end++;
    const scheme = line.slice(start, sep).toLowerCase();
    if (SCHEMES.has(scheme)) out.push(line.slice(start, end));
    from = end;
  }
}

/** An http(s) link that names a proxy (no path, or Telegram's proxy pages). */
function isProxyLike(link: string): boolean {
  const rest = link.slice(link.indexOf('://') + 3);
  const lower = rest.slice(0, 32).toLowerCase();
  if (lower.startsWith('t.me/proxy') || lower.startsWith('t.me/socks') || lower.startsWith('telegram.me/')) return true;
  const slash = rest.indexOf('/');
  return slash < 0 || slash === rest.length - 1;
}

function fromJson(text: string): Subscription | null {
  const value = parseJsonConfig(text);
  const o = asObj(value);
  if (!o) return null;
  if (Array.isArray(o.outbounds)) {
    const out = empty('sing-box');
    o.outbounds.forEach((item, i) => {
      const type = str(asObj(item)?.type)?.toLowerCase() ?? '';
      if (ROUTING_OUTBOUNDS.has(type)) return;
      const name = str(asObj(item)?.tag);
      try {
        add(out, singboxOutbound(item), null, true);
      } catch (err) {
        problem(out, null, err, `outbound ${i + 1}${name ? ` ("${clip(name)}")` : ''}`);
      }
    });
    return out;
  }
  if (isOutlineConfig(o)) return outline(o);
  return null;
}

function fromYaml(text: string): Subscription | null {
  const config = parseYamlConfig(text);
  const items = yamlItems(config, 'proxies') ?? yamlItems(config, 'Proxy');
  if (!items) {
    const value = yamlValue(config);
    return isOutlineConfig(value) ? outline(value) : null;
  }
  const out = empty('clash');
  for (const { line, value } of items) {
    const name = str(asObj(value)?.name);
    try {
      if (value instanceof Error) throw value;
      add(out, clashProxy(value), line, true);
    } catch (err) {
      problem(out, line, err, `line ${line}${name ? ` (proxy "${clip(name)}")` : ''}`);
    }
  }
  return out;
}

function outline(value: unknown): Subscription {
  const out = empty('outline');
  add(out, outlineConfig(value), null, true); // an Outline config is one server: its error is the whole answer's
  return out;
}
