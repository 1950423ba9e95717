import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { AS_OF, buildHandWorld, DAZHU, TUANJIE } from './stats.fixture.ts';
import { FIGURES } from './stats.schemas.ts';

/**
 * Issue 8's correctness test: a world built by hand (stats.fixture.ts) and every figure of the
 * summary worked out by hand from DOMAIN.md's definitions as of 2017-06-30.
 */
let t: TestApp;
let province: string;
let city: string;
let county: string;
let huayuan: string;
let officer: string;
let ids: Record<string, string>;

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const summary = async (region: string, cookie = province, extra = '') => {
  const r = await get(`/api/v1/stats/summary?region=${region}&asOf=${AS_OF}${extra}`, cookie);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

beforeAll(async () => {
  t = await createTestApp();
  ids = await buildHandWorld(t.ctx.db);
  [province, city, county, huayuan, officer] = await Promise.all(
    ['hunan_admin', 'shaoyang_admin', 'xinshao_admin', 'huayuan_admin', 'dazhu_officer'].map((u) => t.login(u)),
  );
  // 新邵县's 2017 target, set by 邵阳市 (the level above).
  const set = await t.app.inject({
    method: 'POST',
    url: '/api/v1/stats/targets',
    headers: { cookie: city },
    payload: { region: '430522', year: 2017, newTransfers: 10 },
  });
  expect(set.statusCode, set.body).toBe(200);
});
afterAll(async () => t?.close());

/*
 * 新邵县 as of 2017-06-30, by hand:
 *  registered 17: 大竹村 a1–a11, b2 (moved in at 15:00 on the day), c5 (moved in from 花垣 in March) = 13;
 *    团结村 b1 (moved in May), b3 (moves out the next day), b5 (deleted only in July), b7 (created 23:00 on the day) = 4;
 *    not: b4 (deleted 06-15), b6 and b8 (created 07-01, b8 at 00:00 exactly).
 *  employed 11 (open on the day, both ends inclusive): a1, a2, a3 (starts that day), a4 (ends that day), a8, a9, a10, c5, b1, b3, b5.
 *  in county 3 (a1, a10, b5); in province 4 (a3, a8, b3 in 长沙; c5 works in 花垣, home now 新邵); out of province 4 (a2, a4, a9, b1).
 *  self-found 5 (a1, a3, a10, c5, b3); assisted 5 (a2, a4, a8, b1, b5); a9 is a public-welfare post.
 *  wage (2000+4000+3000+3500+2800+1500+2500+2400+4200+3300+2600) / 11 = 31800 / 11 = 2890.9 → 2891.
 *  new transfers 7: a2, a3, a4, a5 (ended again, still new), a10 (not at work on 1 January), b3, b5;
 *    not a8 (at work on 1 January), a9 (started 1 January: at work that day), a6 (starts 07-01).
 *  services 2017-01-01..06-30: guidance 2 (a1 twice), introduction 1, training 1 (a3 on the day; a4's in July no), entrepreneurship 0 (a5's in 2016).
 *  subsidies paid in the period: training 1 person (a1 twice), social insurance 1, job 1 (paid on the day), policy support 1 (a8; a4 paid in July, a5 not paid).
 *  6-month retention: placements started by 2016-12-30 of current, not deleted 新邵 cards: a1, a8's first, a10's first, a11, b1, c5 = 6;
 *    still at work six months on: all but a11 = 5 → 0.8333.
 */
const XINSHAO = {
  registered: 17,
  employed: 11,
  employedShare: 0.6471,
  inCounty: 3,
  outOfCountyInProvince: 4,
  outOfProvince: 4,
  selfEmployed: 5,
  throughAssistance: 5,
  averageMonthlyWage: 2891,
  newTransfersThisYear: 7,
  yearTarget: 10,
  targetCompletion: 0.7,
  services: { guidance: 2, introduction: 1, training: 1, entrepreneurship: 0, policySupport: 0 },
  subsidies: { training: 1, socialInsurance: 1, job: 1, policySupport: 1, transport: 0, oneTimeJob: 0, publicWelfare: 0 },
  retentionRate6m: 0.8333,
};
/*
 * 花垣县: c1–c4 (c5 moved out) = 4; employed c1 (in county), c2 (新邵: in province) = 2, share 0.5; wage 2450;
 * new c2, c4 = 2; no target; services guidance 1 (c1); retention c1 1 of 1.
 */
const HUAYUAN = {
  registered: 4,
  employed: 2,
  employedShare: 0.5,
  inCounty: 1,
  outOfCountyInProvince: 1,
  outOfProvince: 0,
  selfEmployed: 1,
  throughAssistance: 1,
  averageMonthlyWage: 2450,
  newTransfersThisYear: 2,
  yearTarget: null,
  targetCompletion: null,
  services: { guidance: 1, introduction: 0, training: 0, entrepreneurship: 0, policySupport: 0 },
  subsidies: { training: 0, socialInsurance: 0, job: 0, policySupport: 0, transport: 0, oneTimeJob: 0, publicWelfare: 0 },
  retentionRate6m: 1,
};

describe('the summary, worked out by hand', () => {
  it('新邵县 as of 2017-06-30: every field', async () => {
    const s = await summary('430522');
    expect(s).toMatchObject({
      region: { code: '430522', name: '新邵县', level: 3 },
      asOf: AS_OF,
      from: '2017-01-01',
      staleSince: null,
      ...XINSHAO,
    });
  });

  it('花垣县, 邵阳市 and the province add up', async () => {
    expect(await summary('433124')).toMatchObject(HUAYUAN);
    expect(await summary('4305')).toMatchObject({ ...XINSHAO, yearTarget: null, targetCompletion: null });
    const p = await summary('43');
    expect(p).toMatchObject({
      registered: 21,
      employed: 13,
      inCounty: 4,
      outOfCountyInProvince: 5,
      outOfProvince: 4,
      selfEmployed: 6,
      throughAssistance: 6,
      averageMonthlyWage: Math.round((31800 + 4900) / 13),
      newTransfersThisYear: 9,
      employedShare: 0.619,
      services: { guidance: 3, introduction: 1, training: 1, entrepreneurship: 0, policySupport: 0 },
      retentionRate6m: 0.8571,
    });
  });

  it('villages and townships as of the day: moves and creations at exact instants', async () => {
    expect(await summary(DAZHU)).toMatchObject({ registered: 13, employed: 8 });
    expect(await summary(TUANJIE)).toMatchObject({ registered: 4, employed: 3, newTransfersThisYear: 2 });
    // A day earlier b2 was still in 团结村, b7 not yet registered, a4 and a3 …
    const before = await get(`/api/v1/stats/summary?region=${TUANJIE}&asOf=2017-06-29`, province);
    expect(before.json()).toMatchObject({ registered: 4, employed: 3 });
    const after = await get(`/api/v1/stats/summary?region=${TUANJIE}&asOf=2017-07-01`, province);
    // 07-01: b3 left for 大竹村, b6 and b8 registered; b2 gone since 06-30.
    expect(after.json()).toMatchObject({ registered: 5 });
  });

  it('services and subsidies from another day (from=)', async () => {
    expect((await summary('430522', province, '&from=2016-12-01')).services).toEqual({
      guidance: 2,
      introduction: 1,
      training: 1,
      entrepreneurship: 1,
      policySupport: 0,
    });
  });

  it('the breakdown by child region has the same fields and adds up', async () => {
    const r = await get(`/api/v1/stats/breakdown?region=430522&asOf=${AS_OF}`, province);
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.region).toMatchObject({ code: '430522', name: '新邵县', level: 3, ...XINSHAO });
    const longxipu = b.children.find((c: { code: string }) => c.code === '430522107');
    const tanfu = b.children.find((c: { code: string }) => c.code === '430522200');
    expect(longxipu).toMatchObject({ name: '龙溪铺镇', level: 4, registered: 13, employed: 8 });
    expect(tanfu).toMatchObject({ registered: 4, employed: 3 });
    expect(b.children.reduce((n: number, c: { registered: number }) => n + c.registered, 0)).toBe(17);
    const hunan = (await get(`/api/v1/stats/breakdown?region=43&asOf=${AS_OF}`, province)).json();
    expect(hunan.children).toHaveLength(14);
    expect(hunan.children.find((c: { code: string }) => c.code === '4305')).toMatchObject({ name: '邵阳市', registered: 17, employed: 11 });
    expect(hunan.children.find((c: { code: string }) => c.code === '4331')).toMatchObject({ registered: 4, employed: 2 });
    const counties = (await get(`/api/v1/stats/breakdown?region=43&asOf=${AS_OF}&by=county`, province)).json();
    expect(counties.children).toHaveLength(134); // Hunan's county-level regions in the 2023 division codes (the article's 122 counties of 2017)
    expect(counties.children.find((c: { code: string }) => c.code === '430522')).toMatchObject({ level: 3, ...XINSHAO });
    const village = (await get(`/api/v1/stats/breakdown?region=${DAZHU}&asOf=${AS_OF}`, province)).json();
    expect(village.children).toEqual([]);
    const township = (await get(`/api/v1/stats/breakdown?region=430522107&asOf=${AS_OF}`, province)).json();
    expect(township.children.find((c: { code: string }) => c.code === DAZHU)).toMatchObject({ registered: 13, employed: 8, level: 5 });
  });

  it("the 6-month retention rate is the employment module's", async () => {
    for (const region of ['430522', '433124', '43']) {
      const rate = (await get(`/api/v1/retention/rate?region=${region}&asOf=${AS_OF}&months=6`, province)).json();
      expect((await summary(region)).retentionRate6m).toBe(rate.rate);
    }
  });
});

describe('drill-down', () => {
  it('every figure opens its list, scoped and masked, whose total is the figure', async () => {
    const s = await summary('430522');
    for (const figure of FIGURES) {
      const r = await get(`/api/v1/stats/drill?region=430522&asOf=${AS_OF}&figure=${figure}&pageSize=200`, province);
      expect(r.statusCode, `${figure} ${r.body}`).toBe(200);
      const list = r.json();
      expect(list.items).toHaveLength(list.total);
      for (const item of list.items) expect(item.laborer.idNumberMasked).toMatch(/\*{8}/);
      const [group, key] = figure.split('.') as [string, string | undefined];
      if (figure === 'averageMonthlyWage') expect(list.total).toBe(11);
      else if (figure === 'retentionRate6m') expect(list.total).toBe(6);
      else expect(list.total, figure).toBe(key ? s[group][key] : s[figure]);
    }
    const out = (await get(`/api/v1/stats/drill?region=430522&asOf=${AS_OF}&figure=outOfProvince`, province)).json();
    expect(out.items.map((i: { laborer: { name: string } }) => i.laborer.name).sort()).toEqual(['统计a2', '统计a4', '统计a9', '统计b1']);
    expect(out.items[0]).toMatchObject({ workRegionName: expect.stringContaining('深圳') });
    const paged = (await get(`/api/v1/stats/drill?region=430522&asOf=${AS_OF}&figure=registered&page=9&pageSize=5`, province)).json();
    expect(paged).toMatchObject({ total: 17, items: [] });
  });

  it('is audited', async () => {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'stats.drill'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });
});

describe('the derived tables follow the records', () => {
  const employed = async () => (await summary('430522')).employed as number;
  it('a backdated employment, a move and a deletion change the figures in the same transaction', async () => {
    // a7 found work on 2017-06-01 (typed in today).
    await sql`INSERT INTO employment (laborer_id, work_region_code, started_on, monthly_wage, channel, workplace_name)
      VALUES (${ids.a7}, '430522', '2017-06-01', 2100, 'self_found', '补录单位')`.execute(t.ctx.db);
    expect(await summary('430522')).toMatchObject({
      employed: 12,
      inCounty: 4,
      newTransfersThisYear: 8,
      averageMonthlyWage: Math.round(33900 / 12),
    });
    // The record was wrong: deleted again.
    await sql`DELETE FROM employment WHERE laborer_id = ${ids.a7}`.execute(t.ctx.db);
    expect(await employed()).toBe(11);
    // a1's card is corrected: it was in 团结村 since 2017-06-01 (a version inserted into the past).
    await t.ctx.db.transaction().execute(async (tx) => {
      await sql`UPDATE laborer_version SET valid_to = '2017-06-01T08:00:00+08:00' WHERE laborer_id = ${ids.a1} AND version = 1`.execute(tx);
      await sql`INSERT INTO laborer_version (laborer_id, version, valid_from, valid_to, change_kind, name, sex, birth_date, home_village_code, poverty_status,
          education, labor_capacity, health, skills, certificates, willingness, wanted_job_types, caring, flags, employment_status)
        SELECT laborer_id, 2, '2017-06-01T08:00:00+08:00', 'infinity', 'update', name, sex, birth_date, ${TUANJIE}, poverty_status, education, labor_capacity,
          health, skills, certificates, willingness, wanted_job_types, caring, flags, employment_status FROM laborer_version WHERE laborer_id = ${ids.a1} AND version = 1`.execute(
        tx,
      );
    });
    expect(await summary(DAZHU)).toMatchObject({ registered: 12, employed: 7 });
    expect(await summary(TUANJIE)).toMatchObject({ registered: 5, employed: 4 });
    expect(await summary('430522')).toMatchObject({ registered: 17, employed: 11 });
    // Whatever happened incrementally equals a rebuild from scratch.
    const snapshot = async () =>
      (
        await sql<Record<string, unknown>>`SELECT * FROM stats_village_day WHERE registered <> 0 OR employed <> 0 OR new_transfers <> 0
      OR placed6 <> 0 OR retained6 <> 0 OR wage_sum <> 0 OR in_county <> 0 OR in_province <> 0 OR self_found <> 0 OR assisted <> 0 ORDER BY village_code, day`.execute(
          t.ctx.db,
        )
      ).rows;
    const counties = async () =>
      (
        await sql<Record<string, unknown>>`SELECT * FROM stats_county_day WHERE registered <> 0 OR employed <> 0 OR new_transfers <> 0
      OR placed6 <> 0 OR retained6 <> 0 OR wage_sum <> 0 OR in_county <> 0 OR in_province <> 0 OR self_found <> 0 OR assisted <> 0 ORDER BY county_code, day`.execute(
          t.ctx.db,
        )
      ).rows;
    const incremental = [await snapshot(), await counties()];
    await sql`SELECT stats_rebuild()`.execute(t.database.db);
    expect([await snapshot(), await counties()]).toEqual(incremental);
  });
});

describe('targets', () => {
  it('are set by the level above, never by the region itself', async () => {
    const own = await t.app.inject({
      method: 'POST',
      url: '/api/v1/stats/targets',
      headers: { cookie: county },
      payload: { region: '430522', year: 2017, newTransfers: 5 },
    });
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('STATS_TARGET_BY_LEVEL_ABOVE');
    const outside = await t.app.inject({
      method: 'POST',
      url: '/api/v1/stats/targets',
      headers: { cookie: city },
      payload: { region: '433124', year: 2017, newTransfers: 5 },
    });
    expect(outside.statusCode).toBe(403);
    const list = (await get('/api/v1/stats/targets?region=4305&year=2017', city)).json();
    expect(list.region).toMatchObject({ code: '4305', editable: false });
    expect(list.children.find((c: { code: string }) => c.code === '430522')).toMatchObject({ newTransfers: 10, editable: true });
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'stats.target.set'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBe(1);
  });
});

describe('bad input', () => {
  const code = async (url: string, cookie = province) => {
    const r = await get(url, cookie);
    return [r.statusCode, r.json().code, r.json().message];
  };
  it('answers clearly', async () => {
    expect(await code('/api/v1/stats/summary?region=430522&asOf=2015-12-31')).toEqual([
      400,
      'STATS_DATE_BEFORE_DATA',
      expect.stringContaining('2016-01-01'),
    ]);
    expect(await code('/api/v1/stats/summary?region=430522&asOf=2099-01-01')).toEqual([
      400,
      'STATS_DATE_IN_FUTURE',
      expect.stringContaining('今天'),
    ]);
    expect(await code(`/api/v1/stats/summary?region=430522&asOf=${AS_OF}&from=2017-07-01`)).toEqual([
      400,
      'STATS_FROM_AFTER_AS_OF',
      expect.any(String),
    ]);
    expect(await code(`/api/v1/stats/summary?region=439999&asOf=${AS_OF}`)).toEqual([404, 'REGION_NOT_FOUND', '行政区划不存在']);
    expect(await code(`/api/v1/stats/summary?region=433124&asOf=${AS_OF}`, county)).toEqual([
      403,
      'REGION_OUT_OF_SCOPE',
      expect.any(String),
    ]);
    expect(await code(`/api/v1/stats/drill?region=430522&asOf=${AS_OF}&figure=registered`, huayuan)).toEqual([
      403,
      'REGION_OUT_OF_SCOPE',
      expect.any(String),
    ]);
    expect(await code(`/api/v1/stats/summary?region=4305x&asOf=${AS_OF}`)).toEqual([400, 'VALIDATION_FAILED', expect.any(String)]);
    expect(await code('/api/v1/stats/summary?region=430522&asOf=2017-02-30')).toEqual([400, 'VALIDATION_FAILED', expect.any(String)]);
  });

  it('a village officer sees their village only', async () => {
    expect((await summary(DAZHU, officer)).registered).toBe(12); // a1 moved to 团结村 above
    expect((await get(`/api/v1/stats/summary?region=${TUANJIE}&asOf=${AS_OF}`, officer)).statusCode).toBe(403);
  });
});

describe('export', () => {
  it("streams the article's table as .xlsx, audited", async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/stats/export?region=430522&asOf=${AS_OF}`, headers: { cookie: province } });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(String(sheet.getCell('A1').value)).toContain('劳务协作脱贫统计表');
    expect(sheet.getRow(4).getCell(1).value).toBe('新邵县');
    expect(sheet.getRow(4).getCell(2).value).toBe(17);
    expect(sheet.getRow(4).getCell(9).value).toBe(4);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'stats.export'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBe(1);
    expect((await get('/api/v1/stats/export?region=430522&asOf=2099-01-01', province)).statusCode).toBe(400);
  });
});

describe('kept answers (issue 14)', () => {
  it('a summary read again after a write committed elsewhere (a CLI, another server) shows the write', async () => {
    const before = await summary('430522');
    expect((await summary('430522')).services).toEqual(before.services); // served again, the same answer
    // Written on another connection, not through this server: only the tables' own triggers tell.
    await sql`INSERT INTO service_record (laborer_id, region_code, kind, served_on, provider)
      VALUES (${ids.a2}, ${DAZHU}, 'guidance', '2017-06-01', '县公共就业服务中心')`.execute(t.ctx.db);
    const after = await summary('430522');
    expect(after.services.guidance).toBe(before.services.guidance + 1);
    // Folding the change rows keeps their total, so the kept answer stays good and no newer one is lost.
    const total = async () => (await sql<{ v: string }>`SELECT sum(weight)::text AS v FROM stats_change`.execute(t.ctx.db)).rows[0]!.v;
    const v = await total();
    await sql`SELECT stats_fold_changes()`.execute(t.ctx.db);
    await sql`SELECT stats_fold_changes()`.execute(t.ctx.db);
    expect(await total()).toBe(v);
    const folded = await sql<{
      rows: string;
      counties: string;
    }>`SELECT count(*) AS rows, count(DISTINCT county_code) AS counties FROM stats_change`.execute(t.ctx.db);
    expect(folded.rows[0]!.rows).toBe(folded.rows[0]!.counties);
    // A write in another county (花垣) leaves 新邵's state as it was, and changes the province's.
    const version = async (region: string) =>
      (await sql<{ v: string }>`SELECT stats_input_version(${region})::text AS v`.execute(t.ctx.db)).rows[0]!.v;
    const [xinshao, hunan, xiangxi] = [await version('430522'), await version('43'), await version('4331')];
    await sql`INSERT INTO service_record (laborer_id, region_code, kind, served_on, provider)
      VALUES (${ids.c1}, '433124', 'guidance', '2017-06-01', '县公共就业服务中心')`.execute(t.ctx.db);
    expect(await version('430522')).toBe(xinshao);
    expect(await version(DAZHU)).toBe(xinshao);
    expect(Number(await version('43'))).toBeGreaterThan(Number(hunan));
    expect(Number(await version('4331'))).toBeGreaterThan(Number(xiangxi)); // 湘西州, 花垣's city, sees it
    await sql`DELETE FROM service_record WHERE laborer_id = ${ids.c1} AND served_on = '2017-06-01'`.execute(t.ctx.db);
    await sql`DELETE FROM service_record WHERE laborer_id = ${ids.a2} AND kind = 'guidance'`.execute(t.ctx.db);
    expect((await summary('430522')).services.guidance).toBe(before.services.guidance);
  });
});
