import type { ChildProcess } from 'node:child_process';
import { brotliCompressSync } from 'node:zlib';
import { sql } from 'kysely';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { connect, type Db } from '../server/src/db/database.ts';
import { createAccountsService } from '../server/src/modules/accounts/index.ts';
import { createAuditLog } from '../server/src/platform/audit.ts';
import { DEMO_PASSWORD } from '../server/src/generate/demo-accounts.ts';
import { CARING, EDUCATION, FLAGS, HEALTH, LABOR_CAPACITY, POVERTY_STATUS, WILLINGNESS } from '../contracts/laborers.ts';
// @ts-expect-error a plain .mjs script without types
import { ensureWebBuilt } from '../scripts/web-build.mjs';
import { spawnServer, type Benchmark, type Figure, launchBrowser } from './harness.ts';

/**
 * Issue 19's bench rows for the field officer's phone (/field): the offline package of a
 * 2,000-card village — its size and the time to take it — and /field's first load on the slow
 * phone profile of mobile-page.bench.ts (4× CPU slowdown, 1.6 Mbit/s down, 750 kbit/s up, 150 ms
 * latency, cache off, brotli accepted). The real server (`server/src/main.ts` in a child process)
 * on the bench database, where this benchmark seeds a village of 2,000 cards and its officer.
 * Baselines measured in the same run: for the package, reading the same cards as a client without
 * it must, the register's list page by page (200 a page, its largest); for the page, the staff
 * console's first load (/login, its own bundles with antd).
 */
const RUNS = Number(process.env.BENCH_FIELD_RUNS || 3);
const CARDS = 2000;
const OFFICER = 'bench_field_officer';
const SLOW_PHONE = { latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };
const PROFILE = '4× CPU slowdown, 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, cache off, brotli';

const SURNAMES = [
  '李',
  '王',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
  '梁',
  '宋',
  '郑',
  '谢',
  '韩',
  '唐',
  '冯',
  '于',
  '董',
  '萧',
  '田',
  '龙',
  '石',
  '彭',
  '向',
  '滕',
];
const GIVEN = [...'建国秀英志强桂兰红梅海波春花庆明华丽军平伟芳娟敏静丹玉兰超勇杰涛斌辉鹏飞霞燕云凤琴翠香'];
const SKILLS = ['普工', '电工', '焊工', '缝纫', '厨师', '保洁', '砌筑', '木工', '电商', '驾驶', '养殖', '种植', '家政', '保安', '钢筋工'];
const REMARKS = [
  '入户核实：家中有老人需要照顾，希望在省内务工',
  '本人外出务工，电话核实',
  '有意愿参加技能培训',
  '子女在县城读书，希望就近就业',
  '返乡后暂无工作',
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (n: number) => n / 1024;

/** A village of 龙溪铺镇 other than the demo's 大竹村, its officer, and 2,000 cards (topped up once, kept between runs). */
async function seedVillage(db: Db, auditKey: Buffer): Promise<string> {
  const { rows } = await sql<{ code: string }>`SELECT code FROM region
    WHERE level = 5 AND parent_code = '430522107' AND code <> '430522107212' ORDER BY code LIMIT 1`.execute(db);
  const village = rows[0]?.code;
  if (!village) throw new Error('field bench: no second village under 430522107 in the region tree');
  const existing = await db.selectFrom('account').select('id').where('username', '=', OFFICER).executeTakeFirst();
  if (!existing) {
    const accounts = createAccountsService({ audit: createAuditLog(auditKey) });
    await db
      .transaction()
      .execute((tx) =>
        accounts.createSystemAccount(
          tx,
          { username: OFFICER, displayName: '基准村信息员', role: 'village_officer', regionCode: village, password: DEMO_PASSWORD },
          { actor: null, ip: null, claimedUsername: 'bench' },
        ),
      );
  }
  const have = Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM laborer WHERE home_village_code = ${village} AND deleted_at IS NULL`.execute(db))
      .rows[0]!.n,
  );
  if (have < CARDS) {
    // Cards as varied as a village's register holds them (names, ages, households, wishes, remarks,
    // when each was last changed and confirmed), so the package's size and its compression are
    // not flattered by repetition. Identifiers masked and indexed; the cipher is not read by the package.
    const pick = (values: readonly string[]) => sql`(${values as string[]}::text[])[1 + floor(random() * ${values.length})::int]`;
    await sql`INSERT INTO laborer (id_index, id_cipher, id_masked, phone_index, phone_cipher, phone_masked, name, name_pinyin, name_initials,
        sex, birth_date, ethnicity, home_village_code, household_code, relation_to_head, household_size, poverty_status, education,
        labor_capacity, health, skills, certificates, willingness, wanted_job_types, expected_wage, caring, flags, employment_status,
        training_history, remark, last_confirmed_at, version, created_at, updated_at)
      SELECT sha256(convert_to(${village} || '-id-' || i, 'UTF8')), 'bench', '430522********' || lpad(floor(random() * 10000)::text, 4, '0'),
        sha256(convert_to(${village} || '-phone-' || i, 'UTF8')), 'bench',
        CASE WHEN random() < 0.8 THEN ${pick(['138', '139', '150', '158', '187', '177', '135'])} || '****' || lpad(floor(random() * 10000)::text, 4, '0') END,
        ${pick(SURNAMES)} || ${pick(GIVEN)} || CASE WHEN random() < 0.7 THEN ${pick(GIVEN)} ELSE '' END,
        'fieldbench' || i, 'fb', CASE WHEN random() < 0.5 THEN 'male' ELSE 'female' END, date '1966-01-01' + floor(random() * 14600)::int,
        CASE WHEN random() < 0.15 THEN NULL ELSE ${pick(['01', '01', '01', '09', '03', '15'])} END, ${village},
        ${village} || lpad((i / 4)::text, 4, '0'), ${pick(['户主', '配偶', '子女', '儿媳', '孙子女', '父母'])}, 2 + floor(random() * 6)::int,
        ${pick(POVERTY_STATUS.codes)}, ${pick(EDUCATION.codes)}, ${pick(LABOR_CAPACITY.codes)}, ${pick(HEALTH.codes)},
        CASE WHEN random() < 0.4 THEN ARRAY[${pick(SKILLS)}] || CASE WHEN random() < 0.4 THEN ARRAY[${pick(SKILLS)}] ELSE ARRAY[]::text[] END ELSE ARRAY[]::text[] END,
        CASE WHEN random() < 0.1 THEN ARRAY[${pick(['电工证', '焊工证', '育婴员证', '中式烹调师证', '叉车证'])}] ELSE ARRAY[]::text[] END,
        ${pick(WILLINGNESS.codes)}, CASE WHEN random() < 0.6 THEN ARRAY[${pick(SKILLS)}] ELSE ARRAY[]::text[] END,
        CASE WHEN random() < 0.7 THEN 2500 + floor(random() * 60)::int * 100 END, ${pick(CARING.codes)},
        CASE WHEN random() < 0.1 THEN ARRAY[${pick(FLAGS.codes)}] ELSE ARRAY[]::text[] END, 'unemployed',
        CASE WHEN random() < 0.2 THEN (2015 + floor(random() * 6)::int) || '年参加' || ${pick(SKILLS)} || '培训' || (3 + floor(random() * 25)::int) || '天' END,
        CASE WHEN random() < 0.3 THEN ${pick(REMARKS)} || '（' || (1 + floor(random() * 12)::int) || '月' || (1 + floor(random() * 28)::int) || '日入户）' END,
        CASE WHEN random() < 0.6 THEN now() - random() * interval '200 days' END, 1 + floor(random() * 6)::int,
        now() - interval '3 years' + random() * interval '400 days', now() - random() * interval '500 days'
      FROM generate_series(${have + 1}::int, ${CARDS}::int) AS i`.execute(db);
  }
  return village;
}

async function signIn(base: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: OFFICER, password: DEMO_PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`field bench sign-in: ${r.status} ${await r.text()}`);
  const cookie = /laowu_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '');
  if (!cookie) throw new Error('field bench sign-in: no session cookie');
  return cookie[1]!;
}

async function slowPhone(
  browser: Browser,
  base: string,
  session: string | null,
  encoding = 'br, gzip, deflate',
): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    reducedMotion: 'reduce',
    extraHTTPHeaders: { 'Accept-Encoding': encoding },
  });
  if (session) await context.addCookies([{ name: 'laowu_session', value: session, url: base }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_PHONE });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return { context, page, cdp };
}

interface Load {
  usableMs: number;
  scriptBytes: number;
  totalBytes: number;
}

/** A cold first load; `ready` selects what shows once the page is usable. */
async function coldLoad(browser: Browser, base: string, path: string, ready: string, session: string | null): Promise<Load> {
  const { context, page, cdp } = await slowPhone(browser, base, session);
  try {
    const types = new Map<string, string>();
    const bytes = new Map<string, number>();
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
    await page.goto(`${base}${path}`, { waitUntil: 'commit' });
    const usable = await page.waitForFunction((selector) => (document.querySelector(selector) ? performance.now() : false), ready, {
      polling: 50,
      timeout: 120_000,
    });
    const usableMs = Number(await usable.jsonValue());
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

/** 下载本村信息卡 on the slow phone: from the tap until the phone says the cards are kept (IndexedDB written). */
async function takeOnPhone(browser: Browser, base: string, session: string, encoding?: string): Promise<{ ms: number; wireBytes: number }> {
  // Signed in on the phone's own form: the sign-in takes the device key the copy is sealed with (issue 19 item 4).
  const { context, page, cdp } = await slowPhone(browser, base, null, encoding);
  void session;
  try {
    await page.goto(`${base}/field`);
    await page.getByTestId('field-username').fill(OFFICER);
    await page.getByTestId('field-password').fill(DEMO_PASSWORD);
    await page.getByTestId('field-login').click();
    await page.getByTestId('field-take').waitFor({ timeout: 120_000 });
    let wireBytes = 0;
    const packageRequests = new Set<string>();
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.url.endsWith('/api/v1/field/package')) packageRequests.add(e.requestId);
    });
    cdp.on('Network.loadingFinished', (e) => {
      if (packageRequests.has(e.requestId)) wireBytes += e.encodedDataLength;
    });
    const started = await page.evaluate(() => performance.now());
    await page.getByTestId('field-take').click();
    const done = await page.waitForFunction(
      (cards) => {
        const status = document.querySelector('[data-testid="field-package-status"]');
        return status?.textContent?.includes(`${cards} 张`) ? performance.now() : false;
      },
      CARDS,
      { polling: 50, timeout: 300_000 },
    );
    return { ms: Number(await done.jsonValue()) - started, wireBytes };
  } finally {
    await context.close();
  }
}

export const fieldBenchmark: Benchmark = {
  name: 'field',
  async run({ config, databaseUrl, log }) {
    await ensureWebBuilt({ quiet: true });
    const handle = connect(databaseUrl, { max: 2 });
    const figures: Figure[] = [];
    let server: ChildProcess | null = null;
    let browser: Browser | null = null;
    try {
      const village = await seedVillage(handle.db, config.secrets.auditKey);
      log(`field: village ${village} with ${CARDS} cards`);
      const spawned = await spawnServer(databaseUrl, config.dataDir);
      server = spawned.server;
      const base = spawned.base;
      const session = await signIn(base);
      // The package names the phone's device key generation (issue 19 item 4): the account's first.
      const headers = { cookie: `laowu_session=${session}`, 'x-field-key-generation': '1' };

      // The server's side: the package as one answer, against the register's list page by page.
      const packageMs: number[] = [];
      const pagesMs: number[] = [];
      let packageBytes = 0;
      let cards = 0;
      let brotliBytes = 0;
      for (let i = 0; i < RUNS + 1; i++) {
        let t = performance.now();
        const r = await fetch(`${base}/api/v1/field/package`, { headers });
        const body = await r.text();
        if (r.status !== 200) throw new Error(`field package: ${r.status} ${body.slice(0, 500)}`);
        const took = performance.now() - t;
        t = performance.now();
        let read = 0;
        for (let page = 1; ; page++) {
          const list = await fetch(`${base}/api/v1/laborers?pageSize=200&page=${page}`, { headers });
          if (list.status !== 200) throw new Error(`register list: ${list.status} ${await list.text()}`);
          const { items } = (await list.json()) as { items: unknown[] };
          read += items.length;
          if (items.length < 200) break;
        }
        const pagesTook = performance.now() - t;
        if (i === 0) {
          // The first of each warms the server (connections, plans); not counted.
          const parsed = JSON.parse(body) as { cards: unknown[] };
          cards = parsed.cards.length;
          packageBytes = Buffer.byteLength(body);
          brotliBytes = brotliCompressSync(Buffer.from(body)).length;
          if (read !== cards) log(`field: the list read ${read} cards, the package ${cards}`);
          continue;
        }
        packageMs.push(took);
        pagesMs.push(pagesTook);
      }
      figures.push({
        figure: `offline package of a ${cards.toLocaleString('en')}-card village: size (JSON)`,
        value: kb(packageBytes),
        unit: 'KB',
        notes: `uncompressed; brotli at its best (quality 11) would make it ${kb(brotliBytes).toFixed(0)} KB`,
      });
      figures.push({
        figure: `offline package of a ${cards.toLocaleString('en')}-card village: server time`,
        value: median(packageMs),
        unit: 'ms',
        baseline: { label: 'the register list for the same cards, 200 a page', value: median(pagesMs) },
        ratio: median(pagesMs) / median(packageMs),
        notes: `GET /api/v1/field/package from the same machine (compressed, as Node’s fetch accepts it), median of ${RUNS} after one warm-up`,
      });

      browser = await launchBrowser();
      const takes: { ms: number; wireBytes: number }[] = [];
      const plainTakes: { ms: number; wireBytes: number }[] = [];
      const field: Load[] = [];
      const consoleLoads: Load[] = [];
      for (let i = 0; i < RUNS; i++) {
        takes.push(await takeOnPhone(browser, base, session));
        // The same on a phone whose requests accept no compression: the package as it went before.
        plainTakes.push(await takeOnPhone(browser, base, session, 'identity'));
        // A phone's first visit: the page is usable when its sign-in form is (the copy opens only after signing in on it).
        field.push(await coldLoad(browser, base, '/field', '[data-testid="field-username"]', null));
        consoleLoads.push(await coldLoad(browser, base, '/login', '#username', null));
        log(
          `field: run ${i + 1}: take ${(takes[i]!.ms / 1000).toFixed(1)} s (${kb(takes[i]!.wireBytes).toFixed(0)} KB), uncompressed ${(plainTakes[i]!.ms / 1000).toFixed(1)} s; /field ${kb(field[i]!.scriptBytes).toFixed(0)} KB JS, usable ${field[i]!.usableMs.toFixed(0)} ms; console ${consoleLoads[i]!.usableMs.toFixed(0)} ms`,
        );
      }
      const take = median(takes.map((t) => t.ms));
      const plainTake = median(plainTakes.map((t) => t.ms));
      const wire = median(takes.map((t) => t.wireBytes));
      const plainWire = median(plainTakes.map((t) => t.wireBytes));
      figures.push({
        figure: `offline package of a ${cards.toLocaleString('en')}-card village: bytes on the wire`,
        value: kb(wire),
        unit: 'KB',
        baseline: { label: 'the same package uncompressed', value: kb(plainWire) },
        ratio: plainWire / wire,
        notes: 'brotli, as a phone accepting it receives GET /api/v1/field/package (headers included)',
      });
      figures.push({
        figure: `offline package of a ${cards.toLocaleString('en')}-card village: time to take it on a slow phone`,
        value: take / 1000,
        unit: 's',
        baseline: { label: 'the same package uncompressed', value: plainTake / 1000 },
        ratio: plainTake / take,
        notes: `${PROFILE}; from the tap on 下载本村信息卡 until the phone shows the cards kept (downloaded and written to IndexedDB); median of ${RUNS}`,
      });
      const f = {
        js: median(field.map((l) => l.scriptBytes)),
        all: median(field.map((l) => l.totalBytes)),
        ms: median(field.map((l) => l.usableMs)),
      };
      const c = {
        js: median(consoleLoads.map((l) => l.scriptBytes)),
        all: median(consoleLoads.map((l) => l.totalBytes)),
        ms: median(consoleLoads.map((l) => l.usableMs)),
      };
      figures.push({
        figure: '/field first load: JavaScript transferred (compressed)',
        value: kb(f.js),
        unit: 'KB',
        goal: '< 150 KB',
        met: kb(f.js) < 150,
        baseline: { label: 'the staff console’s first load (/login)', value: kb(c.js) },
        ratio: c.js / f.js,
        notes: `median of ${RUNS} cold loads; brotli as a phone receives it over HTTPS; the /m goal applied to /field`,
      });
      figures.push({
        figure: '/field first load: all bytes transferred',
        value: kb(f.all),
        unit: 'KB',
        baseline: { label: 'the staff console’s first load (/login)', value: kb(c.all) },
        ratio: c.all / f.all,
        notes: 'HTML, JavaScript, CSS and the API answers until the sign-in form is usable',
      });
      figures.push({
        figure: '/field time to usable (a first visit: the sign-in form), slow phone',
        value: f.ms / 1000,
        unit: 's',
        goal: '< 3 s',
        met: f.ms < 3000,
        baseline: { label: 'the staff console’s login form on the same profile', value: c.ms / 1000 },
        ratio: c.ms / f.ms,
        notes: `${PROFILE}; from navigation start; median of ${RUNS}; the /m goal applied to /field`,
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
