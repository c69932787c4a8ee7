// The hardening every window and session gets: sandboxed, isolated renderer without Node; no
// navigation away, no new windows, no webviews, no remote content, and one permission only: writing
// text to the clipboard (Share's Copy button), for our own page's main frame.
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

/** The permissions our page gets: writing to the clipboard (navigator.clipboard.writeText). Reading is never granted. */
export const GRANTED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

/** Whether a permission request or check from this frame is granted. */
export function isPermissionGranted(permission: string, requestingUrl: string | undefined, isMainFrame: boolean): boolean {
  return GRANTED_PERMISSIONS.includes(permission) && isMainFrame && !!requestingUrl && requestingUrl.startsWith(`${APP_ORIGIN}/`);
}

export function hardenSession(session: Session, devtools: boolean): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl, details.isMainFrame));
  });
  session.setPermissionCheckHandler((_wc, permission, _origin, details) => isPermissionGranted(permission, details.requestingUrl, details.isMainFrame));
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
