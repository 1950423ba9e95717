import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { DAZHU, seekerCard } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

/**
 * Issue 21 item 3: evidence on every employment. A job typed in by staff is typed only; a
 * follow-up that finds the person at work confirms it that day, and so does its employer (its own
 * hire, or confirming a current employee). The statistics say how much of the employed figure was
 * confirmed in the three months to a day, and the employed there is the summary's own figure.
 */
let t: TestApp;
let officer: string; // dazhu_officer: 大竹村
let employer: string; // guohui_employer
const today = chinaToday();
const jobs: { employmentId: string; followUpId: string; laborerId: string }[] = [];

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const verification = async (region: string, asOf: string) => {
  const r = await call('GET', `/api/v1/stats/verification?region=${region}&asOf=${asOf}`, await t.login('xinshao_admin'));
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
  employer = await t.login('guohui_employer');
  const { rows } = await sql<{ employer_id: string }>`SELECT employer_id::text FROM account WHERE username = 'guohui_employer'`.execute(
    t.ctx.db,
  );
  for (const [i, name] of ['核实甲', '核实乙', '核实丙'].entries()) {
    const card = await call('POST', '/api/v1/laborers', officer, seekerCard(`43052219880808${String(i + 1).padStart(3, '0')}`, { name }));
    expect(card.statusCode, card.body).toBe(201);
    // 核实乙 works for 国辉 (a registered employer), the others for a workshop typed by name.
    const job = await call('POST', '/api/v1/employments', officer, {
      laborerId: card.json().id,
      ...(i === 1 ? { employerId: rows[0]!.employer_id } : { workplaceName: '新邵县龙溪铺竹木加工厂' }),
      workRegionCode: '430522107',
      startedOn: addDays(today, -40),
      monthlyWage: 2600,
      socialInsurance: false,
      channel: 'self_found',
    });
    expect(job.statusCode, job.body).toBe(201);
    jobs.push({
      employmentId: job.json().employment.id,
      followUpId: job.json().followUps.find((f: { months: number }) => f.months === 1).id,
      laborerId: card.json().id,
    });
  }
});
afterAll(async () => t?.close());

describe('evidence on employment', () => {
  let before: { employed: number; confirmed: number };

  it('a job typed by staff is typed only: no confirmation on the card, none counted', async () => {
    const card = await call('GET', `/api/v1/laborers/${jobs[0]!.laborerId}/employments`, officer);
    expect(card.json().current.lastEvidence).toBeNull();
    const v = await verification(DAZHU, today);
    // The employed here is the summary's employed, for the same place and day.
    const summary = await call('GET', `/api/v1/stats/summary?region=${DAZHU}&asOf=${today}`, await t.login('xinshao_admin'));
    expect(v.employed).toBe(summary.json().employed);
    expect(v.employed).toBeGreaterThanOrEqual(3);
    before = { employed: v.employed, confirmed: v.confirmed };
  });

  it('a follow-up that finds the person at work confirms the job that day', async () => {
    const r = await call('POST', `/api/v1/follow-ups/${jobs[0]!.followUpId}`, officer, {
      doneOn: today,
      method: 'phone',
      stillEmployed: true,
    });
    expect(r.statusCode, r.body).toBe(200);
    const card = await call('GET', `/api/v1/laborers/${jobs[0]!.laborerId}/employments`, officer);
    expect(card.json().current.lastEvidence).toEqual({ kind: 'follow_up', kindLabel: '回访确认', on: today });
    const v = await verification(DAZHU, today);
    expect(v.confirmed).toBe(before.confirmed + 1);
    expect(v.byKind.follow_up).toBeGreaterThanOrEqual(1);
    expect(v.confirmedShare).toBeCloseTo(v.confirmed / v.employed, 4);
    // Yesterday nothing had confirmed it yet.
    expect((await verification(DAZHU, addDays(today, -1))).confirmed).toBe(before.confirmed);
  });

  it('a follow-up that finds the person gone confirms nothing', async () => {
    const r = await call('POST', `/api/v1/follow-ups/${jobs[2]!.followUpId}`, officer, {
      doneOn: today,
      method: 'visit',
      stillEmployed: false,
      endedOn: addDays(today, -2),
      endReason: 'resigned',
    });
    expect(r.statusCode, r.body).toBe(200);
    const { rows } = await sql`SELECT 1 FROM employment_evidence WHERE employment_id = ${jobs[2]!.employmentId}`.execute(t.ctx.db);
    expect(rows).toEqual([]);
  });

  it('the employer confirms its own current employee, never another employer’s; the same day twice is one confirmation', async () => {
    const other = await call('POST', `/api/v1/employments/${jobs[0]!.employmentId}/confirmations`, employer, {});
    expect(other.statusCode).toBe(404);
    const staff = await call('POST', `/api/v1/employments/${jobs[1]!.employmentId}/confirmations`, officer, {});
    expect(staff.statusCode).toBe(403);
    const own = await call('POST', `/api/v1/employments/${jobs[1]!.employmentId}/confirmations`, employer, { note: '本月正常出勤' });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().evidence).toEqual([{ kind: 'employer', kindLabel: '用人单位确认', on: today }]);
    const v = await verification(DAZHU, today);
    expect(v.confirmed).toBe(before.confirmed + 2);
    expect(v.byKind.employer).toBeGreaterThanOrEqual(1);
    // Twice the same day is one confirmation.
    await call('POST', `/api/v1/employments/${jobs[1]!.employmentId}/confirmations`, employer, {});
    expect((await verification(DAZHU, today)).confirmed).toBe(before.confirmed + 2);
    const audits = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'employment.confirm'
      AND entity_id = ${jobs[1]!.employmentId} AND result IS DISTINCT FROM 'denied'`.execute(t.ctx.db);
    expect(Number(audits.rows[0]!.n)).toBe(2);
  });

  it('refuses a region outside the caller’s and a date before the records', async () => {
    const guzhang = await t.login('guzhang_admin');
    expect((await call('GET', `/api/v1/stats/verification?region=${DAZHU}&asOf=${today}`, guzhang)).statusCode).toBe(403);
    const early = await call('GET', `/api/v1/stats/verification?region=${DAZHU}&asOf=2015-06-30`, await t.login('xinshao_admin'));
    expect(early.json().code).toBe('STATS_DATE_BEFORE_DATA');
  });
});
