// Reading fields of untrusted config objects (Clash, sing-box, Outline) without trusting their types.
import { MAX_LINK, parseHost, parsePort } from './common.ts';
import { PortholeError } from '../errors.ts';

export type Obj = Record<string, unknown>;

export function asObj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function bool(v: unknown): boolean {
  return v === true || v === 'true' || v === 1 || v === '1';
}

export function strList(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? v.split(',') : undefined;
}

/** server + port of a config item, both required. */
export function serverOf(server: unknown, port: unknown): { host: string; port: number } {
  const s = str(server)?.trim();
  if (!s) throw new PortholeError('bad-link', 'it has no server address');
  const host = parseHost(s.includes(':') && !s.startsWith('[') ? `[${s}]` : s);
  const p = typeof port === 'number' || typeof port === 'string' ? port : undefined;
  return { host, port: parsePort(p, null) };
}

/** The config item as JSON, kept in an 'unsupported' entry (cut to what an entry holds). */
export function asLink(prefix: string, item: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(item) ?? '';
  } catch {
    text = '';
  }
  return `${prefix}${text}`.slice(0, MAX_LINK);
}
