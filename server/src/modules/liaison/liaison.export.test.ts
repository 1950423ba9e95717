import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadName, sheetOf } from '../../../test/export-sheet.ts';
import { creditCode, insertEmployer, seekerCard } from '../../../test/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';

/** 驻外务工人员 export (issue 18 item 2): the office's list whole, for the same search, titled, masked, audited. */
let t: TestApp;
let office: string;
let county: string;

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

beforeAll(async () => {
  t = await createTestApp();
  const huayuan = await t.login('huayuan_admin');
  [office, county] = await Promise.all(['huayuan_shenzhen', 'xinshao_admin'].map((u) => t.login(u)));
  const { rows: villages } = await sql<{ code: string }>`SELECT code FROM region
    WHERE code LIKE '433124%' AND length(code) = 12 ORDER BY code LIMIT 1`.execute(t.ctx.db);
  const employer = await insertEmployer(t.ctx.db, creditCode('91440300MA5F00027'), '深圳导出首饰厂', '440307', 'designated');
  for (const [i, [name, region, ended]] of (
    [
      ['石一', '440307', null],
      ['石二', '440306', null],
      ['石三', '440307', '2024-01-31'],
    ] as const
  ).entries()) {
    const card = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: huayuan },
      payload: seekerCard(`43312419890101${String(i + 1).padStart(3, '0')}`, { name, homeVillageCode: villages[0]!.code }),
    });
    expect(card.statusCode, card.body).toBe(201);
    await sql`INSERT INTO employment (laborer_id, employer_id, work_region_code, started_on, ended_on, end_reason, monthly_wage, channel)
      VALUES (${card.json().id}, ${employer}, ${region}, ${`2023-0${i + 1}-01`}::date, ${ended}::date, ${ended ? 'contract_ended' : null},
        5200, 'assisted')`.execute(t.ctx.db);
  }
});
afterAll(async () => t?.close());

describe("the liaison office's workers exported", () => {
  it('holds exactly the rows the list shows, under a title row naming the list, the county and city, the date', async () => {
    const list = (await get('/api/v1/liaison/workers?pageSize=100', office)).json();
    const r = await get('/api/v1/liaison/workers/export', office);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(downloadName(r.headers['content-disposition'])).toBe(`驻外务工人员-花垣县驻深圳市-${chinaToday()}.xlsx`);
    const rows = await sheetOf(r.rawPayload);
    expect(String(rows[0]![0])).toBe(`驻外务工人员 — 花垣县驻深圳市 — 导出日期 ${chinaToday()} — 筛选：无（全部）`);
    expect(rows[1]!.slice(0, 5)).toEqual(['劳动力', '性别', '证件号（脱敏）', '手机号（脱敏）', '户籍所在村']);
    const data = rows.slice(2);
    expect(list.total).toBe(2);
    expect(data.map((d) => d[0])).toEqual(list.items.map((w: { name: string }) => w.name));
    expect(data.map((d) => d[0])).toEqual(['石二', '石一']);
    expect(data.every((d) => /\*{8}/.test(String(d[2])) && d[5] === '深圳导出首饰厂' && d[10] === 5200 && d[11] === '就业帮扶')).toBe(true);
    const { rows: audit } = await sql<{ details: Record<string, unknown> }>`SELECT details FROM audit_log
      WHERE action = 'liaison.worker.export' ORDER BY id DESC LIMIT 1`.execute(t.ctx.db);
    expect(audit[0]!.details).toMatchObject({ q: null, rows: 2 });
  });

  it("holds the list's search result, with the search in the title", async () => {
    const rows = await sheetOf((await get(`/api/v1/liaison/workers/export?q=${encodeURIComponent('石一')}`, office)).rawPayload);
    expect(String(rows[0]![0])).toContain('筛选：查询 “石一”');
    expect(rows.slice(2).map((d) => d[0])).toEqual(['石一']);
  });

  it('refuses, as JSON before any file, other roles and paging', async () => {
    const staff = await get('/api/v1/liaison/workers/export', county);
    expect(staff.statusCode).toBe(403);
    expect(staff.json().code).toBeTruthy();
    expect((await get('/api/v1/liaison/workers/export?page=2', office)).statusCode).toBe(400);
  });
});
