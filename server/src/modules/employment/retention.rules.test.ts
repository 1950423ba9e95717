import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode, DAZHU, insertEmployer, insertPosting } from '../../../test/fixtures.ts';
import { accountId, insertCard, villageUnder } from '../dashboards/dashboards.fixture.ts';
import { KEPT_MONTHS_MAX, keptAfter, retainedAfter } from './index.ts';

/**
 * "Retained after N months" is one rule (employment/rules.ts) read by every screen that shows it.
 * A hand-made 新邵县 world, cards since 2016:
 * H (a village of 龙溪铺镇 other than 大竹村): referred by the broker, hired by X 2017-01-10, left
 *   2017-04-30, at work elsewhere (no registered employer) from 2017-05-15 — a job change within
 *   six months: still at work on 2017-07-10.
 * I (the same village): referred by the broker, hired by X 2017-02-01, left 2017-06-30, no job since.
 * J (大竹村): with X 2017-01-05 – 2017-03-31, and with X again from 2017-04-10.
 */
let t: TestApp;
let county: string;
let broker: string;
let brokerId: string;
let employerX: string;
let village: string;
const T = (day: string) => `${day}T09:00:00+08:00`;
const AS_OF = '2017-10-31';

async function job(
  laborer: string,
  from: string,
  to: string | null,
  employer: string | null,
  referral: string | null = null,
): Promise<void> {
  await sql`INSERT INTO employment (laborer_id, employer_id, work_region_code, started_on, ended_on, end_reason, channel, referral_id, monthly_wage, workplace_name)
    VALUES (${laborer}, ${employer}, '440307', ${from}, ${to}, ${to ? 'resigned' : null}, 'assisted', ${referral}, 3500, '测试单位')`.execute(
    t.ctx.db,
  );
}

async function brokerReferral(laborer: string, posting: string, steps: [string, string][]): Promise<string> {
  const db = t.ctx.db;
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO referral (laborer_id, posting_id, channel, status, created_by, updated_by, created_at)
    VALUES (${laborer}, ${posting}, 'broker', 'hired', ${brokerId}, ${brokerId}, ${steps[0]![1]}) RETURNING id`.execute(db);
  const id = rows[0]!.id;
  for (const [status, at] of steps)
    await sql`INSERT INTO referral_step (referral_id, status, at, by_account) VALUES (${id}, ${status}, ${at}, ${brokerId})`.execute(db);
  return id;
}

const get = async (url: string, cookie: string) => {
  const response = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
  return response.json();
};

beforeAll(async () => {
  t = await createTestApp();
  [county, broker] = await Promise.all(['xinshao_admin', 'longxipu_broker'].map((u) => t.login(u)));
  const db = t.ctx.db;
  brokerId = await accountId(db, 'longxipu_broker');
  village = await villageUnder(db, '430522107', [DAZHU]);
  employerX = await insertEmployer(db, creditCode('91430522MA4L00077'), '新邵稳岗测试厂', '430522');
  const posting = await insertPosting(db, employerX, { title: '普工', work_region_code: '440307', headcount: 10 });

  const h = await insertCard(db, { name: '韩', versions: [[village, T('2016-01-01')]] });
  const i = await insertCard(db, { name: '尹', versions: [[village, T('2016-01-01')]] });
  const j = await insertCard(db, { name: '金', versions: [[DAZHU, T('2016-01-01')]] });
  const rh = await brokerReferral(h, posting, [
    ['recommended', T('2016-12-20')],
    ['interviewed', T('2016-12-28')],
    ['hired', T('2017-01-05')],
  ]);
  const ri = await brokerReferral(i, posting, [
    ['recommended', T('2017-01-05')],
    ['hired', T('2017-01-25')],
  ]);
  await job(h, '2017-01-10', '2017-04-30', employerX, rh);
  await job(h, '2017-05-15', null, null);
  await job(i, '2017-02-01', '2017-06-30', employerX, ri);
  await job(j, '2017-01-05', '2017-03-31', employerX);
  await job(j, '2017-04-10', null, employerX);
});
afterAll(async () => t?.close());

describe('retained after N months, one rule', () => {
  it("the broker table counts a hire who changed jobs as retained, as the broker's retention rate does", async () => {
    const table = await get(`/api/v1/brokers/table?region=430522&asOf=${AS_OF}`, county);
    const row = table.rows.find((r: { username: string }) => r.username === 'longxipu_broker');
    // H changed jobs within six months and is at work on 2017-07-10; I left for good.
    expect(row).toMatchObject({ hires: 2, retained3: 2, retained6: 1 });
    for (const months of [3, 6]) {
      const rate = await get(`/api/v1/retention/rate?broker=${brokerId}&asOf=${AS_OF}&months=${months}`, broker);
      expect({ months, placed: rate.placed, retained: rate.retained }).toEqual({ months, placed: 2, retained: row[`retained${months}`] });
    }
  });

  it('an employer keeps a laborer when a job with that employer is open N months on, not only the same record', async () => {
    // X's placements: H (gone from X on 07-10), I (gone on 08-01), J's first job (J is with X again
    // on 07-05) and J's second (with X on 10-10).
    const rate = await get(`/api/v1/retention/rate?employer=${employerX}&asOf=${AS_OF}&months=6`, county);
    expect({ placed: rate.placed, retained: rate.retained }).toEqual({ placed: 4, retained: 2 });
    // For the region, any job: H's first job is retained as well.
    const region = await get(`/api/v1/retention/rate?region=430522&asOf=${AS_OF}&months=6`, county);
    expect({ placed: region.placed, retained: region.retained }).toEqual({ placed: 4, retained: 3 });
  });

  it("the dashboards' funnel and retention curve equal the statistics for the same region and date", async () => {
    // In H's and I's village every placement due by the date is a referral hire: H's first job
    // (retained through the job change) and I's (not); H's second is not due until 2017-11-15.
    const stats = await get(`/api/v1/stats/summary?region=${village}&asOf=${AS_OF}`, county);
    const funnel = await get(`/api/v1/dashboards/funnel?region=${village}&asOf=${AS_OF}&from=2016-12-01`, county);
    const curve = await get(`/api/v1/dashboards/retention-curve?region=${village}&asOf=${AS_OF}`, county);
    const six = curve.points.find((p: { months: number }) => p.months === 6);
    expect(stats.retentionRate6m).toBe(0.5);
    expect({ hired: funnel.hiredSixMonthsAgo, retained: funnel.stillAtWorkAfterSixMonths }).toEqual({ hired: 2, retained: 1 });
    expect(funnel.stillAtWorkAfterSixMonths / funnel.hiredSixMonthsAgo).toBe(stats.retentionRate6m);
    expect(six).toMatchObject({ placed: 2, retained: 1, rate: stats.retentionRate6m });
    // The county on several dates: the curve's six months is the statistics' rate.
    for (const asOf of ['2017-07-31', '2017-08-31', AS_OF, '2017-12-31']) {
      const s = await get(`/api/v1/stats/summary?region=430522&asOf=${asOf}`, county);
      const c = await get(`/api/v1/dashboards/retention-curve?region=430522&asOf=${asOf}`, county);
      expect([asOf, c.points[5].rate], asOf).toEqual([asOf, s.retentionRate6m]);
    }
  });

  it('the stored month mask (migration 0020) is the rule for a region or a broker, for every job and every N', async () => {
    const checks = Array.from({ length: KEPT_MONTHS_MAX }, (_, k) => k + 1).map(
      (n) => sql`count(*) FILTER (WHERE ${keptAfter('e', n)} IS DISTINCT FROM ${retainedAfter('e', n, 'region')})`,
    );
    const { rows } = await sql<{ jobs: string; wrong: string }>`SELECT count(*) AS jobs, ${sql.join(checks, sql` + `)} AS wrong
      FROM employment e`.execute(t.ctx.db);
    expect(Number(rows[0]!.jobs)).toBeGreaterThanOrEqual(5);
    expect(Number(rows[0]!.wrong)).toBe(0);
  });
});
