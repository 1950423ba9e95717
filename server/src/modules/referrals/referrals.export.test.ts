import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadName, sheetOf } from '../../../test/export-sheet.ts';
import { creditCode, DAZHU, insertEmployer, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';

/** 推荐记录 export (issue 18 item 2): exactly the rows of the caller's list for the same filters, titled, masked, audited. */
let t: TestApp;
let officer: string;
let county: string;
let guzhang: string;
let employer: string;
let workshop: string;

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (url: string, cookie: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

beforeAll(async () => {
  t = await createTestApp();
  [officer, county, guzhang, employer] = await Promise.all(
    ['dazhu_officer', 'xinshao_admin', 'guzhang_admin', 'guohui_employer'].map((u) => t.login(u)),
  );
  const { rows } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db);
  workshop = await insertPosting(t.ctx.db, rows[0]!.employer_id, { title: '箱包缝纫工', headcount: 5, work_region_code: DAZHU });
  const other = await insertEmployer(t.ctx.db, creditCode('91440300MA5F00019'), '深圳导出测试电子厂', '440307', 'designated');
  const factory = await insertPosting(t.ctx.db, other, { title: '电子装配工', headcount: 5, work_region_code: '440307' });
  for (const [i, name] of ['周一', '周二', '周三'].entries()) {
    const card = await post(
      '/api/v1/laborers',
      officer,
      seekerCard(`43052219880101${String(i + 1).padStart(3, '0')}`, { name, willingness: 'out_of_province' }),
    );
    expect(card.statusCode, card.body).toBe(201);
    const referred = await post('/api/v1/referrals', officer, {
      laborerId: card.json().id,
      postingId: i === 2 ? factory : workshop,
      channel: 'staff',
    });
    expect(referred.statusCode, referred.body).toBe(201);
    if (i === 1)
      expect((await post(`/api/v1/referrals/${referred.json().id}/steps`, officer, { status: 'interviewed' })).statusCode).toBe(200);
  }
});
afterAll(async () => t?.close());

describe('the referrals exported', () => {
  it('holds exactly the rows the list shows for the same filter, under a title row naming the list, region, date and filters', async () => {
    const list = (await get('/api/v1/referrals?status=recommended&pageSize=100', county)).json();
    const r = await get('/api/v1/referrals/export?status=recommended', county);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(downloadName(r.headers['content-disposition'])).toBe(`推荐记录-新邵县-${chinaToday()}.xlsx`);
    const rows = await sheetOf(r.rawPayload);
    expect(String(rows[0]![0])).toBe(`推荐记录 — 新邵县 — 导出日期 ${chinaToday()} — 筛选：状态 已推荐`);
    expect(rows[1]!.slice(0, 8)).toEqual(['编号', '状态', '渠道', '劳动力', '性别', '证件号（脱敏）', '手机号（脱敏）', '户籍所在村']);
    const data = rows.slice(2);
    expect(list.total).toBe(2);
    expect(data.map((d) => String(d[0]))).toEqual(list.items.map((s: { id: string }) => s.id));
    expect(data.map((d) => d[3]).sort()).toEqual(['周一', '周三']);
    expect(data.every((d) => d[1] === '已推荐' && d[2] === '工作人员推荐' && /\*{8}/.test(String(d[5])))).toBe(true);
    const { rows: audit } = await sql<{ details: { rows: number; filter: { status: string } } }>`SELECT details FROM audit_log
      WHERE action = 'referral.export' ORDER BY id DESC LIMIT 1`.execute(t.ctx.db);
    expect(audit[0]!.details).toMatchObject({ rows: 2, filter: { status: 'recommended' } });
  });

  it("gives an employer exactly its postings' applicants, as its list does", async () => {
    const list = (await get('/api/v1/referrals?pageSize=100', employer)).json();
    const rows = await sheetOf((await get('/api/v1/referrals/export', employer)).rawPayload);
    expect(String(rows[0]![0])).toContain('筛选：本单位岗位的应聘人员');
    expect(
      rows
        .slice(2)
        .map((d) => String(d[0]))
        .sort(),
    ).toEqual(list.items.map((s: { id: string }) => s.id).sort());
    expect(rows.slice(2).every((d) => d[8] === '箱包缝纫工')).toBe(true);
    expect(rows.slice(2)).toHaveLength(2);
  });

  it('refuses, as JSON before any file, a region outside the caller, a bad status and paging', async () => {
    const outside = await get('/api/v1/referrals/export?region=430522', guzhang);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('REGION_OUT_OF_SCOPE');
    const bad = await get('/api/v1/referrals/export?status=proposed', county);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect((await get('/api/v1/referrals/export?pageSize=5', county)).statusCode).toBe(400);
  });
});
