import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/test/helpers.ts';
import { idCheckChar } from '../server/src/modules/registry/index.ts';
import { startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 4's flow: a village officer downloads the collection form, fills it, imports it, fixes the
 * row the report names, re-imports, finds the card, edits it, and sees the change in its history.
 */
let world: BrowserWorld;
let page: Page;
const work = mkdtempSync(path.join(tmpdir(), 'laowu-e2e-form-'));
const screens = 'var/e2e-screens';
const good = (body: string) => body + idCheckChar(body);
const ID_A = good('43052219880808301');
const ID_B = good('43052219900909402');
const ID_B_WRONG = ID_B.slice(0, 17) + (ID_B.endsWith('0') ? '1' : '0');

beforeAll(async () => {
  mkdirSync(screens, { recursive: true });
  world = await startBrowserWorld();
  page = await world.newPage();
});
afterAll(async () => world?.close());

const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);

async function fill(template: string, target: string, rows: string[][]) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(template);
  const sheet = wb.getWorksheet('劳动力资源信息采集表')!;
  const headers = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? '').replace(/[*（(].*$/, ''));
  rows.forEach((values, i) => {
    const record = Object.fromEntries(values.map((v, j) => [COLUMNS[j], v]));
    const row = sheet.getRow(i + 2);
    headers.forEach((h, col) => {
      if (h && record[h] !== undefined) row.getCell(col).value = record[h];
    });
    row.commit();
  });
  await wb.xlsx.writeFile(target);
}
const COLUMNS = [
  '姓名',
  '身份证号',
  '手机号',
  '户籍所在村代码',
  '户类型',
  '文化程度',
  '劳动能力',
  '健康状况',
  '就业意愿',
  '照料负担',
  '就业状态',
];
const person = (name: string, id: string, phone: string) => [
  name,
  id,
  phone,
  '430522107212',
  '建档立卡户',
  '初中',
  '全部劳动能力',
  '健康',
  '省外',
  '照顾小孩',
  '未就业',
];

describe('the village officer keeps the 大竹村 register', () => {
  let template = '';

  it('signs in and downloads the collection form', async () => {
    await page.goto(`${world.baseUrl}/login`);
    await page.locator('#username').fill('dazhu_officer');
    await page.locator('#password').fill(DEMO_PASSWORD);
    await byTestId('login-submit').click();
    await byTestId('current-region').waitFor();
    await page.goto(`${world.baseUrl}/laborers/import`);
    const [download] = await Promise.all([page.waitForEvent('download'), byTestId('import-template').click()]);
    template = path.join(work, 'template.xlsx');
    await download.saveAs(template);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    expect(wb.getWorksheet('劳动力资源信息采集表')).toBeTruthy();
  });

  it('imports a filled form and is told which row is wrong', async () => {
    const filled = path.join(work, 'filled.xlsx');
    await fill(template, filled, [person('蒋余美', ID_A, '13807390001'), person('谢团结', ID_B_WRONG, '13807390002')]);
    await byTestId('import-upload').setInputFiles(filled);
    await byTestId('import-summary').waitFor({ timeout: 30_000 });
    expect(await byTestId('import-created').textContent()).toContain('1');
    expect(await byTestId('import-updated').textContent()).toContain('0');
    expect(await byTestId('import-rejected').textContent()).toContain('1');
    const errors = await byTestId('import-errors').textContent();
    expect(errors).toContain('3');
    expect(errors).toContain('身份证号校验位错误');
    await page.screenshot({ path: `${screens}/import-errors.png`, fullPage: true });
  });

  it('fixes the row, re-imports, and nothing is duplicated', async () => {
    const fixed = path.join(work, 'fixed.xlsx');
    await fill(template, fixed, [person('蒋余美', ID_A, '13807390001'), person('谢团结', ID_B, '13807390002')]);
    await byTestId('import-again').click();
    await byTestId('import-upload').setInputFiles(fixed);
    await byTestId('import-summary').waitFor({ timeout: 30_000 });
    // 谢团结 is new; 蒋余美 was saved by the first upload and matches it exactly.
    expect(await byTestId('import-created').textContent()).toContain('1');
    expect(await byTestId('import-updated').textContent()).toContain('0');
    expect(await byTestId('import-unchanged').textContent()).toContain('1');
    expect(await byTestId('import-rejected').textContent()).toContain('0');
    expect(await byTestId('import-confirmed-note').textContent()).toContain('本季度入户核实');
    const cards = await world.t.database.db.selectFrom('laborer').select('name').orderBy('name').execute();
    expect(cards.map((c) => c.name).sort()).toEqual(['蒋余美', '谢团结'].sort());
  });

  it('finds the card, edits it, and sees the change in its history', async () => {
    await page.goto(`${world.baseUrl}/laborers`);
    await byTestId('laborer-search').fill('xtj');
    await byTestId('laborer-search-submit').click();
    // The search by initials narrows the register to the one card.
    await expect
      .poll(async () => {
        const text = (await byTestId('laborers-table').textContent()) ?? '';
        return text.includes('谢团结') && !text.includes('蒋余美');
      })
      .toBe(true);
    await byTestId('laborer-name').first().click();
    await byTestId('laborer-detail').waitFor();
    expect(await byTestId('laborer-id-masked').textContent()).toContain(`430522********${ID_B.slice(-4)}`);
    await byTestId('laborer-edit').click();
    await page.locator('#expectedWage').fill('4200');
    await page.locator('#reason').fill('入户核实：期望月薪提高');
    await byTestId('laborer-submit').click();
    await byTestId('laborer-history').waitFor();
    await expect.poll(() => byTestId('history-change-expected_wage').textContent()).toContain('4,200');
    expect(await byTestId('history-item-2').textContent()).toContain('入户核实');
    await page.screenshot({ path: `${screens}/card-history.png`, fullPage: true });
  });
});
