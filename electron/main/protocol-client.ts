// Registering as the porthole:// handler. Packaged, the app's own executable is the handler. In
// development (`electron .` or `electron dist/electron/main/main.js`, process.defaultApp) the
// executable is the bare Electron binary, which would open its default app; the OS must run it
// with our app path as the first argument.
import { isAbsolute, resolve } from 'node:path';

export interface ProtocolClientHost {
  /** Electron's process.defaultApp: true when started as `electron <app path>`. */
  defaultApp: boolean;
  execPath: string;
  argv: readonly string[];
  cwd: string;
}

/** The (path, args) to pass after the scheme to app.setAsDefaultProtocolClient / isDefaultProtocolClient. */
export function protocolClientArgs(host: ProtocolClientHost): [] | [string, string[]] {
  if (!host.defaultApp) return [];
  const appPath = host.argv[1];
  if (!appPath || appPath.startsWith('-')) return [];
  return [host.execPath, [isAbsolute(appPath) ? appPath : resolve(host.cwd, appPath)]];
}

export interface ProtocolApp {
  isDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
}

export function registerProtocolClient(app: ProtocolApp, scheme: string, host: ProtocolClientHost): void {
  const dev = protocolClientArgs(host);
  if (dev.length === 0) {
    if (!app.isDefaultProtocolClient(scheme)) app.setAsDefaultProtocolClient(scheme);
  } else if (!app.isDefaultProtocolClient(scheme, ...dev)) {
    app.setAsDefaultProtocolClient(scheme, ...dev);
  }
}
