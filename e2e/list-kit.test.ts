import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seekerCard } from '../server/test/fixtures.ts';
import { chinaToday } from '../server/src/platform/time.ts';
import { pickOption, signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * The list kit (issue 18 item 1) as a user relies on it, on the register: the filters and the page
 * are in the address, so a reload shows the same list and page, the back button returns to the
 * list before the last change, and the export of the filtered list holds exactly its rows.
 */
let world: BrowserWorld;
const PAGED = Array.from({ length: 25 }, (_, i) => `翻页${String(i + 1).padStart(2, '0')}`);
const OTHERS = ['另一甲', '另一乙'];

beforeAll(async () => {
  world = await startBrowserWorld();
  const officer = await world.t.login('dazhu_officer');
  const cards = [
    ...[...PAGED, ...OTHERS].map((name, i) => seekerCard(`43052219940404${String(100 + i)}`, { name, willingness: 'out_of_province' })),
    seekerCard('43052219940404200', { name: '县内务工', willingness: 'in_county' }),
  ];
  for (const card of cards) {
    const r = await world.t.app.inject({ method: 'POST', url: '/api/v1/laborers', headers: { cookie: officer }, payload: card });
    if (r.statusCode !== 201) throw new Error(r.body);
  }
}, 180_000);
afterAll(async () => world?.close());

describe('a list whose filters and page live in the address', () => {
  it('reload keeps the filter and the page, back returns to the previous filter, and the export holds the filtered rows', async () => {
    const page = await signIn(world, 'xinshao_admin');
    await page.goto(`${world.baseUrl}/laborers`);
    const table = page.getByTestId('laborers-table');
    const names = () => table.getByTestId('laborer-name').allTextContents();
    const search = page.getByTestId('laborer-search');
    await page.getByText('共 28 人').waitFor();

    // First filter: 就业意愿 省外 (27 of the 28); then the name search narrows it to the 25.
    await pickOption(page, page.getByTestId('laborer-filter-willingness'), '省外');
    await page.getByText('共 27 人').waitFor();
    await search.fill('翻页');
    await search.press('Enter');
    await page.getByText('共 25 人').waitFor();
    const firstPage = await names();
    expect(firstPage).toHaveLength(20);

    await page.locator('.ant-pagination-item-2').click();
    await expect.poll(names).toHaveLength(5);
    const secondPage = await names();
    expect(new Set([...firstPage, ...secondPage])).toEqual(new Set(PAGED));

    await page.reload();
    await page.getByText('共 25 人').waitFor();
    await expect.poll(names).toEqual(secondPage);
    expect(await search.inputValue()).toBe('翻页');
    expect(await page.locator('.ant-pagination-item-active').textContent()).toBe('2');
    expect(await page.getByTestId('laborer-filter-willingness').textContent()).toContain('省外');

    // The export of the filtered list: the same 25 people, not only the page on screen.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('laborer-export').click()]);
    expect(download.suggestedFilename()).toBe(`劳动力名册-新邵县-${chinaToday()}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path())!);
    const rows: unknown[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(String(rows[0]![0])).toContain('就业意愿 省外');
    expect(rows[1]![0]).toBe('姓名');
    expect(rows.slice(2).map((r) => r[0])).toHaveLength(25);
    expect(new Set(rows.slice(2).map((r) => r[0]))).toEqual(new Set(PAGED));

    // Back: first to page 1 of the same list, then to the list before the name search.
    await page.goBack();
    await expect.poll(names).toEqual(firstPage);
    await page.goBack();
    await page.getByText('共 27 人').waitFor();
    expect(await search.inputValue()).toBe('');
    expect(await page.getByTestId('laborer-filter-willingness').textContent()).toContain('省外');
    await page.close();
  });

  it('a list wider than the window scrolls sideways in its box, the checkboxes, the name and the actions kept in sight', async () => {
    // The village officer ticks cards for the quarter's confirmation: the register has checkboxes.
    const page = await signIn(world, 'dazhu_officer');
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.goto(`${world.baseUrl}/laborers`);
    const table = page.getByTestId('laborers-table');
    const name = table.getByTestId('laborer-name').first();
    await name.waitFor();
    const box = table.locator('.ant-table-content');
    const row = table.locator('tbody tr.ant-table-row').first();
    const checkbox = row.locator('.ant-table-selection-column');
    const before = { name: (await name.boundingBox())!.x, checkbox: (await checkbox.boundingBox())!.x };
    const wide = await box.evaluate((b) => b.scrollWidth - b.clientWidth);
    expect(wide).toBeGreaterThan(100);
    await box.evaluate((b) => (b.scrollLeft = b.scrollWidth));
    await expect.poll(() => box.evaluate((b) => b.scrollLeft)).toBeGreaterThan(100);
    expect((await name.boundingBox())!.x).toBeCloseTo(before.name, 0);
    expect((await checkbox.boundingBox())!.x).toBeCloseTo(before.checkbox, 0);
    // The actions column at the right edge of the box, not scrolled out of it.
    const action = row.locator('td').last();
    const edge = (await box.boundingBox())!;
    const cell = (await action.boundingBox())!;
    expect(cell.x + cell.width).toBeLessThanOrEqual(edge.x + edge.width + 1);
    expect(cell.x).toBeGreaterThan(edge.x + edge.width - 200);

    // The village cell's tooltip (mounted on the first hover, components/HoverTooltip.tsx): the whole path and the code.
    await box.evaluate((b) => (b.scrollLeft = 0));
    expect(await page.locator('.ant-tooltip').count()).toBe(0);
    await row.locator('.lw-place').hover();
    await expect.poll(() => page.locator('.ant-tooltip:visible').textContent()).toMatch(/大竹村（\d{12}）$/);
    await page.close();
  });
});
