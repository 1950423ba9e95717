import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { antdZeroRuntime } from './antd-zero-runtime.ts';
import { scrollbarMeasureCache } from './scrollbar-measure.ts';
import { TYPEBOX_SCHEMAS_PURE } from './typebox-pure.ts';

/** The console lives in web/; the shared API contracts live in ../contracts (TypeBox, imported with .ts extensions). */
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const apiTarget = process.env.LAOWU_API ?? 'http://localhost:3000';
const proxy = { '/api': { target: apiTarget, changeOrigin: false } };

/** antd and the libraries under it. */
const ANTD =
  /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion|stylis|dayjs|@babel|clsx|react-is|throttle-debounce|classnames|compute-scroll-into-view|scroll-into-view-if-needed|json2mq|string-convert|toggle-selection|copy-to-clipboard|is-mobile)[\\/]/;

/**
 * antd's parts the shell draws on every page (side menu, breadcrumb, the popover under its tooltips)
 * but fewer than 6 pages import themselves, with what they import: one chunk of their own (the
 * build names it `antd` too), not three chunks of 2–4 KB that waited behind the big ones for one of
 * the browser's 6 connections. It takes the antd core they share; the `antd` group takes the rest.
 */
const SHELL_ANTD = /node_modules[\\/](antd[\\/]es[\\/](menu|breadcrumb|popover)|@rc-component[\\/]menu)[\\/]/;

/** The console's own modules and the contracts, but not the chart (it fetches ECharts) nor the boot's page table. */
const COMMON = /[\\/](web[\\/]src|contracts)[\\/](?!components[\\/]Chart|app[\\/]pages\.ts|boot\.ts)/;

/**
 * What the boot entry imports besides the page table: the early requests, their table and what
 * they read. Modules of `common` import them too, and a group takes in what its modules import: in
 * `common`, boot.ts would wait for the chunks `common` imports, antd among them.
 */
const BOOT = /[\\/](web[\\/]src[\\/](app[\\/](first-requests|china-time)|api[\\/]early)|contracts[\\/](paths|roles))\.ts$/;

/**
 * V8's explicit compile hint (Chrome 136+), the first line of every script but ECharts: every
 * function of the script is compiled as it streams in, on a background thread, instead of on the
 * main thread when first called (V8.CompileCode 150–220 ms of a page's main thread in a trace).
 * Measured A/B interleaved, 9 cold loads each as bench/console-pages.bench.ts loads a page, against
 * the same build without it: the main thread's work 70–190 ms less on each of 7 pages, ready
 * 供需对接 745 vs 851 ms, 劳动力名册 730 vs 787, 稳岗服务 794 vs 814, the rest even. Not ECharts:
 * its own chunk, fetched when a chart is drawn, of which a page runs a small part.
 * (In boot.ts's and main.tsx's chunks Vite's preload map comes first, one small function.) Written by
 * the bundler before the chunk's content hash is taken, so a changed hint is a new file name.
 */
const COMPILE_EAGERLY = '//# allFunctionsCalledOnLoad';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), antdZeroRuntime(), scrollbarMeasureCache()],
  server: {
    port: 5173,
    proxy,
    fs: { allow: [repoRoot] },
  },
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1600,
    reportCompressedSize: false,
    rolldownOptions: {
      treeshake: TYPEBOX_SCHEMAS_PURE,
      output: {
        postBanner: (chunk) => (chunk.name === 'echarts' ? '' : COMPILE_EAGERLY),
        // React and ECharts are chunks of their own. antd is no longer one chunk (1.2 MB that every
        // page parsed first): what at least 20 of the console's chunks use (the layout's components,
        // tables, forms, selects…) is one chunk, the rest (date pickers, uploads, trees…) goes with
        // the pages that use it; icons used in two places or more are one chunk. Measured over the 45
        // pages against the build as split by use alone: 10 % fewer bytes on the wire, half the requests
        // (each asset answer carries ~850 bytes of headers), 3 % more JavaScript to parse.
        // Then (issue 18 item 8, measured A/B interleaved on 3 pages × 5 cold loads): a page still made
        // 30–43 requests, and a browser asks 6 at a time of one server over HTTP/1.1, so the waterfall
        // was 5–7 rounds deep. The console's own modules shared by 3 chunks or more are now one
        // `common` chunk and antd's parts used by 6 or more one `antd` chunk: 17–23 requests, the
        // median load 10–25 % shorter. Kept out of `common`: the chart (its module starts fetching
        // ECharts) and the boot's page table (boot.ts must not wait for antd).
        codeSplitting: {
          groups: [
            { name: 'boot', test: BOOT, priority: 50 },
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/, priority: 40 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 30 },
            { name: 'icons', test: /node_modules[\\/]@ant-design[\\/]icons/, minShareCount: 2, priority: 25 },
            { name: 'antd', test: SHELL_ANTD, priority: 21 },
            { name: 'antd', test: ANTD, minShareCount: 6, priority: 20 },
            { name: 'common', test: COMMON, minShareCount: 3, priority: 10 },
          ],
        },
      },
    },
  },
});
