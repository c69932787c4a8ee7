// i18next set-up: one instance per app (or test), languages kk/ru/en, picked from the setting or
// from the browser's languages.
import i18next from 'i18next';
import type { i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES } from '../../../shared/api.ts';
import type { Language, LanguageSetting } from '../../../shared/api.ts';
import { en } from './en.ts';
import { kk } from './kk.ts';
import { ru } from './ru.ts';

export const RESOURCES = { en, ru, kk } as const;

/** Languages whose speakers usually read one of ours better than English. */
const FALLBACKS: Record<string, Language> = { be: 'ru' };

export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
    const fallback = FALLBACKS[base];
    if (fallback) return fallback;
  }
  return 'en';
}

export function resolveLanguage(setting: LanguageSetting | undefined, preferred: readonly string[]): Language {
  return setting && setting !== 'auto' ? setting : detectLanguage(preferred);
}

export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources: { en: { translation: en }, ru: { translation: ru }, kk: { translation: kk } },
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
    returnNull: false,
  });
  return instance;
}
