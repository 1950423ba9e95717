import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { DAZHU, insertPosting, seekerCard } from '../server/test/fixtures.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { signIn as signInAs, startBrowserWorld, type BrowserWorld, pickOption, pickDate } from './browser.ts';

/**
 * Issue 7, done when: a placement flows end to end in the browser — hire → follow-ups appear on the
 * village officer's list → one reports the job lost → a re-employment case opens with new postings →
 * a new hire closes it; the retention list and rate reflect every step. 大竹村's officer follows a
 * laborer hired by 邵阳国辉箱包扶贫车间 (the first article's workshop).
 */
let world: BrowserWorld;
let laborer: string;
let firstPosting: string;
let secondPosting: string;
const today = chinaToday();
const started = addDays(today, -40);
const lastDay = addDays(today, -20);

const signIn = (username: string) => signInAs(world, username);

const okButton = (scope: ReturnType<Page['getByTestId']>) =>
  scope.getByRole('button', { name: '确 定' }).or(scope.getByRole('button', { name: '确定' }));

/** The employer moves the referral of our laborer to interviewed, then hired on `startedOn`. */
async function hire(startedOn: string) {
  const { rows: open } = await sql<{
    id: string;
  }>`SELECT id FROM referral WHERE laborer_id = ${laborer} AND status = 'recommended'`.execute(world.t.ctx.db);
  const page = await signIn('guohui_employer');
  await page.getByRole('menuitem', { name: '推荐' }).click();
  await page.waitForURL('**/referrals');
  const row = page.getByTestId(`referral-row-${open[0]!.id}`);
  await row.waitFor();
  await row.getByTestId('referral-step-interviewed').click();
  const modal = page.getByTestId('referral-step-modal');
  await okButton(modal).click();
  await row.getByTestId('referral-step-hired').waitFor();
  await row.getByTestId('referral-step-hired').click();
  await page.getByTestId('referral-monthly-wage').waitFor();
  await pickDate(page, 'referral-started-on', startedOn);
  // The hire's own answer before the page closes: the modal's root is never shown itself, so a
  // wait for it to hide returned at once and closing the page could drop the request in flight.
  const saved = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/referrals/${open[0]!.id}`), {
    timeout: 60_000,
  });
  await okButton(modal).click();
  const answer = await saved;
  expect(answer.status(), await answer.text()).toBe(200);
  await page.close();
}

async function retentionTab(page: Page, tab: string) {
  await page.goto(`${world.baseUrl}/retention?tab=${tab}`);
}

/** The officer's retention list for 大竹村: who works where now. */
async function retentionListText(page: Page) {
  await retentionTab(page, 'lists');
  await page.getByTestId('task-table').waitFor();
  const loaded = page.waitForResponse((r) => r.url().includes('/api/v1/lists/retention'));
  await page.getByTestId('list-kind').getByText('稳岗清单').click();
  const answer = await loaded;
  expect(answer.status(), await answer.text()).toBe(200);
  const { items } = (await answer.json()) as { items: unknown[] };
  // Read the table once it has drawn the answer just received: as many rows as the answer holds.
  const table = page.getByTestId('retention-table');
  await expect.poll(() => table.locator('tbody tr.ant-table-row').count(), { timeout: 20_000 }).toBe(items.length);
  return (await table.textContent()) ?? '';
}

async function oneMonthRate(page: Page) {
  await retentionTab(page, 'rate');
  await page.getByTestId('rate-chart').waitFor();
  return (await page.getByTestId('rate-card').textContent()) ?? '';
}

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const officer = await t.login('dazhu_officer');
  const call = async (url: string, payload: object) => {
    const response = await t.app.inject({ method: 'POST', url, headers: { cookie: officer }, payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  laborer = (
    await call(
      '/api/v1/laborers',
      seekerCard('43052219890716302', {
        name: '邓稳岗',
        willingness: 'in_county',
        wantedJobTypes: ['缝纫工'],
        expectedWage: 2600,
      }),
    )
  ).id;
  const guohui = String(
    (await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db)).rows[0]!
      .employer_id,
  );
  firstPosting = await insertPosting(t.ctx.db, guohui, {
    title: '箱包缝纫工',
    occupation_code: '6-05-01-03',
    work_region_code: DAZHU,
    headcount: 5,
    wage_min: 2400,
    wage_max: 3200,
  });
  secondPosting = await insertPosting(t.ctx.db, guohui, {
    title: '箱包质检员',
    occupation_code: '6-05-01-03',
    work_region_code: DAZHU,
    headcount: 5,
    wage_min: 2600,
    wage_max: 3400,
  });
  await call('/api/v1/referrals', { laborerId: laborer, postingId: firstPosting, channel: 'staff' });
}, 180_000);
afterAll(async () => world?.close());

describe('a placement followed from hire to re-employment', { timeout: 150_000 }, () => {
  it("the hire puts the follow-ups on the village officer's list, and the worker on the retention list and in the rate", async () => {
    await hire(started);
    const page = await signIn('dazhu_officer');
    await page.getByRole('menuitem', { name: '稳岗服务' }).click();
    await page.waitForURL('**/retention');
    const table = page.getByTestId('follow-up-table');
    await table.locator('tr', { hasText: '邓稳岗' }).first().waitFor();
    const rows = table.locator('tr', { hasText: '邓稳岗' });
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(4);
    // Due 30 days after the start: ten days overdue, marked so.
    await expect.poll(() => rows.filter({ hasText: '第 1 个月' }).getByTestId('follow-up-overdue').count(), { timeout: 20_000 }).toBe(1);
    expect(await retentionListText(page)).toContain('邓稳岗');
    const rate = await oneMonthRate(page);
    expect(rate).toContain('100.0%');
    expect(rate).toContain('1/1');
    await page.close();
  });

  it('a follow-up reports the job lost: a re-employment case opens with new postings, the lists and the rate follow', async () => {
    const page = await signIn('dazhu_officer');
    await retentionTab(page, 'follow-ups');
    const row = page.getByTestId('follow-up-table').locator('tr', { hasText: '第 1 个月' }).filter({ hasText: '邓稳岗' });
    await row.waitFor();
    await row.locator('[data-testid^="follow-up-record-"]').click();
    const modal = page.getByTestId('follow-up-modal');
    await modal.getByText('已离岗').click();
    await pickDate(page, 'follow-up-ended-on', lastDay);
    await pickOption(page, page.getByTestId('follow-up-end-reason'), '主动辞职');
    // The saved follow-up's answer, not only its toast (which lasts three seconds): a refusal shows its reason here.
    const saved = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/v1\/follow-ups\/\d+$/.test(r.url()), {
      timeout: 60_000,
    });
    await modal
      .getByRole('button', { name: '保 存' })
      .or(modal.getByRole('button', { name: '保存' }))
      .click();
    const answer = await saved;
    expect(answer.status(), await answer.text()).toBe(200);
    await page.getByText('回访已记录，已登记离职并开启转岗服务').waitFor();
    const { rows } = await sql<{
      ended_on: string;
      status: string;
    }>`SELECT e.ended_on::text, l.employment_status AS status FROM employment e
      JOIN laborer l ON l.id = e.laborer_id WHERE e.laborer_id = ${laborer}`.execute(world.t.ctx.db);
    expect(rows).toEqual([{ ended_on: lastDay, status: 'unemployed' }]);

    await retentionTab(page, 'cases');
    await page.getByTestId('case-table').locator('tr', { hasText: '邓稳岗' }).waitFor();
    await page.getByTestId('case-table').getByText('邓稳岗').click();
    const drawer = page.getByTestId('case-drawer');
    await drawer.getByTestId('case-recommendations').waitFor();
    expect(await drawer.getByTestId('case-recommendations').textContent()).toContain('箱包质检员');

    expect(await retentionListText(page)).not.toContain('邓稳岗');
    // Left before a month was out: the one-month rate drops to none of one.
    const rate = await oneMonthRate(page);
    expect(rate).toContain('0.0%');
    expect(rate).toContain('0/1');
    await page.close();
  });

  it('a new hire closes the case as re-employed and puts the worker back on the retention list', async () => {
    const officer = await world.t.login('dazhu_officer');
    const referral = await world.t.app.inject({
      method: 'POST',
      url: '/api/v1/referrals',
      headers: { cookie: officer },
      payload: { laborerId: laborer, postingId: secondPosting, channel: 'staff' },
    });
    expect(referral.statusCode, referral.body).toBe(201);
    await hire(today);
    const page = await signIn('dazhu_officer');
    await retentionTab(page, 'cases');
    await page.getByTestId('case-filter').getByText('已结案').click();
    const row = page.getByTestId('case-table').locator('tr', { hasText: '邓稳岗' });
    await row.waitFor();
    expect(await row.getByTestId('case-status').textContent()).toContain('重新就业');
    expect(await retentionListText(page)).toContain('邓稳岗');
    await page.close();
  });
});
