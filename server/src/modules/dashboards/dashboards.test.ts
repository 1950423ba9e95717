import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { chinaToday } from '../../platform/time.ts';
import { creditCode, DAZHU, insertEmployer, insertPosting } from '../../../test/fixtures.ts';
import { accountId, insertCard, insertEmployment, insertReferral, villageUnder } from './dashboards.fixture.ts';

/**
 * A hand-made 新邵县 (430522) world. Cards from 2016-01-01 unless told:
 * A 大竹村, at work in 深圳 since 2017-01-10 (a referral: recommended 2016-12-01, interviewed, hired);
 * B 大竹村, in the county 2017-02-01 – 2017-05-31; C another township of 新邵, in 长沙 since 2017-04-01
 * (a referral of March 2017); D lived in 古丈县 and moved to 大竹村 on 2017-05-01, in 浙江 since
 * 2017-03-01; E in 深圳 since 2017-01-05, card deleted 2017-06-01; F 大竹村, never at work (a referral
 * interviewed, not hired); G 大竹村, 2016-11-15 – 2017-02-28 (a referral of November 2016).
 */
let t: TestApp;
let county: string;
let guzhang: string;
let province: string;
let operator: string;
let officer: string;
let broker: string;
const T = (day: string) => `${day}T09:00:00+08:00`;

beforeAll(async () => {
  t = await createTestApp();
  [county, guzhang, province, operator, officer, broker] = await Promise.all(
    ['xinshao_admin', 'guzhang_admin', 'hunan_admin', 'longxipu_operator', 'dazhu_officer', 'longxipu_broker'].map((u) => t.login(u)),
  );
  const db = t.ctx.db;
  const other = await villageUnder(db, '430522', ['430522107']);
  const guzhangVillage = await villageUnder(db, '433126');
  const staff = await accountId(db, 'xinshao_admin');
  const employer = await insertEmployer(db, creditCode('91430522MA4L00001'), '新邵测试厂', '430522');
  const posting = await insertPosting(db, employer, { title: '普工', work_region_code: '440307', headcount: 10 });

  const a = await insertCard(db, { name: '甲', versions: [[DAZHU, T('2016-01-01')]] });
  const b = await insertCard(db, { name: '乙', versions: [[DAZHU, T('2016-01-01')]] });
  const c = await insertCard(db, { name: '丙', versions: [[other, T('2016-01-01')]] });
  const d = await insertCard(db, {
    name: '丁',
    versions: [
      [guzhangVillage, T('2016-01-01'), T('2017-05-01')],
      [DAZHU, T('2017-05-01')],
    ],
  });
  const e = await insertCard(db, {
    name: '戊',
    versions: [
      [DAZHU, T('2016-01-01'), T('2017-06-01')],
      [DAZHU, T('2017-06-01'), undefined, true],
    ],
  });
  const f = await insertCard(db, { name: '己', versions: [[DAZHU, T('2016-01-01')]] });
  const g = await insertCard(db, { name: '庚', versions: [[DAZHU, T('2016-01-01')]] });

  const ra = await insertReferral(db, a, posting, staff, [
    ['recommended', T('2016-12-01')],
    ['interviewed', T('2016-12-10')],
    ['hired', T('2017-01-05')],
  ]);
  const rc = await insertReferral(db, c, posting, staff, [
    ['recommended', T('2017-03-01')],
    ['interviewed', T('2017-03-10')],
    ['hired', T('2017-03-25')],
  ]);
  await insertReferral(db, f, posting, staff, [
    ['recommended', T('2017-05-01')],
    ['interviewed', T('2017-05-10')],
    ['not_hired', T('2017-05-20')],
  ]);
  await insertReferral(db, b, posting, staff, [
    ['recommended', T('2017-01-20')],
    ['withdrawn', T('2017-01-25')],
  ]);
  const rg = await insertReferral(db, g, posting, staff, [
    ['recommended', T('2016-11-01')],
    ['interviewed', T('2016-11-05')],
    ['hired', T('2016-11-10')],
  ]);

  await insertEmployment(db, a, { work: '440307', from: '2017-01-10', referralId: ra });
  await insertEmployment(db, b, { work: '430522107', from: '2017-02-01', to: '2017-05-31' });
  await insertEmployment(db, c, { work: '430104', from: '2017-04-01', referralId: rc });
  await insertEmployment(db, d, { work: '330102', from: '2017-03-01' });
  await insertEmployment(db, e, { work: '440307', from: '2017-01-05' });
  await insertEmployment(db, g, { work: '440307', from: '2016-11-15', to: '2017-02-28', referralId: rg });
});
afterAll(async () => t?.close());

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const links = (body: { links: { from: { code: string }; to: { code: string; name: string }; laborers: number }[] }) =>
  Object.fromEntries(body.links.map((l) => [`${l.from.code}>${l.to.code}`, l.laborers]));

describe('dashboard flows (户籍县 → 务工地)', () => {
  it('counts laborers at work on the date by home county as of the date and place of work', async () => {
    const mid = await get('/api/v1/dashboards/flows?region=430522&asOf=2017-06-30', county);
    expect(mid.statusCode, mid.body).toBe(200);
    // A (深圳 → 广东省), C (长沙市, inside Hunan: the city), D (moved in 2017-05-01, 浙江省); B ended, E deleted.
    expect(mid.json().total).toBe(3);
    expect(links(mid.json())).toEqual({ '430522>44': 1, '430522>4301': 1, '430522>33': 1 });
    expect(mid.json().links.find((l: { to: { code: string } }) => l.to.code === '4301').to.name).toContain('长沙市');
    // 2017-04-15: A and E in 深圳, B in the county (邵阳市), C in 长沙; D still lived in 古丈.
    const april = (await get('/api/v1/dashboards/flows?region=430522&asOf=2017-04-15', county)).json();
    expect(april.total).toBe(4);
    expect(links(april)).toEqual({ '430522>44': 2, '430522>4305': 1, '430522>4301': 1 });
    // Today (read from the open employments' copied home village): the same three still at work.
    const now = (await get('/api/v1/dashboards/flows?region=430522', county)).json();
    expect([now.total, links(now)]).toEqual([3, { '430522>44': 1, '430522>4301': 1, '430522>33': 1 }]);
    expect((await get('/api/v1/dashboards/flows', operator)).json().total).toBe(2);
  });

  it("answers for the caller's scope only", async () => {
    // The township operator's default region is 龙溪铺镇: A and D (大竹村); C lives in another township.
    const own = (await get('/api/v1/dashboards/flows?asOf=2017-06-30', operator)).json();
    expect(own.total).toBe(2);
    expect((await get('/api/v1/dashboards/flows?region=430522&asOf=2017-06-30', operator)).statusCode).toBe(403);
    expect((await get('/api/v1/dashboards/flows?region=430522&asOf=2017-06-30', guzhang)).statusCode).toBe(403);
    expect((await get('/api/v1/dashboards/quarterly?region=430522', officer)).statusCode).toBe(403);
    expect((await get('/api/v1/dashboards/flows?region=430522', broker)).statusCode).toBe(403);
    // 古丈's own view on 2017-04-15: D lived there then and worked in 浙江.
    expect(links((await get('/api/v1/dashboards/flows?asOf=2017-04-15', guzhang)).json())).toEqual({ '433126>33': 1 });
  });

  it('refuses dates outside the data and regions that do not exist, in Chinese', async () => {
    const early = await get('/api/v1/dashboards/flows?region=430522&asOf=2015-12-31', county);
    expect(early.statusCode).toBe(400);
    expect(early.json()).toMatchObject({ code: 'DASHBOARD_DATE_RANGE', message: '截至日期须在 2016-01-01 至今天之间' });
    expect((await get('/api/v1/dashboards/quarterly?region=430522&asOf=2999-01-01', county)).json().code).toBe('DASHBOARD_DATE_RANGE');
    expect((await get('/api/v1/dashboards/funnel?region=439999', province)).json().code).toBe('REGION_NOT_FOUND');
    const backwards = await get('/api/v1/dashboards/funnel?region=430522&asOf=2017-06-30&from=2017-07-01', county);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().message).toBe('起始日期不能晚于截至日期');
  });
});

describe('dashboard series, funnel and retention curve', () => {
  it('registered, employed and new transfers by quarter since 2016 (the statistics at each quarter end), worked out by hand', async () => {
    const audited = async () =>
      Object.fromEntries(
        (
          await sql<{ action: string; n: string }>`SELECT action, count(*) AS n FROM audit_log
      WHERE action IN ('stats.series', 'stats.summary') GROUP BY action`.execute(t.ctx.db)
        ).rows.map((r) => [r.action, Number(r.n)]),
      );
    const before = await audited();
    const response = await get('/api/v1/dashboards/quarterly?region=430522&asOf=2017-06-30', county);
    expect(response.statusCode, response.body).toBe(200);
    // One view, one audit row (the series), not one per quarter.
    expect(await audited()).toEqual({ ...before, 'stats.series': (before['stats.series'] ?? 0) + 1 });
    const quarters = response.json().quarters as {
      quarter: string;
      endOn: string;
      registered: number;
      employed: number;
      employedShare: number | null;
      newTransfers: number;
    }[];
    expect(quarters.map((q) => q.quarter)).toEqual(['2016Q1', '2016Q2', '2016Q3', '2016Q4', '2017Q1', '2017Q2']);
    expect(quarters.map((q) => q.endOn)).toEqual(['2016-03-31', '2016-06-30', '2016-09-30', '2016-12-31', '2017-03-31', '2017-06-30']);
    // A B C E F G registered (D in 古丈) until E's deletion; D from May 2017.
    expect(quarters.map((q) => q.registered)).toEqual([6, 6, 6, 6, 6, 6]);
    // 2016-12-31: G; 2017-03-31: A B E (D at work but living in 古丈); 2017-06-30: A C D.
    expect(quarters.map((q) => q.employed)).toEqual([0, 0, 0, 1, 3, 3]);
    expect(quarters.map((q) => q.employedShare)).toEqual([0, 0, 0, 0.1667, 0.5, 0.5]);
    // The statistics' new transfers this year, quarter by quarter: G in 2016Q4; A B E by 2017-03-31 (D
    // lived in 古丈); A B C D by 2017-06-30 (E deleted): one more in 2017Q2. G was at work on 1 January 2017.
    expect(quarters.map((q) => q.newTransfers)).toEqual([0, 0, 0, 1, 3, 1]);

    // A date inside a quarter ends the series there.
    const april = (await get('/api/v1/dashboards/quarterly?region=430522&asOf=2017-04-15', county)).json();
    expect(april.quarters.at(-1)).toEqual({
      quarter: '2017Q2',
      endOn: '2017-04-15',
      registered: 6,
      employed: 4,
      employedShare: 0.6667,
      newTransfers: 1,
    });
  });

  it('the referral funnel: recommended → interviewed → hired → still at work six months later', async () => {
    const response = await get('/api/v1/dashboards/funnel?region=430522&asOf=2017-09-30', county);
    expect(response.statusCode, response.body).toBe(200);
    // Recommended since 2016-10-01: A G C F B; interviewed A G C F; hired A G C. Six months after
    // the start: A (2017-07-10) at work, G (2017-05-15) not; C's six months end after the date.
    expect(response.json()).toMatchObject({
      from: '2016-10-01',
      asOf: '2017-09-30',
      recommended: 5,
      interviewed: 4,
      hired: 3,
      hiredSixMonthsAgo: 2,
      stillAtWorkAfterSixMonths: 1,
    });
    // A window that starts in 2017 leaves out A's and G's recommendations.
    expect((await get('/api/v1/dashboards/funnel?region=430522&asOf=2017-09-30&from=2017-01-01', county)).json()).toMatchObject({
      recommended: 3,
      interviewed: 2,
      hired: 1,
      hiredSixMonthsAgo: 0,
      stillAtWorkAfterSixMonths: 0,
    });
  });

  it("the retention curve is the retention service's rate after 1…12 months", async () => {
    const response = await get('/api/v1/dashboards/retention-curve?region=430522&asOf=2017-09-30', county);
    expect(response.statusCode, response.body).toBe(200);
    const points = response.json().points as { months: number; placed: number; retained: number; rate: number | null }[];
    expect(points.map((p) => p.months)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Placements (cards as they are now; E deleted): A B C D G, all at work a month later.
    expect(points[0]).toEqual({ months: 1, placed: 5, retained: 5, rate: 1 });
    // Six months: A D retained, B (ended 05-31) and G (ended 02-28) not; C too recent.
    expect(points[5]).toEqual({ months: 6, placed: 4, retained: 2, rate: 0.5 });
    expect(points[11]).toEqual({ months: 12, placed: 0, retained: 0, rate: null });
    // The one-pass curve agrees with the retention rate asked month by month.
    for (const p of points) {
      const direct = (await get(`/api/v1/retention/rate?region=430522&asOf=2017-09-30&months=${p.months}`, county)).json();
      expect([p.months, p.placed, p.retained], `${p.months} months`).toEqual([p.months, direct.placed, direct.retained]);
    }
  });

  it('is the same rate month by month as of today (read from the jobs) and for a city or the province (their people hashed)', async () => {
    const today = chinaToday();
    const curveOf = async (region: string, asOf: string, cookie: string) => {
      const response = await get(`/api/v1/dashboards/retention-curve?region=${region}&asOf=${asOf}`, cookie);
      expect(response.statusCode, response.body).toBe(200);
      const points = response.json().points as { months: number; placed: number; retained: number }[];
      for (const p of points) {
        const direct = (await get(`/api/v1/retention/rate?region=${region}&asOf=${asOf}&months=${p.months}`, cookie)).json();
        expect([region, asOf, p.months, p.placed, p.retained]).toEqual([region, asOf, p.months, direct.placed, direct.retained]);
      }
      return points;
    };
    // Today: A B C D G placed (E's card deleted; D counted in 新邵, where it lives now, not in 古丈);
    // after six months A, C and D at work, B and G not.
    expect((await curveOf('430522', today, county))[5]).toMatchObject({ placed: 5, retained: 3 });
    expect((await curveOf('433126', today, guzhang))[0]).toMatchObject({ placed: 0, retained: 0 });
    expect((await curveOf('43', today, province))[5]).toMatchObject({ placed: 5, retained: 3 });
    // A city on a past date (its people's jobs hashed rather than looked up one by one).
    expect((await curveOf('4305', '2017-09-30', province))[5]).toMatchObject({ placed: 4, retained: 2 });
  });
});

describe('the Hunan map files', () => {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../web/src/maps/hunan');
  it('name every county and city by a region code of the region tree, with its current name', async () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(
      ['43', '4301', '4302', '4303', '4304', '4305', '4306', '4307', '4308', '4309', '4310', '4311', '4312', '4313', '4331']
        .map((c) => `${c}.json`)
        .sort(),
    );
    const features = files.flatMap((f) =>
      (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { features: { properties: { code: string; name: string } }[] }).features.map(
        (x) => ({ file: f.replace('.json', ''), ...x.properties }),
      ),
    );
    const codes = features.map((x) => x.code);
    const { rows } = await sql<{
      code: string;
      name: string;
      parent_code: string;
    }>`SELECT code, name, parent_code FROM region WHERE code = ANY(${codes})`.execute(t.ctx.db);
    const byCode = new Map(rows.map((r) => [r.code, r]));
    for (const x of features) {
      expect(byCode.get(x.code)?.name, `${x.file}: ${x.code} ${x.name}`).toBe(x.name);
      expect(byCode.get(x.code)?.parent_code, x.code).toBe(x.file);
    }
    expect(features.filter((x) => x.file === '43')).toHaveLength(14);
    expect(features.filter((x) => x.file !== '43')).toHaveLength(122);
    expect(new Set(codes).size).toBe(codes.length);
    expect(features.find((x) => x.code === '430522')?.name).toBe('新邵县');
  });
});
