import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode, DAZHU, insertEmployer, seekerCard } from '../../../test/fixtures.ts';

/**
 * Issue 20 item 8: a workshop's or base's standing — accreditation (认定) with its criteria,
 * yearly review (年审), removal (摘牌) — read for any past day; the subsidy ledger refuses a workshop
 * subsidy for a period the workshop was not accredited through; a visit to a base (巡诊) checks each
 * poor laborer employed there that day.
 */
let t: TestApp;
let officer: string;
let operator: string;
let county: string;
let guzhang: string;
let workshop: string;
let shop2: string;
let base: string;
const L: string[] = [];

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const hire = (laborer: string, employer: string, from: string, to: string | null = null) =>
  sql`INSERT INTO employment (laborer_id, employer_id, work_region_code, started_on, ended_on, end_reason, monthly_wage, channel)
    VALUES (${laborer}, ${employer}, ${DAZHU}, ${from}::date, ${to}::date, ${to ? 'resigned' : null}, 2400, 'assisted')`.execute(t.ctx.db);
const subsidyCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM subsidy`.execute(t.ctx.db)).rows[0]!.n);
const siteSubsidy = (employerId: string, periodFrom: string, periodTo: string, kind = 'site') => ({
  recipient: 'employer',
  kind,
  employerId,
  amount: 5000,
  periodFrom,
  periodTo,
});
const accredit = (id: string, accreditedOn: string, extra: object = {}) =>
  call('POST', `/api/v1/workshops/${id}/accreditations`, county, {
    accreditedOn,
    workforce: 6,
    site: true,
    laborContracts: true,
    ...extra,
  });

beforeAll(async () => {
  t = await createTestApp();
  [officer, operator, county, guzhang] = await Promise.all(
    ['dazhu_officer', 'longxipu_operator', 'xinshao_admin', 'guzhang_admin'].map((u) => t.login(u)),
  );
  workshop = await insertEmployer(t.ctx.db, creditCode('91430522MA4RDB001'), '大竹村认定测试扶贫车间', DAZHU, 'workshop');
  shop2 = await insertEmployer(t.ctx.db, creditCode('91430522MA4RDB002'), '大竹村年审测试扶贫车间', DAZHU, 'workshop');
  base = await insertEmployer(t.ctx.db, creditCode('91430522MA4RDB003'), '新邵巡诊测试就业扶贫基地', '430522107', 'base');
  for (let i = 0; i < 7; i++) {
    const r = await call(
      'POST',
      '/api/v1/laborers',
      officer,
      seekerCard(`43052219900202${String(i + 1).padStart(3, '0')}`, { name: `认定工${i + 1}` }),
    );
    expect(r.statusCode, r.body).toBe(201);
    L.push(r.json().id);
  }
  // The first workshop: three poor laborers from 2018-01-01. The second: two from 2017-06-01.
  for (const l of L.slice(0, 3)) await hire(l, workshop, '2018-01-01');
  for (const l of L.slice(3, 5)) await hire(l, shop2, '2017-06-01');
  // The base: 认定工6 and 认定工7 from 2019-01-01; 认定工1 also worked there in 2017 (gone by the visit).
  await hire(L[5]!, base, '2019-01-01');
  await hire(L[6]!, base, '2019-01-01');
  await hire(L[0]!, base, '2017-01-01', '2017-12-20');
});
afterAll(async () => t?.close());

describe('a workshop subsidy follows the workshop’s standing', () => {
  it('refuses a workshop not accredited in the period, accepts one accredited through it, and refuses again after removal (on approval too)', async () => {
    const before = await subsidyCount();
    const never = await call('POST', '/api/v1/subsidies', county, siteSubsidy(workshop, '2018-01-01', '2018-12-31'));
    expect(never.statusCode).toBe(409);
    expect(never.json().code).toBe('SUBSIDY_WORKSHOP_NOT_ACCREDITED');
    expect(never.json().message).toContain('2018-01-01 至 2018-12-31 期间并非一直处于认定状态，期间内未处于认定状态');

    const accredited = await accredit(workshop, '2018-03-01', { documentNo: '新人社发〔2018〕12号' });
    expect(accredited.statusCode, accredited.body).toBe(201);
    expect(accredited.json()).toMatchObject({ status: 'accredited', accreditedOn: '2018-03-01' });

    // Accredited from 2018-03-01: the whole year is not covered, the months since are.
    const early = await call('POST', '/api/v1/subsidies', county, siteSubsidy(workshop, '2018-01-01', '2018-12-31'));
    expect(early.json()).toMatchObject({ code: 'SUBSIDY_WORKSHOP_NOT_ACCREDITED' });
    expect(early.json().message).toContain('期间内处于认定状态的时段：2018-03-01 至 今');
    expect(await subsidyCount()).toBe(before);
    const covered = await call('POST', '/api/v1/subsidies', county, siteSubsidy(workshop, '2018-03-01', '2018-12-31'));
    expect(covered.statusCode, covered.body).toBe(201);
    expect(covered.json()).toMatchObject({ recipient: 'employer', kind: 'site', employer: { id: workshop }, status: 'applied' });

    // Applied for 2019 while still accredited: accepted — and refused at approval once a removal inside the period is recorded.
    const pending = await call('POST', '/api/v1/subsidies', county, siteSubsidy(workshop, '2019-01-01', '2019-12-31', 'employment'));
    expect(pending.statusCode, pending.body).toBe(201);

    // Removed from 2019-07-01 (its first day without standing): 2019's first half is covered, the whole year is not.
    const removed = await call('POST', `/api/v1/workshops/${workshop}/removal`, county, {
      removedOn: '2019-07-01',
      reason: '停产半年以上',
    });
    expect(removed.statusCode, removed.body).toBe(201);
    const year = await call('POST', '/api/v1/subsidies', county, siteSubsidy(workshop, '2019-01-01', '2019-12-31', 'logistics'));
    expect(year.json()).toMatchObject({ code: 'SUBSIDY_WORKSHOP_NOT_ACCREDITED' });
    expect(year.json().message).toContain('2018-03-01 至 2019-06-30');
    const half = await call('POST', '/api/v1/subsidies', county, siteSubsidy(workshop, '2019-01-01', '2019-06-30', 'logistics'));
    expect(half.statusCode, half.body).toBe(201);
    expect(await subsidyCount()).toBe(before + 3);
    const city = await t.login('shaoyang_admin');
    const refused = await call('POST', `/api/v1/subsidies/${pending.json().id}/approve`, city, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'SUBSIDY_WORKSHOP_NOT_ACCREDITED' });
    expect((await call('GET', `/api/v1/subsidies/${pending.json().id}`, city)).json().status).toBe('applied');
    const approved = await call('POST', `/api/v1/subsidies/${covered.json().id}/approve`, city, {});
    expect(approved.statusCode, approved.body).toBe(200);
  });
});

describe('accreditation, yearly review and removal, read as of past days', () => {
  const standing = async (asOf: string) => (await call('GET', `/api/v1/workshops/${shop2}/standing?asOf=${asOf}`, officer)).json();

  it('records the criteria checked: poor laborers counted from the employment records, their share, the site and contracts', async () => {
    const unmet = await accredit(shop2, '2018-01-10', { workforce: 20, laborContracts: false });
    expect(unmet.statusCode).toBe(409);
    expect(unmet.json().code).toBe('STANDING_CRITERIA_NOT_MET');
    expect(unmet.json().message).toContain('吸纳贫困劳动力 2 人（须不少于 10 人），占职工总数 10%（或不低于 30%），均未达到');
    expect(unmet.json().message).toContain('未满足“与务工人员签订劳动合同或务工协议”');
    expect((await accredit(shop2, '2018-01-10', { workforce: 1 })).json().code).toBe('STANDING_WORKFORCE');
    expect(
      (
        await call('POST', `/api/v1/workshops/${shop2}/accreditations`, operator, {
          accreditedOn: '2018-01-10',
          workforce: 5,
          site: true,
          laborContracts: true,
        })
      ).statusCode,
    ).toBe(403);
    expect((await accredit(shop2, '2099-01-01')).json().code).toBe('STANDING_IN_FUTURE');
    expect((await standing('2026-01-01')).history).toEqual([]);

    const done = await accredit(shop2, '2018-01-10', { workforce: 5 });
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json().history[0].criteria).toEqual([
      { criterion: 'labor_contracts', value: 1, threshold: null, met: true },
      { criterion: 'poor_employed', value: 2, threshold: 10, met: false },
      { criterion: 'poor_share', value: 40, threshold: 30, met: true },
      { criterion: 'site', value: 1, threshold: null, met: true },
      { criterion: 'workforce', value: 5, threshold: null, met: null },
    ]);
    expect(done.json().history[0].decidedBy).toBeTruthy();
    expect((await accredit(shop2, '2018-02-01')).json().code).toBe('STANDING_ALREADY_ACCREDITED');
  });

  it('reviews once a year (a failed one with its findings), removes with a reason, and each past day reads as it stood', async () => {
    const review = (reviewedOn: string, year: number, passed: boolean, findings?: string) =>
      call('POST', `/api/v1/workshops/${shop2}/reviews`, county, { reviewedOn, year, passed, ...(findings ? { findings } : {}) });
    expect((await review('2019-01-15', 2018, true)).statusCode).toBe(201);
    expect((await review('2019-02-15', 2018, true)).json().code).toBe('STANDING_REVIEW_DUPLICATE');
    expect((await review('2020-01-20', 2019, false)).json().code).toBe('STANDING_FINDINGS_REQUIRED');
    expect((await review('2020-01-20', 2021, true)).json().code).toBe('STANDING_REVIEW_YEAR');
    const failed = await review('2020-01-20', 2019, false, '在岗贫困劳动力由 12 人降至 2 人，台账不全');
    expect(failed.statusCode, failed.body).toBe(201);
    // A failed review leaves the accreditation in place; removal is its own decision.
    expect(failed.json()).toMatchObject({ status: 'accredited', lastReview: { year: 2019, passed: false, reviewedOn: '2020-01-20' } });
    expect(
      (await call('POST', `/api/v1/workshops/${shop2}/removal`, county, { removedOn: '2019-12-31', reason: '年审不合格' })).json().code,
    ).toBe('STANDING_OUT_OF_ORDER');
    const removed = await call('POST', `/api/v1/workshops/${shop2}/removal`, county, {
      removedOn: '2020-03-01',
      reason: '2019 年度年审不合格，限期整改未到位',
    });
    expect(removed.statusCode, removed.body).toBe(201);
    expect((await review('2020-04-01', 2020, true)).json().code).toBe('STANDING_NOT_ACCREDITED');

    const on = async (day: string) => {
      const s = await standing(day);
      return {
        status: s.status,
        accreditedOn: s.accreditedOn,
        removedOn: s.removedOn,
        lastReview: s.lastReview,
        acts: s.history.map((h: { act: string }) => h.act),
      };
    };
    expect(await on('2018-01-09')).toEqual({ status: 'none', accreditedOn: null, removedOn: null, lastReview: null, acts: [] });
    expect(await on('2018-01-10')).toMatchObject({ status: 'accredited', accreditedOn: '2018-01-10', acts: ['accreditation'] });
    expect(await on('2019-06-01')).toMatchObject({
      status: 'accredited',
      lastReview: { year: 2018, passed: true, reviewedOn: '2019-01-15' },
      acts: ['accreditation', 'review'],
    });
    expect(await on('2020-02-29')).toMatchObject({
      status: 'accredited',
      lastReview: { year: 2019, passed: false },
      acts: ['accreditation', 'review', 'review'],
    });
    expect(await on('2020-03-01')).toMatchObject({ status: 'removed', accreditedOn: '2018-01-10', removedOn: '2020-03-01' });
    const today = await standing('2026-11-01');
    expect(today.history.at(-1)).toMatchObject({ act: 'removal', reason: '2019 年度年审不合格，限期整改未到位' });
    expect(today.history[2]).toMatchObject({
      act: 'review',
      reviewYear: 2019,
      passed: false,
      findings: '在岗贫困劳动力由 12 人降至 2 人，台账不全',
    });

    // The list shows today's standing; another county sees none of it.
    const list = (await call('GET', '/api/v1/workshops?q=测试扶贫车间', county)).json();
    expect(Object.fromEntries(list.items.map((w: { id: string; standing: string }) => [w.id, w.standing]))).toMatchObject({
      [workshop]: 'removed',
      [shop2]: 'removed',
    });
    expect((await call('GET', `/api/v1/workshops/${shop2}/standing`, guzhang)).statusCode).toBe(404);
    const { rows } = await sql<{ action: string }>`SELECT action FROM audit_log
      WHERE entity = 'employer' AND entity_id = ${shop2} AND result = 'success' AND action IN ('workshop.accredit', 'workshop.review', 'workshop.remove')
      ORDER BY id`.execute(t.ctx.db);
    expect(rows.map((r) => r.action)).toEqual(['workshop.accredit', 'workshop.review', 'workshop.review', 'workshop.remove']);
  });
});

describe('a visit to a base (巡诊) checks each poor laborer employed there that day', () => {
  it('lists the day’s roster, refuses a visit that skips or adds someone, and records each check', async () => {
    const roster = (await call('GET', `/api/v1/workshops/${base}/visits/roster?on=2019-05-06`, operator)).json();
    expect(roster.items.map((r: { name: string }) => r.name)).toEqual(['认定工6', '认定工7']);
    expect(roster.items[0].idNumberMasked).toMatch(/\*{8}/);

    const visit = (checks: object[]) =>
      call('POST', `/api/v1/workshops/${base}/visits`, operator, { visitedOn: '2019-05-06', findings: '生产正常，宿舍整洁', checks });
    const skipped = await visit([{ laborerId: L[5], result: 'at_work' }]);
    expect(skipped.statusCode).toBe(409);
    expect(skipped.json().code).toBe('VISIT_ROSTER_MISMATCH');
    expect(skipped.json().message).toContain('未核查 1 人：认定工7');
    const extra = await visit([
      { laborerId: L[5], result: 'at_work' },
      { laborerId: L[6], result: 'at_work' },
      { laborerId: L[0], result: 'left' },
    ]);
    expect(extra.json()).toMatchObject({ code: 'VISIT_ROSTER_MISMATCH', details: { unexpected: [L[0]] } });
    expect(
      (
        await call('POST', `/api/v1/workshops/${workshop}/visits`, operator, { visitedOn: '2019-05-06', findings: '巡诊', checks: [] })
      ).json().code,
    ).toBe('VISIT_NOT_BASE');
    expect(
      (await call('POST', `/api/v1/workshops/${base}/visits`, officer, { visitedOn: '2019-05-06', findings: '巡诊', checks: [] }))
        .statusCode,
    ).toBe(403);

    const done = await visit([
      { laborerId: L[5], result: 'at_work' },
      { laborerId: L[6], result: 'left', note: '4 月底已回家务农，就业记录待更正' },
    ]);
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({
      visitedOn: '2019-05-06',
      findings: '生产正常，宿舍整洁',
      counts: { at_work: 1, not_found: 0, left: 1 },
    });
    const visits = (await call('GET', `/api/v1/workshops/${base}/visits`, operator)).json();
    expect(visits.items).toHaveLength(1);
    expect(visits.items[0].visitor).toBeTruthy();
    expect(visits.items[0].checks).toEqual([
      expect.objectContaining({ laborerId: L[5], name: '认定工6', result: 'at_work', note: null }),
      expect.objectContaining({ laborerId: L[6], name: '认定工7', result: 'left', note: '4 月底已回家务农，就业记录待更正' }),
    ]);
    expect((await call('GET', `/api/v1/workshops/${base}/visits`, guzhang)).statusCode).toBe(404);
    const { rows } = await sql<{ details: { rows: number; left: number } }>`SELECT details FROM audit_log
      WHERE action = 'workshop.visit' AND entity_id = ${base} AND result = 'success'`.execute(t.ctx.db);
    expect(rows).toEqual([expect.objectContaining({ details: expect.objectContaining({ rows: 2, atWork: 1, left: 1 }) })]);
  });
});
