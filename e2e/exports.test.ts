import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, buildHandWorld } from '../server/src/modules/stats/stats.fixture.ts';
import { seekerCard } from '../server/test/fixtures.ts';
import { chinaToday } from '../server/src/platform/time.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Export of every list (issue 18 item 2), in the browser: the button downloads the list for the
 * filters on screen, the file named by list, region and date, its title row first; the people
 * behind a statistic download from the drill-down's drawer.
 */
let world: BrowserWorld;

async function sheetOf(path: string) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  await buildHandWorld(t.ctx.db);
  const officer = await t.login('dazhu_officer');
  const card = await t.app.inject({
    method: 'POST',
    url: '/api/v1/laborers',
    headers: { cookie: officer },
    payload: seekerCard('43052219890707001', { name: '曾导出' }),
  });
  expect(card.statusCode, card.body).toBe(201);
  const served = await t.app.inject({
    method: 'POST',
    url: '/api/v1/service-records',
    headers: { cookie: officer },
    payload: { laborerId: card.json().id, kind: 'guidance', servedOn: chinaToday(), content: '外出务工政策咨询' },
  });
  expect(served.statusCode, served.body).toBe(201);
}, 180_000);
afterAll(async () => world?.close());

describe('exports from the console', () => {
  it("a county admin exports the service records on screen: the file holds the page's records under its title row", async () => {
    const page = await signIn(world, 'xinshao_admin');
    await page.goto(`${world.baseUrl}/service-records`);
    await page.getByTestId('service-table').getByText('曾导出').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('service-export').click()]);
    expect(download.suggestedFilename()).toBe(`服务记录-新邵县-${chinaToday()}.xlsx`);
    const rows = await sheetOf((await download.path())!);
    expect(String(rows[0]![0])).toContain(`服务记录 — 新邵县 — 导出日期 ${chinaToday()} — 筛选：服务日期 `);
    const mine = rows.slice(2).find((r) => r[3] === '曾导出')!;
    expect(mine.slice(1, 3)).toEqual([chinaToday(), '职业指导']);
    expect(String(mine[4])).toMatch(/^430522\*{8}\d{3}[\dX]$/);
    await page.context().close();
  });

  it("the province admin downloads the people behind 省外 from the drill-down's drawer", async () => {
    const page = await signIn(world, 'hunan_admin');
    await page.goto(`${world.baseUrl}/stats?region=430522&asOf=${AS_OF}`);
    const outside = page.getByTestId('stats-summary').getByTestId('stats-figure-outOfProvince');
    await outside.click();
    await page.getByTestId('stats-drill-total').getByText('共 4 人').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stats-drill-export').click()]);
    expect(download.suggestedFilename()).toBe(`统计指标名单-新邵县-${chinaToday()}.xlsx`);
    const rows = await sheetOf((await download.path())!);
    expect(String(rows[0]![0])).toBe(`统计指标名单 — 新邵县 — 导出日期 ${chinaToday()} — 筛选：指标 省外就业、截至 ${AS_OF}`);
    expect(
      rows
        .slice(2)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['统计a2', '统计a4', '统计a9', '统计b1']);
    await page.context().close();
  });
});
