// The hardening every window and session gets: sandboxed, isolated renderer without Node; no
// navigation away, no new windows, no webviews, no permissions, no remote content.
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { RENDERER_CSP_HEADER } from '../../shared/api-csp.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'porthole';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function secureWebPreferences(preload: string, devTools: boolean): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools,
  };
}

/** Requests the page may make: its own app origin, and data:/blob: images (QR pictures). */
export function isAllowedRequest(url: string, devtools = false): boolean {
  if (url.startsWith(`${APP_ORIGIN}/`) || url.startsWith('data:') || url.startsWith('blob:')) return true;
  return devtools && url.startsWith('devtools://');
}

export function hardenSession(session: Session, devtools: boolean): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, devtools) }));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP_HEADER] } });
  });
  session.on('will-download', (event) => event.preventDefault());
}

export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
