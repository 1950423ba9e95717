import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { idCheckChar } from '../server/src/modules/registry/index.ts';
import { signIn as signInAs, startBrowserWorld, type BrowserWorld, pickFieldOption, pickRegionPath } from './browser.ts';

/**
 * The rest of issue 4 in the console: a second registration in another county offers a transfer
 * request, the holding township approves it; likely duplicates are merged with both histories kept;
 * the quarter's confirmation progress drills down to the cards still due.
 */
let world: BrowserWorld;
const screens = 'var/e2e-screens';
const good = (body: string) => body + idCheckChar(body);
const ID_MOVING = good('43052219880808102');
const ID_A = good('43052219850302102');
const ID_B = good('43052219850302124');

const base = {
  povertyStatus: 'registered',
  education: '70',
  laborCapacity: 'full',
  health: 'healthy',
  willingness: 'in_county',
  caring: 'none',
  employmentStatus: 'unemployed',
};

beforeAll(async () => {
  mkdirSync(screens, { recursive: true });
  world = await startBrowserWorld();
  const { t } = world;
  const officer = await t.login('dazhu_officer');
  const operator = await t.login('longxipu_operator');
  const create = async (cookie: string, payload: object) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/laborers', headers: { cookie }, payload });
    if (response.statusCode !== 201) throw new Error(response.body);
    return response.json().id as string;
  };
  await create(officer, { ...base, idNumber: ID_MOVING, name: '龙秀英', homeVillageCode: '430522107212' });
  const a = await create(officer, { ...base, idNumber: ID_A, name: '蒋余美', homeVillageCode: '430522107212' });
  await create(operator, {
    ...base,
    idNumber: ID_B,
    name: '蒋余美',
    homeVillageCode: '430522107202',
    phone: '13807391111',
    skills: ['缝纫'],
  });
  await t.app.inject({ method: 'POST', url: `/api/v1/laborers/${a}/confirm`, headers: { cookie: officer } });
});
afterAll(async () => world?.close());

const signIn = (username: string) => signInAs(world, username);

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);
// A click on an option while its dropdown still slides in can miss on a loaded machine (the form
// then stops at the field left empty): pickFieldOption waits for the dropdown and checks the pick.
const choose = (page: Page, field: string, title: string) => pickFieldOption(page, field, title);

describe('transfer requests, duplicates and confirmation progress in the console', () => {
  it('offers 申请迁移 when 花垣县 registers a card 新邵县 holds, and sends the request there', async () => {
    const page = await signIn('huayuan_admin');
    await page.goto(`${world.baseUrl}/laborers/new`);
    await page.locator('#name').fill('龙秀英');
    await page.locator('#idNumber').fill(ID_MOVING);
    await page.locator('#homeVillageCode').click();
    await pickRegionPath(page, ['花垣县', '双龙镇', '十八洞村']);
    await choose(page, 'povertyStatus', '建档立卡户');
    await choose(page, 'education', '初中');
    await choose(page, 'laborCapacity', '全部劳动能力');
    await choose(page, 'health', '健康');
    await choose(page, 'caring', '无');
    await choose(page, 'willingness', '省外');
    await choose(page, 'employmentStatus', '未就业');
    await byTestId(page, 'laborer-submit').click();
    // The form's answer first, so a different refusal says what it was instead of a bare timeout.
    await byTestId(page, 'laborer-form-error').waitFor();
    expect(await byTestId(page, 'laborer-form-error').textContent()).toContain('湖南省邵阳市新邵县');
    await byTestId(page, 'laborer-transfer').waitFor();
    await byTestId(page, 'laborer-transfer').click();
    await byTestId(page, 'transfer-request-reason').fill('已随配偶落户十八洞村');
    await page.screenshot({ path: `${screens}/transfer-request.png` });
    await byTestId(page, 'transfer-request-submit').click();
    await byTestId(page, 'transfer-request-done').waitFor();
    expect(await byTestId(page, 'transfer-request-done').textContent()).toContain('湖南省邵阳市新邵县');
    await byTestId(page, 'transfer-request-close').click();

    await page.goto(`${world.baseUrl}/laborers/transfers?direction=outgoing`);
    await page.locator('[data-testid="transfer-status"]', { hasText: '待审批' }).waitFor();
    expect(await byTestId(page, 'transfers-table').textContent()).not.toContain('龙秀英');
    await page.context().close();
  });

  it('lets the holding township approve it; the card moves and says so in its history', async () => {
    const page = await signIn('longxipu_operator');
    await page.goto(`${world.baseUrl}/laborers/transfers`);
    await byTestId(page, 'transfer-approve').first().waitFor();
    expect(await byTestId(page, 'transfers-table').textContent()).toContain('龙秀英');
    await page.screenshot({ path: `${screens}/transfers-incoming.png`, fullPage: true });
    await byTestId(page, 'transfer-approve').first().click();
    await byTestId(page, 'transfer-decide-reason').fill('经核实已迁出');
    await byTestId(page, 'transfer-decide-submit').click();
    await page.locator('[data-testid="transfer-status"]', { hasText: '已批准' }).waitFor();
    const card = await world.t.database.db
      .selectFrom('laborer')
      .select('home_village_code')
      .where('name', '=', '龙秀英')
      .executeTakeFirstOrThrow();
    expect(card.home_village_code).toBe('433124110226');
    await page.context().close();
  });

  it('merges likely duplicates and shows the merged card’s history on the surviving card', async () => {
    const page = await signIn('longxipu_operator');
    await page.goto(`${world.baseUrl}/laborers/duplicates`);
    await byTestId(page, 'duplicate-merge').first().waitFor();
    expect(await byTestId(page, 'duplicate-reason').first().textContent()).toBe('同乡镇同名同出生日期');
    await page.screenshot({ path: `${screens}/duplicates.png`, fullPage: true });
    await byTestId(page, 'duplicate-merge').first().click();
    await byTestId(page, 'merge-reason').fill('入户核实为同一人');
    await page.screenshot({ path: `${screens}/duplicates-merge.png` });
    await byTestId(page, 'merge-submit').click();
    await byTestId(page, 'duplicates-empty').waitFor();

    const survivor = await world.t.database.db
      .selectFrom('laborer')
      .select('id')
      .where('name', '=', '蒋余美')
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    await page.goto(`${world.baseUrl}/laborers/${survivor.id}`);
    await byTestId(page, 'history-from-card').first().waitFor();
    expect(await byTestId(page, 'history-merge-note').first().textContent()).toContain('并入信息卡');
    expect(await byTestId(page, 'laborer-history').textContent()).toContain('138****1111');
    await page.screenshot({ path: `${screens}/merged-history.png`, fullPage: true });
    await page.context().close();
  });

  it('shows the quarter’s confirmation progress and drills down to the village and its cards still due', async () => {
    const page = await signIn('xinshao_admin');
    await page.goto(`${world.baseUrl}/laborers/confirmation`);
    await byTestId(page, 'progress-row-430522107').waitFor();
    await page.screenshot({ path: `${screens}/confirmation-county.png`, fullPage: true });
    await byTestId(page, 'progress-drill-430522107').click();
    await byTestId(page, 'progress-row-430522107212').waitFor();
    // 大竹村: 蒋余美 confirmed this quarter; no other card left there.
    expect(await byTestId(page, 'progress-row-430522107212').textContent()).toContain('100%');
    await byTestId(page, 'progress-drill-430522107212').click();
    await page.locator('[data-testid="progress-breadcrumb"]', { hasText: '大竹村' }).waitFor();
    // The list of cards still due loads after the drill-down: wait for its answer.
    await expect.poll(() => byTestId(page, 'progress-due-table').textContent(), { timeout: 15_000 }).toContain('本季度已全部核实');
    await page.screenshot({ path: `${screens}/confirmation-village.png`, fullPage: true });
    await page.context().close();
  });
});
