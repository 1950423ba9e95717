import type { ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { connect } from '../server/src/db/database.ts';
import { DEMO_PASSWORD } from '../server/src/generate/demo-accounts.ts';
import { MENU, canSee } from '../web/src/app/menu.tsx';
// @ts-expect-error a plain .mjs script without types
import { ensureWebBuilt } from '../scripts/web-build.mjs';
import { ensureDatabase, spawnServer, urlFor, type Benchmark, type Figure, launchBrowser } from './harness.ts';
import { migrate } from '../server/src/db/migrate.ts';

/**
 * Issue 18 item 8: each page of the staff console as a county admin (新邵县) opens it. The real
 * server (`server/src/main.ts` in a child process, as `npm start` runs it) on the generated province,
 * chromium on this machine without throttling, cache off, brotli accepted, launched as the browser
 * tests launch it (scripts/ensure-chromium.mjs: no omnibox popup preloaded per window; two pages are
 * also measured with it, as the baseline). Per page of the county
 * admin's menu: the time from navigation start until the page is there to read — its title drawn
 * in the content area and no spinner or skeleton left — and the bytes transferred (compressed, as
 * on the wire) against the same bytes uncompressed. Median of RUNS cold loads. And the console's
 * built assets before and after compression.
 */
const RUNS = Number(process.env.BENCH_PAGES_RUNS || 5);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ACCOUNT = 'xinshao_admin';
/** The generated province (1.5 M cards; 新邵县 has 22,000): the registry benchmark makes it. */
const PROVINCE_DB = process.env.BENCH_LOAD_DB || process.env.BENCH_STATS_DB || 'laowu_bench_province';
/**
 * Pages also loaded in a chromium launched with playwright's own flags only, where each new context
 * (a new window) preloads the address bar's WebUI popup in a renderer of its own during the page's
 * load (scripts/ensure-chromium.mjs): what that costs the figures, measured in the same run.
 */
const WITH_OMNIBOX_POPUP = new Set(['/', '/stats']);

interface Load {
  readyMs: number;
  wireBytes: number;
  rawBytes: number;
}

async function coldLoad(browser: Browser, url: string, cookie: { name: string; value: string }): Promise<Load> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 860 },
    locale: 'zh-CN',
    extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip, deflate' },
  });
  try {
    await context.addCookies([{ ...cookie, url: new URL(url).origin }]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const wire = new Map<string, number>();
    let raw = 0;
    cdp.on('Network.dataReceived', (e) => {
      raw += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e) => wire.set(e.requestId, e.encodedDataLength));
    await page.goto(url, { waitUntil: 'commit' });
    // A function, not a string: the console's CSP allows no eval. Ready: the page's title in the
    // content area, and nothing still spinning or sketched (twice in a row, 50 ms apart).
    let seen = 0;
    const ready = await page.waitForFunction(
      () => {
        const title = document.querySelector('.lw-content h4, .lw-content .ant-result-title');
        const busy = document.querySelector('.lw-content .ant-spin-spinning, .lw-content .ant-skeleton-active');
        return title && !busy ? performance.now() : false;
      },
      undefined,
      { polling: 50, timeout: 60_000 },
    );
    seen = Number(await ready.jsonValue());
    await page.waitForLoadState('networkidle');
    return { readyMs: seen, wireBytes: [...wire.values()].reduce((a, b) => a + b, 0), rawBytes: raw };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (n: number) => n / 1024;

/** The built console's assets (web/dist/assets): bytes as built and as brotli files. */
function assetBytes(): { raw: number; br: number } {
  const dir = path.join(root, 'web/dist/assets');
  let raw = 0;
  let br = 0;
  for (const name of readdirSync(dir)) {
    const size = statSync(path.join(dir, name)).size;
    if (name.endsWith('.br')) br += size;
    else if (/\.(js|css)$/.test(name)) raw += size;
  }
  return { raw, br };
}

export const consolePagesBenchmark: Benchmark = {
  name: 'console-pages',
  async run({ config, adminUrl, log }) {
    await ensureWebBuilt({ quiet: true });
    await ensureDatabase(adminUrl, PROVINCE_DB);
    const databaseUrl = urlFor(adminUrl, PROVINCE_DB);
    const handle = connect(databaseUrl, { max: 2 });
    const figures: Figure[] = [];
    let server: ChildProcess | null = null;
    let browser: Browser | null = null;
    let popupBrowser: Browser | null = null;
    try {
      await migrate(handle.pool);
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer WHERE deleted_at IS NULL`.execute(handle.db);
      // 量化考核: no figures kept from an earlier run, so the first look below computes the province's (migration 0064).
      await sql`DELETE FROM assessment_figures`.execute(handle.db);
      const spawned = await spawnServer(databaseUrl, config.dataDir);
      server = spawned.server;
      const base = spawned.base;
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: ACCOUNT, password: DEMO_PASSWORD }),
      });
      if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
      const session = /laowu_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1]!;
      const cookie = { name: 'laowu_session', value: session };
      browser = await launchBrowser();
      popupBrowser = await launchBrowser({ omniboxPopup: true });
      // The server loads the matching market in the background after it starts (700,000 job seekers,
      // half a minute of both cores): a recommendation waits for it, so no page is timed against that
      // start-up work. The statistics load on their first read: once, untimed.
      const { rows: card } = await sql<{ id: string }>`SELECT id::text AS id FROM laborer
        WHERE home_village_code >= '430522' AND home_village_code < '430522~' AND deleted_at IS NULL LIMIT 1`.execute(handle.db);
      if (card[0])
        await fetch(`${base}/api/v1/laborers/${card[0].id}/recommendations`, { headers: { cookie: `laowu_session=${session}` } });
      // The day's first look at the assessment computes the whole province's figures (the server
      // prepares them once a day ahead of it, main.ts); every look for the next ten minutes reuses them.
      const t0 = performance.now();
      const first = await fetch(`${base}/api/v1/assessment`, { headers: { cookie: `laowu_session=${session}` } });
      if (first.status !== 200) throw new Error(`assessment: ${first.status} ${await first.text()}`);
      const firstMs = performance.now() - t0;
      log(`console-pages: the assessment's province figures computed in ${firstMs.toFixed(0)} ms`);
      figures.push({
        figure: 'assessment (量化考核): the province figures computed, the day’s first look (county admin)',
        value: firstMs,
        unit: 'ms',
        notes:
          'every card, job, confirmation, posting, referral and follow-up of the province; kept and reused 10 minutes, then recomputed in the background while the kept ones show; the server computes the day’s ahead of the first look',
      });
      await coldLoad(browser, `${base}/`, cookie);
      const pages = MENU.filter((e) => canSee(e, 'admin') && !e.path.includes(':'));
      for (const entry of pages) {
        const loads: Load[] = [];
        const popupLoads: Load[] = [];
        for (let i = 0; i < RUNS; i++) {
          loads.push(await coldLoad(browser, `${base}${entry.path}`, cookie));
          if (WITH_OMNIBOX_POPUP.has(entry.path)) popupLoads.push(await coldLoad(popupBrowser, `${base}${entry.path}`, cookie));
        }
        const ms = median(loads.map((l) => l.readyMs));
        const popupMs = popupLoads.length ? median(popupLoads.map((l) => l.readyMs)) : null;
        const wire = median(loads.map((l) => l.wireBytes));
        const raw = median(loads.map((l) => l.rawBytes));
        log(
          `console-pages: ${entry.path} ${ms.toFixed(0)} ms, ${kb(wire).toFixed(0)} KB on the wire (${kb(raw).toFixed(0)} KB uncompressed)`,
        );
        figures.push({
          figure: `console page ${entry.path} (${entry.label}) ready, county admin`,
          value: ms,
          unit: 'ms',
          goal: '< 1000 ms',
          met: ms < 1000,
          ...(popupMs === null
            ? {}
            : {
                baseline: { label: 'the same in a chromium preloading its omnibox popup per window', value: popupMs },
                ratio: popupMs / ms,
              }),
          notes: `${kb(wire).toFixed(0)} KB transferred (${kb(raw).toFixed(0)} KB uncompressed); median of ${RUNS} cold loads; ${Number(rows[0]!.n).toLocaleString('en')} cards in the database`,
        });
      }
      const assets = assetBytes();
      figures.push({
        figure: 'console assets (web/dist/assets, JS and CSS), brotli',
        value: kb(assets.br),
        unit: 'KB',
        baseline: { label: 'the same assets uncompressed', value: kb(assets.raw) },
        ratio: assets.raw / assets.br,
        notes: 'every route is its own chunk; a page loads the shell and its own chunks only',
      });
    } finally {
      await browser?.close();
      await popupBrowser?.close();
      if (server && server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((resolve) => server!.once('exit', resolve));
      }
      await handle.close();
    }
    return figures;
  },
};
