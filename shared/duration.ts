// Durations and expiry times as people type them — "3d", "12h", "30m", "90s", "2w", "500ms", or
// a date like 2027-01-31 — parsed in this one place for every command and the UI. A number
// without a unit, zero, a negative amount or a time in the past is refused with a plain reason.
import { PortholeError } from './errors.ts';
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION_RE = /^([+-]?)(\d{1,9}(?:\.\d{1,3})?)\s*(ms|s|m|h|d|w)?$/i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export interface DurationOptions {
  /** The unit a bare number means (e.g. 's' for a timeout); by default a bare number is refused. */
  bareUnit?: keyof typeof UNITS;
  /** Longest accepted, in milliseconds. */
  maxMs?: number;
}

/** "30s" → 30000. Always more than zero. */
export function parseDurationMs(text: string, what: string, opts: DurationOptions = {}): number {
  const t = text.trim();
  const m = DURATION_RE.exec(t);
  if (!m) throw new PortholeError('usage', `${what} "${text}" is not a duration: write it like 3d (days), 12h (hours), 30m (minutes) or 90s (seconds)`);
  const unit = m[3]?.toLowerCase() ?? opts.bareUnit;
  if (!unit) throw new PortholeError('usage', `${what} "${text}" has no unit: write ${m[2]}d (days), ${m[2]}h (hours) or ${m[2]}m (minutes)`);
  const ms = Number(m[2]) * UNITS[unit]!;
  if (m[1] === '-' || ms < 1) throw new PortholeError('usage', `${what} "${text}" must be more than zero`);
  if (opts.maxMs !== undefined && ms > opts.maxMs) throw new PortholeError('usage', `${what} "${text}" is too long: at most ${describeMs(opts.maxMs)}`);
  return Math.round(ms);
}

/** An expiry: a duration from `now` or a date; always in the future (and at most `maxMs` ahead). */
export function parseExpiryTime(text: string, now: Date, what = '--expires', opts: Omit<DurationOptions, 'bareUnit'> = {}): Date {
  const t = text.trim();
  const m = DURATION_RE.exec(t);
  if (m && m[1] === '-') throw new PortholeError('usage', `${what} "${text}" is in the past: give a time ahead, like 3d`);
  if (m && Number(m[2]) === 0) throw new PortholeError('usage', `${what} "${text}" would expire at once: give a time ahead, like 3d`);
  if (m) return new Date(now.getTime() + parseDurationMs(t, what, opts));
  if (!DATE_RE.test(t)) throw new PortholeError('usage', `${what} "${text}" is not a duration (3d, 12h, 30m) or a date (2027-01-31)`);
  const at = Date.parse(t);
  if (Number.isNaN(at)) throw new PortholeError('usage', `${what} "${text}" is not a real date`);
  if (at <= now.getTime()) throw new PortholeError('usage', `${what} "${text}" is in the past: give a time ahead, like 3d`);
  if (opts.maxMs !== undefined && at - now.getTime() > opts.maxMs) throw new PortholeError('usage', `${what} "${text}" is too far ahead: at most ${describeMs(opts.maxMs)}`);
  return new Date(at);
}

function describeMs(ms: number): string {
  for (const [unit, size] of [['d', UNITS.d!], ['h', UNITS.h!], ['m', UNITS.m!], ['s', UNITS.s!]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
