import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { BrowserContext, Page } from 'playwright-core';
import ts from 'typescript';
import { DAZHU, insertPosting, seekerCard } from '../server/test/fixtures.ts';
import { until as untilWithin } from '../server/test/helpers.ts';
import { linkCode } from '../server/src/modules/sms/index.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 19 items 5 and 6, on a phone as WeChat opens the page (Android's system WebView, 390 × 844):
 * the laborer's page is its own light entry; a job link in an SMS opens that job, after sign-in
 * when needed; a laborer joins an online fair and applies, and the fair's results count them.
 */
const PHONE = '13912340001';
const PHONE_VIEWPORT = { width: 390, height: 844 };
/** WeChat's in-app browser on Android: the system WebView (`wv`) with WeChat's marks. */
const WECHAT_ANDROID =
  'Mozilla/5.0 (Linux; Android 10; V2001A Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 ' +
  'Chrome/78.0.3904.62 XWEB/2693 MMWEBSDK/201201 Mobile Safari/537.36 MMWEBID/1234 MicroMessenger/8.0.1.1841(0x2800013B) ' +
  'WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';
const screens = process.env.LAOWU_E2E_SCREENS || 'var/e2e-screens';
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');

let world: BrowserWorld;
let laborerId: string;
let smsPosting: string;
const fairPostings: string[] = [];
let fairId: string;
let messageCode: string;
let context: BrowserContext;

const until = <T>(read: () => T | Promise<T>, done: (v: T) => boolean, what: string) => untilWithin(read, done, what, 60_000);

/** A phone's browser context; its cookies (the session) live as long as it does. */
async function phone(): Promise<BrowserContext> {
  return world.browser.newContext({
    viewport: PHONE_VIEWPORT,
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    userAgent: WECHAT_ANDROID,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // What a phone asks for over HTTPS (Chromium advertises br only to secure origins).
    extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip, deflate' },
  });
}

/** Signs in on the page shown, with the code the SMSC received, as the laborer would read it off the phone. */
async function signInWithCode(page: Page) {
  const smsc = world.t.sms.smsc!;
  await page.getByTestId('mobile-phone').fill(PHONE);
  const before = smsc.received.length;
  await page.getByTestId('mobile-get-code').click();
  const otp = await until(
    () => smsc.received.slice(before).find((m) => m.to === PHONE && m.ref?.startsWith('otp-')),
    Boolean,
    'the sign-in code',
  );
  await page.getByTestId('mobile-code').fill(/验证码为(\d{6})/.exec(otp!.text)![1]!);
  await page.getByTestId('mobile-login').click();
}

/** Syntax newer than ES2019 that an old WebView cannot parse, by the node that carries it. */
function beyondEs2019(code: string): string[] {
  const file = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.ESNext, true, ts.ScriptKind.JS);
  const found = new Set<string>();
  const visit = (node: ts.Node) => {
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) && node.questionDotToken)
      found.add('optional chaining (ES2020)');
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken) found.add('?? (ES2020)');
      if (
        op === ts.SyntaxKind.QuestionQuestionEqualsToken ||
        op === ts.SyntaxKind.BarBarEqualsToken ||
        op === ts.SyntaxKind.AmpersandAmpersandEqualsToken
      )
        found.add('logical assignment (ES2021)');
    }
    if (node.kind === ts.SyntaxKind.BigIntLiteral) found.add('BigInt literal (ES2020)');
    if (ts.isNumericLiteral(node) && node.getText(file).includes('_')) found.add('numeric separator (ES2021)');
    if (ts.isPrivateIdentifier(node)) found.add('#private (ES2022)');
    if (ts.isPropertyDeclaration(node)) found.add('class field (ES2022)');
    if (ts.isClassStaticBlockDeclaration(node)) found.add('static block (ES2022)');
    if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) found.add('import.meta (ES2020)');
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) found.add('import() (ES2020)');
    if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamespaceExport(node.exportClause)) found.add('export * as (ES2020)');
    if (ts.isAwaitExpression(node) && !ts.findAncestor(node, ts.isFunctionLike)) found.add('top-level await (ES2022)');
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...found];
}

// The quiet hours off for this file's sends; put back after, as the next test file may run in this same process.
const quietHours = process.env.LAOWU_SMS_QUIET_HOURS;
beforeAll(async () => {
  process.env.LAOWU_SMS_QUIET_HOURS = 'off';
  world = await startBrowserWorld();
  const { t } = world;
  await t.sms.start({ smscPort: 0, send: false });
  const officer = await t.login('dazhu_officer');
  const county = await t.login('xinshao_admin');
  const card = await t.app.inject({
    method: 'POST',
    url: '/api/v1/laborers',
    headers: { cookie: officer },
    payload: seekerCard('43052219960606001', { name: '彭小英', phone: PHONE, expectedWage: 4000 }),
  });
  expect(card.statusCode, card.body).toBe(201);
  laborerId = card.json().id;
  const { rows: e } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(
    t.ctx.db,
  );
  const employer = e[0]!.employer_id;
  smsPosting = await insertPosting(t.ctx.db, employer, {
    title: '短信里的电子装配工',
    headcount: 10,
    work_region_code: DAZHU,
    wage_min: 5100,
    wage_max: 6200,
    food: true,
    housing: true,
  });
  for (const title of ['线上会缝纫工', '线上会包装工'])
    fairPostings.push(await insertPosting(t.ctx.db, employer, { title, headcount: 5, work_region_code: DAZHU }));

  // The message the laborer received: an approved campaign's, naming the job (the SMS module's own
  // flow has its own browser test; here only its link matters).
  const { rows: accounts } = await sql<{ id: string; username: string }>`SELECT id, username FROM account
    WHERE username IN ('longxipu_operator', 'xinshao_admin')`.execute(t.ctx.db);
  const idOf = (u: string) => accounts.find((a) => a.username === u)!.id;
  const { rows: campaign } = await sql<{ id: string }>`INSERT INTO sms_campaign (name, region_code, signature, template, status,
      created_by, submitted_by, submitted_at, decided_by, decided_at)
    VALUES ('岗位推送', '430522', '湖南人社', '{姓名}您好，{岗位}{链接}', 'done', ${idOf('longxipu_operator')}, ${idOf('longxipu_operator')}, now(),
      ${idOf('xinshao_admin')}, now()) RETURNING id`.execute(t.ctx.db);
  const { rows: message } = await sql<{
    id: string;
  }>`INSERT INTO sms_message (campaign_id, laborer_id, village_code, body, segments, posting_ids, status)
    VALUES (${campaign[0]!.id}, ${laborerId}, ${DAZHU}, '岗位推送', 1, ARRAY[${smsPosting}]::bigint[], 'delivered') RETURNING id`.execute(
    t.ctx.db,
  );
  messageCode = linkCode(message[0]!.id);

  // 新邵县's online fair, open since yesterday for a week, with two jobs.
  const fair = await t.app.inject({
    method: 'POST',
    url: '/api/v1/fairs',
    headers: { cookie: county },
    payload: {
      title: '新邵县春风行动线上招聘会',
      mode: 'online',
      heldOn: addDays(chinaToday(), -1),
      endsOn: addDays(chinaToday(), 6),
      postingIds: fairPostings,
    },
  });
  expect(fair.statusCode, fair.body).toBe(201);
  fairId = fair.json().id;
  context = await phone();
  mkdirSync(screens, { recursive: true });
}, 180_000);
afterAll(async () => {
  await context?.close();
  await world?.close();
  if (quietHours === undefined) delete process.env.LAOWU_SMS_QUIET_HOURS;
  else process.env.LAOWU_SMS_QUIET_HOURS = quietHours;
});

describe('the laborer’s page on a phone (issue 19 items 5 and 6)', () => {
  it('is its own entry: under 150 KB of compressed JavaScript, none of the console’s', async () => {
    const page = await context.newPage();
    const scripts: { url: string; bytes: Promise<number>; encoding: Promise<string | null> }[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      scripts.push({
        url: response.url(),
        bytes: response
          .request()
          .sizes()
          .then((s) => s.responseBodySize),
        encoding: response.headerValue('content-encoding'),
      });
    });
    await page.goto(`${world.baseUrl}/m`);
    await page.getByTestId('mobile-phone').waitFor();
    expect(scripts.length).toBeGreaterThan(0);
    const bytes = (await Promise.all(scripts.map((s) => s.bytes))).reduce((a, b) => a + b, 0);
    expect(bytes).toBeLessThan(150 * 1024);
    expect(await Promise.all(scripts.map((s) => s.encoding))).toEqual(scripts.map(() => 'br'));
    // The console's bundle (antd) is not what a laborer downloads.
    const consoleHtml = readFileSync(path.join(dist, 'index.html'), 'utf8');
    const consoleScripts = [...consoleHtml.matchAll(/src="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(consoleScripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(consoleScripts.some((c) => s.url.endsWith(c))).toBe(false);
    await page.close();
  });

  it('uses nothing beyond ES2019 in its JavaScript, for old WebViews (no polyfills)', () => {
    const html = readFileSync(path.join(dist, 'm.html'), 'utf8');
    const files = [...html.matchAll(/src="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(beyondEs2019(readFileSync(path.join(dist, file), 'utf8')), file).toEqual([]);
  });

  it('opens the job of an SMS link: sign-in first, then back at the job, applied for from there', async () => {
    const page = await context.newPage();
    await page.goto(`${world.baseUrl}/m/${messageCode}`);
    // Not signed in: the sign-in says it will return to the job, and the address keeps it.
    expect(await page.getByTestId('mobile-return-note').textContent()).toContain('短信中的岗位');
    await signInWithCode(page);
    const job = page.getByTestId(`linked-${smsPosting}`);
    await job.waitFor();
    expect(new URL(page.url()).pathname).toBe(`/m/${messageCode}`);
    expect(await job.textContent()).toContain('短信里的电子装配工');
    expect(await job.textContent()).toContain('5100–6200');
    // The job comes first on the screen, above the laborer's own card.
    const jobBox = (await job.boundingBox())!;
    expect(jobBox.y).toBeLessThan((await page.getByTestId('mobile-card').boundingBox())!.y);
    expect(jobBox.y + jobBox.height).toBeLessThanOrEqual(PHONE_VIEWPORT.height);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    await page.getByTestId(`apply-${smsPosting}`).click();
    await job.getByText('已申请').waitFor();
    // Opened again (the session kept by the phone): straight to the job, applied.
    await page.goto(`${world.baseUrl}/m/${messageCode}`);
    await page.getByTestId(`linked-${smsPosting}`).getByText('已申请').waitFor();
    await page.screenshot({ path: `${screens}/mobile-sms-job.png` });
    await page.close();
  });

  it('joins an online fair and applies from the phone; the fair’s results count the laborer', async () => {
    const page = await context.newPage();
    await page.goto(`${world.baseUrl}/m`);
    await page.getByTestId('mobile-fairs').getByText('新邵县春风行动线上招聘会').click();
    await page.waitForURL(`**/m/fairs/${fairId}`);
    const job = page.getByTestId(`fair-posting-${fairPostings[0]}`);
    await job.waitFor();
    expect(await page.getByTestId('mobile-fair').textContent()).toContain('进行中');
    await page.getByTestId(`apply-${fairPostings[0]}`).click();
    await job.getByText('已申请').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    await page.screenshot({ path: `${screens}/mobile-fair.png`, fullPage: true });
    // Back home: the fair shows as joined, the application among the laborer's own.
    await page.goBack();
    await page.getByTestId(`fair-${fairId}`).waitFor();
    await page.getByTestId('mobile-fairs').getByText('已参加').waitFor();
    await page.getByTestId('mobile-applications').getByText('线上会缝纫工').waitFor();
    await page.close();

    // The county's staff see the laborer in the fair's results: an online attendee with an intention.
    const county = await world.t.login('xinshao_admin');
    const results = await world.t.app.inject({ method: 'GET', url: '/api/v1/fairs/results', headers: { cookie: county } });
    const row = results.json().rows.find((r: { fairId: string }) => r.fairId === fairId);
    expect(row).toMatchObject({ mode: 'online', attendees: 1, poorAttendees: 1, intentions: 1 });
    expect(results.json().online.attendees).toBeGreaterThanOrEqual(1);
    const staff = await signIn(world, 'xinshao_admin');
    await staff.goto(`${world.baseUrl}/fairs/${fairId}`);
    await until(
      () => staff.getByTestId('fair-figure-attendees').textContent(),
      (n) => n === '1',
      'the fair’s attendees',
    );
    expect(await staff.getByTestId('fair-figure-intentions').textContent()).toBe('1');
    // The attendees' list: the laborer with the intention, still there filtered to 贫困劳动力 (kept in the URL).
    const attendees = staff.getByTestId('attendee-table');
    await attendees.getByTestId('attendee-intention').getByText('线上会缝纫工', { exact: false }).waitFor();
    await staff.getByTestId('attendee-filter').getByText('贫困劳动力').click();
    await staff.waitForURL(/[?&]poor=true/);
    await attendees.getByTestId('attendee-intention').getByText('线上会缝纫工', { exact: false }).waitFor();
    // 达成意向 opens a fresh form, 同时推荐 ticked for a laborer of the register.
    await attendees.getByTestId('intention-add').first().click();
    expect(await staff.getByTestId('intention-refer').isChecked()).toBe(true);
    await staff.close();
  });
});
