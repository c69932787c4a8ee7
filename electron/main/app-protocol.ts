// app://porthole/… serves the built renderer from inside the app (no file:// privileges, no
// remote content). Only files under the renderer folder are reachable.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { resolveStatic, SECURITY_HEADERS } from '../core/ui-server/static.ts';
import { APP_HOST } from './security.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2',
};

export async function appProtocolResponse(rendererDir: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  const file = url.host === APP_HOST ? resolveStatic(rendererDir, url.pathname) : null;
  const type = file ? TYPES[extname(file).toLowerCase()] : undefined;
  const body = file && type ? await readFile(file).catch(() => null) : null;
  if (!body || !type) return new Response('not found', { status: 404, headers: SECURITY_HEADERS });
  return new Response(new Uint8Array(body), { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': type } });
}
