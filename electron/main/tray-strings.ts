// The few words the tray shows, in the three UI languages (the window has the full translations).
import type { Language, LanguageSetting } from '../../shared/api.ts';

export const TRAY_STRINGS = {
  en: {
    idle: 'Not connected', searching: 'Looking for a way through…', connected: 'Connected through {name}',
    offline: 'Nothing works right now', open: 'Open Porthole', connect: 'Connect', disconnect: 'Disconnect',
    firefox: 'Open Firefox', chrome: 'Open Chrome', telegram: 'Open Telegram', quit: 'Quit Porthole',
  },
  ru: {
    idle: 'Не подключено', searching: 'Ищем путь в интернет…', connected: 'Подключено через {name}',
    offline: 'Сейчас ничего не работает', open: 'Открыть Porthole', connect: 'Подключиться', disconnect: 'Отключиться',
    firefox: 'Открыть Firefox', chrome: 'Открыть Chrome', telegram: 'Открыть Telegram', quit: 'Выйти из Porthole',
  },
  kk: {
    idle: 'Қосылмаған', searching: 'Өтетін жол ізделуде…', connected: '{name} арқылы қосылды',
    offline: 'Қазір ештеңе жұмыс істемейді', open: 'Porthole-ды ашу', connect: 'Қосылу', disconnect: 'Ажырату',
    firefox: 'Firefox-ты ашу', chrome: 'Chrome-ды ашу', telegram: 'Telegram-ды ашу', quit: 'Porthole-дан шығу',
  },
} as const satisfies Record<Language, Record<string, string>>;

export function trayLanguage(setting: LanguageSetting | undefined, systemLanguages: readonly string[]): Language {
  if (setting && setting !== 'auto') return setting;
  for (const tag of systemLanguages) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (base === 'kk' || base === 'ru' || base === 'en') return base;
    if (base === 'be') return 'ru';
  }
  return 'en';
}
