import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday } from '../server/src/platform/time.ts';
import { seekerCard } from '../server/test/fixtures.ts';
import { type BrowserWorld, signIn, startBrowserWorld } from './browser.ts';

/**
 * Issue 18's auditor: a county admin looked at 蒋余美's full ID number; the province auditor finds
 * that reveal by her name, reads it in Chinese with its reason, and exports it.
 */
let world: BrowserWorld;
const work = mkdtempSync(path.join(tmpdir(), 'laowu-e2e-audit-'));

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const county = await t.login('xinshao_admin');
  const create = async (body17: string, name: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: county },
      payload: seekerCard(body17, { name }),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  for (const id of [await create('43052219850302162', '蒋余美'), await create('43052219900909472', '谢团结')]) {
    const reveal = await t.app.inject({
      method: 'POST',
      url: `/api/v1/laborers/${id}/reveal`,
      headers: { cookie: county },
      payload: { reason: '核对身份办理补贴' },
    });
    expect(reveal.statusCode, reveal.body).toBe(200);
  }
}, 120_000);
afterAll(async () => world?.close());

describe('the auditor reads the audit log', () => {
  it('finds a reveal by the person’s name, reads it in Chinese, and exports it', async () => {
    const page = await signIn(world, 'hunan_auditor');
    await page.goto(`${world.baseUrl}/audit`);
    await page.locator('[data-testid="audit-table"] .ant-table-row').first().waitFor();
    await page.locator('#audit_person').fill('蒋余美');
    await page.locator('#audit_action').fill('查看');
    await page.getByTestId('audit-search').click();
    const rows = page.locator('[data-testid="audit-table"] .ant-table-row');
    await rows.filter({ hasText: '查看完整证件号和手机号' }).first().waitFor();
    // Only her card: the reveal, named in Chinese, the object by her masked name; 谢团结's reveal is not listed.
    await expect.poll(() => rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.getByTestId('audit-action').textContent()).toBe('查看完整证件号和手机号');
    expect(await row.getByTestId('audit-object').textContent()).toContain('蒋**');
    expect(await page.locator('[data-testid="audit-table"]').textContent()).not.toContain('蒋余美');
    // The details as labelled fields.
    await row.locator('.ant-table-row-expand-icon').click();
    const details = page.getByTestId('audit-details');
    await details.waitFor();
    expect(await details.textContent()).toContain('理由');
    expect(await details.textContent()).toContain('核对身份办理补贴');
    mkdirSync('var/e2e-screens', { recursive: true });
    await page.screenshot({ path: 'var/e2e-screens/audit-by-person.png', fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    expect(download.suggestedFilename()).toBe(`审计日志-湖南省-${chinaToday()}.xlsx`);
    const file = path.join(work, 'audit.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.worksheets[0]!;
    expect(String(sheet.getRow(1).getCell(1).value)).toContain('劳动力 蒋**');
    const headers = (sheet.getRow(2).values as unknown[]).slice(1).map(String);
    expect(sheet.rowCount).toBe(3);
    const values = (sheet.getRow(3).values as unknown[]).slice(1);
    const cell = (h: string) => values[headers.indexOf(h)];
    expect(cell('动作')).toBe('查看完整证件号和手机号');
    expect(cell('对象名称')).toBe('蒋**');
    expect(cell('详情')).toBe('理由：核对身份办理补贴');
  });
});
