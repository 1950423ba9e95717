import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadName, sheetOf } from '../../../test/export-sheet.ts';
import { seekerCard } from '../../../test/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';

/** 服务记录 export (issue 18 item 2): exactly the filtered rows, a title row, masked, audited with its count. */
let t: TestApp;
let officer: string;
let county: string;
let guzhang: string;
let laborer: string;

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

beforeAll(async () => {
  t = await createTestApp();
  [officer, county, guzhang] = await Promise.all(['dazhu_officer', 'xinshao_admin', 'guzhang_admin'].map((u) => t.login(u)));
  const ids: string[] = [];
  for (const [i, name] of ['唐一', '唐二'].entries()) {
    const card = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`43052219870101${String(i + 1).padStart(3, '0')}`, { name }),
    });
    expect(card.statusCode, card.body).toBe(201);
    ids.push(card.json().id);
  }
  laborer = ids[0]!;
  await sql`UPDATE laborer_version SET valid_from = '2016-01-01T00:00:00+08' WHERE laborer_id IN (${ids[0]!}, ${ids[1]!}) AND version = 1`.execute(
    t.database.db,
  );
  const services = [
    { laborerId: ids[0], kind: 'guidance', servedOn: '2017-03-02', provider: '新邵县就业服务中心', content: '=HYPERLINK("x")' },
    { laborerId: ids[0], kind: 'training', servedOn: '2017-04-10', course: '家政服务', hours: 40, certificate: '家政服务员证' },
    { laborerId: ids[1], kind: 'guidance', servedOn: '2017-05-01', content: '岗位咨询' },
  ];
  for (const s of services) {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/service-records', headers: { cookie: officer }, payload: s });
    expect(r.statusCode, r.body).toBe(201);
  }
});
afterAll(async () => t?.close());

describe('the service records exported', () => {
  it('holds exactly the rows the list shows for the same filter, under a title row naming the list, region, date and filters', async () => {
    const filter = 'kind=guidance&from=2017-01-01&to=2017-12-31';
    const list = (await get(`/api/v1/service-records?${filter}&pageSize=100`, county)).json();
    const r = await get(`/api/v1/service-records/export?${filter}`, county);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(downloadName(r.headers['content-disposition'])).toBe(`服务记录-新邵县-${chinaToday()}.xlsx`);
    const rows = await sheetOf(r.rawPayload);
    expect(String(rows[0]![0])).toBe(
      `服务记录 — 新邵县 — 导出日期 ${chinaToday()} — 筛选：类别 职业指导、服务日期 2017-01-01 至 2017-12-31`,
    );
    expect(rows[1]!.slice(0, 6)).toEqual(['编号', '服务日期', '服务类别', '劳动力', '证件号（脱敏）', '户籍所在村']);
    const data = rows.slice(2);
    expect(list.total).toBe(2);
    expect(data.map((d) => String(d[0]))).toEqual(list.items.map((s: { id: string }) => s.id));
    expect(data.map((d) => d[3])).toEqual(['唐二', '唐一']);
    expect(data.every((d) => d[2] === '职业指导' && /\*{8}/.test(String(d[4])) && d[5] === '大竹村')).toBe(true);
    // Content typed as a formula stays text.
    expect(data[1]![7]).toBe(`'=HYPERLINK("x")`);
    const { rows: audit } = await sql<{ details: Record<string, unknown> }>`SELECT details FROM audit_log
      WHERE action = 'service_record.export' ORDER BY id DESC LIMIT 1`.execute(t.ctx.db);
    expect(audit[0]!.details).toMatchObject({ region: '430522', kind: 'guidance', from: '2017-01-01', rows: 2 });
  });

  it("exports one laborer's services with the person named in the title, and the training's course and hours", async () => {
    const rows = await sheetOf((await get(`/api/v1/service-records/export?laborer=${laborer}&kind=training`, officer)).rawPayload);
    expect(String(rows[0]![0])).toBe(`服务记录 — 大竹村 — 导出日期 ${chinaToday()} — 筛选：类别 职业培训、劳动力 唐一`);
    expect(rows.slice(2).map((d) => [d[9], d[10], d[11]])).toEqual([['家政服务', 40, '家政服务员证']]);
  });

  it('without filters holds every record of the region; with a filter nobody matches, the title and headers only', async () => {
    const all = await sheetOf((await get('/api/v1/service-records/export', county)).rawPayload);
    expect(String(all[0]![0])).toContain('筛选：无（全部）');
    expect(all.slice(2)).toHaveLength((await get('/api/v1/service-records?pageSize=100', county)).json().total);
    expect(await sheetOf((await get('/api/v1/service-records/export?kind=entrepreneurship', county)).rawPayload)).toHaveLength(2);
  });

  it('refuses, as JSON before any file, a region outside the caller, a laborer outside it, a bad filter and paging', async () => {
    const outside = await get('/api/v1/service-records/export?region=430522', guzhang);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('REGION_OUT_OF_SCOPE');
    const stranger = await get(`/api/v1/service-records/export?laborer=${laborer}`, guzhang);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().code).toBe('NOT_FOUND');
    const upside = await get('/api/v1/service-records/export?from=2017-05-01&to=2017-01-01', county);
    expect(upside.json().code).toBe('PERIOD_UPSIDE_DOWN');
    const bad = await get('/api/v1/service-records/export?kind=lost', county);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect((await get('/api/v1/service-records/export?page=2', county)).statusCode).toBe(400);
  });
});
