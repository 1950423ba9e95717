import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { seekerCard, DAZHU } from '../server/test/fixtures.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * 工作台 (issue 18 items 5 and 6): the county admin and a broker see their to-dos with counts; a
 * click lands on the filtered list holding that many rows. Each role's 工作台 is photographed.
 */
let world: BrowserWorld;
const screens = 'var/e2e-screens';

beforeAll(async () => {
  mkdirSync(screens, { recursive: true });
  world = await startBrowserWorld();
  const { t } = world;
  const call = async (username: string, url: string, payload?: object) => {
    const response = await t.app.inject({ method: 'POST', url, headers: { cookie: await t.login(username) }, payload });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json();
  };
  const cards: string[] = [];
  for (const [i, name] of ['甲一', '乙二', '丙三', '丁四'].entries())
    cards.push((await call('dazhu_officer', '/api/v1/laborers', seekerCard(`4305221991020${i + 1}211`, { name }))).id);
  // Two jobs started four months ago: their follow-ups are overdue.
  for (const laborerId of [cards[0], cards[1]])
    await call('xinshao_admin', '/api/v1/employments', {
      laborerId,
      workplaceName: '新邵县龙溪铺竹木加工厂',
      workRegionCode: '430522107',
      startedOn: addDays(chinaToday(), -125),
      monthlyWage: 2600,
      socialInsurance: false,
      channel: 'self_found',
    });
  const { rows } = await sql<{ id: string }>`SELECT id FROM account WHERE username = 'longxipu_broker'`.execute(t.ctx.db);
  await call('longxipu_operator', '/api/v1/brokers/contracts', {
    brokerId: String(rows[0]!.id),
    villageCodes: [DAZHU],
    validFrom: '2020-01-01',
    validTo: '2099-12-31',
  });
  const { rows: emp } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(
    t.ctx.db,
  );
  const { rows: p } = await sql<{ id: string }>`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount,
      wage_min, wage_max, valid_from, valid_to)
    VALUES (${emp[0]!.employer_id}, '箱包缝纫工', '6-05-01-03', ${DAZHU}, 10, 2600, 3600, '2020-01-01', '2099-12-31') RETURNING id`.execute(
    t.ctx.db,
  );
  for (const laborerId of [cards[2], cards[3]])
    await call('longxipu_broker', '/api/v1/referrals', { laborerId, postingId: p[0]!.id, channel: 'broker' });
}, 180_000);
afterAll(async () => world?.close());

/** The count on a to-do card of the 工作台. */
async function todoCount(page: Page, key: string): Promise<number> {
  const badge = page.getByTestId(`todo-count-${key}`);
  await badge.waitFor();
  return Number(((await badge.textContent()) ?? '').replace(/\D/g, ''));
}
const tableRows = (page: Page, table: string) => page.getByTestId(table).locator('tbody tr.ant-table-row');

describe('工作台', () => {
  it('the county admin sees the overdue follow-ups counted and opens exactly those', async () => {
    const page = await signIn(world, 'xinshao_admin');
    await page.getByTestId('workbench').waitFor();
    const overdue = await todoCount(page, 'overdueFollowUps');
    // Two jobs four months old: each has its 1- and 3-month follow-ups overdue.
    expect(overdue).toBe(4);
    await page.getByTestId('figure-employedShare').waitFor();
    await page.screenshot({ path: `${screens}/workbench-county-admin.png`, fullPage: true });
    await page.getByTestId('todo-overdueFollowUps').click();
    await page.waitForURL('**/retention?status=overdue');
    await tableRows(page, 'follow-up-table').first().waitFor();
    expect(await tableRows(page, 'follow-up-table').count()).toBe(overdue);
  });

  it('a broker sees their referrals waiting, opens them, and sees their own row of the broker table', async () => {
    const page = await signIn(world, 'longxipu_broker');
    await page.getByTestId('workbench').waitFor();
    const waiting = await todoCount(page, 'referrals_recommended');
    expect(waiting).toBe(2);
    await page.getByTestId('figure-referrals').waitFor();
    await page.screenshot({ path: `${screens}/workbench-broker.png`, fullPage: true });
    await page.getByTestId('todo-referrals_recommended').click();
    await page.waitForURL('**/referrals?status=recommended');
    await tableRows(page, 'referrals-table').first().waitFor();
    expect(await tableRows(page, 'referrals-table').count()).toBe(waiting);
    // Read only: no step buttons for the broker.
    expect(await page.getByTestId('referral-step-interviewed').count()).toBe(0);
    expect(await page.getByTestId('my-row-referrals').textContent()).toContain('2');
  });

  it("photographs every other role's 工作台", async () => {
    for (const [username, file] of [
      ['longxipu_operator', 'township-operator'],
      ['dazhu_officer', 'village-officer'],
      ['guohui_employer', 'employer'],
      ['huayuan_shenzhen', 'liaison-office'],
      ['hunan_auditor', 'auditor'],
    ] as const) {
      const page = await signIn(world, username);
      await page.getByTestId('welcome-card').waitFor();
      if (username !== 'hunan_auditor') await page.getByTestId('workbench').waitFor();
      else await page.getByText('我的功能').waitFor();
      await page.screenshot({ path: `${screens}/workbench-${file}.png`, fullPage: true });
      await page.context().close();
    }
  });
});
