// Serves the built renderer: files under one directory only, with strict security headers.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { RENDERER_CSP_HEADER } from '../../../shared/api-csp.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': RENDERER_CSP_HEADER,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The file a URL path names inside root, or null when it would leave root. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(base, rel);
  return full.startsWith(base + sep) ? full : null;
}

export async function serveStatic(root: string, urlPath: string, res: ServerResponse, head: boolean): Promise<void> {
  const file = resolveStatic(root, urlPath);
  const type = file ? TYPES[extname(file).toLowerCase()] : undefined;
  const info = file && type ? await stat(file).catch(() => null) : null;
  if (!file || !type || !info?.isFile()) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
    return;
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': String(info.size),
    'cache-control': file.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
  });
  if (head) {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
