import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { TYPEBOX_SCHEMAS_PURE } from './typebox-pure.ts';

/**
 * The field officer's phone pages (/field, web/field.html; issue 19): a third build beside the
 * console's and the laborer's, into the same dist/. Light like /m (React and the page, no antd,
 * ES2019 for old WebViews), and installable and usable offline: the plugin below writes the web app
 * manifest and the service worker (web/src/field/sw.js, by hand — no vite-plugin-pwa), the latter
 * with the list of this build's files to keep and a version that changes with them.
 * Run after the console's build (which empties dist/): scripts/web-build.mjs.
 */
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const MANIFEST = {
  name: '进村入户 · 湖南劳务协作',
  short_name: '进村入户',
  description: '村信息员入户采集、核实、回访，无信号时也能录入，有网络时同步',
  lang: 'zh-CN',
  start_url: '/field',
  scope: '/field',
  display: 'standalone',
  background_color: '#f5f5f5',
  theme_color: '#1f5fa8',
  icons: [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
};

function fieldOffline(): Plugin {
  return {
    name: 'laowu-field-offline',
    apply: 'build',
    generateBundle(_options, bundle) {
      const assets = Object.values(bundle)
        .map((file) => `/${file.fileName}`)
        .filter((name) => name.startsWith('/assets/field-'))
        .sort();
      const shell = ['/field', '/field.webmanifest', '/favicon.svg', ...assets];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 12);
      const worker = readFileSync(fileURLToPath(new URL('./src/field/sw.js', import.meta.url)), 'utf8')
        .replace('__FIELD_VERSION__', version)
        .replace('__FIELD_SHELL__', JSON.stringify(shell));
      this.emitFile({ type: 'asset', fileName: 'field-sw.js', source: worker });
      this.emitFile({ type: 'asset', fileName: 'field.webmanifest', source: JSON.stringify(MANIFEST, null, 2) });
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), fieldOffline()],
  publicDir: false,
  server: { fs: { allow: [repoRoot] } },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2019',
    modulePreload: false,
    sourcemap: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { field: fileURLToPath(new URL('./field.html', import.meta.url)) },
      treeshake: TYPEBOX_SCHEMAS_PURE,
      output: {
        entryFileNames: 'assets/field-[hash].js',
        chunkFileNames: 'assets/field-[name]-[hash].js',
        assetFileNames: 'assets/field-[name]-[hash][extname]',
      },
    },
  },
});
