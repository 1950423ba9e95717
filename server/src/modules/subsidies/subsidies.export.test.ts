import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seekerCard } from '../../../test/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';

/** 补贴台账 export (issue 18 item 2): exactly the filtered rows, a title row, masked, audited with its count. */
let t: TestApp;
let officer: string;
let county: string;
let guzhang: string;

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
async function sheetOf(body: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

beforeAll(async () => {
  t = await createTestApp();
  [officer, county, guzhang] = await Promise.all(['dazhu_officer', 'xinshao_admin', 'guzhang_admin'].map((u) => t.login(u)));
  for (const [i, name] of ['钱一', '钱二', '钱三'].entries()) {
    const card = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`43052219860101${String(i + 1).padStart(3, '0')}`, { name }),
    });
    expect(card.statusCode, card.body).toBe(201);
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subsidies',
      headers: { cookie: officer },
      payload: {
        recipient: 'laborer',
        kind: 'training',
        laborerId: card.json().id,
        amount: 800 + i * 100,
        periodFrom: '2017-03-01',
        periodTo: '2017-03-31',
        note: '=HYPERLINK("x")',
      },
    });
    expect(applied.statusCode, applied.body).toBe(201);
    if (i === 0) {
      const approved = await t.app.inject({
        method: 'POST',
        url: `/api/v1/subsidies/${applied.json().id}/approve`,
        headers: { cookie: county },
        payload: {},
      });
      expect(approved.statusCode, approved.body).toBe(200);
    }
  }
});
afterAll(async () => t?.close());

describe('the subsidies list exported', () => {
  it('holds exactly the rows the list shows for the same filter, under a title row naming the list, region, date and filters', async () => {
    const list = (await get('/api/v1/subsidies?status=applied&pageSize=100', county)).json();
    const r = await get('/api/v1/subsidies/export?status=applied', county);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(r.headers['content-disposition']))).toContain(`补贴台账-新邵县-${chinaToday()}.xlsx`);
    const rows = await sheetOf(r.rawPayload);
    expect(String(rows[0]![0])).toBe(`补贴台账 — 新邵县 — 导出日期 ${chinaToday()} — 筛选：状态 待审批`);
    expect(rows[1]!.slice(0, 8)).toEqual([
      '编号',
      '补贴类别',
      '补贴对象',
      '劳动力 / 单位',
      '证件号（脱敏）',
      '户籍所在村',
      '经办地区',
      '金额（元）',
    ]);
    const data = rows.slice(2);
    expect(data).toHaveLength(list.total);
    expect(data.map((d) => String(d[0])).sort()).toEqual(list.items.map((s: { id: string }) => s.id).sort());
    expect(data.map((d) => d[3]).sort()).toEqual(['钱三', '钱二']);
    expect(data.every((d) => /\*{8}/.test(String(d[4])))).toBe(true);
    expect(data.map((d) => Number(d[7])).sort((a, b) => a - b)).toEqual([900, 1000]);
    expect(data.every((d) => d[1] === '职业培训补贴' && d[10] === '待审批')).toBe(true);
    // A note written as a formula stays text.
    expect(data.every((d) => String(d[19]).startsWith("'="))).toBe(true);
    const { rows: audit } = await sql<{ details: { rows: number; status: string } }>`SELECT details FROM audit_log
      WHERE action = 'subsidy.export' ORDER BY id DESC LIMIT 1`.execute(t.ctx.db);
    expect(audit[0]!.details).toMatchObject({ rows: 2, status: 'applied' });
  });

  it('without filters holds every row of the region; with a filter nobody matches, the title and headers only', async () => {
    const all = await sheetOf((await get('/api/v1/subsidies/export', county)).rawPayload);
    expect(String(all[0]![0])).toContain('筛选：无（全部）');
    expect(all.slice(2)).toHaveLength((await get('/api/v1/subsidies?pageSize=100', county)).json().total);
    const none = await sheetOf((await get('/api/v1/subsidies/export?kind=job', county)).rawPayload);
    expect(none).toHaveLength(2);
  });

  it('refuses, as JSON before any file, a region outside the caller and a bad filter', async () => {
    const outside = await get('/api/v1/subsidies/export?region=430522', guzhang);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('REGION_OUT_OF_SCOPE');
    const bad = await get('/api/v1/subsidies/export?status=lost', county);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect((await get('/api/v1/subsidies/export?page=2', county)).statusCode).toBe(400);
  });
});
