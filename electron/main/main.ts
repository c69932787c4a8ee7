// Electron entry. Small on purpose: it wires the core engine (electron/core/engine) to the window,
// IPC, tray, deep links and clipboard offers. All logic lives in the modules it imports.
import { BrowserWindow, app, clipboard, ipcMain, powerMonitor, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import type { Engine, EngineModule } from '../../shared/api-engine.ts';
import type { State } from '../../shared/api.ts';
import { appProtocolResponse } from './app-protocol.ts';
import { ClipboardOffer } from './clipboard-offer.ts';
import { LINK_SCHEME, importsFromArgv, isPortholeFile, readPortholeFile } from './deep-links.ts';
import { ImportInbox } from './import-inbox.ts';
import { createEventSender, registerApiIpc } from './ipc.ts';
import { HIDDEN_FLAG, applyStartAtLogin } from './login-item.ts';
import { installCleanQuit } from './quit.ts';
import { createSecretBox } from './secrets.ts';
import { APP_ORIGIN, APP_SCHEME, hardenContents, hardenSession } from './security.ts';
import { createTray } from './tray.ts';
import { trayLanguage } from './tray-strings.ts';
import { createMainWindow } from './window.ts';

const root = join(import.meta.dirname, '..', '..');
const paths = {
  renderer: join(root, 'renderer'),
  preload: join(root, 'preload', 'preload.cjs'),
  icon: join(root, '..', 'build', 'icons', 'icon.png'),
};

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.exit(0);
if (!app.isDefaultProtocolClient(LINK_SCHEME)) app.setAsDefaultProtocolClient(LINK_SCHEME);

let win: BrowserWindow | null = null;
let quitting = false;
let state: State | null = null;
const send = createEventSender(() => BrowserWindow.getAllWindows().map((w) => w.webContents), APP_ORIGIN);
const inbox = new ImportInbox(send, show);

function show(): void {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

async function loadEngine(): Promise<Engine> {
  // Built layout: dist/electron/main/main.js → dist/electron/core/engine/index.js.
  const mod = (await import(new URL('../core/engine/index.js', import.meta.url).href)) as Partial<EngineModule>;
  if (typeof mod.createEngine !== 'function') throw new Error('electron/core/engine must export createEngine');
  return mod.createEngine({ dataDir: app.getPath('userData'), secrets: createSecretBox(safeStorage) });
}

app.on('web-contents-created', (_e, contents) => hardenContents(contents));
app.on('second-instance', (_e, argv) => {
  show();
  void importsFromArgv(argv).then((reqs) => reqs.forEach((r) => inbox.push(r)));
});
app.on('open-url', (event, url) => {
  event.preventDefault();
  inbox.push({ text: url, origin: 'link' });
});
app.on('open-file', (event, path) => {
  event.preventDefault();
  if (isPortholeFile(path)) void readPortholeFile(path).then((text) => text && inbox.push({ text, origin: 'file' }));
});

app.whenReady().then(async () => {
  hardenSession(session.defaultSession, !app.isPackaged);
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(paths.renderer, request.url));
  const engine = await loadEngine();
  installCleanQuit(app, async () => {
    quitting = true;
    await engine.stop();
  });
  app.on('before-quit', () => { quitting = true; });
  // Sign-out and shutdown: restore the system proxy now; the OS may not wait for a clean quit.
  // (What a crash leaves behind is repaired at the next start, see ApiEngine.start.)
  powerMonitor.on('shutdown', () => void engine.stop()); // Linux, macOS

  registerApiIpc(ipcMain, engine, APP_ORIGIN);
  engine.subscribe(send);

  win = createMainWindow({
    preload: paths.preload, icon: paths.icon, devTools: !app.isPackaged,
    hideOnClose: () => !quitting, showWhenReady: !process.argv.includes(HIDDEN_FLAG),
  });
  win.on('session-end', () => void engine.stop()); // Windows sign-out and shutdown
  win.webContents.on('did-start-loading', () => inbox.pageGone());
  win.webContents.on('did-finish-load', () => inbox.pageReady());
  // Links and files named on the first command line.
  void importsFromArgv(process.argv).then((reqs) => reqs.forEach((r) => inbox.push(r)));
  const offers = new ClipboardOffer({
    readText: () => clipboard.readText(),
    isImportable: (text) => engine.isImportable(text),
    offer: (text) => inbox.push({ text, origin: 'clipboard' }),
  });
  win.on('focus', () => void offers.onFocus());

  const tray = createTray(paths.icon, {
    show,
    connect: () => void engine.connect(),
    disconnect: () => void engine.disconnect(),
    openBrowser: (browser) => void engine.openBrowser({ browser }),
    quit: () => app.quit(),
  });
  const applyLoginItem = (enabled: boolean) => applyStartAtLogin({
    platform: process.platform, execPath: process.execPath, configDir: app.getPath('appData'),
    setLoginItemSettings: (s) => app.setLoginItemSettings(s),
  }, enabled).catch(() => {});
  let settings = await engine.getSettings();
  const lang = () => trayLanguage(settings.language, app.getPreferredSystemLanguages());
  engine.subscribe((event) => {
    if (event.type === 'state') state = event.state;
    if (event.type === 'settings') {
      if (event.settings.startAtLogin !== settings.startAtLogin) void applyLoginItem(event.settings.startAtLogin);
      settings = event.settings;
    }
    if (event.type === 'state' || event.type === 'settings') tray.update(state, lang());
  });

  await engine.start();
  state = await engine.getState();
  tray.update(state, lang());
}).catch((err: unknown) => {
  console.error('Porthole failed to start:', err);
  app.exit(1);
});
