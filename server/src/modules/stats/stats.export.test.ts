import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadName, sheetOf } from '../../../test/export-sheet.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';
import { AS_OF, buildHandWorld } from './stats.fixture.ts';
import { FIGURES } from './stats.schemas.ts';

/** The people behind a statistic, exported (issue 18 item 2): every row of the drill-down, titled, masked, audited. */
let t: TestApp;
let province: string;
let huayuan: string;

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

beforeAll(async () => {
  t = await createTestApp();
  await buildHandWorld(t.ctx.db);
  [province, huayuan] = await Promise.all(['hunan_admin', 'huayuan_admin'].map((u) => t.login(u)));
});
afterAll(async () => t?.close());

describe('the drill-down exported', () => {
  it("holds, for every figure, exactly the drill-down's rows, masked, with the figure named in the title", async () => {
    for (const figure of FIGURES) {
      const query = `region=430522&asOf=${AS_OF}&figure=${figure}`;
      const list = (await get(`/api/v1/stats/drill?${query}&pageSize=200`, province)).json();
      const r = await get(`/api/v1/stats/drill/export?${query}`, province);
      expect(r.statusCode, `${figure} ${r.body.slice(0, 200)}`).toBe(200);
      const rows = await sheetOf(r.rawPayload);
      const data = rows.slice(2);
      expect(data, figure).toHaveLength(list.total);
      expect(data.map((d) => d[0]).sort(), figure).toEqual(list.items.map((i: { laborer: { name: string } }) => i.laborer.name).sort());
      for (const d of data) expect(String(d[2])).toMatch(/\*{8}/);
    }
  });

  it('names the list, region, date, figure and day in the title and the file, and is on record with its row count', async () => {
    const r = await get(`/api/v1/stats/drill/export?region=430522&asOf=${AS_OF}&figure=outOfProvince`, province);
    expect(downloadName(r.headers['content-disposition'])).toBe(`统计指标名单-新邵县-${chinaToday()}.xlsx`);
    const rows = await sheetOf(r.rawPayload);
    expect(String(rows[0]![0])).toBe(`统计指标名单 — 新邵县 — 导出日期 ${chinaToday()} — 筛选：指标 省外就业、截至 ${AS_OF}`);
    expect(rows[1]).toEqual([
      '姓名',
      '性别',
      '证件号（脱敏）',
      '手机号（脱敏）',
      '户籍所在村',
      '务工地 / 单位',
      '入职日期',
      '渠道',
      '月工资（元）',
    ]);
    expect(
      rows
        .slice(2)
        .map((d) => d[0])
        .sort(),
    ).toEqual(['统计a2', '统计a4', '统计a9', '统计b1']);
    const services = await sheetOf(
      (await get(`/api/v1/stats/drill/export?region=430522&asOf=${AS_OF}&figure=services.guidance`, province)).rawPayload,
    );
    expect(String(services[0]![0])).toContain(`筛选：指标 职业指导、统计期 2017-01-01 至 ${AS_OF}`);
    expect(services[1]!.slice(5)).toEqual(['服务日期', '说明']);
    const { rows: audit } = await sql<{ details: Record<string, unknown> }>`SELECT details FROM audit_log
      WHERE action = 'stats.drill.export' ORDER BY id DESC LIMIT 1`.execute(t.ctx.db);
    expect(audit[0]!.details).toMatchObject({ region: '430522', asOf: AS_OF, figure: 'services.guidance', rows: 2 });
  });

  it("splits the retention figure's list as the drawer does", async () => {
    const retained = await sheetOf(
      (await get(`/api/v1/stats/drill/export?region=430522&asOf=${AS_OF}&figure=retentionRate6m&list=left`, province)).rawPayload,
    );
    expect(String(retained[0]![0])).toContain('、6 个月后不在岗');
    expect(retained.slice(2).map((d) => [d[0], d[8]])).toEqual([['统计a11', '6 个月后不在岗']]);
  });

  it('refuses, as JSON before any file, a region outside the caller, a day in the future and an unknown figure', async () => {
    const outside = await get(`/api/v1/stats/drill/export?region=430522&asOf=${AS_OF}&figure=employed`, huayuan);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('REGION_OUT_OF_SCOPE');
    const future = await get('/api/v1/stats/drill/export?region=430522&asOf=2099-01-01&figure=employed', province);
    expect(future.json().code).toBe('STATS_DATE_IN_FUTURE');
    const bad = await get(`/api/v1/stats/drill/export?region=430522&asOf=${AS_OF}&figure=happiness`, province);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect((await get(`/api/v1/stats/drill/export?region=430522&asOf=${AS_OF}&figure=employed&page=2`, province)).statusCode).toBe(400);
  });
});
