// Picks the Api the renderer talks to: the preload's `window.porthole` inside Electron, otherwise
// the loopback HTTP client, authenticated by the token the launcher put in the URL fragment.
import type { Api } from '../../../shared/api.ts';
import { createHttpApi } from './http-client.ts';

const TOKEN_KEY = 'porthole.token';
const TOKEN_RE = /^[A-Za-z0-9_-]{16,128}$/;

/** Reads `#token=…` once, keeps it for reloads in sessionStorage, and removes it from the address bar. */
export function takeToken(win: Pick<Window, 'location' | 'history' | 'sessionStorage'>): string | null {
  const params = new URLSearchParams(win.location.hash.replace(/^#/, ''));
  const fromUrl = params.get('token');
  if (fromUrl && TOKEN_RE.test(fromUrl)) {
    try {
      win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // storage disabled: the token lives only for this page load
    }
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
    return fromUrl;
  }
  let stored: string | null;
  try {
    stored = win.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    stored = null;
  }
  return stored && TOKEN_RE.test(stored) ? stored : null;
}

export function selectApi(win: Window): Api | null {
  if (win.porthole) return win.porthole;
  const token = takeToken(win);
  if (!token) return null;
  return createHttpApi({ baseUrl: win.location.origin, token });
}
