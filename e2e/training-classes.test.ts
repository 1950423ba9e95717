import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DAZHU, seekerCard } from '../server/test/fixtures.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { pickDate, settledConfirm, signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 20 item 5, done when: a township operator (the access table's TRAINING_ORGANISERS: county
 * admins and township operators) opens a class, puts two laborers on its roster, records their
 * hours, finishes it, records a certificate, and reads on the subsidy ledger the training subsidy
 * the finish drafted for the one who attended enough.
 */
let world: BrowserWorld;
const START = addDays(chinaToday(), -10);
const END = addDays(chinaToday(), -1);

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const operator = await t.login('longxipu_operator');
  for (const [body17, name] of [
    ['43052219860302511', '培测周红'],
    ['43052219910405512', '培测彭刚'],
  ] as const) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: operator },
      payload: seekerCard(body17, { name, homeVillageCode: DAZHU }),
    });
    expect(response.statusCode, response.body).toBe(201);
  }
});
afterAll(async () => world?.close());

describe('培训班', () => {
  it('create → roster of 2 → hours → finish → certificate, and the drafted subsidy in the ledger', async () => {
    const page = await signIn(world, 'longxipu_operator');
    await page.goto(`${world.baseUrl}/training`);
    await page.getByTestId('training-create').click();
    await page.getByTestId('training-institution').fill('新邵县职业技能培训学校');
    await page.getByTestId('training-course').fill('箱包缝纫工培训');
    // The occupation cascader, searched by name.
    const occupation = page.getByTestId('training-occupation');
    await occupation.click();
    await page.keyboard.type('缝纫工');
    const option = page.locator('.ant-cascader-menu-item', { hasText: '缝纫工' }).first();
    await option.waitFor();
    await option.click();
    await page.getByTestId('training-hours').fill('40');
    await pickDate(page, 'training-starts', START);
    await pickDate(page, 'training-ends', END);
    await page.getByTestId('training-subsidy').fill('800');
    await page.getByTestId('training-save').click();

    const table = page.getByTestId('training-table');
    await table.getByText('箱包缝纫工培训').waitFor();
    const { rows } = await sql<{ id: string }>`SELECT id::text AS id FROM training_class WHERE course = '箱包缝纫工培训'`.execute(
      world.t.ctx.db,
    );
    const classId = rows[0]!.id;
    await page.getByTestId(`training-open-${classId}`).click();
    const drawer = page.getByTestId('roster-drawer');

    // Two people of the township onto the roster, found by name.
    const search = drawer.getByTestId('roster-search');
    for (const name of ['培测周红', '培测彭刚']) {
      await search.click();
      await page.keyboard.type(name);
      const found = page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: name })
        .first();
      await found.waitFor();
      await found.click();
      await page.keyboard.press('Escape');
    }
    await drawer.getByTestId('roster-add').click();
    const roster = drawer.getByTestId('roster-table');
    await roster.getByText('培测周红').waitFor();
    await roster.getByText('培测彭刚').waitFor();
    const ids = Object.fromEntries(
      (
        await sql<{
          id: string;
          name: string;
        }>`SELECT l.id::text AS id, l.name FROM training_enrolment e JOIN laborer l ON l.id = e.laborer_id
          WHERE e.class_id = ${classId}`.execute(world.t.ctx.db)
      ).rows.map((r) => [r.name, r.id]),
    ) as Record<string, string>;
    expect(Object.keys(ids).sort()).toEqual(['培测周红', '培测彭刚'].sort());

    // Hours: 36 of 40 finishes (≥ 80%), 20 does not.
    await drawer.getByTestId(`hours-${ids['培测周红']}`).fill('36');
    await drawer.getByTestId(`hours-${ids['培测彭刚']}`).fill('20');
    await drawer.getByTestId('hours-save').click();
    await page.getByText('出勤课时已登记').waitFor();

    await drawer.getByTestId('training-finish').click();
    await (await settledConfirm(page)).locator('.ant-btn-primary').click();
    await page.getByText('结业 1 人、未结业 1 人；记入培训服务记录 1 人；生成培训补贴申请 1 人，共 800 元').waitFor();
    expect(await drawer.getByTestId(`result-${ids['培测周红']}`).textContent()).toBe('结业');
    expect(await drawer.getByTestId(`result-${ids['培测彭刚']}`).textContent()).toBe('未结业');
    expect(await drawer.getByTestId(`subsidy-${ids['培测周红']}`).textContent()).toBe('800 元 · 待审批');
    expect(await drawer.getByTestId(`subsidy-${ids['培测彭刚']}`).count()).toBe(0);

    // The certificate of the one who finished.
    await drawer.getByTestId(`certify-${ids['培测周红']}`).click();
    await page.getByTestId('certificate-number').fill('SY2026-0001');
    await page.getByTestId('certificate-save').click();
    await expect.poll(() => drawer.getByTestId(`certificate-${ids['培测周红']}`).textContent()).toBe('职业技能等级证书 SY2026-0001');
    expect(await drawer.getByTestId('roster-summary').textContent()).toContain('证书 1 本，培训补贴已入台账 1 人 800 元');

    // The subsidy ledger shows the drafted training subsidy, and only that one of the two.
    await page.goto(`${world.baseUrl}/subsidies`);
    const ledger = page.getByTestId('subsidy-table');
    const row = ledger.locator('tr', { hasText: '培测周红' });
    await row.waitFor();
    expect(await row.textContent()).toContain('待审批');
    expect(await row.textContent()).toContain('800');
    expect(await ledger.locator('tr', { hasText: '培测彭刚' }).count()).toBe(0);
    await page.close();
  });
});
