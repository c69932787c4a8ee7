// Every failure code of the one table has words in kk, ru and en: the i18n key its row names
// resolves to a non-empty string in each language (no fallback to another language, no raw key).
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../shared/api.ts';
import { FAILURE_CODES, FAILURES } from '../../../shared/failures.ts';
import { createI18n, RESOURCES } from './index.ts';

function lookup(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), tree);
}

describe('failure texts', () => {
  it('the table has codes, each with its own i18n key row', () => {
    expect(FAILURE_CODES.length).toBeGreaterThan(30);
    for (const code of FAILURE_CODES) expect(FAILURES[code].i18n, code).toMatch(/^[a-zA-Z]+\.[a-z-]+$/);
  });

  for (const lang of LANGUAGES) {
    it(`every code has words in ${lang}`, () => {
      const missing = FAILURE_CODES.filter((code) => {
        const text = lookup(RESOURCES[lang], FAILURES[code].i18n);
        return typeof text !== 'string' || text.trim() === '';
      });
      expect(missing).toEqual([]);
      const t = createI18n(lang).t;
      for (const code of FAILURE_CODES) expect(t(FAILURES[code].i18n), code).toBe(lookup(RESOURCES[lang], FAILURES[code].i18n));
    });
  }

  it('the languages say different things for different codes (no copy-pasted English)', () => {
    for (const code of FAILURE_CODES) {
      expect(lookup(RESOURCES.ru, FAILURES[code].i18n), code).not.toBe(lookup(RESOURCES.en, FAILURES[code].i18n));
      expect(lookup(RESOURCES.kk, FAILURES[code].i18n), code).not.toBe(lookup(RESOURCES.en, FAILURES[code].i18n));
    }
  });
});
