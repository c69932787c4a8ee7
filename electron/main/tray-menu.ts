// What the tray shows: the status in words and quick actions. Pure (testable); tray.ts renders it.
import type { Browser, Language, State } from '../../shared/api.ts';
import { TRAY_STRINGS } from './tray-strings.ts';

export interface TrayActions {
  show(): void;
  connect(): void;
  disconnect(): void;
  openBrowser(browser: Browser): void;
  quit(): void;
}

export interface TrayItem {
  label?: string;
  type?: 'separator' | 'normal';
  enabled?: boolean;
  click?: () => void;
}

export function trayStatus(state: State | null, lang: Language): string {
  const s = TRAY_STRINGS[lang];
  if (!state) return s.idle;
  if (state.phase === 'connected') return s.connected.replace('{name}', state.current?.label ?? '');
  return s[state.phase];
}

export function trayMenu(state: State | null, lang: Language, actions: TrayActions): TrayItem[] {
  const s = TRAY_STRINGS[lang];
  const connected = state?.phase === 'connected';
  const busy = connected || state?.phase === 'searching';
  const browsers = (['firefox', 'chrome', 'telegram'] as const).filter((b) => state?.browsers[b]);
  return [
    { label: trayStatus(state, lang), enabled: false },
    { type: 'separator' },
    { label: s.open, click: actions.show },
    busy ? { label: s.disconnect, click: actions.disconnect } : { label: s.connect, click: actions.connect },
    ...browsers.map((b) => ({ label: s[b], enabled: connected, click: () => actions.openBrowser(b) })),
    { type: 'separator' },
    { label: s.quit, click: actions.quit },
  ];
}
