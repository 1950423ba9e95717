import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, seekerCard } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';
import type { Workbench } from '../../../../contracts/workbench.ts';

/**
 * 工作台 (issue 18 item 5): each role's to-dos with counts, each count the total of the list its
 * link opens. A small world made through the API: cards of 大竹村 (some confirmed this quarter),
 * employments started months ago (their follow-ups overdue), an ended job (a re-employment case),
 * a broker's referrals to 国辉's posting, one of them hired.
 */
let t: TestApp;
const cookies: Record<string, string> = {};
const today = chinaToday();
const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const workbench = async (who: string): Promise<Workbench> => {
  const response = await call('GET', '/api/v1/workbench', cookies[who]!);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};
const listTotal = async (who: string, api: Workbench['todos'][number]['api']) => {
  const query = new URLSearchParams(Object.entries(api.query).map(([k, v]) => [k, String(v)]));
  const response = await call('GET', `${api.path}?${query}`, cookies[who]!);
  expect(response.statusCode, `${api.path} ${response.body}`).toBe(200);
  return response.json().total as number;
};
const counts = (w: Workbench) => Object.fromEntries(w.todos.map((d) => [d.key, d.count]));

beforeAll(async () => {
  t = await createTestApp();
  for (const who of [
    'xinshao_admin',
    'guzhang_admin',
    'longxipu_operator',
    'dazhu_officer',
    'longxipu_broker',
    'guohui_employer',
    'hunan_auditor',
  ])
    cookies[who] = await t.login(who);
  const officer = cookies.dazhu_officer!;
  const cards: string[] = [];
  for (const [i, name] of ['甲一', '乙二', '丙三', '丁四', '戊五'].entries()) {
    const response = await call('POST', '/api/v1/laborers', officer, seekerCard(`4305221990010${i + 1}211`, { name }));
    expect(response.statusCode, response.body).toBe(201);
    cards.push(response.json().id);
  }
  expect((await call('POST', `/api/v1/laborers/${cards[4]}/confirm`, officer)).statusCode).toBe(204);
  // Two jobs started four months ago: their 1- and 3-month follow-ups are overdue; one of them ended.
  const jobs: string[] = [];
  for (const laborerId of [cards[0], cards[1]]) {
    const response = await call('POST', '/api/v1/employments', cookies.xinshao_admin!, {
      laborerId,
      workplaceName: '新邵县龙溪铺竹木加工厂',
      workRegionCode: '430522107',
      startedOn: addDays(today, -125),
      monthlyWage: 2600,
      socialInsurance: false,
      channel: 'self_found',
    });
    expect(response.statusCode, response.body).toBe(201);
    jobs.push(response.json().employment.id);
  }
  const ended = await call('POST', `/api/v1/employments/${jobs[1]}/end`, cookies.xinshao_admin!, {
    endedOn: addDays(today, -5),
    reason: 'resigned',
  });
  expect(ended.statusCode, ended.body).toBe(200);
  // The broker's contract for 大竹村 and three referrals to 国辉's posting: one waits, one interviewed, one hired.
  const brokerId = String(
    (await sql<{ id: string }>`SELECT id FROM account WHERE username = 'longxipu_broker'`.execute(t.ctx.db)).rows[0]!.id,
  );
  const signed = await call('POST', '/api/v1/brokers/contracts', cookies.longxipu_operator!, {
    brokerId,
    villageCodes: [DAZHU],
    validFrom: '2020-01-01',
    validTo: '2099-12-31',
  });
  expect(signed.statusCode, signed.body).toBe(201);
  const { rows: emp } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(
    t.ctx.db,
  );
  const { rows: p } = await sql<{ id: string }>`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount,
      wage_min, wage_max, valid_from, valid_to)
    VALUES (${emp[0]!.employer_id}, '箱包缝纫工', '6-05-01-03', ${DAZHU}, 10, 2600, 3600, '2020-01-01', '2099-12-31') RETURNING id`.execute(
    t.ctx.db,
  );
  const referrals: string[] = [];
  for (const laborerId of [cards[2], cards[3], cards[4]]) {
    const response = await call('POST', '/api/v1/referrals', cookies.longxipu_broker!, {
      laborerId,
      postingId: p[0]!.id,
      channel: 'broker',
    });
    expect(response.statusCode, response.body).toBe(201);
    referrals.push(response.json().id);
  }
  const step = (id: string, body: object) => call('POST', `/api/v1/referrals/${id}/steps`, cookies.guohui_employer!, body);
  expect((await step(referrals[1]!, { status: 'interviewed' })).statusCode).toBe(200);
  expect((await step(referrals[2]!, { status: 'interviewed' })).statusCode).toBe(200);
  const hired = await step(referrals[2]!, { status: 'hired' });
  expect(hired.statusCode, hired.body).toBe(200);
});
afterAll(async () => t?.close());

describe('工作台', () => {
  it('shows each role its own to-dos, every count the total of the list its link opens', async () => {
    for (const who of ['xinshao_admin', 'longxipu_operator', 'dazhu_officer', 'longxipu_broker', 'guohui_employer']) {
      const w = await workbench(who);
      expect(w.todos.length, who).toBeGreaterThan(0);
      for (const todo of w.todos) expect(await listTotal(who, todo.api), `${who} ${todo.key}`).toBe(todo.count);
    }
  });

  it('counts what waits for the village officer, the county and the broker in this world', async () => {
    const officer = await workbench('dazhu_officer');
    expect(counts(officer)).toMatchObject({ cardsToConfirm: 4, overdueFollowUps: 2, reemploymentCases: 1, wishRequests: 0, smsReplies: 0 });
    expect(officer.todos.find((d) => d.key === 'cardsToConfirm')!.link).toBe('/laborers?confirmed=false');

    const county = await workbench('xinshao_admin');
    expect(counts(county)).toMatchObject({ overdueFollowUps: 2, reemploymentCases: 1, subsidyApprovals: 0, transferRequests: 0 });
    expect(county.todos.map((d) => d.key)).not.toContain('cardsToConfirm');
    const figures = Object.fromEntries(county.figures.map((f) => [f.key, f]));
    expect(figures.overdueFollowUps!.value).toBe(2);
    expect(figures.employedShare!.kind).toBe('share');
    expect(figures.newTransfers).toMatchObject({ kind: 'count', link: '/stats' });

    const broker = await workbench('longxipu_broker');
    expect(counts(broker)).toMatchObject({ referrals_recommended: 1, referrals_interviewed: 1 });
    expect(Object.fromEntries(broker.figures.map((f) => [f.key, f.value]))).toEqual({ referrals: 3, hires: 1, retained6: 0 });

    const employer = await workbench('guohui_employer');
    expect(counts(employer)).toEqual({ referrals_recommended: 1, referrals_interviewed: 1 });
    expect(Object.fromEntries(employer.figures.map((f) => [f.key, f.value]))).toMatchObject({ applicants: 2, employees: 1 });
  });

  it('keeps to its region: another county sees none of these', async () => {
    const other = await workbench('guzhang_admin');
    expect(counts(other)).toMatchObject({ overdueFollowUps: 0, reemploymentCases: 0 });
  });

  it('gives the auditor an empty workbench, and records each view in the audit log', async () => {
    expect(await workbench('hunan_auditor')).toMatchObject({ todos: [], figures: [] });
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'workbench.view'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(9);
  });
});

describe('roles see their own results', () => {
  it('a broker lists their own referrals and how they ended, and reads their own row of the broker table', async () => {
    const broker = cookies.longxipu_broker!;
    const all = (await call('GET', '/api/v1/referrals', broker)).json();
    expect(all.total).toBe(3);
    expect(all.items.map((r: { status: string }) => r.status).sort()).toEqual(['hired', 'interviewed', 'recommended']);
    const hired = (await call('GET', '/api/v1/referrals?status=hired', broker)).json();
    expect(hired.total).toBe(1);
    expect((await call('GET', `/api/v1/referrals/${hired.items[0].id}`, broker)).statusCode).toBe(200);
    // The broker reads, never moves, a referral.
    expect((await call('POST', `/api/v1/referrals/${hired.items[0].id}/steps`, broker, { status: 'withdrawn' })).statusCode).toBe(403);
    const row = (await call('GET', '/api/v1/brokers/me/table', broker)).json();
    expect(row).toMatchObject({ asOf: today, row: { username: 'longxipu_broker', referrals: 3, hires: 1, villages: 1 } });
    const county = (await call('GET', '/api/v1/brokers/table', cookies.xinshao_admin!)).json();
    expect(county.rows.find((r: { username: string }) => r.username === 'longxipu_broker')).toEqual(row.row);
  });

  it("a staff member's referrals are not a broker's: the broker's list holds only those credited to them", async () => {
    const staffReferral = (await call('GET', '/api/v1/referrals', cookies.dazhu_officer!)).json();
    expect(staffReferral.total).toBe(3);
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM referral WHERE channel <> 'broker'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('an employer lists its employees, current and past, and opens one with the follow-ups', async () => {
    const employer = cookies.guohui_employer!;
    const current = (await call('GET', '/api/v1/employments?status=open', employer)).json();
    expect(current.total).toBe(1);
    const detail = (await call('GET', `/api/v1/employments/${current.items[0].id}`, employer)).json();
    expect(detail.followUps.map((f: { months: number }) => f.months)).toEqual([1, 3, 6, 12]);
    expect((await call('GET', '/api/v1/employments?status=ended', employer)).json().total).toBe(0);
  });
});
