// Locale-aware formatting of times, numbers and places. Browsers' ICU data for Kazakh is often
// incomplete (Chromium falls back to root or English), so relative times come from our own
// translations, dates use an all-numeric form, and country names fall back kk → ru → en.
import type { TFunction } from 'i18next';
import type { Address } from '../../shared/api.ts';

/** "3 minutes ago" for a past time (a future one reads as "just now"). */
export function relativeTime(t: TFunction, iso: string | null, now = Date.now()): string | null {
  if (!iso) return null;
  const sec = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (sec < 45) return t('time.now');
  if (sec < 45 * 60) return t('time.minutes', { count: Math.max(1, Math.round(sec / 60)) });
  if (sec < 22 * 3600) return t('time.hours', { count: Math.round(sec / 3600) });
  return t('time.days', { count: Math.max(1, Math.round(sec / 86_400)) });
}

export function dateTime(lang: string, iso: string | null): string | null {
  if (!iso) return null;
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .format(new Date(iso));
}

const COUNTRY_FALLBACK: Record<string, string[]> = { kk: ['kk', 'ru', 'en'], ru: ['ru', 'en'], en: ['en'] };

function regionName(lang: string, code: string): string | null {
  try {
    return new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' }).of(code) ?? null;
  } catch {
    return null;
  }
}

export function countryName(lang: string, code: string | undefined): string | null {
  if (!code) return null;
  const english = regionName('en', code);
  for (const l of COUNTRY_FALLBACK[lang] ?? [lang, 'en']) {
    const name = regionName(l, code);
    // A name identical to English in another language usually means the data is missing.
    if (name && name !== code && (l === 'en' || name !== english)) return name;
  }
  return english ?? code;
}

export function percent(lang: string, share: number | null): string | null {
  if (share === null) return null;
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function address(a: Address): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
