import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadName, sheetOf } from '../../../test/export-sheet.ts';
import { DAZHU, makeId, seekerCard } from '../../../test/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';

/** 招聘会参会人员 export (issue 18 item 2): one fair's attendees as the list shows them, titled, masked, audited. */
let t: TestApp;
let operator: string;
let guzhang: string;
let fairId: string;
const ID = makeId('43052219830101001');

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const post = (url: string, cookie: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload });

beforeAll(async () => {
  t = await createTestApp();
  let officer: string;
  [operator, officer, guzhang] = await Promise.all(['longxipu_operator', 'dazhu_officer', 'guzhang_admin'].map((u) => t.login(u)));
  const card = await post('/api/v1/laborers', officer, seekerCard('43052219830101001', { name: '罗秀兰' }));
  expect(card.statusCode, card.body).toBe(201);
  const fair = await post('/api/v1/fairs', operator, {
    title: '大竹村送岗上门招聘会',
    mode: 'offline',
    heldOn: '2026-03-02',
    villageCode: DAZHU,
  });
  expect(fair.statusCode, fair.body).toBe(201);
  fairId = fair.json().id;
  const door = await post(`/api/v1/fairs/${fairId}/attendees/batch`, officer, {
    identifiers: [ID, makeId('43052219700101009'), '13907390000'],
  });
  expect(door.statusCode, door.body).toBe(200);
});
afterAll(async () => t?.close());

describe("a fair's attendees exported", () => {
  it('holds exactly the rows the list shows, under a title row naming the list, region, date and the fair', async () => {
    const list = (await get(`/api/v1/fairs/${fairId}/attendees?pageSize=100`, operator)).json();
    const r = await get(`/api/v1/fairs/${fairId}/attendees/export`, operator);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(downloadName(r.headers['content-disposition'])).toBe(`招聘会参会人员-龙溪铺镇-${chinaToday()}.xlsx`);
    const rows = await sheetOf(r.rawPayload);
    expect(String(rows[0]![0])).toBe(
      `招聘会参会人员 — 龙溪铺镇 — 导出日期 ${chinaToday()} — 筛选：招聘会 “大竹村送岗上门招聘会”（2026-03-02）`,
    );
    const data = rows.slice(2);
    expect(list.total).toBe(3);
    expect(data.map((d) => String(d[0]))).toEqual(list.items.map((a: { id: string }) => a.id));
    const poor = data.find((d) => d[3] === '罗秀兰')!;
    expect(poor.slice(6, 9)).toEqual(['湖南省邵阳市新邵县龙溪铺镇大竹村', '是', '建档立卡户']);
    expect(String(poor[4])).toMatch(/\*{8}/);
    expect(data.flatMap((d) => [d[4], d[5]]).join()).not.toContain(ID);
    expect(data.flatMap((d) => [d[4], d[5]]).join()).not.toContain('13907390000');
    const { rows: audit } = await sql<{ entity_id: string; details: Record<string, unknown> }>`SELECT entity_id, details FROM audit_log
      WHERE action = 'fair.attendees.export' ORDER BY id DESC LIMIT 1`.execute(t.ctx.db);
    expect(audit[0]).toMatchObject({ entity_id: fairId, details: { poor: null, rows: 3 } });
  });

  it('holds only the poor attendees when the list is filtered to them', async () => {
    const rows = await sheetOf((await get(`/api/v1/fairs/${fairId}/attendees/export?poor=true`, operator)).rawPayload);
    expect(String(rows[0]![0])).toContain('、仅贫困劳动力');
    expect(rows.slice(2).map((d) => d[3])).toEqual(['罗秀兰']);
  });

  it('refuses, as JSON before any file, a fair outside the caller and paging', async () => {
    const outside = await get(`/api/v1/fairs/${fairId}/attendees/export`, guzhang);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe('NOT_FOUND');
    expect((await get(`/api/v1/fairs/${fairId}/attendees/export?page=1`, operator)).statusCode).toBe(400);
  });
});
