import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { TYPEBOX_SCHEMAS_PURE } from './typebox-pure.ts';

/**
 * The laborer's page (/m, web/m.html): a second build beside the console's, into the same dist/,
 * with its own target. It is opened from an SMS or inside WeChat, whose Android system WebView may
 * be years old, so its output uses nothing beyond ES2019 (no `?.`, `??`, class fields, dynamic
 * import…; none of it polyfilled), and it carries React and the page only — not antd.
 * Run after the console's build (which empties dist/): scripts/web-build.mjs.
 */
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  publicDir: false,
  server: { fs: { allow: [repoRoot] } },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2019',
    // The page makes no dynamic imports: no preload helper needed.
    modulePreload: false,
    sourcemap: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { m: fileURLToPath(new URL('./m.html', import.meta.url)) },
      treeshake: TYPEBOX_SCHEMAS_PURE,
      output: {
        entryFileNames: 'assets/m-[hash].js',
        chunkFileNames: 'assets/m-[name]-[hash].js',
        assetFileNames: 'assets/m-[name]-[hash][extname]',
      },
    },
  },
});
