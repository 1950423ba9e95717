import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode, DAZHU, insertEmployer, seekerCard } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

/**
 * Issue 16 item 2 (and item 1's corrections): 已就业 / 未就业 come from employment records, jobs
 * are registered, ended and corrected from the card, and the figures follow the records.
 */
let t: TestApp;
let officer: string;
let county: string;
let guzhang: string;
const today = chinaToday();

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const card = async (body17: string, extra: Record<string, unknown> = {}) => {
  const response = await call('POST', '/api/v1/laborers', officer, seekerCard(body17, extra));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
};
/** A card registered since 2024 (its first ledger version moved back), so that past figures count it. */
const oldCard = async (body17: string, extra: Record<string, unknown> = {}) => {
  const id = await card(body17, extra);
  await sql`UPDATE laborer_version SET valid_from = '2024-01-02T10:00:00+08:00' WHERE laborer_id = ${id}`.execute(t.database.db);
  return id;
};
const selfFound = (laborerId: string, extra: Record<string, unknown> = {}) => ({
  laborerId,
  workplaceName: '深圳市龙岗区鑫达电子厂',
  employerCreditCode: creditCode('91440307MA5D00001'),
  workRegionCode: '440307',
  startedOn: '2025-06-01',
  monthlyWage: 4200,
  socialInsurance: true,
  channel: 'self_found',
  ...extra,
});
const register = async (payload: object) => {
  const response = await call('POST', '/api/v1/employments', officer, payload);
  expect(response.statusCode, response.body).toBe(201);
  return response.json().employment.id as string;
};
const employed = async (region: string, asOf: string) => {
  const r = await call('GET', `/api/v1/stats/summary?region=${region}&asOf=${asOf}`, county);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().employed as number;
};
const registerTotal = async (query: string) => {
  const r = await call('GET', `/api/v1/laborers?${query}&pageSize=1`, county);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().total as number;
};
const count = async (table: string, where = sql`true`) =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${where}`.execute(t.database.db)).rows[0]!.n);

beforeAll(async () => {
  t = await createTestApp();
  [officer, county, guzhang] = await Promise.all(['dazhu_officer', 'xinshao_admin', 'guzhang_admin'].map((u) => t.login(u)));
});
afterAll(async () => t?.close());

describe('已就业 / 未就业 come from employment records, never typed', () => {
  it('refuses 已就业 typed on a new card or an edit, and a 未就业 typed while a job is open; 不具备就业条件 stays a card fact', async () => {
    const typedEmployed = await call(
      'POST',
      '/api/v1/laborers',
      officer,
      seekerCard('43052219900101401', { employmentStatus: 'employed' }),
    );
    expect(typedEmployed.statusCode).toBe(400);
    expect(typedEmployed.json().code).toBe('EMPLOYMENT_STATUS_FROM_RECORDS');
    expect(typedEmployed.json().message).toContain('登记就业');

    // Omitted: a new card is 未就业 until a job is registered on it.
    const id = await card('43052219900101401', { employmentStatus: undefined, name: '邓派生' });
    expect((await call('GET', `/api/v1/laborers/${id}`, officer)).json().employmentStatus).toBe('unemployed');
    const edit = await call('PATCH', `/api/v1/laborers/${id}`, officer, { employmentStatus: 'employed' });
    expect(edit.statusCode).toBe(400);
    expect(edit.json().code).toBe('EMPLOYMENT_STATUS_FROM_RECORDS');

    // 不具备就业条件 is the card's own fact, and 未就业 ("able to work") clears it.
    expect(
      (await call('PATCH', `/api/v1/laborers/${id}`, officer, { employmentStatus: 'not_working', reason: '长期卧床' })).json(),
    ).toMatchObject({ employmentStatus: 'not_working' });
    expect((await call('PATCH', `/api/v1/laborers/${id}`, officer, { employmentStatus: 'unemployed' })).json().employmentStatus).toBe(
      'unemployed',
    );

    await register(selfFound(id, { startedOn: addDays(today, -10) }));
    const cardNow = (await call('GET', `/api/v1/laborers/${id}`, officer)).json();
    expect(cardNow.employmentStatus).toBe('employed');
    // The edit form sends the whole card back: the status the records give is accepted unchanged.
    expect((await call('PATCH', `/api/v1/laborers/${id}`, officer, { employmentStatus: 'employed', remark: '在深圳' })).statusCode).toBe(
      200,
    );
    for (const typed of ['unemployed', 'not_working']) {
      const refused = await call('PATCH', `/api/v1/laborers/${id}`, officer, { employmentStatus: typed });
      expect(refused.json().code, typed).toBe('EMPLOYMENT_STATUS_FROM_RECORDS');
      expect(refused.json().message).toContain('登记离职');
    }
  });

  it('a card whose job ended today is 已就业 today (the last day worked) in the register, as in the statistics', async () => {
    const id = await card('43052219900101402', { name: '邓末日' });
    const job = await register(selfFound(id, { startedOn: addDays(today, -30) }));
    expect((await call('POST', `/api/v1/employments/${job}/end`, officer, { endedOn: today, reason: 'resigned' })).statusCode).toBe(200);
    const listed = (await call('GET', `/api/v1/laborers?region=${DAZHU}&employmentStatus=employed&pageSize=200`, officer)).json();
    expect(listed.items.map((l: { id: string }) => l.id)).toContain(id);
    expect(await registerTotal(`region=${DAZHU}&employmentStatus=employed`)).toBe(await employed(DAZHU, today));
    const yesterdayList = (
      await call('GET', `/api/v1/laborers?region=${DAZHU}&employmentStatus=employed&asOf=${addDays(today, -31)}`, officer)
    ).json();
    expect(yesterdayList.items.map((l: { id: string }) => l.id)).not.toContain(id);
  });
});

describe('jobs registered, ended and shown on the card', () => {
  it('registers a self-found job with a name and credit code; the card shows where, for whom, since when and at what wage', async () => {
    const id = await card('43052219900101403', { name: '邓自主' });
    const jobId = await register(selfFound(id, { workplaceContact: '0755-28881234' }));
    const jobs = await call('GET', `/api/v1/laborers/${id}/employments`, officer);
    expect(jobs.statusCode, jobs.body).toBe(200);
    expect(jobs.json()).toMatchObject({
      laborerId: id,
      employmentStatus: 'employed',
      current: {
        id: jobId,
        workplaceName: '深圳市龙岗区鑫达电子厂',
        employerCreditCode: creditCode('91440307MA5D00001'),
        contact: '0755-28881234',
        workRegionCode: '440307',
        startedOn: '2025-06-01',
        monthlyWage: 4200,
        socialInsurance: true,
        channel: 'self_found',
        place: 'out_of_province',
      },
      past: [],
    });
    expect(jobs.json().current.workRegionName).toContain('龙岗区');
    expect(await count('audit_log', sql`action = 'employment.card' AND entity_id = ${id}`)).toBe(1);

    // Ended with a reason: it moves to the past jobs, the card is 未就业.
    const ended = await call('POST', `/api/v1/employments/${jobId}/end`, officer, { endedOn: '2025-11-30', reason: 'returned_home' });
    expect(ended.statusCode, ended.body).toBe(200);
    const after = (await call('GET', `/api/v1/laborers/${id}/employments`, officer)).json();
    expect(after).toMatchObject({
      employmentStatus: 'unemployed',
      current: null,
      past: [{ id: jobId, endedOn: '2025-11-30', endReason: 'returned_home' }],
    });
  });

  it('links a job to the registered employer by id, or by the credit code of a registered employer', async () => {
    const code = creditCode('91430522MA4L00002');
    const employerId = await insertEmployer(t.database.db, code, '新邵县龙溪铺竹木加工厂', '430522107');
    const a = await card('43052219900101404');
    const byId = (
      await call(
        'GET',
        `/api/v1/employments/${await register(selfFound(a, { employerId, workplaceName: undefined, employerCreditCode: undefined, workRegionCode: '430522107' }))}`,
        officer,
      )
    ).json();
    expect(byId.employment).toMatchObject({ employerId, employerName: '新邵县龙溪铺竹木加工厂', place: 'in_county' });
    const b = await card('43052219900101405');
    const byCode = (
      await call(
        'GET',
        `/api/v1/employments/${await register(selfFound(b, { workplaceName: '竹木厂', employerCreditCode: code.toLowerCase() }))}`,
        officer,
      )
    ).json();
    expect(byCode.employment).toMatchObject({
      employerId,
      employerName: '新邵县龙溪铺竹木加工厂',
      workplaceName: null,
      employerCreditCode: null,
    });
  });

  it('refuses bad input with clear codes and Chinese messages, saving nothing', async () => {
    const id = await card('43052219900101406', { name: '邓错误' });
    const before = await Promise.all([count('employment'), count('follow_up'), count('laborer_version')]);
    const refused = async (payload: object, code: string, status = 400) => {
      const r = await call('POST', '/api/v1/employments', officer, payload);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json().code).toBe(code);
      expect(r.json().message).toMatch(/[\u4e00-\u9fa5]/);
      return r.json();
    };
    await refused(
      selfFound(id, { employerId: '987654321', workplaceName: undefined, employerCreditCode: undefined }),
      'EMPLOYMENT_EMPLOYER_UNKNOWN',
    );
    await refused(selfFound(id, { employerCreditCode: '91440307MA5D0000I1' }), 'CREDIT_CODE_FORMAT');
    const wrongCheck = creditCode('91440307MA5D00001').slice(0, 17) + (creditCode('91440307MA5D00001').endsWith('0') ? '1' : '0');
    await refused(selfFound(id, { employerCreditCode: wrongCheck }), 'CREDIT_CODE_CHECK');
    await refused(selfFound(id, { workplaceName: undefined, employerCreditCode: undefined }), 'EMPLOYMENT_EMPLOYER_REQUIRED');
    expect((await refused(selfFound(id, { startedOn: addDays(today, 1) }), 'EMPLOYMENT_DATE_FUTURE')).message).toContain('不能晚于今天');
    await refused({ ...selfFound(id), channel: 'unknown' }, 'VALIDATION_FAILED');
    // A card of another county: "不存在或无权限", and the refusal audited.
    const other = await call('POST', '/api/v1/employments', guzhang, selfFound(id));
    expect(other.statusCode).toBe(404);
    expect((await call('GET', `/api/v1/laborers/${id}/employments`, guzhang)).statusCode).toBe(404);
    expect(await Promise.all([count('employment'), count('follow_up'), count('laborer_version')])).toEqual(before);

    // One open job at a time; an end before the start or in the future.
    const job = await register(selfFound(id));
    await refused(selfFound(id, { startedOn: addDays(today, -2) }), 'EMPLOYMENT_OPEN_EXISTS', 409);
    const end = (payload: object) => call('POST', `/api/v1/employments/${job}/end`, officer, payload);
    expect((await end({ endedOn: '2025-05-31', reason: 'resigned' })).json().code).toBe('EMPLOYMENT_END_BEFORE_START');
    expect((await end({ endedOn: addDays(today, 1), reason: 'resigned' })).json().code).toBe('EMPLOYMENT_DATE_FUTURE');
    expect((await end({ endedOn: '2025-07-01' })).statusCode).toBe(400);
  });
});

describe('correcting a past employment (更正): a route with a reason, kept in the ledger, moving only the dates it touches', () => {
  it('moves "employed" on the days between the old and new start and nowhere else', async () => {
    const id = await oldCard('43052219900101407', { name: '邓更正' });
    const job = await register(selfFound(id, { startedOn: '2025-06-01', workRegionCode: '430522107' }));
    const days = ['2025-03-15', '2025-05-15', '2025-06-15', today];
    const before = await Promise.all(days.map((d) => employed(DAZHU, d)));
    const corrected = await call('POST', `/api/v1/employments/${job}/corrections`, officer, {
      startedOn: '2025-04-01',
      monthlyWage: 3900,
      reason: '劳动合同显示 4 月 1 日入职',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const after = await Promise.all(days.map((d) => employed(DAZHU, d)));
    expect(after).toEqual([before[0], before[1]! + 1, before[2], before[3]]);
    // The register's filter moves with it.
    expect(await registerTotal(`region=${DAZHU}&asOf=2025-05-15&employmentStatus=employed`)).toBe(after[1]);

    const detail = corrected.json();
    expect(detail.employment).toMatchObject({ startedOn: '2025-04-01', monthlyWage: 3900 });
    expect(detail.corrections).toHaveLength(1);
    expect(detail.corrections[0]).toMatchObject({
      reason: '劳动合同显示 4 月 1 日入职',
      by: { username: 'dazhu_officer' },
      changes: [
        { field: 'startedOn', before: '2025-06-01', after: '2025-04-01' },
        { field: 'monthlyWage', before: 4200, after: 3900 },
      ],
    });
    // The follow-ups not yet done fall due from the new start.
    expect(detail.followUps.map((f: { months: number; dueOn: string }) => [f.months, f.dueOn])[0]).toEqual([1, '2025-05-01']);
    expect(await count('audit_log', sql`action = 'employment.correct' AND entity_id = ${job}`)).toBe(1);

    // A second correction (work place) is kept beside the first; the figures of no date move.
    const second = await call('POST', `/api/v1/employments/${job}/corrections`, officer, {
      workRegionCode: '440307',
      reason: '实际在深圳务工',
    });
    expect(second.json().corrections.map((c: { reason: string }) => c.reason)).toEqual(['实际在深圳务工', '劳动合同显示 4 月 1 日入职']);
    expect(await Promise.all(days.map((d) => employed(DAZHU, d)))).toEqual(after);
  });

  it('refuses a correction without a reason, one that changes nothing, or breaks the record’s rules', async () => {
    const id = await oldCard('43052219900101408', { name: '邓规则' });
    const first = await register(selfFound(id, { startedOn: '2025-01-01' }));
    await call('POST', `/api/v1/employments/${first}/end`, officer, { endedOn: '2025-03-31', reason: 'contract_ended' });
    const second = await register(selfFound(id, { startedOn: '2025-05-01' }));
    const fix = (job: string, payload: object) => call('POST', `/api/v1/employments/${job}/corrections`, officer, payload);
    const before = await count('employment_correction');
    expect((await fix(second, { startedOn: '2025-04-20' })).statusCode).toBe(400);
    expect((await fix(second, { startedOn: '2025-04-20', reason: ' ' })).statusCode).toBe(400);
    expect((await fix(second, { startedOn: '2025-05-01', reason: '核对' })).json().code).toBe('EMPLOYMENT_CORRECTION_EMPTY');
    expect((await fix(second, { startedOn: '2025-03-15', reason: '核对' })).json().code).toBe('EMPLOYMENT_OVERLAP');
    expect((await fix(first, { endedOn: '2025-05-02', reason: '核对' })).json().code).toBe('EMPLOYMENT_OVERLAP');
    expect((await fix(first, { endedOn: '2024-12-31', reason: '核对' })).json().code).toBe('EMPLOYMENT_END_BEFORE_START');
    expect((await fix(second, { startedOn: addDays(today, 1), reason: '核对' })).json().code).toBe('EMPLOYMENT_DATE_FUTURE');
    expect((await fix(second, { endedOn: '2025-06-30', reason: '核对' })).json().code).toBe('EMPLOYMENT_CORRECTION_OPEN_END');
    expect((await fix(second, { workRegionCode: '439999', reason: '核对' })).json().code).toBe('REGION_NOT_FOUND');
    expect((await call('POST', `/api/v1/employments/${second}/corrections`, guzhang, { monthlyWage: 1, reason: '核对' })).statusCode).toBe(
      404,
    );
    expect(await count('employment_correction')).toBe(before);
    // The end of an ended job can be corrected.
    const ok = await fix(first, { endedOn: '2025-04-15', reason: '离职证明为 4 月 15 日' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().employment.endedOn).toBe('2025-04-15');
  });
});

describe('hand-set statuses become records (migration 0028)', () => {
  /** What a village officer could do before: set 已就业 by hand, in a version of the card's ledger at `at`. */
  async function handSet(id: string, at: string) {
    await sql`UPDATE laborer_version SET valid_from = '2024-01-02T10:00:00+08:00' WHERE laborer_id = ${id}`.execute(t.database.db);
    await sql`UPDATE laborer_version SET valid_to = ${at}::timestamptz WHERE laborer_id = ${id} AND valid_to = 'infinity'`.execute(
      t.database.db,
    );
    await sql`UPDATE laborer SET employment_status = 'employed', version = version + 1 WHERE id = ${id}`.execute(t.database.db);
    await sql`INSERT INTO laborer_version (laborer_id, version, valid_from, change_kind, changed_by, reason, changes, name, sex, birth_date,
        home_village_code, poverty_status, education, labor_capacity, health, skills, certificates, willingness, wanted_job_types,
        expected_wage, caring, flags, employment_status)
      SELECT l.id, l.version, ${at}::timestamptz, 'update', l.created_by, '外出务工', '{"employment_status": ["unemployed", "employed"]}',
        l.name, l.sex, l.birth_date, l.home_village_code, l.poverty_status, l.education, l.labor_capacity, l.health, l.skills,
        l.certificates, l.willingness, l.wanted_job_types, l.expected_wage, l.caring, l.flags, l.employment_status
      FROM laborer l WHERE l.id = ${id}`.execute(t.database.db);
  }

  it('makes one record per hand-set 已就业 without a job, dated by the version that set it, so the two screens agree', async () => {
    const id = await card('43052219900101409', { name: '邓手填' });
    await handSet(id, '2025-03-10T09:30:00+08:00');
    const statsBefore = await employed(DAZHU, today);
    const made = await sql<{ n: number }>`SELECT employment_from_hand_set_status() AS n`.execute(t.database.db);
    expect(made.rows[0]!.n).toBe(1);
    const jobs = (await call('GET', `/api/v1/laborers/${id}/employments`, officer)).json();
    expect(jobs).toMatchObject({
      employmentStatus: 'employed',
      current: {
        startedOn: '2025-03-10',
        channel: 'unknown',
        employerId: null,
        workplaceName: null,
        monthlyWage: null,
        workRegionCode: '430522',
      },
    });
    expect(await employed(DAZHU, today)).toBe(statsBefore + 1);
    expect(await employed(DAZHU, '2025-03-09')).toBe(await registerTotal(`region=${DAZHU}&asOf=2025-03-09&employmentStatus=employed`));
    expect(await registerTotal(`region=${DAZHU}&employmentStatus=employed`)).toBe(await employed(DAZHU, today));
    // Run again: nothing more to make.
    expect((await sql<{ n: number }>`SELECT employment_from_hand_set_status() AS n`.execute(t.database.db)).rows[0]!.n).toBe(0);
  });
});
