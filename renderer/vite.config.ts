// Builds the renderer into dist/renderer (relative asset paths, so it loads from the Electron app
// protocol and from the loopback UI server alike). `dev:renderer` proxies /api to PORTHOLE_API.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { RENDERER_CSP } from '../shared/api-csp.ts';

const root = import.meta.dirname;

function cspMeta(): Plugin {
  return {
    name: 'porthole-csp-meta',
    apply: 'build',
    transformIndexHtml: (html) => html.replace('<meta charset="utf-8" />',
      `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${RENDERER_CSP}" />`),
  };
}

const api = process.env.PORTHOLE_API;

export default defineConfig({
  root,
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: `${root}/../dist/renderer`,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
  },
  server: {
    host: '127.0.0.1',
    strictPort: true,
    ...(api ? { proxy: { '/api': { target: api, changeOrigin: true } } } : {}),
  },
});
