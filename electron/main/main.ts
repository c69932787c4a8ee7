// Electron entry. Small on purpose: it wires the core engine to the window, IPC, tray, deep links
// and clipboard offers. All logic lives in the modules it imports. The engine runs in its own
// process (a utilityProcess, see electron/core/engine-host), off the UI thread; the window and IPC
// come up at once and every call waits for the engine to be started, so nothing the page or the
// tray asks first can fail because the engine is still starting.
import { BrowserWindow, app, clipboard, ipcMain, powerMonitor, protocol, safeStorage, session, utilityProcess } from 'electron';
import { join } from 'node:path';
import type { Settings, State } from '../../shared/api.ts';
import { CHILD_ENTRY } from '../core/engine-host/entry.ts';
import { hostEngine } from '../core/engine-host/host.ts';
import { appProtocolResponse } from './app-protocol.ts';
import { ClipboardOffer } from './clipboard-offer.ts';
import { LINK_SCHEME, importsFromArgv, portholeFilePath, readPortholeFile } from './deep-links.ts';
import { ImportInbox } from './import-inbox.ts';
import { engineSecretKey } from './engine-key.ts';
import { createEventSender, registerApiIpc } from './ipc.ts';
import { applyStartAtLogin, launcherPath, startedAtLogin } from './login-item.ts';
import { registerProtocolClient } from './protocol-client.ts';
import { installCleanQuit } from './quit.ts';
import { createSecretBox } from './secrets.ts';
import { APP_ORIGIN, APP_SCHEME, hardenContents, hardenSession } from './security.ts';
import { createTray } from './tray.ts';
import { trayLanguage } from './tray-strings.ts';
import { utilitySpawner } from './utility-spawner.ts';
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
registerProtocolClient(app, LINK_SCHEME, { defaultApp: process.defaultApp === true, execPath: process.execPath, argv: process.argv, cwd: process.cwd() });

let win: BrowserWindow | null = null;
let quitting = false;
let state: State | null = null;
let settings: Settings | null = null;
const send = createEventSender(() => BrowserWindow.getAllWindows().map((w) => w.webContents), APP_ORIGIN);
const inbox = new ImportInbox(send, show);
const report = (what: string) => (err: unknown) => console.error(`Porthole: ${what}:`, err instanceof Error ? err.message : err);

function show(): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

// utilityProcess.fork may only be called once the app is ready; the first call comes after that.
const { engine } = hostEngine({
  spawn: utilitySpawner(utilityProcess, CHILD_ENTRY),
  init: async () => {
    const dataDir = app.getPath('userData');
    const secretKey = await engineSecretKey(createSecretBox(safeStorage), dataDir).catch(() => null);
    return { t: 'init', dataDir, secretKey };
  },
  // After a crash the person is connected again as they were (system proxy included).
  resume: true,
  onCrash: (exit) => console.error(`Porthole: the engine process stopped unexpectedly (exit code ${exit.code ?? 'none'}); restarting it`),
  onError: report('the engine did not start'),
});

app.on('web-contents-created', (_e, contents) => hardenContents(contents));
app.on('second-instance', (_e, argv) => {
  show();
  void importsFromArgv(argv).then((reqs) => reqs.forEach((r) => inbox.push(r)), report('second instance'));
});
app.on('open-url', (event, url) => {
  event.preventDefault();
  inbox.push({ text: url, origin: 'link' });
});
app.on('open-file', (event, path) => {
  event.preventDefault();
  const file = portholeFilePath(path);
  if (file) void readPortholeFile(file).then((text) => text && inbox.push({ text, origin: 'file' }), report('open file'));
});
// macOS: clicking the Dock icon with the window hidden in the tray brings it back.
app.on('activate', () => show());

const quit = installCleanQuit(app, async () => {
  quitting = true;
  await engine.stop();
});
app.on('before-quit', () => { quitting = true; });
// Sign-out, restart, shutdown: restore the system proxy at the OS's first warning, without ever
// holding up the user's logout. (What a crash leaves behind is repaired at the next start.)
powerMonitor.on('shutdown', (...args: unknown[]) => quit.onShutdown(args[0] as { preventDefault?(): void } | undefined));

app.whenReady().then(() => {
  hardenSession(session.defaultSession, !app.isPackaged);
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(paths.renderer, request.url));
  registerApiIpc(ipcMain, engine, APP_ORIGIN);
  engine.subscribe(send);

  const hidden = startedAtLogin(process.argv, process.platform, () => app.getLoginItemSettings().wasOpenedAtLogin);
  win = createMainWindow({
    preload: paths.preload, icon: paths.icon, devTools: !app.isPackaged,
    hideOnClose: () => !quitting, showWhenReady: !hidden,
  });
  // Windows sign-out and shutdown ('query-session-end' is the moment Windows still waits).
  // The proxy is at risk if it is on or the user asked for it (the state event may lag the settings one).
  win.on('query-session-end', (event) => quit.onQuerySessionEnd(event, state?.systemProxy === true || settings?.systemProxy === true));
  win.on('session-end', () => quit.onSessionEnd());
  win.webContents.on('did-start-loading', () => inbox.pageGone());
  win.webContents.on('did-finish-load', () => inbox.pageReady());
  // Links and files named on the first command line.
  void importsFromArgv(process.argv).then((reqs) => reqs.forEach((r) => inbox.push(r)), report('command line'));
  const offers = new ClipboardOffer({
    readText: () => clipboard.readText(),
    isImportable: (text) => engine.isImportable(text),
    offer: (text) => inbox.push({ text, origin: 'clipboard' }),
  });
  win.on('focus', () => void offers.onFocus().catch(report('clipboard')));

  const tray = createTray(paths.icon, {
    show,
    connect: () => void engine.connect().catch(report('connect')),
    disconnect: () => void engine.disconnect().catch(report('disconnect')),
    openBrowser: (browser) => void engine.openBrowser({ browser }).catch(report('open browser')),
    quit: () => app.quit(),
  });
  const lang = () => trayLanguage(settings?.language, app.getPreferredSystemLanguages());
  const applyLoginItem = (enabled: boolean) => applyStartAtLogin({
    platform: process.platform, execPath: launcherPath(process.execPath, process.env), configDir: app.getPath('appData'),
    setLoginItemSettings: (s) => app.setLoginItemSettings(s),
  }, enabled).catch(report('start at login'));
  engine.subscribe((event) => {
    if (event.type === 'state') state = event.state;
    if (event.type === 'settings') {
      if (settings && event.settings.startAtLogin !== settings.startAtLogin) void applyLoginItem(event.settings.startAtLogin);
      settings = event.settings;
    }
    if (event.type === 'state' || event.type === 'settings') tray.update(state, lang());
  });

  // Start the engine; the page's and the tray's calls wait for it meanwhile.
  void Promise.all([engine.getSettings(), engine.getState()]).then(([s, st]) => {
    settings = s;
    state = st;
    tray.update(state, lang());
  }, report('engine start'));
}).catch((err: unknown) => {
  console.error('Porthole failed to start:', err);
  app.exit(1);
});
