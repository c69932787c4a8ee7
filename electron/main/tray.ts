// The tray icon: status tooltip and quick actions, rebuilt when the state or language changes.
import { Menu, Tray, nativeImage } from 'electron';
import type { Language, State } from '../../shared/api.ts';
import { trayMenu, trayStatus } from './tray-menu.ts';
import type { TrayActions } from './tray-menu.ts';

export interface PortholeTray {
  update(state: State | null, lang: Language): void;
  destroy(): void;
}

export function createTray(iconPath: string, actions: TrayActions): PortholeTray {
  const tray = new Tray(nativeImage.createFromPath(iconPath).resize({ width: 22, height: 22 }));
  tray.on('click', actions.show);
  const update = (state: State | null, lang: Language) => {
    tray.setToolTip(`Porthole — ${trayStatus(state, lang)}`);
    tray.setContextMenu(Menu.buildFromTemplate(trayMenu(state, lang, actions)));
  };
  update(null, 'en');
  return { update, destroy: () => tray.destroy() };
}
