import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { connect } from '../server/src/db/database.ts';
import { randomToken, sm3 } from '../server/src/platform/crypto.ts';
// @ts-expect-error a plain .mjs script without types
import { ensureWebBuilt } from '../scripts/web-build.mjs';
import { spawnServer, type Benchmark, type Figure, launchBrowser } from './harness.ts';

/**
 * Issue 19 item 5: the laborer's page on a slow phone. The real server (`server/src/main.ts` in a
 * child process, as `npm start` runs it) on the small bench database, and chromium emulating a
 * slow Android phone in WeChat: 4× CPU slowdown, 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency
 * (CDP Emulation.setCPUThrottlingRate and Network.emulateNetworkConditions), cache off, brotli
 * accepted as a phone does over HTTPS. Measured: the bytes a first load of /m transfers
 * (compressed, as on the wire) and the time until the job list is shown to a signed-in laborer;
 * the baseline is the staff console's first load (/login, its own bundles with antd) on the same
 * profile — what /m sent before it had its own entry.
 */
const RUNS = Number(process.env.BENCH_MOBILE_RUNS || 3);
const SLOW_PHONE = { latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };
const WECHAT_ANDROID =
  'Mozilla/5.0 (Linux; Android 10; V2001A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 ' +
  'Chrome/78.0.3904.62 XWEB/2693 MMWEBSDK/201201 Mobile Safari/537.36 MicroMessenger/8.0.1.1841(0x2800013B) WeChat/arm64 Weixin NetType/4G';

interface Load {
  /** ms from navigation start until the page is usable. */
  usableMs: number;
  scriptBytes: number;
  totalBytes: number;
}

/** One cold load on the slow-phone profile; `ready` selects what shows once the page is usable. */
async function coldLoad(browser: Browser, url: string, ready: string, cookie: { name: string; value: string } | null): Promise<Load> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    userAgent: WECHAT_ANDROID,
    locale: 'zh-CN',
    extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip, deflate' },
  });
  try {
    if (cookie) await context.addCookies([{ ...cookie, url: new URL(url).origin }]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_PHONE });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const types = new Map<string, string>();
    const bytes = new Map<string, number>();
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
    await page.goto(url, { waitUntil: 'commit' });
    // A function, not a string: the page's CSP allows no eval.
    const usable = await page.waitForFunction((selector) => (document.querySelector(selector) ? performance.now() : false), ready, {
      polling: 50,
      timeout: 120_000,
    });
    const usableMs = Number(await usable.jsonValue());
    // What was requested until then has finished arriving (the counts are of the first load only).
    await page.waitForLoadState('networkidle');
    let scriptBytes = 0;
    let totalBytes = 0;
    for (const [id, n] of bytes) {
      totalBytes += n;
      if (types.get(id) === 'Script') scriptBytes += n;
    }
    return { usableMs, scriptBytes, totalBytes };
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (n: number) => n / 1024;

export const mobilePageBenchmark: Benchmark = {
  name: 'mobile-page',
  async run({ config, databaseUrl, log }) {
    await ensureWebBuilt({ quiet: true });
    const handle = connect(databaseUrl, { max: 2 });
    const figures: Figure[] = [];
    let server: ChildProcess | null = null;
    let browser: Browser | null = null;
    try {
      // A laborer of 大竹村 (the small database has the region tree, the demo accounts and the demo
      // employer's open postings) and a session for them: sign-in by SMS code is not what is measured.
      const { rows: found } = await sql<{ id: string }>`SELECT id FROM laborer WHERE name = '手机页基准' LIMIT 1`.execute(handle.db);
      const laborerId =
        found[0]?.id ??
        (
          await sql<{ id: string }>`INSERT INTO laborer (id_index, id_cipher, id_masked, name, name_pinyin, name_initials, sex, birth_date,
            home_village_code, poverty_status, education, labor_capacity, health, willingness, caring, employment_status)
          VALUES (${randomBytes(32)}, 'bench', '430522********0000', '手机页基准', 'shoujiyejizhun', 'sjyjz', 'female', '1992-03-01',
            '430522107212', 'registered', '70', 'full', 'healthy', 'out_of_province', 'none', 'unemployed') RETURNING id`.execute(handle.db)
        ).rows[0]!.id;
      const token = randomToken();
      await sql`INSERT INTO mobile_session (token_hash, laborer_id, expires_at) VALUES (${sm3(token)}, ${laborerId}, now() + interval '1 hour')`.execute(
        handle.db,
      );

      const spawned = await spawnServer(databaseUrl, config.dataDir);
      server = spawned.server;
      const base = spawned.base;
      // The matching's market loads on the first recommendation: once, before anything is timed.
      const warm = await fetch(`${base}/api/v1/mobile/recommendations`, { headers: { cookie: `laowu_mobile=${token}` } });
      if (warm.status !== 200) throw new Error(`warm-up recommendations: ${warm.status} ${await warm.text()}`);

      browser = await launchBrowser();
      const mobile: Load[] = [];
      const consoleLoads: Load[] = [];
      for (let i = 0; i < RUNS; i++) {
        mobile.push(
          await coldLoad(browser, `${base}/m`, '[data-testid="mobile-jobs"][data-ready="true"]', {
            name: 'laowu_mobile',
            value: token,
          }),
        );
        consoleLoads.push(await coldLoad(browser, `${base}/login`, '#username', null));
        log(
          `mobile-page: run ${i + 1}: /m ${kb(mobile[i]!.scriptBytes).toFixed(0)} KB JS, usable ${mobile[i]!.usableMs.toFixed(0)} ms; console ${kb(consoleLoads[i]!.scriptBytes).toFixed(0)} KB JS, ${consoleLoads[i]!.usableMs.toFixed(0)} ms`,
        );
      }
      const m = {
        js: median(mobile.map((l) => l.scriptBytes)),
        all: median(mobile.map((l) => l.totalBytes)),
        ms: median(mobile.map((l) => l.usableMs)),
      };
      const c = {
        js: median(consoleLoads.map((l) => l.scriptBytes)),
        all: median(consoleLoads.map((l) => l.totalBytes)),
        ms: median(consoleLoads.map((l) => l.usableMs)),
      };
      const profile = '4× CPU slowdown, 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, cache off, brotli';
      figures.push({
        figure: '/m first load: JavaScript transferred (compressed)',
        value: kb(m.js),
        unit: 'KB',
        goal: '< 150 KB',
        met: kb(m.js) < 150,
        baseline: { label: 'the staff console’s first load (/login)', value: kb(c.js) },
        ratio: c.js / m.js,
        notes: `median of ${RUNS} cold loads; brotli as a phone receives it over HTTPS`,
      });
      figures.push({
        figure: '/m first load: all bytes transferred',
        value: kb(m.all),
        unit: 'KB',
        baseline: { label: 'the staff console’s first load (/login)', value: kb(c.all) },
        ratio: c.all / m.all,
        notes: 'HTML, JavaScript, CSS and the API answers until the job list is shown',
      });
      figures.push({
        figure: '/m time to usable (job list shown, signed in), slow phone',
        value: m.ms / 1000,
        unit: 's',
        goal: '< 3 s',
        met: m.ms < 3000,
        baseline: { label: 'the staff console’s login form on the same profile', value: c.ms / 1000 },
        ratio: c.ms / m.ms,
        notes: `${profile}; from navigation start; median of ${RUNS}`,
      });
    } finally {
      await browser?.close();
      if (server && server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((resolve) => server!.once('exit', resolve));
      }
      await handle.close();
    }
    return figures;
  },
};
