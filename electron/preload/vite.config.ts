// Bundles the preload (and the shared contract it uses) into dist/preload/preload.cjs.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: `${import.meta.dirname}/../../dist/preload`,
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: false,
    lib: {
      entry: `${import.meta.dirname}/preload.ts`,
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});
