import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, buildHandWorld } from '../server/src/modules/stats/stats.fixture.ts';
import { scrollToCard, signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 8, done when: the province admin opens the statistics for 湖南省 as of 2017-06-30, sees the
 * article's table shape, clicks 邵阳市, then 新邵县, drills into 省外 and gets the list whose count
 * equals the figure. The world is the one every e2e test starts from (the test template: region
 * tree and demo accounts) plus the statistics' hand-built world (stats.fixture.ts: 25 cards in
 * 新邵县 and 花垣县 with jobs, moves and a deletion around 2017-06-30) — the province preset's
 * 1.5 M cards are the bench's, too big for a browser test.
 */
let world: BrowserWorld;

beforeAll(async () => {
  world = await startBrowserWorld();
  await buildHandWorld(world.t.ctx.db);
}, 120_000);
afterAll(async () => world?.close());

describe('statistics', () => {
  it("province → 邵阳市 → 新邵县 → 省外: the list's count equals the figure", async () => {
    const page = await signIn(world, 'hunan_admin');
    await page.goto(`${world.baseUrl}/stats?region=43&asOf=${AS_OF}`);
    const summary = page.getByTestId('stats-summary');
    await summary.getByText('湖南省').waitFor();
    // The article's table shape: its column groups.
    for (const header of [
      '建档立卡贫困劳动力',
      '已就业',
      '县内',
      '县外省内',
      '省外',
      '自主就业',
      '就业帮扶',
      '月均工资（元）',
      '今年新增转移就业',
      '就业服务（人次）',
      '补贴（人）',
    ]) {
      await summary.getByRole('columnheader', { name: header, exact: true }).first().waitFor();
    }
    expect(await summary.getByTestId('stats-figure-registered').textContent()).toBe('21');

    await page.getByTestId('stats-child-4305').click();
    await summary.getByText('邵阳市').waitFor();
    await page.getByTestId('stats-child-430522').click();
    await summary.getByText('新邵县', { exact: true }).waitFor();
    expect(page.url()).toContain('region=430522');
    expect(await summary.getByTestId('stats-figure-registered').textContent()).toBe('17');

    const outside = summary.getByTestId('stats-figure-outOfProvince');
    const figure = Number((await outside.textContent())!.replace(/,/g, ''));
    expect(figure).toBe(4);
    await outside.click();
    const total = page.getByTestId('stats-drill-total');
    await total.getByText(`共 ${figure} 人`).waitFor();
    const rows = page.getByTestId('stats-drill').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(figure);
    // Masked identifiers only.
    expect(await page.getByTestId('stats-drill').textContent()).toMatch(/430522\*{8}\d{4}/);
    await page.close();
  });

  it('keeps the region in sight when the table scrolls sideways, and draws the lower cards when near or printed', async () => {
    const page = await signIn(world, 'hunan_admin');
    await page.goto(`${world.baseUrl}/stats?region=43&asOf=${AS_OF}`);
    const summary = page.getByTestId('stats-summary');
    const name = summary.locator('tbody td').getByText('湖南省', { exact: true });
    await name.waitFor();
    // 25 columns scroll in their box; the region's name (position: sticky) stays at its left edge.
    const before = (await name.boundingBox())!;
    await summary.locator('.ant-table-content').evaluate((box) => (box.scrollLeft = 900));
    await expect.poll(async () => summary.locator('.ant-table-content').evaluate((box) => box.scrollLeft)).toBe(900);
    expect((await name.boundingBox())!.x).toBeCloseTo(before.x, 0);
    expect(await summary.getByRole('columnheader', { name: '已就业', exact: true }).first().isVisible()).toBe(true);

    // Below the first screen the cards are places until scrolled near …
    expect(await page.getByTestId('stats-targets').count()).toBe(0);
    expect(await page.getByTestId('stats-more-targets').count()).toBe(1);
    await scrollToCard(page, 'stats-more-verification', 'stats-verification-load');
    await page.getByTestId('stats-verification-load').waitFor();
    // … and all of them are drawn when the page is printed.
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await page.getByTestId('stats-targets').waitFor({ state: 'attached' });
    expect(await page.locator('[data-testid^="stats-more-"]').count()).toBe(0);
    await page.close();
  });
});
