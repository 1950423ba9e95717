import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadName, sheetOf } from '../../../test/export-sheet.ts';
import { DAZHU, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';

/** 劳务经纪人工作台账 export (issue 18 item 2): the table's rows and totals as the page shows them, titled, audited. */
let t: TestApp;
let operator: string;
let county: string;
let guzhang: string;

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (url: string, cookie: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

beforeAll(async () => {
  t = await createTestApp();
  let broker: string;
  [operator, county, guzhang, broker] = await Promise.all(
    ['longxipu_operator', 'xinshao_admin', 'guzhang_admin', 'longxipu_broker'].map((u) => t.login(u)),
  );
  const { rows } = await sql<{ id: string; employer_id: string | null; username: string }>`SELECT id, employer_id, username FROM account
    WHERE username IN ('longxipu_broker', 'guohui_employer')`.execute(t.ctx.db);
  const brokerId = String(rows.find((r) => r.username === 'longxipu_broker')!.id);
  const employerId = rows.find((r) => r.username === 'guohui_employer')!.employer_id!;
  const signed = await post('/api/v1/brokers/contracts', operator, {
    brokerId,
    villageCodes: [DAZHU],
    validFrom: '2020-01-01',
    validTo: '2099-12-31',
  });
  expect(signed.statusCode, signed.body).toBe(201);
  const posting = await insertPosting(t.ctx.db, employerId, { title: '箱包缝纫工', headcount: 5, work_region_code: DAZHU });
  for (const [i, name] of ['邓一', '邓二'].entries()) {
    const card = await post('/api/v1/laborers', operator, seekerCard(`43052219840101${String(i + 1).padStart(3, '0')}`, { name }));
    expect(card.statusCode, card.body).toBe(201);
    const referred = await post('/api/v1/referrals', broker, { laborerId: card.json().id, postingId: posting, channel: 'broker' });
    expect(referred.statusCode, referred.body).toBe(201);
  }
});
afterAll(async () => t?.close());

describe('the broker table exported', () => {
  it("holds the page's rows and its totals, under a title row naming the table, region, date and the as-of day", async () => {
    const table = (await get('/api/v1/brokers/table?region=430522', county)).json();
    const r = await get('/api/v1/brokers/table/export?region=430522', county);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(downloadName(r.headers['content-disposition'])).toBe(`劳务经纪人工作台账-新邵县-${chinaToday()}.xlsx`);
    const rows = await sheetOf(r.rawPayload);
    expect(String(rows[0]![0])).toBe(`劳务经纪人工作台账 — 新邵县 — 导出日期 ${chinaToday()} — 筛选：截至 ${chinaToday()}（今日）`);
    expect(rows[1]).toEqual(['劳务经纪人', '用户名', '所在乡镇', '协议村数', '推荐人数', '录用人数', '在岗满3个月', '在岗满6个月']);
    const data = rows.slice(2, -1);
    expect(data.map((d) => d[1])).toEqual(table.rows.map((b: { username: string }) => b.username));
    expect(data.find((d) => d[1] === 'longxipu_broker')!.slice(3)).toEqual([1, 2, 0, 0, 0]);
    const totals = rows.at(-1)!;
    expect(totals[0]).toBe(`合计（${table.totals.brokers} 人）`);
    expect(totals.slice(3)).toEqual([table.totals.villages, table.totals.referrals, table.totals.hires, 0, 0]);
    const { rows: audit } = await sql<{ details: Record<string, unknown> }>`SELECT details FROM audit_log
      WHERE action = 'broker.table.export' ORDER BY id DESC LIMIT 1`.execute(t.ctx.db);
    expect(audit[0]!.details).toMatchObject({ region: '430522', asOf: chinaToday(), rows: table.rows.length });
  });

  it('as of an earlier day counts what the table counts on that day', async () => {
    const rows = await sheetOf((await get('/api/v1/brokers/table/export?region=430522&asOf=2019-12-31', county)).rawPayload);
    expect(String(rows[0]![0])).toContain('筛选：截至 2019-12-31');
    expect(
      rows
        .slice(2, -1)
        .find((d) => d[1] === 'longxipu_broker')!
        .slice(3),
    ).toEqual([0, 0, 0, 0, 0]);
  });

  it('refuses, as JSON before any file, a region outside the caller and a bad date', async () => {
    const outside = await get('/api/v1/brokers/table/export?region=430522', guzhang);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('REGION_OUT_OF_SCOPE');
    const bad = await get('/api/v1/brokers/table/export?asOf=yesterday', county);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });
});
