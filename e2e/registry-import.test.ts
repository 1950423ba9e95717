import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { idCheckChar } from '../server/src/modules/registry/index.ts';
import { pickOption, signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 21 item 1 in the console: a county admin uploads the poverty registry's export, maps its
 * columns (one header the platform does not know is mapped by hand), saves the mapping, imports,
 * and reads the results; next year's file reuses the saved mapping and lists who left.
 */
let world: BrowserWorld;
let page: Page;
const work = mkdtempSync(path.join(tmpdir(), 'laowu-e2e-registry-'));
const good = (body: string) => body + idCheckChar(body);
const HEADERS = [
  '序号',
  '乡',
  '所在村',
  '户编号',
  '姓名',
  '证件号码',
  '与户主关系',
  '人数',
  '文化程度',
  '健康状况',
  '劳动技能',
  '贫困户属性',
  '脱贫年份',
];
const row = (i: number, village: string, household: string, name: string, id: string) => [
  i,
  '龙溪铺镇',
  village,
  household,
  name,
  id,
  '户主',
  1,
  '初中',
  '健康',
  '普通劳动力',
  '一般贫困户',
  2019,
];
const PEOPLE = [
  row(1, '大竹村', '4305229001', '彭春来', good('43052219860303501')),
  row(2, '木山村', '4305229002', '曾秋菊', good('43052219880404602')),
  row(3, '不存在村', '4305229003', '邓冬生', good('43052219900505703')),
];

async function registryFile(name: string, rows: unknown[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('监测对象');
  ws.addRow(['防止返贫监测对象信息表']);
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  const file = path.join(work, name);
  await wb.xlsx.writeFile(file);
  return file;
}

const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);
const count = async (key: string) =>
  (await byTestId(`registry-count-${key}`).locator('.ant-statistic-content-value').textContent())?.trim();

beforeAll(async () => {
  world = await startBrowserWorld();
  page = await signIn(world, 'xinshao_admin');
});
afterAll(async () => world?.close());

describe('a county admin imports the poverty registry', () => {
  it('uploads the export, maps the one column the platform did not recognise, saves the mapping', async () => {
    await page.goto(`${world.baseUrl}/laborers/registry-import`);
    await byTestId('registry-upload').setInputFiles(await registryFile('2026.xlsx', PEOPLE));
    await byTestId('registry-mapping-table').waitFor({ timeout: 30_000 });
    const table = await byTestId('registry-mapping-table').textContent();
    // Proposed from the usual headers; the sample ID number is masked.
    expect(await byTestId('mapping-target-证件号码').textContent()).toContain('身份证号');
    expect(await byTestId('mapping-target-乡').textContent()).toContain('乡镇（名称）');
    expect(await byTestId('mapping-target-所在村').textContent()).toContain('不导入');
    expect(table).toContain('信息卡没有脱贫年份');
    expect(table).not.toContain(PEOPLE[0]![5]);
    await pickOption(page, byTestId('mapping-target-所在村'), '村（名称）');
    await byTestId('registry-save-mapping').click();
    await byTestId('registry-source-name').fill('防返贫监测系统');
    await byTestId('registry-save-ok').click();
    await page.getByText('已保存“防返贫监测系统”的列对应关系').waitFor();
  });

  it('imports and reads the results: new cards, and the rows whose village is unknown', async () => {
    await byTestId('registry-start').click();
    await page.locator('[data-testid="registry-results"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await count('created')).toBe('2');
    expect(await count('rejected')).toBe('1');
    const errors = await byTestId('registry-errors').textContent();
    expect(errors).toContain('第 5 行');
    expect(errors).toContain('村名『不存在村』在 龙溪铺镇 下不存在');
    await byTestId('registry-report').waitFor();
  });

  it('next year’s file reuses the saved mapping and lists the person no longer in the registry', async () => {
    await page.goto(`${world.baseUrl}/laborers/registry-import`);
    await byTestId('registry-upload').setInputFiles(await registryFile('2027.xlsx', [PEOPLE[0]!]));
    await page.getByText('已保存的“防返贫监测系统”一致', { exact: false }).waitFor({ timeout: 30_000 });
    await byTestId('registry-start').click();
    await page.locator('[data-testid="registry-results"][data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await count('unchanged')).toBe('1');
    expect(await count('missing')).toBe('1');
    const missing = byTestId('registry-missing');
    await missing.getByText('曾秋菊').waitFor();
    expect(await missing.textContent()).not.toContain(PEOPLE[1]![5]);
  });
});
