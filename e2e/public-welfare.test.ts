import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DAZHU, seekerCard } from '../server/test/fixtures.ts';
import { addMonths, chinaToday } from '../server/src/platform/time.ts';
import { pickDate, signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 20 item 9 on the console: the township operator assigns a laborer who cares for her
 * elders to the village's public-welfare post, records last month's days and drafts the month's
 * pay — once, a second draft adds nothing.
 */
let world: BrowserWorld;
let post: string;
let laborer: string;
const lastMonth = addMonths(`${chinaToday().slice(0, 7)}-01`, -1).slice(0, 7);

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const operator = await t.login('longxipu_operator');
  const call = async (url: string, payload: object) => {
    const response = await t.app.inject({ method: 'POST', url, headers: { cookie: operator }, payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  laborer = (await call('/api/v1/laborers', seekerCard('43052219790101418', { name: '蒋桂兰', homeVillageCode: DAZHU, caring: 'elders' })))
    .id;
  post = (
    await call('/api/v1/public-welfare/posts', {
      name: '村道保洁员',
      employerName: '大竹村村民委员会',
      regionCode: DAZHU,
      monthlyPay: 870,
      headcount: 1,
    })
  ).id;
});
afterAll(async () => world?.close());

/** Clicks a modal's OK button (its test id: the modals name theirs 安置, 登记出勤, 生成) and waits for the request it sends. */
async function save(page: import('playwright-core').Page, okTestId: string, matches: (r: import('playwright-core').Response) => boolean) {
  const answer = page.waitForResponse(matches, { timeout: 60_000 });
  await page.getByTestId(okTestId).click();
  return answer;
}

describe('公益性岗位', () => {
  it("assigns, records last month's days and drafts the month's pay once", async () => {
    const page = await signIn(world, 'longxipu_operator');
    await page.goto(`${world.baseUrl}/public-welfare`);
    await expect.poll(() => page.getByTestId(`welfare-post-filled-${post}`).textContent()).toBe('0 / 1');

    await page.getByTestId(`welfare-assign-${post}`).click();
    const assign = page.getByTestId('welfare-assign-modal');
    await assign.locator('.ant-modal').waitFor();
    await page.getByTestId('welfare-assign-laborer').click();
    await page.keyboard.type('蒋桂兰');
    await page.locator('.ant-select-item-option', { hasText: '蒋桂兰' }).first().click();
    await pickDate(page, 'welfare-assign-date', `${addMonths(`${lastMonth}-01`, -1)}`);
    const assigned = await save(
      page,
      'welfare-assign-save',
      (r) => r.url().endsWith('/api/v1/public-welfare/holdings') && r.request().method() === 'POST',
    );
    expect(assigned.status()).toBe(201);
    await expect.poll(() => page.getByTestId(`welfare-post-filled-${post}`).textContent()).toBe('1 / 1');

    const { rows } = await sql<{ id: string }>`SELECT id::text AS id FROM public_welfare_holding WHERE laborer_id = ${laborer}`.execute(
      world.t.ctx.db,
    );
    const holding = rows[0]!.id;
    await page.getByRole('tab', { name: '在岗人员' }).click();
    await page.getByTestId(`welfare-attendance-${holding}`).click();
    const attendance = page.getByTestId('welfare-attendance-modal');
    await attendance.locator('.ant-modal').waitFor();
    await pickDate(page, 'welfare-attendance-month', lastMonth);
    await page.getByTestId('welfare-attendance-days').fill('20');
    const recorded = await save(
      page,
      'welfare-attendance-save',
      (r) => r.url().endsWith(`/holdings/${holding}/attendance`) && r.request().method() === 'PUT',
    );
    expect(recorded.status()).toBe(200);
    await page.getByText(`${lastMonth} 出勤 20 天，应发 800 元`).waitFor();

    for (const expected of [
      `已为 1 人生成 ${lastMonth} 月补贴申请，共 800 元`,
      `已为 0 人生成 ${lastMonth} 月补贴申请，共 0 元；1 人该月已生成，未重复生成`,
    ]) {
      await page.getByTestId('welfare-pay').click();
      await page.getByTestId('welfare-pay-modal').locator('.ant-modal').waitFor();
      const drafted = await save(page, 'welfare-pay-save', (r) => r.url().endsWith('/api/v1/public-welfare/pay'));
      expect(drafted.status()).toBe(200);
      await page.getByText(expected).waitFor();
    }
    const { rows: subsidies } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM subsidy
      WHERE laborer_id = ${laborer} AND kind = 'public_welfare' AND status = 'applied'`.execute(world.t.ctx.db);
    expect(subsidies[0]!.n).toBe(1);
    await page.close();
  });
});
