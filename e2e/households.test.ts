import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHouseholdWorld, DAZHU, HH } from '../server/src/modules/households/households.fixture.ts';
import { scrollToCard, signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 20 item 1, done when: a village officer opens a card, follows its 户编号 to the household
 * page (members, who works where, income on record), looks at a past date, and finds the
 * household among the statistics' 零就业家庭. The world: households.fixture.ts (five households
 * of 大竹村 and 团结村 with jobs and a member who moved), figures worked out in households.test.ts.
 */
let world: BrowserWorld;
let ids: Record<string, string>;

beforeAll(async () => {
  world = await startBrowserWorld();
  ids = await buildHouseholdWorld(world.t.ctx.db);
}, 120_000);
afterAll(async () => world?.close());

describe('households', () => {
  it('card → 户编号 → household page, as of a past date', async () => {
    const page = await signIn(world, 'dazhu_officer');
    await page.goto(`${world.baseUrl}/laborers/${ids.A1}`);
    await page.getByTestId('laborer-household').click();
    await page.waitForURL(`**/households/${HH(1)}`);
    const members = page.getByTestId('household-members');
    await members.getByText('户测A1').waitFor();
    await members.getByText('户测A2').waitFor();
    // A3's card is in 团结村, outside the officer's village: a masked name, no ID number.
    await members.getByText('（非本辖区）').waitFor();
    expect(await members.textContent()).not.toContain('户测A3');
    expect(await members.textContent()).toMatch(/430522\*{8}\d{4}/);
    expect(await page.getByTestId('household-size').textContent()).toBe('4 人');

    // As of 2017-06-30: 36,000 + 11,901 on record, 11,975 a person against 2017's 3,335.
    await page.goto(`${world.baseUrl}/households/${HH(1)}?asOf=2017-06-30`);
    await page.getByTestId('household-income').getByText('47,901 元').waitFor();
    expect(await page.getByTestId('household-per-capita').textContent()).toContain('11,975 元');
    expect(await page.getByTestId('household-line').textContent()).toContain('达到 2017 年脱贫线 3,335 元');
    await page.close();
  });

  it("the statistics' 零就业家庭 list opens the household", async () => {
    const page = await signIn(world, 'dazhu_officer');
    await page.goto(`${world.baseUrl}/stats?region=${DAZHU}&asOf=2017-06-30`);
    await scrollToCard(page, 'stats-more-households', 'households-figures');
    const card = page.getByTestId('households-figures');
    await card.getByText('3,335 元/人').waitFor();
    await page.getByTestId('households-zero_employment').click();
    await page.getByTestId('households-total').getByText('共 1 户').waitFor();
    const list = page.getByTestId('households-list');
    expect(await list.textContent()).toMatch(/430522\*{8}\d{4}/);
    await list.getByText(HH(2)).click();
    await page.waitForURL(`**/households/${HH(2)}?asOf=2017-06-30`);
    await page.getByTestId('household-members').getByText('户测B2').waitFor();
    await page.close();
  });
});
