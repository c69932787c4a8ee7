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

/** Names browsers' ICU data often lacks in Kazakh (Chromium falls back to Russian's "Казахстан"). */
const KK_NAMES: Record<string, string> = {
  KZ: 'Қазақстан', RU: 'Ресей', KG: 'Қырғызстан', UZ: 'Өзбекстан', TJ: 'Тәжікстан', TM: 'Түрікменстан', CN: 'Қытай',
  TR: 'Түркия', DE: 'Германия', NL: 'Нидерланд', FI: 'Финляндия', EE: 'Эстония', LT: 'Литва', PL: 'Польша', US: 'АҚШ',
  GB: 'Ұлыбритания', FR: 'Франция', GE: 'Грузия', AM: 'Армения', AZ: 'Әзірбайжан', MN: 'Моңғолия', AE: 'БАӘ',
};

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
  if (lang === 'kk' && KK_NAMES[code]) return KK_NAMES[code];
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

/** A latency for people: "84 ms", "under 1 ms" (never "0 ms"), "—" when unknown. */
export function latency(t: TFunction, ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1) return t('journeys.msUnder');
  return t('common.ms', { ms: Math.round(ms) });
}

/** A list version: publishers often use the signing time (10 digits of unix seconds): show a date. */
export function listVersion(t: TFunction, lang: string, version: number | null): string {
  if (version === null) return '—';
  if (version >= 1_000_000_000 && version < 100_000_000_000) {
    return t('journeys.version', { date: new Intl.DateTimeFormat(lang, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(version * 1000)) });
  }
  return version >= 1_000_000 ? `${String(version).slice(0, 4)}…${String(version).slice(-2)}` : String(version);
}

const ERROR_KINDS: [RegExp, string][] = [
  [/\bENOENT\b|no such file/i, 'notFound'],
  [/\bECONNREFUSED\b|connection refused/i, 'refused'],
  [/\bETIMEDOUT\b|\bESOCKETTIMEDOUT\b|timed? ?out/i, 'timeout'],
  [/\bE(NET|HOST)UNREACH\b|unreachable/i, 'unreachable'],
  [/\bENOTFOUND\b|\bEAI_AGAIN\b|\bENODATA\b|\bSERVFAIL\b|\bNXDOMAIN\b/i, 'dns'],
  [/\bECONNRESET\b|\bEPIPE\b|socket hang up/i, 'reset'],
  [/\bCERT_|\bERR_TLS|\bERR_SSL|\bSSL\b|self[- ]signed/i, 'tls'],
  [/\bEACCES\b|\bEPERM\b/i, 'denied'],
];

/** An error message for people: system error codes (ENOENT, ECONNREFUSED…) become words. */
export function humanError(t: TFunction, message: string): string {
  if (!/\b(E[A-Z_]{3,}|ERR_[A-Z_]+|CERT_[A-Z_]+)\b/.test(message)) return message;
  for (const [re, key] of ERROR_KINDS) if (re.test(message)) return t(`journeys.errors.${key}`);
  return t('journeys.errors.other');
}
