// A local web page for the browser tests. Its script adds an image /seen?title=…, so the server learns
// that the browser received and ran exactly this page (and the load event, hence a screenshot, waits for it).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageServer {
  port: number;
  /** Every request: method, path and Host header. */
  requests: { path: string; host: string | undefined }[];
  /** Resolves with the title the page reported from inside the browser. */
  seen(timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

export const PAGE_TITLE = 'Porthole test page';
/** The page's background colour: the screenshot test looks for it. */
export const PAGE_RGB: [number, number, number] = [0x1e, 0x90, 0xff];

// A 1×1 transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>${PAGE_TITLE}</title>
<style>html,body{margin:0;height:100%;background:rgb(${PAGE_RGB.join(',')});font:bold 48px sans-serif;color:#fff}</style></head>
<body><p style="padding:40px">Porthole: arrived through the proxy</p>
<script>document.write('<img alt="" width="1" height="1" src="/seen?title=' + encodeURIComponent(document.title) + '">');</script>
</body></html>`;

export async function startPageServer(): Promise<PageServer> {
  const requests: PageServer['requests'] = [];
  let report: (title: string) => void = () => undefined;
  const reported = new Promise<string>((resolve) => (report = resolve));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ path: url.pathname + url.search, host: req.headers.host });
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(page);
    } else if (url.pathname === '/seen') {
      report(url.searchParams.get('title') ?? '');
      res.writeHead(200, { 'Content-Type': 'image/gif', 'Cache-Control': 'no-store' });
      res.end(PIXEL);
    } else if (url.pathname === '/check') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    seen: (timeoutMs) =>
      Promise.race([reported, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('the page never reported back')), timeoutMs).unref())]),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
