import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadName, sheetOf } from '../../../test/export-sheet.ts';
import { makeId, seekerCard } from '../../../test/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';

/** The register's export (issue 18 item 2): the list's rows for the same filters under a title row, a file named by region and date. */
let t: TestApp;
let county: string;

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: county } });

beforeAll(async () => {
  t = await createTestApp();
  const officer = await t.login('dazhu_officer');
  county = await t.login('xinshao_admin');
  for (const [i, [name, povertyStatus]] of (
    [
      ['贺一', 'registered'],
      ['贺二', 'lifted'],
      ['贺三', 'registered'],
    ] as const
  ).entries()) {
    const card = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`43052219820101${String(i + 1).padStart(3, '0')}`, { name, povertyStatus }),
    });
    expect(card.statusCode, card.body).toBe(201);
  }
});
afterAll(async () => t?.close());

describe('the register exported', () => {
  it('holds exactly the rows the list shows for the same filters, in its order, under a title row with the filters in words', async () => {
    const filter = `povertyStatus=registered&q=${encodeURIComponent('贺')}&sort=name`;
    const list = (await get(`/api/v1/laborers?${filter}&pageSize=100`)).json();
    const r = await get(`/api/v1/laborers/export?${filter}`);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(downloadName(r.headers['content-disposition'])).toBe(`劳动力名册-新邵县-${chinaToday()}.xlsx`);
    const rows = await sheetOf(r.rawPayload);
    expect(String(rows[0]![0])).toBe(`劳动力名册 — 新邵县 — 导出日期 ${chinaToday()} — 筛选：姓名 “贺”、户类型 建档立卡户`);
    expect(rows.slice(2).map((d) => d[0])).toEqual(list.items.map((l: { name: string }) => l.name));
    expect(rows.slice(2).map((d) => d[0])).toEqual(['贺三', '贺一']);
  });

  it('says how a search by ID number was made, never the number', async () => {
    const id = makeId('43052219820101002');
    const r = await get(`/api/v1/laborers/export?q=${id}`);
    const rows = await sheetOf(r.rawPayload);
    expect(String(rows[0]![0])).toContain('筛选：按身份证号查询');
    expect(JSON.stringify(rows)).not.toContain(id);
    expect(rows.slice(2).map((d) => d[0])).toEqual(['贺二']);
  });
});
