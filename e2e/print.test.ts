import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeId, seekerCard } from '../server/test/fixtures.ts';
import { chinaToday } from '../server/src/platform/time.ts';
import { printedPages, signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Paper and files (issue 18 items 2 and 3): a county admin prints a laborer's card (一人一卡) and
 * the statistics table, each read back from the PDF chromium prints, and exports the subsidies list,
 * read back from the downloaded file.
 */
let world: BrowserWorld;
let cardId: string;
const BODY = '43052219870315002';
const ID_NUMBER = makeId(BODY);

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const officer = await t.login('dazhu_officer');
  const card = await t.app.inject({
    method: 'POST',
    url: '/api/v1/laborers',
    headers: { cookie: officer },
    payload: seekerCard(BODY, { name: '谭秋菊', sex: 'female', phone: '13907391234', remark: '愿意去长沙做家政' }),
  });
  expect(card.statusCode, card.body).toBe(201);
  cardId = card.json().id;
  const applied = await t.app.inject({
    method: 'POST',
    url: '/api/v1/subsidies',
    headers: { cookie: officer },
    payload: { recipient: 'laborer', kind: 'training', laborerId: cardId, amount: 1200, periodFrom: '2017-03-01', periodTo: '2017-03-31' },
  });
  expect(applied.statusCode, applied.body).toBe(201);
}, 180_000);
afterAll(async () => world?.close());

describe('a county admin on paper', () => {
  it("prints a laborer's card on one A4 page: the collection form's fields, the ID number and phone masked, the sign lines", async () => {
    const page = await signIn(world, 'xinshao_admin');
    await page.goto(`${world.baseUrl}/laborers/${cardId}`);
    await page.getByTestId('laborer-title').waitFor();
    await expect(page.getByTestId('laborer-print').isVisible()).resolves.toBe(true);
    const pages = await printedPages(page);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    for (const expected of ['贫困劳动力信息卡（一人一卡）', '谭秋菊', '大竹村', '愿意去长沙做家政', '村信息员（签字）', '打印人'])
      expect(text).toContain(expected);
    expect(text).toContain(`430522********${ID_NUMBER.slice(-4)}`);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain('13907391234');
    // The console around the card is not printed.
    expect(text).not.toContain('动态管理台账');
    expect(text).not.toContain('工作人员管理端');
    await page.context().close();
  });

  it('prints the statistics table in the article layout with the lines for the seal, the figures as the summary gives them', async () => {
    const { t } = world;
    const asOf = chinaToday();
    const summary = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/stats/summary?region=430522&asOf=${asOf}`,
        headers: { cookie: await t.login('xinshao_admin') },
      })
    ).json();
    const page = await signIn(world, 'xinshao_admin');
    await page.goto(`${world.baseUrl}/stats?region=430522&asOf=${asOf}`);
    await page.getByTestId('stats-print-sheet').waitFor({ state: 'attached' });
    const text = (await printedPages(page)).join('\n');
    for (const expected of [
      '劳务协作脱贫统计表',
      '填报单位：新邵县',
      `截至 ${asOf}`,
      '填报单位（盖章）',
      '职业指导',
      '6个月稳岗率',
      '龙溪铺镇',
    ])
      expect(text).toContain(expected);
    // The region's row: its name, then registered and employed as the summary gives them.
    expect(text).toMatch(
      new RegExp(`新邵县\\s*${summary.registered.toLocaleString('zh-CN')}\\s+${summary.employed.toLocaleString('zh-CN')}\\s`),
    );
    expect(summary.registered).toBeGreaterThan(0);
    expect(text).not.toContain('工作人员管理端');
    await page.context().close();
  });

  it("prints the village's whole register (一村一册) as a roster, every card of the filter, not the page on screen", async () => {
    const page = await signIn(world, 'dazhu_officer');
    await page.goto(`${world.baseUrl}/laborers?pageSize=1`);
    // The print dialog itself is the browser's; here it is counted, and the page printed as chromium prints it.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await page.getByTestId('laborers-title').waitFor();
    const total = (
      await world.t.app.inject({
        method: 'GET',
        url: '/api/v1/laborers?pageSize=1',
        headers: { cookie: await world.t.login('dazhu_officer') },
      })
    ).json().total as number;
    await page.getByTestId('laborer-print-register').click();
    await page.getByTestId('laborer-print-register-sheet').waitFor({ state: 'attached' });
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    expect(await page.getByTestId('laborer-print-register-sheet').locator('tbody tr').count()).toBe(total);
    const text = (await printedPages(page)).join('\n');
    for (const expected of ['大竹村贫困劳动力花名册（一村一册）', `共 ${total} 人`, '谭秋菊', '村委会（盖章）'])
      expect(text).toContain(expected);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain('新建信息卡');
    await page.context().close();
  });

  it("prints a whole list of the three (任务清单) under the region's name, every row, with the seal line", async () => {
    const page = await signIn(world, 'xinshao_admin');
    await page.goto(`${world.baseUrl}/retention?tab=lists`);
    await page.getByTestId('task-table').waitFor();
    await page.evaluate(() => {
      window.print = () => undefined;
    });
    const total = (
      await world.t.app.inject({
        method: 'GET',
        url: '/api/v1/lists/tasks?region=430522&pageSize=1',
        headers: { cookie: await world.t.login('xinshao_admin') },
      })
    ).json().total as number;
    expect(total).toBeGreaterThan(0);
    await page.getByTestId('list-print').click();
    await page.getByTestId('list-print-sheet').waitFor({ state: 'attached' });
    expect(await page.getByTestId('list-print-sheet').locator('tbody tr').count()).toBe(total);
    const text = (await printedPages(page)).join('\n');
    for (const expected of ['湖南省邵阳市新邵县任务清单', `共 ${total} 人`, '谭秋菊', '单位（盖章）']) expect(text).toContain(expected);
    expect(text).not.toContain('三个清单');
    await page.context().close();
  });

  it('exports the subsidies list: the downloaded file holds the rows of the list under its title row', async () => {
    const page = await signIn(world, 'xinshao_admin');
    await page.goto(`${world.baseUrl}/subsidies`);
    await page.getByRole('tab', { name: '补贴台账' }).click();
    await page.getByTestId('subsidy-table').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('subsidy-export').click()]);
    expect(download.suggestedFilename()).toBe(`补贴台账-新邵县-${chinaToday()}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const sheet = workbook.worksheets[0]!;
    expect(String(sheet.getCell('A1').value)).toContain('补贴台账 — 新邵县');
    expect(sheet.getRow(3).getCell(4).value).toBe('谭秋菊');
    expect(sheet.getRow(3).getCell(8).value).toBe(1200);
    expect(sheet.rowCount).toBe(3);
    await page.context().close();
  });
});
