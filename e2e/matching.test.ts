import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/test/helpers.ts';
import { idCheckChar } from '../server/src/modules/registry/index.ts';
import { creditCodeCheckChar } from '../server/src/modules/employers/index.ts';
import { startBrowserWorld, type BrowserWorld, settledConfirm } from './browser.ts';

/**
 * Issue 5's "done when": a county admin sees the two lists for 新邵县, opens a laborer and sees
 * recommended postings with reasons, opens a posting in 深圳 and sees candidates with reasons, runs
 * the batch for the county and accepts a suggestion.
 */
let world: BrowserWorld;
let page: Page;
const pageErrors: string[] = [];
const screens = process.env.LAOWU_E2E_SCREENS || 'var/e2e-screens';
const DAZHU = '430522107212';
const LONGGANG = '440307';
const laborers: Record<string, string> = {};
let shenzhenPosting = '';

const byTestId = (id: string, root: Page | ReturnType<Page['locator']> = page) => root.locator(`[data-testid="${id}"]`);
/** The whole page, or only the window while a drawer covers it. */
async function shot(name: string, fullPage = true) {
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${screens}/matching-${name}.png`, fullPage });
}

async function call(method: 'GET' | 'POST', url: string, cookie: string, payload?: object) {
  const response = await world.t.app.inject({ method, url, headers: { cookie }, payload });
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json();
}

const card = (body17: string, extra: Record<string, unknown>) => ({
  idNumber: body17 + idCheckChar(body17),
  homeVillageCode: DAZHU,
  povertyStatus: 'registered',
  education: '70',
  laborCapacity: 'full',
  health: 'healthy',
  caring: 'none',
  employmentStatus: 'unemployed',
  ...extra,
});

beforeAll(async () => {
  mkdirSync(screens, { recursive: true });
  world = await startBrowserWorld();
  const officer = await world.t.login('dazhu_officer');
  const liaison = await world.t.login('huayuan_shenzhen');

  // No demo account registers employers in 深圳: the factory goes in directly; its posting is
  // published by the 驻深圳 liaison office, as in production.
  const creditBody = '91440300MA5FE2E01';
  const { rows } = await sql<{ id: string }>`INSERT INTO employer (credit_code, name, region_code, kind)
    VALUES (${creditBody + creditCodeCheckChar(creditBody)}, '深圳龙岗电子科技有限公司', ${LONGGANG}, 'designated') RETURNING id`.execute(
    world.t.database.db,
  );
  const posting = await call('POST', '/api/v1/postings', liaison, {
    employerId: String(rows[0]!.id),
    title: '电子装配工',
    occupationCode: '6-25-04-07',
    workRegionCode: LONGGANG,
    headcount: 3,
    wageMin: 4000,
    wageMax: 5500,
    food: true,
    housing: true,
    ageMin: 18,
    ageMax: 45,
    validTo: '2099-12-31',
    description: '流水线电子装配，长白班，包吃包住。',
  });
  shenzhenPosting = posting.id;

  const people: [string, string, Record<string, unknown>][] = [
    ['migrant', '43052219950101101', { name: '王强', willingness: 'out_of_province', wantedJobTypes: ['电子装配工'], expectedWage: 4500 }],
    ['nowish', '43052219920707101', { name: '刘军', willingness: 'out_of_province', wantedJobTypes: [], expectedWage: null }],
    [
      'sewer',
      '43052219850302102',
      {
        name: '蒋余美',
        willingness: 'out_of_province',
        caring: 'children',
        wantedJobTypes: ['缝纫工'],
        expectedWage: 3000,
        skills: ['缝纫'],
      },
    ],
    ['sewer2', '43052219900405102', { name: '李秀英', willingness: 'in_county', wantedJobTypes: ['缝纫工'], expectedWage: 2800 }],
  ];
  for (const [key, body17, extra] of people) laborers[key] = (await call('POST', '/api/v1/laborers', officer, card(body17, extra))).id;

  page = await world.newPage({ width: 1440, height: 900 });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
});
afterAll(async () => world?.close());

describe('a county admin connects 新邵县 job seekers with jobs', () => {
  it('signs in and sees the demand list beside the supply list', async () => {
    await page.goto(`${world.baseUrl}/login`);
    await page.locator('#username').fill('xinshao_admin');
    await page.locator('#password').fill(DEMO_PASSWORD);
    await byTestId('login-submit').click();
    await byTestId('current-region').waitFor();
    // The login page's own "who am I" probe answers 401 before signing in; count errors from here on.
    pageErrors.length = 0;
    await page.getByRole('menuitem', { name: '供需对接' }).click();
    await page.waitForURL('**/matching');
    await byTestId(`demand-row-${laborers.migrant}`).waitFor();
    await byTestId(`supply-row-${shenzhenPosting}`).waitFor();
    expect(await byTestId('matching-title').textContent()).toContain('新邵县');
    const demand = (await byTestId('demand-table').textContent()) ?? '';
    for (const name of ['王强', '刘军', '蒋余美', '李秀英']) expect(demand).toContain(name);
    const supply = (await byTestId('supply-table').textContent()) ?? '';
    expect(supply).toContain('电子装配工');
    expect(supply).toContain('深圳市龙岗区');
    expect(supply).toContain('箱包缝纫工');
    expect(await byTestId('stat-seekers').textContent()).toContain('4');
    // 王强 and 刘军 qualify for the 深圳 posting (蒋余美 cares for a child, 李秀英 stays in the county).
    expect(await byTestId('supply-eligible', byTestId(`supply-row-${shenzhenPosting}`)).textContent()).toBe('2');
    await shot('1-lists');
  });

  it('opens a laborer and sees recommended postings with their reasons', async () => {
    await byTestId('demand-laborer-name', byTestId(`demand-row-${laborers.migrant}`)).click();
    const drawer = byTestId('laborer-drawer');
    await drawer.waitFor();
    const first = byTestId(`recommendation-${shenzhenPosting}`, drawer);
    await first.waitFor();
    expect(await byTestId('recommendation-title', drawer).first().textContent()).toBe('电子装配工');
    const reasons = (await byTestId('recommendation-reasons', first).textContent()) ?? '';
    expect(reasons).toContain('期望月薪4500元，岗位4000–5500元');
    expect(reasons).toContain('愿意省外务工，岗位在深圳市龙岗区');
    expect(reasons).toContain('包食宿');
    expect(await first.textContent()).toContain('4,000–5,500 元');
    await shot('2-recommendations', false);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });

  it('opens the 深圳 posting and sees candidates with reasons, and why the others do not qualify', async () => {
    await byTestId('supply-posting-title', byTestId(`supply-row-${shenzhenPosting}`)).click();
    const drawer = byTestId('posting-drawer');
    await byTestId('candidates-table', drawer).waitFor();
    const migrant = byTestId(`candidate-row-${laborers.migrant}`, drawer);
    await migrant.waitFor();
    expect(await byTestId('candidate-name', drawer).first().textContent()).toBe('王强');
    expect(await migrant.textContent()).toMatch(/430522\*{8}\d{3}[\dX]/);
    expect(await byTestId('candidate-reasons', migrant).textContent()).toContain('期望工种电子装配工');
    expect(await byTestId(`candidate-row-${laborers.nowish}`, drawer).textContent()).toContain('未填写期望工种，按岗位条件推荐');
    expect(await byTestId(`candidate-row-${laborers.sewer}`, drawer).count()).toBe(0);
    const refusals = (await byTestId('candidates-refusal-list', drawer).textContent()) ?? '';
    expect(refusals).toContain('需照顾家人，只能在本县就业：1 人');
    expect(refusals).toContain('工作地点超出务工意愿：1 人');
    await byTestId('candidates-refusal-chart', drawer).locator('canvas').waitFor();
    await shot('3-candidates', false);

    // The posting's own page shows the same candidates.
    await byTestId('posting-drawer-detail').click();
    await page.waitForURL(`**/postings/${shenzhenPosting}`);
    await byTestId(`candidate-row-${laborers.migrant}`, byTestId('posting-candidates-slot')).waitFor();
    await shot('3b-posting-detail');
  });

  it("sees the recommendations on the laborer's card", async () => {
    await page.goto(`${world.baseUrl}/laborers/${laborers.nowish}`);
    await byTestId('laborer-detail').waitFor();
    const recommendations = byTestId('laborer-recommendations');
    await byTestId(`recommendation-${shenzhenPosting}`, recommendations).waitFor();
    expect(await recommendations.textContent()).toContain('未填写期望工种，按岗位条件推荐');
    await shot('3c-laborer-card');
  });

  it('runs the batch for the county and accepts a suggestion', async () => {
    await page.getByRole('menuitem', { name: '批量匹配' }).click();
    await page.waitForURL('**/matching/runs');
    await byTestId('runs-empty').waitFor();
    await byTestId('run-start').click();
    expect(await byTestId('run-confirm-content').textContent()).toContain('每名求职者至多得到一个建议岗位');
    await settledConfirm(page);
    const started = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/matching/runs'));
    await byTestId('run-confirm-ok').click();
    expect((await started).status()).toBe(202);
    // Four job seekers are matched in milliseconds: the run is seen finished, with its summary.
    await byTestId('run-summary').waitFor({ timeout: 30_000 });
    expect(await byTestId('run-status').textContent()).toBe('已完成');
    expect(await byTestId('summary-stable').textContent()).toContain('稳定性校验通过');
    expect(await byTestId('summary-seekers').textContent()).toContain('4');
    expect(await byTestId('summary-matched').textContent()).toContain('4');
    await byTestId('summary-chart').locator('canvas').waitFor();

    const table = byTestId('suggestions-table');
    const row = table.locator('tr', { hasText: '王强' });
    await row.waitFor();
    expect(await row.textContent()).toContain('电子装配工');
    expect(await byTestId('suggestion-status', row).textContent()).toBe('待处理');
    await shot('5-run');
    await byTestId('suggestion-accept', row).click();
    await expect.poll(() => byTestId('suggestion-status', row).textContent()).toBe('已采纳');
    expect(await byTestId('suggestion-accept', row).count()).toBe(0);

    // Under 已采纳 the accepted suggestion is listed; it is kept as a recommendation (referral).
    await byTestId('suggestions-filter').getByText('已采纳').click();
    // The filter reloads the table; wait for the filtered rows, not for the old ones still shown.
    await expect
      .poll(async () => (await table.locator('tbody tr.ant-table-row').allTextContents()).map((t) => t.includes('王强')), {
        timeout: 10_000,
      })
      .toEqual([true]);
    await shot('6-accepted');
    expect(await byTestId('runs-table').textContent()).toContain('校验通过');
    expect(pageErrors).toEqual([]);
  });
});
