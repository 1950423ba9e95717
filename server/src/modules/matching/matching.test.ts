import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode as credit, DAZHU, insertEmployer, insertPosting, makeId, seekerCard as card } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

let t: TestApp;
let officer: string;
let county: string;
let guzhang: string;
const postings: Record<string, string> = {};
const laborers: Record<string, string> = {};

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

/** A job in 大竹村's township, started two days ago (已就业 is registered as an employment record). */
const workingAt = (laborerId: string) => ({
  laborerId,
  workplaceName: '龙溪铺镇扶贫车间',
  workRegionCode: '430522107',
  startedOn: addDays(chinaToday(), -2),
  monthlyWage: 2600,
  socialInsurance: false,
  channel: 'self_found',
});

beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
  county = await t.login('xinshao_admin');
  guzhang = await t.login('guzhang_admin');
  // This file's market is the postings it makes: the demo employer's are set aside.
  await sql`UPDATE posting SET status = 'closed'`.execute(t.ctx.db);

  const workshop = await insertEmployer(t.ctx.db, credit('91430522MA4L00001'), '新邵测试扶贫车间', DAZHU, 'workshop');
  const factory = await insertEmployer(t.ctx.db, credit('91440300MA5F00002'), '深圳测试电子厂', '440307', 'designated');
  postings.sewing = await insertPosting(t.ctx.db, workshop, {
    title: '缝纫工',
    occupation_code: '6-05-01-03',
    work_region_code: DAZHU,
    headcount: 1,
    wage_min: 2500,
    wage_max: 3500,
    food: true,
  });
  postings.electronics = await insertPosting(t.ctx.db, factory, {
    title: '电子装配工',
    occupation_code: '6-25-04-07',
    work_region_code: '440307',
    headcount: 3,
    wage_min: 4000,
    wage_max: 5500,
    food: true,
    housing: true,
    age_max: 45,
  });
  postings.nobody = await insertPosting(t.ctx.db, factory, {
    title: '研发工程师',
    occupation_code: '2-02',
    work_region_code: '440307',
    headcount: 2,
    wage_min: 9000,
    wage_max: 15000,
    min_education: '10',
  });
  postings.expired = await insertPosting(t.ctx.db, factory, {
    title: '过期岗位',
    occupation_code: '6-25-04-07',
    work_region_code: '440307',
    headcount: 2,
    wage_min: 4000,
    wage_max: 5000,
    valid_to: '2021-01-01',
  });

  const people: [string, string, Record<string, unknown>][] = [
    [
      'sewer',
      '43052219850302102',
      {
        name: '蒋余美',
        wantedJobTypes: ['缝纫工'],
        willingness: 'out_of_province',
        caring: 'children',
        expectedWage: 3000,
        skills: ['缝纫'],
      },
    ],
    ['sewer2', '43052219900405102', { name: '李秀英', wantedJobTypes: ['缝纫工'], willingness: 'in_county', expectedWage: 2800 }],
    ['migrant', '43052219950101101', { name: '王强', willingness: 'out_of_province', wantedJobTypes: ['电子装配工'], expectedWage: 4500 }],
    ['nowish', '43052219920707101', { name: '刘军', willingness: 'out_of_province', wantedJobTypes: [], expectedWage: null }],
    ['employed', '43052219880808101', { name: '赵刚', willingness: 'out_of_province' }],
  ];
  for (const [key, body17, extra] of people) {
    const response = await call('POST', '/api/v1/laborers', officer, card(body17, extra));
    expect(response.statusCode, response.body).toBe(201);
    laborers[key] = response.json().id;
  }
  // 已就业 comes from an employment record (issue 16).
  const job = await call('POST', '/api/v1/employments', officer, workingAt(laborers.employed!));
  expect(job.statusCode, job.body).toBe(201);
});
afterAll(async () => t?.close());

describe('recommendations for a laborer', () => {
  it('ranks the postings the laborer qualifies for, each with its reasons in Chinese', async () => {
    const response = await call('GET', `/api/v1/laborers/${laborers.migrant}/recommendations?limit=10`, county);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.refused).toBeNull();
    expect(body.items[0].posting.id).toBe(postings.electronics);
    expect(body.items[0].posting.place).toBe('深圳市龙岗区');
    expect(body.items[0].reasons).toEqual(
      expect.arrayContaining([
        `期望工种电子装配工，岗位为${body.items[0].posting.occupationLabel}`,
        '期望月薪4500元，岗位4000–5500元',
        '包食宿',
        '愿意省外务工，岗位在深圳市龙岗区',
      ]),
    );
    // The expired posting and the one asking for a graduate degree are not offered.
    const ids = body.items.map((i: { posting: { id: string } }) => i.posting.id);
    expect(ids).not.toContain(postings.expired);
    expect(ids).not.toContain(postings.nobody);
    // Scores come best first.
    const scores = body.items.map((i: { score: number }) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('counts past work in the same occupation and a cooperation agreement between the two regions', async () => {
    const before = (await call('GET', `/api/v1/laborers/${laborers.migrant}/recommendations`, county)).json();
    const electronics = (b: { items: { posting: { id: string; occupationLabel: string }; score: number; reasons: string[] }[] }) =>
      b.items.find((i) => i.posting.id === postings.electronics)!;
    await sql`INSERT INTO cooperation_agreement (title, output_region_code, input_region_code, valid_from, valid_to)
      VALUES ('邵阳—深圳劳务协作协议', '4305', '4403', '2020-01-01', '2099-12-31')`.execute(t.ctx.db);
    await sql`INSERT INTO employment (laborer_id, work_region_code, occupation_code, started_on, ended_on, end_reason, channel)
      VALUES (${laborers.migrant}, '440307', '6-25-04-07', '2019-03-01', '2020-06-30', 'contract_ended', 'self_found')`.execute(t.ctx.db);
    const after = (await call('GET', `/api/v1/laborers/${laborers.migrant}/recommendations`, county)).json();
    expect(electronics(after).reasons).toEqual(
      expect.arrayContaining(['两地签有劳务协作协议', `曾从事${electronics(after).posting.occupationLabel}`]),
    );
    expect(electronics(after).score).toBeCloseTo(electronics(before).score + 16, 5);
    await sql`DELETE FROM employment WHERE laborer_id = ${laborers.migrant}`.execute(t.ctx.db);
    await sql`DELETE FROM cooperation_agreement`.execute(t.ctx.db);
  });

  it('keeps a laborer caring for a child to work near home', async () => {
    const body = (await call('GET', `/api/v1/laborers/${laborers.sewer}/recommendations`, officer)).json();
    expect(body.items.map((i: { posting: { id: string } }) => i.posting.id)).toEqual([postings.sewing]);
    expect(body.items[0].reasons).toEqual(
      expect.arrayContaining(['期望工种缝纫工，岗位为缝纫工', '期望月薪3000元，岗位2500–3500元', '岗位在本县', '包吃']),
    );
  });

  it('still recommends to a laborer who gave no wishes, and says so', async () => {
    const body = (await call('GET', `/api/v1/laborers/${laborers.nowish}/recommendations`, county)).json();
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items[0].reasons).toEqual(expect.arrayContaining(['未填写期望工种，按岗位条件推荐']));
    expect(body.items[0].reasons.some((r: string) => r.startsWith('未填写期望月薪'))).toBe(true);
  });

  it('refuses an employed laborer with the reason', async () => {
    const body = (await call('GET', `/api/v1/laborers/${laborers.employed}/recommendations`, county)).json();
    expect(body).toMatchObject({ refused: '已就业，不再推荐岗位', items: [], eligible: 0 });
  });

  it('is scoped: another county cannot ask about a 新邵 laborer', async () => {
    const response = await call('GET', `/api/v1/laborers/${laborers.migrant}/recommendations`, guzhang);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
    // The refusal is audited although the request's transaction rolled back.
    const { rows } = await sql<{ actor_name: string }>`SELECT actor_name FROM audit_log
      WHERE action = 'matching.recommendations' AND result = 'denied' AND entity_id = ${laborers.migrant}`.execute(t.ctx.db);
    expect(rows.map((r) => r.actor_name)).toEqual(['guzhang_admin']);
  });

  it('refuses a bad limit with a clear answer', async () => {
    const response = await call('GET', `/api/v1/laborers/${laborers.migrant}/recommendations?limit=0`, county);
    expect(response.statusCode).toBe(400);
  });
});

describe('candidates for a posting', () => {
  it("lists the qualifying laborers of the caller's scope with reasons, and why the others do not qualify", async () => {
    const response = await call('GET', `/api/v1/postings/${postings.electronics}/candidates?limit=50`, county);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const names = body.items.map((i: { laborer: { name: string } }) => i.laborer.name);
    expect(names[0]).toBe('王强');
    expect(names).toContain('刘军');
    expect(names).not.toContain('蒋余美');
    expect(body.items[0].laborer.idNumberMasked).toMatch(/^430522\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(body)).not.toContain(makeId('43052219950101101'));
    expect(body.refusals).toEqual(
      expect.arrayContaining([
        { reason: '工作地点超出务工意愿', count: 1 },
        { reason: '需照顾家人，只能在本县就业', count: 1 },
      ]),
    );
    expect(body.eligible).toBe(2);
  });

  it("never shows laborers outside the caller's scope", async () => {
    const body = (await call('GET', `/api/v1/postings/${postings.electronics}/candidates`, guzhang)).json();
    expect(body.items).toEqual([]);
    expect(body.considered).toBe(0);
    const outside = await call('GET', `/api/v1/postings/${postings.electronics}/candidates?region=430522`, guzhang);
    expect(outside.statusCode).toBe(403);
  });

  it('says why nobody qualifies for a posting', async () => {
    const body = (await call('GET', `/api/v1/postings/${postings.nobody}/candidates`, county)).json();
    expect(body.items).toEqual([]);
    expect(body.eligible).toBe(0);
    expect(body.refusals[0]).toEqual({ reason: '学历不足', count: 4 });
  });

  it('says an expired posting takes nobody', async () => {
    const body = (await call('GET', `/api/v1/postings/${postings.expired}/candidates`, county)).json();
    expect(body.refused).toBe('岗位已过有效期');
    expect(body.items).toEqual([]);
  });

  it('writes the view of personal data to the audit log', async () => {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'matching.candidates'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });
});

describe('the two lists side by side', () => {
  it("shows the demand list of the county with each laborer's number of postings", async () => {
    const body = (await call('GET', '/api/v1/matching/demand?region=430522', county)).json();
    expect(body.total).toBe(4);
    const migrant = body.items.find((i: { laborer: { id: string } }) => i.laborer.id === laborers.migrant);
    expect(migrant.eligiblePostings).toBe(2);
  });

  it('searches the demand list by name, pinyin, willingness and wanted job type', async () => {
    const names = async (query: string) =>
      (await call('GET', `/api/v1/matching/demand?region=430522&${query}`, county))
        .json()
        .items.map((i: { laborer: { name: string } }) => i.laborer.name)
        .sort();
    expect(await names('q=' + encodeURIComponent('王'))).toEqual(['王强']);
    expect(await names('q=wq')).toEqual(['王强']);
    expect(await names('willingness=out_of_province')).toEqual(['刘军', '王强', '蒋余美'].sort());
    expect(await names('jobType=' + encodeURIComponent('缝纫工'))).toEqual(['李秀英', '蒋余美'].sort());
    expect((await call('GET', '/api/v1/matching/demand?willingness=nowhere', county)).statusCode).toBe(400);
  });

  it("shows the supply list with the number of the county's job seekers who qualify", async () => {
    const body = (await call('GET', '/api/v1/matching/supply?region=430522', county)).json();
    expect(body.total).toBe(3);
    const byId = new Map(body.items.map((i: { posting: { id: string }; eligibleSeekers: number }) => [i.posting.id, i.eligibleSeekers]));
    expect(byId.get(postings.electronics)).toBe(2);
    expect(byId.get(postings.sewing)).toBe(4);
    expect(byId.get(postings.nobody)).toBe(0);
  });

  it('follows card changes without a restart', async () => {
    const job = await call('POST', '/api/v1/employments', officer, workingAt(laborers.sewer2!));
    expect(job.statusCode, job.body).toBe(201);
    const body = (await call('GET', '/api/v1/matching/demand?region=430522', county)).json();
    expect(body.total).toBe(3);
    const end = await call('POST', `/api/v1/employments/${job.json().employment.id}/end`, officer, {
      endedOn: addDays(chinaToday(), -1),
      reason: 'resigned',
    });
    expect(end.statusCode, end.body).toBe(200);
  });
});

describe('batch matching for a region', () => {
  let runId: string;

  it('runs in the background, respects headcounts, and is stable', async () => {
    const start = await call('POST', '/api/v1/matching/runs', county, { region: '430522' });
    expect(start.statusCode, start.body).toBe(202);
    runId = start.json().id;
    let run = start.json();
    for (let i = 0; i < 100 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await call('GET', `/api/v1/matching/runs/${runId}`, county)).json();
    }
    expect(run.status).toBe('done');
    // Two seekers want the one sewing place: one gets it, the other is told it is filled.
    expect(run.summary).toMatchObject({ seekers: 4, matched: 3, unmatchedAllFilled: 1, unmatchedNoEligible: 0, blockingPairs: 0 });
  });

  it('keeps suggestions that staff accept or dismiss', async () => {
    const list = (await call('GET', `/api/v1/matching/runs/${runId}/suggestions`, county)).json();
    expect(list.total).toBe(3);
    const sewing = list.items.filter((s: { posting: { id: string } }) => s.posting.id === postings.sewing);
    expect(sewing).toHaveLength(1);
    const accepted = await call('POST', `/api/v1/matching/suggestions/${list.items[0].id}/accept`, officer);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('recommended');
    const steps = await sql<{ status: string }>`SELECT status FROM referral_step WHERE referral_id = ${list.items[0].id}`.execute(t.ctx.db);
    expect(steps.rows.map((r) => r.status)).toEqual(['recommended']);
    const again = await call('POST', `/api/v1/matching/suggestions/${list.items[0].id}/accept`, officer);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SUGGESTION_DECIDED');
    const dismissed = await call('POST', `/api/v1/matching/suggestions/${list.items[1].id}/dismiss`, county);
    expect(dismissed.json().status).toBe('dismissed');
  });

  it("is the region's own: another county neither sees the run nor starts one here", async () => {
    expect((await call('GET', `/api/v1/matching/runs/${runId}`, guzhang)).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/matching/runs', guzhang, { region: '430522' })).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/matching/runs/${runId}/suggestions`, guzhang)).statusCode).toBe(404);
  });

  it('supersedes the proposals of an earlier run on a re-run', async () => {
    const start = await call('POST', '/api/v1/matching/runs', county, { region: '430522' });
    let run = start.json();
    for (let i = 0; i < 100 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await call('GET', `/api/v1/matching/runs/${run.id}`, county)).json();
    }
    expect(run.status).toBe('done');
    const old = (await call('GET', `/api/v1/matching/runs/${runId}/suggestions?status=superseded`, county)).json();
    expect(old.total).toBe(1);
  });
});
