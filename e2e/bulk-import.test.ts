import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { creditCode, insertEmployer } from '../server/test/fixtures.ts';
import { readReport } from '../server/test/bulk-import.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 21 item 4: a county admin brings postings gathered from job sites as one sheet: the
 * template from the 岗位 page's 导入, two rows filled (one with its wage range reversed), the
 * upload, the counts, the bad row named with its column, the error report, the new posting listed.
 */
let world: BrowserWorld;
let page: Page;
const work = mkdtempSync(path.join(tmpdir(), 'laowu-e2e-bulk-'));
const CODE = creditCode('91430522MA4L40066');
const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);

beforeAll(async () => {
  world = await startBrowserWorld();
  await insertEmployer(world.t.database.db, CODE, '新邵县浏览器导入纸箱厂', '430522');
  page = await signIn(world, 'xinshao_admin');
});
afterAll(async () => {
  await world?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('importing postings in the console', () => {
  it('downloads the template, uploads two rows, and reads one created and one refused with its reason', async () => {
    await page.goto(`${world.baseUrl}/postings`);
    await byTestId('posting-import').click();
    await byTestId('posting-import-template').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId('posting-import-template').click()]);
    const template = path.join(work, 'template.xlsx');
    await download.saveAs(template);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    const sheet = wb.worksheets[0]!;
    const headers = (sheet.getRow(2).values as unknown[]).map((v) => String(v ?? '').replace('*', ''));
    const put = (rowNumber: number, values: Record<string, string | number>) => {
      const row = sheet.getRow(rowNumber);
      headers.forEach((h, col) => {
        if (h && values[h] !== undefined) row.getCell(col).value = values[h];
      });
      row.commit();
    };
    const base = {
      用人单位统一社会信用代码: CODE,
      工种: '6-05-01-03',
      招聘人数: 12,
      工作地点: '430522',
      截止日期: addDays(chinaToday(), 45),
    };
    put(3, { ...base, 外部编号: 'WEB-88', 岗位名称: '纸箱车间普工', 月薪下限: 3200, 月薪上限: 4200 });
    put(4, { ...base, 岗位名称: '纸箱质检员', 月薪下限: 5000, 月薪上限: 4000 });
    const filled = path.join(work, 'filled.xlsx');
    await wb.xlsx.writeFile(filled);

    await byTestId('posting-import-upload').setInputFiles(filled);
    await byTestId('posting-import-summary').waitFor({ timeout: 30_000 });
    expect(await byTestId('posting-import-created').getAttribute('data-value')).toBe('1');
    expect(await byTestId('posting-import-rejected').getAttribute('data-value')).toBe('1');
    const errors = (await byTestId('posting-import-errors').textContent()) ?? '';
    expect(errors).toContain('第 4 行');
    expect(errors).toContain('月薪下限（5000 元）不能高于上限（4000 元）');
    expect(await byTestId('posting-import-report').getAttribute('href')).toMatch(/\/api\/v1\/postings\/imports\/\d+\/report$/);

    // The report the link serves holds the refused row.
    const id = (await byTestId('posting-import-report').getAttribute('href'))!.match(/imports\/(\d+)\//)![1]!;
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const report = await readReport(world.t, '/api/v1/postings', cookie, id);
    expect(report.slice(1).map((r) => [r[0], r[3]])).toEqual([['4', '纸箱质检员']]);

    await byTestId('posting-import-close').click();
    await expect.poll(async () => (await page.locator('body').textContent()) ?? '', { timeout: 15_000 }).toContain('纸箱车间普工');
  });
});
