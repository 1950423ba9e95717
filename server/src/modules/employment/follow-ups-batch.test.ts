import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { seekerCard } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

/**
 * Issue 18 item 4: one follow-up form for several people at once. Each is recorded through the
 * single follow-up's path (its checks, its audit row, the job ended when no longer at work); one
 * that cannot be recorded refuses the whole batch, and the answer names it and why.
 */
let t: TestApp;
let officer: string; // dazhu_officer: 大竹村
const today = chinaToday();
const due: { id: string; employmentId: string; laborerId: string }[] = []; // the 1-month follow-ups of 大竹村's people
let foreign: string; // the 1-month follow-up of a 团结村 laborer: not the officer's

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const form = { doneOn: today, method: 'phone', stillEmployed: true, problems: '工资按时发放，住宿偏远', helpGiven: '联系单位调整宿舍' };
const statusOf = async (ids: string[]) =>
  (await sql<{ status: string }>`SELECT status FROM follow_up WHERE id = ANY(${ids}::bigint[]) ORDER BY id`.execute(t.ctx.db)).rows.map(
    (r) => r.status,
  );
const recordedAudits = async (ids: string[]) =>
  Number(
    (
      await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'follow_up.record' AND result = 'success'
        AND entity_id = ANY(${ids}::text[])`.execute(t.ctx.db)
    ).rows[0]!.n,
  );

async function hired(cookie: string, body17: string, extra: Record<string, unknown>) {
  const card = await call('POST', '/api/v1/laborers', cookie, seekerCard(body17, extra));
  expect(card.statusCode, card.body).toBe(201);
  const job = await call('POST', '/api/v1/employments', cookie, {
    laborerId: card.json().id,
    workplaceName: '新邵县龙溪铺竹木加工厂',
    workRegionCode: '430522107',
    startedOn: addDays(today, -40),
    monthlyWage: 2600,
    socialInsurance: false,
    channel: 'self_found',
  });
  expect(job.statusCode, job.body).toBe(201);
  const first = job.json().followUps.find((f: { months: number }) => f.months === 1);
  return { id: first.id as string, employmentId: job.json().employment.id as string, laborerId: card.json().id as string };
}

beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
  for (const [i, name] of ['回一', '回二', '回三', '回四', '回五', '回六'].entries()) {
    due.push(await hired(officer, `43052219870404${String(i + 1).padStart(3, '0')}`, { name }));
  }
  // 团结村 (潭府乡), another village of the county, recorded by the county.
  foreign = (await hired(await t.login('xinshao_admin'), '43052219870505001', { name: '外村回访', homeVillageCode: '430522200235' })).id;
});
afterAll(async () => t?.close());

describe('follow-ups recorded for several people at once', () => {
  const ids = () => due.slice(0, 3).map((d) => d.id);

  it('refuses the whole batch when one follow-up is not the officer’s, as not found; records nothing', async () => {
    const r = await call('POST', '/api/v1/follow-ups/records', officer, { ids: [...ids(), foreign], ...form });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('BATCH_REFUSED');
    expect(r.json().message).toContain('所选 4 条回访中有 1 条不能记录，本批均未记录');
    expect(r.json().details.refused).toEqual([{ id: foreign, code: 'NOT_FOUND', message: '不存在或无权限' }]);
    expect(await statusOf(ids())).toEqual(['due', 'due', 'due']);
    expect(await recordedAudits([...ids(), foreign])).toBe(0);
    const denied = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'follow_up.record' AND result = 'denied'
      AND entity_id = ${foreign}`.execute(t.ctx.db);
    expect(Number(denied.rows[0]!.n)).toBe(1);
  });

  it('refuses the whole batch when one was recorded already, naming the person; and a day after today', async () => {
    const single = await call('POST', `/api/v1/follow-ups/${due[3]!.id}`, officer, form);
    expect(single.statusCode, single.body).toBe(200);
    const r = await call('POST', '/api/v1/follow-ups/records', officer, { ids: [...ids(), due[3]!.id], ...form });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain(`回四第 1 个月的回访（编号 ${due[3]!.id}）：该回访已记录，不能重复记录`);
    expect(r.json().details.refused.map((x: { id: string; code: string }) => [x.id, x.code])).toEqual([[due[3]!.id, 'FOLLOW_UP_NOT_DUE']]);
    const future = await call('POST', '/api/v1/follow-ups/records', officer, { ids: ids(), ...form, doneOn: addDays(today, 1) });
    expect(future.json().details.refused.map((x: { code: string }) => x.code)).toEqual(Array(3).fill('FOLLOW_UP_IN_FUTURE'));
    expect((await call('POST', '/api/v1/follow-ups/records', officer, { ids: [], ...form })).statusCode).toBe(400);
    expect(await statusOf(ids())).toEqual(['due', 'due', 'due']);
    expect(await recordedAudits(ids())).toBe(0);
  });

  it('records three with one form, each as a single one would be, one audit row each', async () => {
    const r = await call('POST', '/api/v1/follow-ups/records', officer, { ids: ids(), ...form });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ count: 3, ended: 0 });
    expect(r.json().items.map((f: { laborer: { name: string } }) => f.laborer.name)).toEqual(['回一', '回二', '回三']);
    const { rows } = await sql<{
      status: string;
      done_on: string;
      method: string;
      still_employed: boolean;
      problems: string;
      help_given: string;
    }>`
      SELECT status, done_on::text, method, still_employed, problems, help_given FROM follow_up WHERE id = ANY(${ids()}::bigint[])`.execute(
      t.ctx.db,
    );
    expect(rows).toEqual(
      Array(3).fill({
        status: 'done',
        done_on: today,
        method: 'phone',
        still_employed: true,
        problems: '工资按时发放，住宿偏远',
        help_given: '联系单位调整宿舍',
      }),
    );
    const audits = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'follow_up.record' AND result = 'success'
      AND entity_id = ANY(${ids()}::text[]) AND (details->>'batch')::int = 3`.execute(t.ctx.db);
    expect(Number(audits.rows[0]!.n)).toBe(3);
    // Off the list of follow-ups due.
    const list = (await call('GET', '/api/v1/follow-ups?status=overdue&pageSize=100', officer)).json();
    expect(list.items.map((f: { id: string }) => f.id)).not.toContain(ids()[0]);
  });

  it('people no longer at work: each job ended and a re-employment case opened, as a single follow-up does', async () => {
    const gone = due.slice(4, 6);
    const r = await call('POST', '/api/v1/follow-ups/records', officer, {
      ids: gone.map((d) => d.id),
      doneOn: today,
      method: 'visit',
      stillEmployed: false,
      endReason: 'returned_home',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ count: 2, ended: 2 });
    const { rows } = await sql<{ ended_on: string; open_cases: string }>`SELECT e.ended_on::text,
        (SELECT count(*) FROM reemployment_case c WHERE c.ended_employment_id = e.id AND c.status = 'open')::text AS open_cases
      FROM employment e WHERE e.id = ANY(${gone.map((d) => d.employmentId)}::bigint[])`.execute(t.ctx.db);
    expect(rows).toEqual([
      { ended_on: today, open_cases: '1' },
      { ended_on: today, open_cases: '1' },
    ]);
  });
});
