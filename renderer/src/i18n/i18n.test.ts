import { describe, expect, it } from 'vitest';
import { RESOURCES, createI18n, detectLanguage, resolveLanguage } from './index.ts';

type Tree = { [k: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** Keys with plural suffixes folded into their base, each with its set of plural forms. */
function bases(tree: Tree): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of flatten(tree).keys()) {
    const m = PLURAL.exec(key);
    const base = m ? key.slice(0, -m[0].length) : key;
    const forms = out.get(base) ?? new Set();
    if (m) forms.add(m[1]!);
    out.set(base, forms);
  }
  return out;
}

const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const en = RESOURCES.en as unknown as Tree;

describe.each(['ru', 'kk'] as const)('%s translation', (lang) => {
  const tr = RESOURCES[lang] as unknown as Tree;

  it('has exactly the English keys', () => {
    expect([...bases(tr).keys()].sort()).toEqual([...bases(en).keys()].sort());
  });

  it('has every plural form the language needs', () => {
    const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    for (const [base, forms] of bases(tr)) {
      if (bases(en).get(base)!.size === 0) continue;
      for (const f of needed) expect(forms, `${base}_${f}`).toContain(f);
    }
  });

  it('uses the same placeholders and no empty or untranslated strings', () => {
    const source = flatten(en);
    const flat = flatten(tr);
    for (const [key, value] of flat) {
      expect(value.trim(), key).not.toBe('');
      const base = key.replace(PLURAL, '');
      const enValue = source.get(key) ?? source.get(`${base}_other`)!;
      expect(vars(value), key).toEqual(vars(enValue));
    }
    // Most strings differ from English (names like "Telegram" and formats may not).
    const same = [...flat].filter(([k, v]) => source.get(k) === v && /[a-z]{4}/.test(v));
    expect(same.map(([k]) => k).filter((k) => !/^apps\.name\.|Addresses$|^channelKind\.(dns|telegram)$/.test(k))).toEqual([]);
  });
});

describe('language choice', () => {
  it('detects kk, ru and en from browser languages, English otherwise', () => {
    expect(detectLanguage(['kk-KZ', 'ru'])).toBe('kk');
    expect(detectLanguage(['ru-RU'])).toBe('ru');
    expect(detectLanguage(['be-BY'])).toBe('ru');
    expect(detectLanguage(['fa-IR', 'en-US'])).toBe('en');
    expect(detectLanguage(['de'])).toBe('en');
    expect(detectLanguage([])).toBe('en');
  });

  it('an explicit setting wins over the browser', () => {
    expect(resolveLanguage('kk', ['ru'])).toBe('kk');
    expect(resolveLanguage('auto', ['ru'])).toBe('ru');
    expect(resolveLanguage(undefined, ['kk'])).toBe('kk');
  });

  it('pluralizes Russian correctly', () => {
    const i18n = createI18n('ru');
    expect(i18n.t('servers.summary', { count: 1, working: 1 })).toBe('1 сервер, работают: 1.');
    expect(i18n.t('servers.summary', { count: 3, working: 1 })).toBe('3 сервера, работают: 1.');
    expect(i18n.t('servers.summary', { count: 11, working: 1 })).toBe('11 серверов, работают: 1.');
    expect(i18n.t('servers.summary', { count: 21, working: 1 })).toBe('21 сервер, работают: 1.');
  });

  it('reports right-to-left for RTL languages so the layout can mirror', () => {
    const i18n = createI18n('en');
    expect(i18n.dir('fa')).toBe('rtl');
    expect(i18n.dir('kk')).toBe('ltr');
  });
});

describe('formatting', () => {
  it('relative times come from our translations, with plurals', async () => {
    const { relativeTime } = await import('../format.ts');
    const now = Date.parse('2025-03-14T12:00:00Z');
    const ago = (sec: number) => new Date(now - sec * 1000).toISOString();
    const kk = createI18n('kk').t;
    const ru = createI18n('ru').t;
    expect(relativeTime(kk, ago(10), now)).toBe('жаңа ғана');
    expect(relativeTime(kk, ago(5 * 60), now)).toBe('5 минут бұрын');
    expect(relativeTime(ru, ago(2 * 3600), now)).toBe('2 часа назад');
    expect(relativeTime(ru, ago(5 * 86_400), now)).toBe('5 дней назад');
    expect(relativeTime(ru, null, now)).toBeNull();
  });

  it('country names in the UI language, Russian ones when Kazakh data is missing', async () => {
    const { countryName } = await import('../format.ts');
    expect(countryName('ru', 'DE')).toBe('Германия');
    // Kazakh where the ICU data has it, Russian otherwise: Cyrillic either way, never English.
    expect(countryName('kk', 'NL')).toMatch(/^Нидерланд/);
    expect(countryName('en', 'NL')).toBe('Netherlands');
    expect(countryName('en', undefined)).toBeNull();
  });
});
