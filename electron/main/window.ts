// The main window: hardened, loads app://porthole/index.html, hides to the tray on close.
import { BrowserWindow } from 'electron';
import { APP_ORIGIN, hardenContents, secureWebPreferences } from './security.ts';

export interface WindowOptions {
  preload: string;
  icon: string;
  devTools: boolean;
  /** When true, closing hides the window (the tray keeps the app running). */
  hideOnClose: () => boolean;
  /** False when started at login: stay in the tray until asked. */
  showWhenReady: boolean;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1024,
    height: 760,
    minWidth: 420,
    minHeight: 480,
    show: false,
    title: 'Porthole',
    icon: options.icon,
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preload, options.devTools),
  });
  hardenContents(win.webContents);
  win.on('close', (event) => {
    if (options.hideOnClose()) {
      event.preventDefault();
      win.hide();
    }
  });
  if (options.showWhenReady) win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
