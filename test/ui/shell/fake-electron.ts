// A fake of the Electron main-process modules electron/main uses, modelled on Electron 45's typings
// (node_modules/electron/electron.d.ts) and documented behaviour: the app lifecycle (ready,
// before-quit → will-quit → quit, exit skipping both, preventable events), the rules about what may
// be called before 'ready', BrowserWindow/WebContents, Tray/Menu, session permission handlers,
// protocol, ipcMain, powerMonitor, clipboard, safeStorage, and utilityProcess (a real Node child
// process exposed through UtilityProcess's API: postMessage, 'message', 'spawn', 'exit', kill, pid
// set on spawn; inside, process.parentPort as Electron gives it, see utility-parent-port.mjs).
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** Something main.ts did that Electron forbids (e.g. creating a window before 'ready'). */
export const violations: string[] = [];
let ready = false;
const requireReady = (what: string) => {
  if (!ready) violations.push(`${what} before the app is ready`);
};

class FakeApp extends EventEmitter {
  readonly calls: Array<[string, ...unknown[]]> = [];
  isPackaged = false;
  paths: Record<string, string> = {};
  exitCode: number | null = null;
  quitted = false;
  loginItem = { openAtLogin: false, wasOpenedAtLogin: false };
  private readyPromise: Promise<void>;
  private resolveReady!: () => void;

  constructor() {
    super();
    this.readyPromise = new Promise((r) => { this.resolveReady = r; });
  }

  /** Test side: Electron's 'ready'. */
  fireReady(): void {
    ready = true;
    this.emit('ready', new FakeEvent(), {});
    this.resolveReady();
  }

  whenReady(): Promise<void> { return this.readyPromise; }
  isReady(): boolean { return ready; }
  enableSandbox(): void {
    if (ready) violations.push('app.enableSandbox after ready');
    this.calls.push(['enableSandbox']);
  }
  requestSingleInstanceLock(): boolean { return true; }
  isDefaultProtocolClient(...args: unknown[]): boolean { this.calls.push(['isDefaultProtocolClient', ...args]); return false; }
  setAsDefaultProtocolClient(...args: unknown[]): boolean { this.calls.push(['setAsDefaultProtocolClient', ...args]); return true; }
  getPath(name: string): string {
    const p = this.paths[name];
    if (!p) throw new Error(`Failed to get '${name}' path`);
    return p;
  }
  getPreferredSystemLanguages(): string[] { return ['ru-RU', 'en-US']; }
  setLoginItemSettings(settings: unknown): void { this.calls.push(['setLoginItemSettings', settings]); }
  getLoginItemSettings() { return { ...this.loginItem, status: 'not-registered', executableWillLaunchAtLogin: false, launchItems: [] }; }

  /** Electron: before-quit (preventable), windows closed (each 'close' preventable), will-quit (preventable), then quit. */
  quit(): void {
    const before = new FakeEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    for (const w of FakeBrowserWindow.getAllWindows()) {
      if (!w.close()) return;
    }
    const will = new FakeEvent();
    this.emit('will-quit', will);
    if (will.defaultPrevented) return;
    this.quitted = true;
    this.emit('quit', new FakeEvent(), 0);
  }

  /** Electron: exits at once; before-quit and will-quit are not emitted. */
  exit(code = 0): void {
    this.exitCode = code;
    for (const w of FakeBrowserWindow.getAllWindows()) w.destroy();
  }
}

class FakeWebContents extends EventEmitter {
  url = '';
  destroyed = false;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: unknown = null;
  getURL(): string { return this.url; }
  isDestroyed(): boolean { return this.destroyed; }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: unknown): void { this.windowOpenHandler = handler; }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] { return FakeBrowserWindow.all.filter((w) => !w.destroyed); }
  readonly webContents = new FakeWebContents();
  readonly options: Record<string, unknown>;
  visible = false;
  minimized = false;
  destroyed = false;

  constructor(options: Record<string, unknown> = {}) {
    super();
    requireReady('new BrowserWindow');
    this.options = options;
    this.visible = options.show !== false;
    FakeBrowserWindow.all.push(this);
  }

  /** Loads the page: did-start-loading, then (asynchronously) did-finish-load and ready-to-show. */
  loadURL(url: string): Promise<void> {
    this.webContents.url = url;
    this.webContents.emit('did-start-loading');
    return new Promise((resolve) => setTimeout(() => {
      this.webContents.emit('did-finish-load');
      this.emit('ready-to-show');
      resolve();
    }, 5));
  }

  show(): void { this.visible = true; this.emit('show'); }
  hide(): void { this.visible = false; this.emit('hide'); }
  focus(): void { this.emit('focus'); }
  isVisible(): boolean { return this.visible; }
  isMinimized(): boolean { return this.minimized; }
  restore(): void { this.minimized = false; }
  isDestroyed(): boolean { return this.destroyed; }
  /** Returns false when a 'close' listener prevented it. */
  close(): boolean {
    const e = new FakeEvent();
    this.emit('close', e);
    if (e.defaultPrevented) return false;
    this.destroy();
    return true;
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export class FakeTray extends EventEmitter {
  static last: FakeTray | null = null;
  tooltip = '';
  menu: { items: Array<{ label?: string; click?: () => void; enabled?: boolean }> } | null = null;
  constructor(_image: unknown) {
    super();
    requireReady('new Tray');
    FakeTray.last = this;
  }
  setToolTip(t: string): void { this.tooltip = t; }
  setContextMenu(menu: FakeTray['menu']): void { this.menu = menu; }
  destroy(): void {}
}

class FakeSession extends EventEmitter {
  permissionRequest: ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string; isMainFrame: boolean }) => void) | null = null;
  permissionCheck: ((wc: unknown, permission: string, origin: string, details: { requestingUrl?: string; isMainFrame: boolean }) => boolean) | null = null;
  deviceHandler: unknown = null;
  readonly webRequest = {
    beforeRequest: null as unknown,
    headersReceived: null as unknown,
    onBeforeRequest: (l: unknown) => { this.webRequest.beforeRequest = l; },
    onHeadersReceived: (l: unknown) => { this.webRequest.headersReceived = l; },
  };
  setPermissionRequestHandler(h: FakeSession['permissionRequest']): void { this.permissionRequest = h; }
  setPermissionCheckHandler(h: FakeSession['permissionCheck']): void { this.permissionCheck = h; }
  setDevicePermissionHandler(h: unknown): void { this.deviceHandler = h; }
}

const defaultSession = new FakeSession();

type InvokeHandler = (event: { senderFrame: unknown }, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, listener: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void { this.handlers.delete(channel); }
  /** Test side: ipcRenderer.invoke from a frame. */
  invoke(channel: string, frame: unknown, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return h({ senderFrame: frame }, ...args);
  }
}

class FakeProtocol {
  readonly privileged: unknown[] = [];
  readonly handlers = new Map<string, (request: { url: string }) => Promise<Response> | Response>();
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    if (ready) violations.push('protocol.registerSchemesAsPrivileged after ready');
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: { url: string }) => Promise<Response> | Response): void {
    requireReady('protocol.handle');
    this.handlers.set(scheme, handler);
  }
}

export class FakeUtilityProcess extends EventEmitter {
  static all: FakeUtilityProcess[] = [];
  pid: number | undefined = undefined;
  /** Messages received from the child so far. */
  received = 0;
  readonly child;
  constructor(modulePath: string, args: string[], options: { env?: NodeJS.ProcessEnv; serviceName?: string }) {
    super();
    requireReady('utilityProcess.fork');
    this.child = fork(modulePath, args, {
      env: options.env ?? process.env, serialization: 'advanced',
      // The child sees Electron's process.parentPort, not Node's process.send.
      execArgv: [...(modulePath.endsWith('.ts') ? ['--disable-warning=ExperimentalWarning'] : []), '--import', join(import.meta.dirname, 'utility-parent-port.mjs')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('spawn', () => { this.pid = this.child.pid; this.emit('spawn'); });
    this.child.on('message', (m) => { this.received++; this.emit('message', m); });
    this.child.on('exit', (code, signal) => {
      this.pid = undefined;
      this.emit('exit', code ?? (signal ? 128 + 9 : 0));
    });
    FakeUtilityProcess.all.push(this);
  }
  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as never);
  }
  kill(): boolean { return this.child.kill('SIGTERM'); }
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const protocol = new FakeProtocol();
export const powerMonitor = new EventEmitter();
export const session = {
  get defaultSession(): FakeSession {
    requireReady('session.defaultSession');
    return defaultSession;
  },
};
export const clipboard = { text: '', readText(): string { return this.text; }, writeText(t: string): void { this.text = t; } };
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
};
export const Menu = { buildFromTemplate: (items: NonNullable<FakeTray['menu']>['items']) => ({ items }) };
export const nativeImage = { createFromPath: () => ({ resize: () => ({}) }) };
export const utilityProcess = {
  fork: (modulePath: string, args: string[] = [], options: { env?: NodeJS.ProcessEnv } = {}) => new FakeUtilityProcess(modulePath, args, options),
};
export const BrowserWindow = FakeBrowserWindow;
export const Tray = FakeTray;
