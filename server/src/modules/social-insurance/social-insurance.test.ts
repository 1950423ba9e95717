import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { makeId, seekerCard } from '../../../test/fixtures.ts';
import { addDays, chinaToday } from '../../platform/time.ts';
import { addWorkingDays } from '../../platform/working-days.ts';

/**
 * Issue 21 item 2: the quarterly comparison with social-insurance contributions. One file gives
 * every outcome — 已确认 (the same employer as on record, evidence written), 疑似已就业, 待核实,
 * 就业单位不一致 — while a laborer found at work by a recent follow-up is left alone, a line of
 * nobody on the platform is only counted and a malformed one refused. The county's reviewers
 * accept (the job opened or ended by the employment service) or reject with a reason; the
 * deadline is 3 working days by China's calendar, and overdue reviews reach the 工作台 and the
 * county assessment.
 */
let t: TestApp;
let officer: string; // dazhu_officer
let county: string; // xinshao_admin
let township: string; // longxipu_operator
const today = chinaToday();
const body = (n: number) => `43052219910303${String(300 + n)}`;
const who = ['confirmed', 'suspected', 'unverified', 'differs', 'followedUp', 'overdue', 'switched'] as const;
const cards: Record<(typeof who)[number], string> = {} as never;
const jobs: Partial<Record<(typeof who)[number], string>> = {};
let guohui: { id: string; credit_code: string; name: string };
let run: { id: string; dueOn: string; linesRead: number; linesRejected: number; linesUnmatched: number; outcomes: Record<string, number> };

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

function upload(csv: string, cookie: string, period = '2026Q4', filename = '社保缴费.csv', bytes?: Buffer) {
  const boundary = `----laowu${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${filename}"\r\ncontent-type: text/csv\r\n\r\n`),
    bytes ?? Buffer.from(csv),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/social-insurance/comparisons?period=${period}`,
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

const reviewOf = async (laborerId: string, cookie = county) => {
  const r = await call('GET', `/api/v1/social-insurance/reviews?comparison=${run.id}&pageSize=200`, cookie);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items.find((i: { laborer: { id: string } }) => i.laborer.id === laborerId);
};

beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('dazhu_officer');
  county = await t.login('xinshao_admin');
  township = await t.login('longxipu_operator');
  const { rows } = await sql<
    typeof guohui
  >`SELECT e.id::text AS id, e.credit_code, e.name FROM account a JOIN employer e ON e.id = a.employer_id
    WHERE a.username = 'guohui_employer'`.execute(t.ctx.db);
  guohui = rows[0]!;
  for (const [i, key] of who.entries()) {
    const card = await call('POST', '/api/v1/laborers', officer, seekerCard(body(i), { name: `比对${'甲乙丙丁戊己庚'[i]}` }));
    expect(card.statusCode, card.body).toBe(201);
    cards[key] = card.json().id;
    if (key === 'suspected' || key === 'overdue') continue;
    const job = await call('POST', '/api/v1/employments', officer, {
      laborerId: cards[key],
      ...(key === 'confirmed' ? { employerId: guohui.id } : { workplaceName: '新邵县龙溪铺竹木加工厂' }),
      workRegionCode: '430522107',
      startedOn: addDays(today, -40),
      monthlyWage: 2600,
      socialInsurance: false,
      channel: 'self_found',
    });
    expect(job.statusCode, job.body).toBe(201);
    jobs[key] = job.json().employment.id;
    if (key === 'followedUp') {
      const followUp = job.json().followUps.find((f: { months: number }) => f.months === 1).id;
      const done = await call('POST', `/api/v1/follow-ups/${followUp}`, officer, { doneOn: today, method: 'phone', stillEmployed: true });
      expect(done.statusCode, done.body).toBe(200);
    }
  }
  const id = (i: number) => makeId(body(i));
  const csv = [
    '证件号码,姓名,单位名称,统一社会信用代码,参保地,缴费月数',
    `${id(0)},比对甲,${guohui.name},${guohui.credit_code},新邵县,3`,
    `${id(1)},比对乙,"邵阳市宏达电子有限公司",,新邵县,3`,
    `${id(3)},比对丁,长沙市另一家公司,,430100,2`,
    `${id(5)},比对己,深圳市某电子厂,,深圳市,3`,
    `${id(6)},比对庚,新邵县酿溪镇（湘中）服装有限公司,,430522,3`,
    // A person on no card of the county: counted, never listed.
    `${makeId('43052219910303399')},无此人,某公司,,新邵县,3`,
    // Not an ID number: refused.
    '12345,坏行,某公司,,新邵县,3',
  ].join('\n');
  const r = await upload(csv, county);
  expect(r.statusCode, r.body).toBe(201);
  run = r.json();
});
afterAll(async () => t?.close());

describe('social-insurance comparison', () => {
  it('lands each laborer in one outcome; lines of nobody are counted, bad lines refused', async () => {
    expect(run).toMatchObject({ linesRead: 7, linesRejected: 1, linesUnmatched: 1, period: '2026Q4', comparedOn: today });
    expect((await reviewOf(cards.suspected))?.outcome).toBe('suspected');
    expect((await reviewOf(cards.unverified))?.outcome).toBe('unverified');
    const differs = await reviewOf(cards.differs);
    expect(differs).toMatchObject({
      outcome: 'employer_differs',
      employment: { id: jobs.differs, employer: '新邵县龙溪铺竹木加工厂' },
      contribution: { unitName: '长沙市另一家公司', months: 2 },
    });
    // Confirmed ones are not on the review list, nor is the one a follow-up found at work this quarter.
    expect(await reviewOf(cards.confirmed)).toBeUndefined();
    expect(await reviewOf(cards.followedUp)).toBeUndefined();
    const { rows } = await sql<{ laborer_id: string; outcome: string }>`SELECT laborer_id::text, outcome FROM social_insurance_outcome
      WHERE comparison_id = ${run.id} AND laborer_id = ANY(${Object.values(cards)}::bigint[])`.execute(t.ctx.db);
    expect(Object.fromEntries(rows.map((r) => [r.laborer_id, r.outcome]))).toEqual({
      [cards.confirmed]: 'confirmed',
      [cards.suspected]: 'suspected',
      [cards.unverified]: 'unverified',
      [cards.differs]: 'employer_differs',
      [cards.overdue]: 'suspected',
      [cards.switched]: 'employer_differs',
    });
    for (const outcome of ['confirmed', 'suspected', 'unverified', 'employer_differs'])
      expect(run.outcomes[outcome]).toBeGreaterThanOrEqual(1);
    // The list shows identifiers masked only.
    expect((await reviewOf(cards.suspected)).laborer.idNumberMasked).toMatch(/^430522\*{8}\d{3}[\dX]$/);
  });

  it('reads an .xlsx file the same way, and refuses a file without the columns or of another kind', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('缴费明细');
    sheet.addRow(['2026年第四季度参保缴费明细']);
    sheet.addRow(['姓名', '证件号码', '单位名称', '缴费月数']);
    sheet.addRow(['无此人', makeId('43052219910303398'), '某公司', 3]);
    sheet.addRow(['坏行', '430522', '某公司', 3]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const r = await upload(xlsx.toString('latin1'), county, '2026Q4', '缴费.xlsx', xlsx);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ linesRead: 2, linesRejected: 1, linesUnmatched: 1, status: 'compared' });
    const noColumns = await upload('姓名,单位名称\n张三,某公司\n', county);
    expect(noColumns.json().code).toBe('SOCIAL_INSURANCE_FILE_COLUMNS');
    expect((await upload('x', county, '2026Q4', '缴费.xls')).json().code).toBe('SOCIAL_INSURANCE_FILE_TYPE');
    // A damaged workbook: a clear Chinese answer, not a server error.
    const broken = await upload('', county, '2026Q4', '缴费.xlsx', Buffer.from('PK\x03\x04garbage', 'latin1'));
    expect(broken.statusCode, broken.body).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'IMPORT_NOT_A_WORKBOOK' });
    expect(broken.json().message).toContain('另存为 .xlsx');
  });

  it('a confirmed job carries social-insurance evidence on the comparison day', async () => {
    const card = await call('GET', `/api/v1/laborers/${cards.confirmed}/employments`, officer);
    expect(card.json().current.lastEvidence).toEqual({ kind: 'social_insurance', kindLabel: '社保比对', on: today });
  });

  it('gives 3 working days by China’s calendar: a comparison on 2026-09-30 is due on the 调休 Saturday 2026-10-10', () => {
    expect(addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(addWorkingDays('2026-12-04', 3)).toBe('2026-12-09'); // a Friday: the weekend is skipped
    expect(run.dueOn).toBe(addWorkingDays(today, 3));
  });

  it('accepting 疑似已就业 opens the job through the employment service, confirmed by the comparison', async () => {
    const review = await reviewOf(cards.suspected, township);
    expect(review.contribution.placeCode).toBe('430522');
    const missing = await call('POST', `/api/v1/social-insurance/reviews/${review.id}/accept`, township, {});
    expect(missing.statusCode).toBe(400);
    const r = await call('POST', `/api/v1/social-insurance/reviews/${review.id}/accept`, township, {
      startedOn: addDays(today, -30),
      monthlyWage: 3200,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'accepted', overdue: false });
    const card = await call('GET', `/api/v1/laborers/${cards.suspected}/employments`, officer);
    expect(card.json().current).toMatchObject({ id: r.json().resultEmploymentId, startedOn: addDays(today, -30) });
    expect(card.json().current.lastEvidence).toMatchObject({ kind: 'social_insurance' });
    expect(card.json().employmentStatus).toBe('employed');
    const again = await call('POST', `/api/v1/social-insurance/reviews/${review.id}/accept`, township, {
      startedOn: addDays(today, -30),
      monthlyWage: 3200,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SOCIAL_INSURANCE_REVIEW_DECIDED');
  });

  it('accepting 待核实 ends the job on record', async () => {
    const review = await reviewOf(cards.unverified);
    const r = await call('POST', `/api/v1/social-insurance/reviews/${review.id}/accept`, county, {
      endedOn: addDays(today, -5),
      endReason: 'resigned',
    });
    expect(r.statusCode, r.body).toBe(200);
    const job = await call('GET', `/api/v1/employments/${jobs.unverified}`, county);
    expect(job.json().employment.endedOn).toBe(addDays(today, -5));
  });

  it('accepting 就业单位不一致 ends the job on record the day before the new one starts and opens the new one', async () => {
    const review = await reviewOf(cards.switched);
    const startedOn = addDays(today, -10);
    const r = await call('POST', `/api/v1/social-insurance/reviews/${review.id}/accept`, county, { startedOn, monthlyWage: 3500 });
    expect(r.statusCode, r.body).toBe(200);
    const old = await call('GET', `/api/v1/employments/${jobs.switched}`, county);
    expect(old.json().employment.endedOn).toBe(addDays(startedOn, -1));
    const card = await call('GET', `/api/v1/laborers/${cards.switched}/employments`, officer);
    expect(card.json().current).toMatchObject({ id: r.json().resultEmploymentId, startedOn, lastEvidence: { kind: 'social_insurance' } });
    expect(card.json().current.workplaceName).toBe('新邵县酿溪镇（湘中）服装有限公司');
  });

  it('rejecting needs a reason of at least 4 characters and leaves the record as it is', async () => {
    const review = await reviewOf(cards.differs);
    const short = await call('POST', `/api/v1/social-insurance/reviews/${review.id}/reject`, county, { reason: '不对' });
    expect(short.statusCode).toBe(400);
    const r = await call('POST', `/api/v1/social-insurance/reviews/${review.id}/reject`, county, { reason: '已电话核实，仍在原单位' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'rejected', reason: '已电话核实，仍在原单位' });
    const job = await call('GET', `/api/v1/employments/${jobs.differs}`, county);
    expect(job.json().employment.endedOn).toBeNull();
  });

  it('keeps to the region: another county sees none of the reviews and cannot decide them', async () => {
    const other = await t.login('huayuan_admin');
    const review = await reviewOf(cards.overdue);
    const list = await call('GET', `/api/v1/social-insurance/reviews?comparison=${run.id}`, other);
    expect(list.json().total).toBe(0);
    const r = await call('POST', `/api/v1/social-insurance/reviews/${review.id}/reject`, other, { reason: '不是本县的人员' });
    expect(r.statusCode).toBe(404);
    // A township operator may not upload a file; a city admin is neither province nor county.
    expect((await upload('证件号码,缴费月数\n', township)).statusCode).toBe(403);
    expect((await upload('证件号码,缴费月数\n', await t.login('shaoyang_admin'))).json().code).toBe('SOCIAL_INSURANCE_IMPORT_LEVEL');
  });

  it('shows overdue reviews on the county’s 工作台 and in the county assessment', async () => {
    // The comparison as if made on 2026-09-30: its reviews were due on 2026-10-10.
    await sql`UPDATE social_insurance_outcome SET due_on = ${addWorkingDays('2026-09-30', 3)} WHERE comparison_id = ${run.id}
      AND laborer_id = ${cards.overdue}`.execute(t.ctx.db);
    const w = await call('GET', '/api/v1/workbench', county);
    const todo = w.json().todos.find((d: { key: string }) => d.key === 'overdueSocialInsuranceReviews');
    expect(todo).toMatchObject({ count: 1, link: '/social-insurance?status=overdue' });
    const list = await call('GET', '/api/v1/social-insurance/reviews?status=overdue', county);
    expect(list.json().total).toBe(1);
    expect(list.json().items[0]).toMatchObject({ overdue: true, dueOn: '2026-10-10', laborer: { id: cards.overdue } });
    const assessment = await call('GET', '/api/v1/assessment', county);
    expect(assessment.statusCode, assessment.body).toBe(200);
    expect(assessment.json().rows.find((r: { county: { code: string } }) => r.county.code === '430522').overdueReviews).toBe(1);
  });

  it('audits the import, the views and each decision', async () => {
    const { rows } = await sql<{ action: string }>`SELECT DISTINCT action FROM audit_log WHERE action LIKE 'social_insurance.%'`.execute(
      t.ctx.db,
    );
    expect(rows.map((r) => r.action).sort()).toEqual([
      'social_insurance.accept',
      'social_insurance.import',
      'social_insurance.reject',
      'social_insurance.reviews',
    ]);
  });
});
