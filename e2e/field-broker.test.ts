import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { BrowserContext, Page } from 'playwright-core';
import { seekerCard } from '../server/test/fixtures.ts';
import { DEMO_PASSWORD } from '../server/src/generate/demo-accounts.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 19 item 1, the rest of it, on a phone (390 × 844): a broker signs in on /field, finds a job
 * seeker of their contracted village, refers them to a posting (a hard condition asks for a
 * reason, as on the console), and follows the referral in their own list to how it ended; a
 * village officer refers from a card, registers a job and ends it, and the card shows each.
 */
const DAZHU = '430522107212';
const screens = process.env.LAOWU_E2E_SCREENS || 'var/e2e-screens';
let world: BrowserWorld;
const ids: Record<string, string> = {};
const contexts: BrowserContext[] = [];

const inject = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  world.t.app.inject({ method, url, headers: { cookie }, payload });
const shot = (page: Page, name: string) => page.screenshot({ path: `${screens}/field-${name}.png`, fullPage: true });

async function phone(username: string): Promise<Page> {
  const context = await world.browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${world.baseUrl}/field`);
  await page.getByTestId('field-username').fill(username);
  await page.getByTestId('field-password').fill(DEMO_PASSWORD);
  await page.getByTestId('field-login').click();
  await page.getByTestId('field-todos').waitFor();
  return page;
}

beforeAll(async () => {
  world = await startBrowserWorld();
  const operator = await world.t.login('longxipu_operator');
  const { rows } = await sql<{ id: string }>`SELECT id FROM account WHERE username = 'longxipu_broker'`.execute(world.t.ctx.db);
  const contract = await inject('POST', '/api/v1/brokers/contracts', operator, {
    brokerId: String(rows[0]!.id),
    villageCodes: [DAZHU],
    validFrom: '2020-01-01',
    validTo: '2099-12-31',
  });
  expect(contract.statusCode, contract.body).toBe(201);
  for (const [name, body17] of [
    ['蒋红梅', '43052219880808221'],
    ['田四叔', '43052219780404841'],
  ] as const) {
    const r = await inject('POST', '/api/v1/laborers', operator, seekerCard(body17, { name }));
    expect(r.statusCode, r.body).toBe(201);
    ids[name] = r.json().id;
  }
  const { rows: emp } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(
    world.t.ctx.db,
  );
  // One posting in the village, one in 长沙: beyond what both seekers want (县内 only).
  await sql`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max, valid_from, valid_to)
    VALUES (${emp[0]!.employer_id}, '箱包缝纫工', '6-05-01-03', ${DAZHU}, 5, 2600, 3600, '2020-01-01', '2099-12-31'),
           (${emp[0]!.employer_id}, '长沙芙蓉仓储分拣员', '6-05-01-03', '430102', 5, 4000, 5000, '2020-01-01', '2099-12-31')`.execute(
    world.t.ctx.db,
  );
  mkdirSync(screens, { recursive: true });
}, 180_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await world?.close();
});

async function pickPosting(page: Page, title: string) {
  await page.getByTestId('field-refer-search').fill(title);
  const row = page.getByTestId('field-refer-posting').filter({ hasText: title });
  await row.first().click();
  await expect.poll(() => row.first().getAttribute('aria-pressed')).toBe('true');
}

describe('the broker and the officer on a phone (issue 19 item 1)', () => {
  it('a broker finds a seeker of their village, refers them past a hard condition with a reason, and sees how it ended', async () => {
    const page = await phone('longxipu_broker');
    await expect.poll(() => page.getByTestId('field-broker-villages').textContent()).toContain('大竹村');
    // The workbench's to-dos and the broker's own figures.
    await expect.poll(() => page.getByTestId('field-todos').textContent()).toContain('推荐待面试');
    await expect.poll(() => page.getByTestId('field-card-row').count()).toBeGreaterThan(0);
    await shot(page, 'broker-home');

    await page.getByTestId('field-search').fill('蒋红梅');
    await page.getByTestId('field-card-row').filter({ hasText: '蒋红梅' }).first().click();
    const card = page.getByTestId('field-card');
    await card.waitFor();
    expect(await card.textContent()).toContain('430522********');
    expect(await card.textContent()).not.toContain('19880808');
    await shot(page, 'broker-seeker');

    await page.getByTestId('field-refer-open').click();
    await pickPosting(page, '长沙芙蓉仓储分拣员');
    await page.getByTestId('field-refer-submit').click();
    // 县内 only, a job in 长沙: the referral service refuses until a reason is given.
    await expect.poll(() => page.getByTestId('field-refer-condition').textContent()).toContain('工作地点超出务工意愿');
    await page.getByTestId('field-refer-reason').fill('本人电话里说愿意去长沙');
    await shot(page, 'broker-refer');
    await page.getByTestId('field-refer-submit').click();
    await expect.poll(() => page.getByTestId('field-toast').textContent()).toContain('已推荐蒋红梅');
    await expect.poll(() => page.getByTestId('field-seeker-referrals').textContent()).toContain('长沙芙蓉仓储分拣员');

    const { rows } = await sql<{ id: string; channel: string; username: string; override_reason: string | null }>`
      SELECT r.id::text, r.channel, a.username, r.override_reason FROM referral r JOIN account a ON a.id = r.created_by
      WHERE r.laborer_id = ${ids['蒋红梅']}`.execute(world.t.ctx.db);
    expect(rows.map(({ id: _, ...r }) => r)).toEqual([
      { channel: 'broker', username: 'longxipu_broker', override_reason: '本人电话里说愿意去长沙' },
    ]);

    // The employer did not take her on: the broker's list shows how it ended.
    const employer = await world.t.login('guohui_employer');
    const step = await inject('POST', `/api/v1/referrals/${rows[0]!.id}/steps`, employer, { status: 'not_hired', note: '岗位已招满' });
    expect(step.statusCode, step.body).toBe(200);
    await page.getByTestId('field-sheet-close').click();
    await page.getByTestId('field-tab-referrals').click();
    const row = page.getByTestId('field-referral-row').filter({ hasText: '蒋红梅' });
    await expect.poll(() => row.textContent()).toContain('未录用');
    await row.click();
    await expect.poll(() => page.getByTestId('field-referral-status').textContent()).toBe('未录用');
    expect(await page.getByTestId('field-referral').textContent()).toContain('岗位已招满');
    await shot(page, 'broker-referral');
    await page.getByTestId('field-sheet-close').click();

    // Without a connection the page says what waits for one.
    await page.context().setOffline(true);
    await page.getByTestId('field-needs-network').waitFor();
    await page.context().setOffline(false);
  });

  it('an officer refers from a card, registers a job and ends it, and the card shows each', async () => {
    const page = await phone('dazhu_officer');
    await page.getByTestId('field-search').fill('田四叔');
    await page.getByTestId('field-card-row').filter({ hasText: '田四叔' }).first().click();
    await page.getByTestId('field-card').waitFor();

    await page.getByTestId('field-refer-open').click();
    await pickPosting(page, '箱包缝纫工');
    await page.getByTestId('field-refer-submit').click();
    await expect.poll(() => page.getByTestId('field-card-referrals').textContent()).toContain('箱包缝纫工');

    await page.getByTestId('field-job-register').click();
    await expect.poll(() => page.getByTestId('field-job-place').textContent()).toContain('新邵县');
    await page.getByTestId('field-job-workplace').fill('大竹村国辉箱包扶贫车间');
    await page.getByTestId('field-job-started').fill(addDays(chinaToday(), -30));
    await page.getByTestId('field-job-wage').fill('3000');
    await shot(page, 'job-register');
    await page.getByTestId('field-job-save').click();
    await expect.poll(() => page.getByTestId('field-job-current').textContent()).toContain('大竹村国辉箱包扶贫车间');
    await expect.poll(() => page.getByTestId('field-card').textContent()).toContain('已就业');
    await shot(page, 'job-card');
    const open = await inject('GET', `/api/v1/laborers/${ids['田四叔']}/employments`, await world.t.login('xinshao_admin'));
    expect(open.json().current).toMatchObject({ workplaceName: '大竹村国辉箱包扶贫车间', monthlyWage: 3000, workRegionCode: '430522' });

    await page.getByTestId('field-job-end').click();
    // The last day of work was yesterday (on the last day itself the person still counts as at work).
    await page.getByTestId('field-job-ended').fill(addDays(chinaToday(), -1));
    await page.getByTestId('field-job-end-reason').selectOption('family');
    await page.getByTestId('field-job-end-save').click();
    await expect.poll(() => page.getByTestId('field-job-past').textContent()).toContain('照顾家庭');
    await expect.poll(() => page.getByTestId('field-card').textContent()).toContain('未就业');

    // The edit form has the card's other fields: a household code and a certificate go through sync.
    await page.getByTestId('field-edit').click();
    await page.getByTestId('field-edit-household').fill('4305221072120042');
    await page.getByTestId('field-edit-certificates').fill('电工证');
    await shot(page, 'edit-groups');
    await page.getByTestId('field-edit-save').click();
    await expect.poll(() => page.getByTestId('field-card').textContent(), { timeout: 30_000 }).toContain('4305221072120042');
    await expect
      .poll(async () => {
        const card = (await inject('GET', `/api/v1/laborers/${ids['田四叔']}`, await world.t.login('xinshao_admin'))).json();
        return [card.householdCode, card.certificates];
      })
      .toEqual(['4305221072120042', ['电工证']]);
  });
});
