import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode, DAZHU, insertEmployer, seekerCard } from '../../../test/fixtures.ts';
import { chinaToday } from '../../platform/time.ts';
import * as repo from './subsidies.repo.ts';

let t: TestApp;
let officer: string; // dazhu_officer: 大竹村
let operator: string; // longxipu_operator: 龙溪铺镇
let county: string; // xinshao_admin: 新邵县
let city: string; // shaoyang_admin: 邵阳市
let guzhang: string; // guzhang_admin: 古丈县, another county
let workshop: string; // 邵阳国辉箱包扶贫车间 in 大竹村
let ordinary: string; // an ordinary employer in 新邵县
let guzhangEmployer: string;
const L: Record<string, string> = {};

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });

async function employment(laborer: string, employer: string | null, startedOn: string, endedOn: string | null = null, region = DAZHU) {
  await sql`INSERT INTO employment (laborer_id, employer_id, work_region_code, started_on, ended_on, end_reason, monthly_wage, channel)
    VALUES (${laborer}, ${employer}, ${region}, ${startedOn}::date, ${endedOn}::date, ${endedOn ? 'contract_ended' : null}, 2600, 'assisted')`.execute(
    t.ctx.db,
  );
}

const apply = (cookie: string, body: object) => call('POST', '/api/v1/subsidies', cookie, body);
const training = (laborerId: string, extra: object = {}) => ({
  recipient: 'laborer',
  kind: 'training',
  laborerId,
  amount: 800,
  periodFrom: '2017-03-01',
  periodTo: '2017-03-31',
  note: '缝纫工培训',
  ...extra,
});

beforeAll(async () => {
  t = await createTestApp();
  [officer, operator, county, city, guzhang] = await Promise.all(
    ['dazhu_officer', 'longxipu_operator', 'xinshao_admin', 'shaoyang_admin', 'guzhang_admin'].map((u) => t.login(u)),
  );
  workshop = String(
    (await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db)).rows[0]!
      .employer_id,
  );
  ordinary = await insertEmployer(t.ctx.db, creditCode('91430522MA4PTB001'), '新邵稳岗测试制衣有限公司', '430522107');
  guzhangEmployer = await insertEmployer(t.ctx.db, creditCode('91433126MA4PTB002'), '古丈茶叶加工厂', '433126107', 'base');
  const names = ['贺一', '贺二', '贺三', '贺四', '贺五', '贺六', '贺七', '贺八', '贺九', '贺十'];
  for (const [i, name] of names.entries()) {
    const response = await call(
      'POST',
      '/api/v1/laborers',
      officer,
      seekerCard(`43052219850101${String(i + 1).padStart(3, '0')}`, { name }),
    );
    expect(response.statusCode, response.body).toBe(201);
    L[name] = response.json().id;
  }
});
afterAll(async () => t?.close());

describe('applying for a laborer subsidy, approving and paying it', () => {
  let id: string;

  it('a village officer applies for a training subsidy; a county admin approves and pays; each step says who and when', async () => {
    const created = await apply(officer, training(L['贺一']!));
    expect(created.statusCode, created.body).toBe(201);
    id = created.json().id;
    expect(created.json()).toMatchObject({
      recipient: 'laborer',
      kind: 'training',
      status: 'applied',
      amount: 800,
      periodFrom: '2017-03-01',
      periodTo: '2017-03-31',
      laborer: { id: L['贺一'], name: '贺一', villageCode: DAZHU },
      region: { code: DAZHU },
      approved: null,
      paid: null,
    });
    expect(created.json().laborer.idNumberMasked).toMatch(/\*{8}/);
    expect(created.json().applied.by).toBeTruthy();

    const approved = await call('POST', `/api/v1/subsidies/${id}/approve`, county, { note: '材料齐全' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', note: '缝纫工培训；材料齐全' });
    const paid = await call('POST', `/api/v1/subsidies/${id}/pay`, county, { paymentRef: 'PAY-2017-0001' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', paymentRef: 'PAY-2017-0001' });
    expect(paid.json().paid.at).toBeTruthy();
    expect(paid.json().paidOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const { rows } = await sql<{
      action: string;
    }>`SELECT action FROM audit_log WHERE entity = 'subsidy' AND entity_id = ${id} ORDER BY id`.execute(t.ctx.db);
    expect(rows.map((r) => r.action)).toEqual(['subsidy.apply', 'subsidy.approve', 'subsidy.pay']);
  });

  it('a paid subsidy cannot be paid, approved or rejected again', async () => {
    const again = await call('POST', `/api/v1/subsidies/${id}/pay`, county, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'SUBSIDY_ALREADY_PAID', message: '该补贴已发放，不能重复发放' });
    expect((await call('POST', `/api/v1/subsidies/${id}/approve`, city, {})).json().code).toBe('SUBSIDY_ALREADY_PAID');
    expect((await call('POST', `/api/v1/subsidies/${id}/reject`, city, { reason: '撤销' })).json().code).toBe('SUBSIDY_ALREADY_PAID');
    // The database itself refuses to change a paid row.
    await expect(sql`UPDATE subsidy SET amount = 1 WHERE id = ${id}`.execute(t.ctx.db)).rejects.toThrow(/paid and cannot change/);
  });

  it('the applicant cannot approve their own application; a township operator cannot approve at all; a city admin can', async () => {
    const created = await apply(county, training(L['贺二']!));
    expect(created.statusCode, created.body).toBe(201);
    const own = await call('POST', `/api/v1/subsidies/${created.json().id}/approve`, county, {});
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'SUBSIDY_SELF_APPROVAL', message: '申请人不能审批本人提交的补贴申请' });
    expect((await call('POST', `/api/v1/subsidies/${created.json().id}/approve`, operator, {})).statusCode).toBe(403);
    // Not yet approved: cannot be paid.
    const early = await call('POST', `/api/v1/subsidies/${created.json().id}/pay`, city, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('SUBSIDY_STATUS');
    const queue = (await call('GET', '/api/v1/subsidies?queue=true', county)).json();
    expect(queue.items.map((s: { id: string }) => s.id)).not.toContain(created.json().id);
    expect((await call('GET', '/api/v1/subsidies?queue=true', city)).json().items.map((s: { id: string }) => s.id)).toContain(
      created.json().id,
    );
    expect((await call('POST', `/api/v1/subsidies/${created.json().id}/approve`, city, {})).json().status).toBe('approved');
    const rejected = await call('POST', `/api/v1/subsidies/${created.json().id}/reject`, county, { reason: '重复培训' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectReason: '重复培训' });
    // A rejected application frees the period: a new one may be made.
    expect((await apply(officer, training(L['贺二']!))).statusCode).toBe(201);
  });
});

describe('bad input: each refused with a clear reason, nothing saved', () => {
  const count = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM subsidy`.execute(t.ctx.db)).rows[0]!.n);

  it("refuses a negative or zero amount, an upside-down period, a kind that is not the recipient's", async () => {
    const before = await count();
    const negative = await apply(officer, training(L['贺三']!, { amount: -100 }));
    expect(negative.statusCode).toBe(400);
    expect(negative.json()).toMatchObject({ code: 'SUBSIDY_AMOUNT', message: '补贴金额须大于 0 元，且不超过 1000 万元' });
    expect((await apply(officer, training(L['贺三']!, { amount: 0 }))).json().code).toBe('SUBSIDY_AMOUNT');
    expect((await apply(officer, training(L['贺三']!, { amount: 10.005 }))).json().code).toBe('SUBSIDY_AMOUNT');
    const upside = await apply(officer, training(L['贺三']!, { periodFrom: '2017-05-01', periodTo: '2017-04-01' }));
    expect(upside.statusCode).toBe(400);
    expect(upside.json()).toMatchObject({ code: 'SUBSIDY_PERIOD', message: '补贴期间截止日期不能早于开始日期' });
    const wrongKind = await apply(officer, training(L['贺三']!, { kind: 'site' }));
    expect(wrongKind.json().code).toBe('SUBSIDY_KIND_RECIPIENT');
    const siteToOrdinary = await apply(county, {
      recipient: 'employer',
      kind: 'site',
      employerId: ordinary,
      amount: 5000,
      periodFrom: '2018-01-01',
      periodTo: '2018-12-31',
    });
    expect(siteToOrdinary.json().code).toBe('SUBSIDY_EMPLOYER_KIND');
    expect(await count()).toBe(before);
  });

  it('refuses a subsidy that requires work for a period the laborer was not employed, naming the days at work', async () => {
    await employment(L['贺三']!, ordinary, '2017-03-01', '2017-04-30');
    await employment(L['贺三']!, null, '2017-05-01', '2017-06-15');
    const before = await count();
    const gap = await apply(officer, {
      recipient: 'laborer',
      kind: 'job',
      laborerId: L['贺三'],
      amount: 600,
      periodFrom: '2017-03-01',
      periodTo: '2017-06-30',
    });
    expect(gap.statusCode).toBe(400);
    expect(gap.json().code).toBe('SUBSIDY_NOT_EMPLOYED');
    expect(gap.json().message).toContain('2017-03-01 至 2017-06-30 期间并非一直在岗');
    expect(gap.json().message).toContain('期间内在岗：2017-03-01 至 2017-06-15');
    const never = await apply(officer, {
      recipient: 'laborer',
      kind: 'social_insurance',
      laborerId: L['贺四'],
      amount: 600,
      periodFrom: '2017-01-01',
      periodTo: '2017-06-30',
    });
    expect(never.json()).toMatchObject({ code: 'SUBSIDY_NOT_EMPLOYED' });
    expect(never.json().message).toContain('期间内没有就业记录');
    expect(await count()).toBe(before);
    // Two consecutive jobs cover the period: accepted.
    const covered = await apply(officer, {
      recipient: 'laborer',
      kind: 'job',
      laborerId: L['贺三'],
      amount: 600,
      periodFrom: '2017-03-15',
      periodTo: '2017-06-15',
    });
    expect(covered.statusCode, covered.body).toBe(201);
  });

  it("refuses laborers and employers outside the caller's region as not found, and audits the refusal", async () => {
    const foreign = await apply(guzhang, training(L['贺四']!));
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'NOT_FOUND', message: '不存在或无权限' });
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM audit_log WHERE action = 'subsidy.apply' AND result = 'denied'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    expect(
      (
        await apply(county, {
          recipient: 'employer',
          kind: 'site',
          employerId: guzhangEmployer,
          amount: 5000,
          periodFrom: '2018-01-01',
          periodTo: '2018-12-31',
        })
      ).statusCode,
    ).toBe(404);
    // Another county sees neither the subsidies nor one of them.
    const mine = (await call('GET', `/api/v1/subsidies?laborer=${L['贺一']}`, county)).json();
    expect(mine.total).toBe(1);
    expect((await call('GET', `/api/v1/subsidies?laborer=${L['贺一']}`, guzhang)).json().total).toBe(0);
    expect((await call('GET', `/api/v1/subsidies/${mine.items[0].id}`, guzhang)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/subsidies/${mine.items[0].id}/pay`, guzhang, {})).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/subsidies?region=4305', county)).statusCode).toBe(403);
  });

  it('refuses a second subsidy of the same kind for an overlapping period, and says which one exists', async () => {
    const overlap = await apply(officer, training(L['贺一']!, { periodFrom: '2017-03-20', periodTo: '2017-04-20' }));
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().code).toBe('SUBSIDY_DUPLICATE');
    expect(overlap.json().message).toContain('2017-03-01 至 2017-03-31 已有已发放的记录');
    // Another kind, or the next month, is fine.
    expect((await apply(officer, training(L['贺一']!, { kind: 'policy_support', amount: 300 }))).statusCode).toBe(201);
    expect((await apply(officer, training(L['贺一']!, { periodFrom: '2017-04-01', periodTo: '2017-04-30' }))).statusCode).toBe(201);
    // The database refuses it even when the service is bypassed.
    await expect(
      sql`INSERT INTO subsidy (recipient, kind, laborer_id, region_code, home_region_code, amount, period_from, period_to)
      VALUES ('laborer', 'training', ${L['贺一']}, ${DAZHU}, ${DAZHU}, 100, '2017-03-31', '2017-03-31')`.execute(t.ctx.db),
    ).rejects.toThrow(/subsidy_laborer_once/);
  });
});

describe('concurrency: the database decides', () => {
  it('100 concurrent applications for the same person, kind and period make exactly one row', async () => {
    const body = {
      recipient: 'laborer',
      kind: 'transport',
      laborerId: L['贺五'],
      amount: 200,
      periodFrom: '2018-02-01',
      periodTo: '2018-02-28',
    };
    const responses = await Promise.all(Array.from({ length: 100 }, () => apply(officer, body)));
    const codes = responses.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(99);
    for (const r of responses.filter((x) => x.statusCode === 409)) expect(r.json().code).toBe('SUBSIDY_DUPLICATE');
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM subsidy WHERE laborer_id = ${L['贺五']} AND kind = 'transport'`.execute(t.ctx.db);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('100 concurrent attempts to pay the same subsidy: exactly one succeeds, the others are told it is paid', async () => {
    const created = await apply(officer, {
      recipient: 'laborer',
      kind: 'policy_support',
      laborerId: L['贺五'],
      amount: 500,
      periodFrom: '2018-01-01',
      periodTo: '2018-06-30',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await call('POST', `/api/v1/subsidies/${id}/approve`, county, {})).statusCode).toBe(200);
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => call('POST', `/api/v1/subsidies/${id}/pay`, i % 2 ? county : city, { paymentRef: `P${i}` })),
    );
    const ok = responses.filter((r) => r.statusCode === 200);
    expect(ok).toHaveLength(1);
    const refused = responses.filter((r) => r.statusCode !== 200);
    expect(refused).toHaveLength(99);
    for (const r of refused) expect(r.json()).toMatchObject({ code: 'SUBSIDY_ALREADY_PAID', message: '该补贴已发放，不能重复发放' });
    const { rows } = await sql<{ payment_ref: string; pays: string }>`SELECT payment_ref,
      (SELECT count(*) FROM audit_log WHERE action = 'subsidy.pay' AND entity_id = ${id}) AS pays FROM subsidy WHERE id = ${id}`.execute(
      t.ctx.db,
    );
    expect(rows[0]!.payment_ref).toBe(ok[0]!.json().paymentRef);
    expect(Number(rows[0]!.pays)).toBe(1);
  });
});

describe('the retention subsidy (稳岗补贴): eligibility from the employment records, and the draft', () => {
  /**
   * The hand-built set, year 2017, employers of 新邵县 (430522):
   *   贺六  workshop from 2015-03-01, still there          → eligible (34 months by the end of 2017); already applied for by hand
   *   贺七  workshop from 2017-01-01, still there          → not: exactly one year only on 2018-01-01
   *   贺八  ordinary 2016-06-01…2016-12-31, then 2017-01-01…2017-08-31 (joined) → eligible, since 2016-06-01
   *   贺九  workshop 2015-01-01…2016-10-31                 → not: gone before 2017 (eligible for 2016)
   *   贺十  workshop 2016-01-01…2016-05-31, gap, from 2016-07-01 → eligible, since 2016-07-01 (the gap restarts the clock)
   *   贺四  ordinary 2016-12-15…2017-12-20                 → eligible: a year and five days
   *   贺二  古丈县's base from 2014-01-01                   → not in 新邵县 (eligible for 湖南省)
   *   贺三  the 2017 jobs of the test above (2 months at the ordinary employer, then no employer) → not
   */
  beforeAll(async () => {
    await employment(L['贺六']!, workshop, '2015-03-01');
    await employment(L['贺七']!, workshop, '2017-01-01');
    await employment(L['贺八']!, ordinary, '2016-06-01', '2016-12-31');
    await employment(L['贺八']!, ordinary, '2017-01-01', '2017-08-31');
    await employment(L['贺九']!, workshop, '2015-01-01', '2016-10-31');
    await employment(L['贺十']!, workshop, '2016-01-01', '2016-05-31');
    await employment(L['贺十']!, workshop, '2016-07-01');
    await employment(L['贺四']!, ordinary, '2016-12-15', '2017-12-20');
    await employment(L['贺二']!, guzhangEmployer, '2014-01-01', null, '433126107225');
  });

  it('refuses a retention application for a laborer not kept over a year, or not for a calendar year', async () => {
    const notYet = await apply(operator, {
      recipient: 'employer',
      kind: 'retention',
      employerId: workshop,
      laborerId: L['贺七'],
      amount: 1000,
      periodFrom: '2017-01-01',
      periodTo: '2017-12-31',
    });
    expect(notYet.statusCode).toBe(400);
    expect(notYet.json().code).toBe('SUBSIDY_NOT_EMPLOYED');
    expect(notYet.json().message).toContain('贺七在邵阳国辉箱包扶贫车间没有覆盖 2017 年、连续满一年以上的就业记录');
    expect(
      (
        await apply(operator, {
          recipient: 'employer',
          kind: 'retention',
          employerId: workshop,
          laborerId: L['贺六'],
          amount: 1000,
          periodFrom: '2017-02-01',
          periodTo: '2017-12-31',
        })
      ).json().code,
    ).toBe('SUBSIDY_RETENTION_YEAR');
    expect(
      (
        await apply(operator, {
          recipient: 'employer',
          kind: 'retention',
          employerId: workshop,
          laborerId: L['贺六'],
          amount: 1500,
          periodFrom: '2017-01-01',
          periodTo: '2017-12-31',
        })
      ).json().code,
    ).toBe('SUBSIDY_RETENTION_AMOUNT');
    const byHand = await apply(operator, {
      recipient: 'employer',
      kind: 'retention',
      employerId: workshop,
      laborerId: L['贺六'],
      amount: 1000,
      periodFrom: '2017-01-01',
      periodTo: '2017-12-31',
    });
    expect(byHand.statusCode, byHand.body).toBe(201);
    expect(byHand.json()).toMatchObject({
      recipient: 'employer',
      employer: { id: workshop },
      laborer: { name: '贺六' },
      region: { code: DAZHU },
    });
  });

  it('lists exactly the laborers worked out by hand, with their spells and any subsidy they already have', async () => {
    const response = await call('GET', '/api/v1/subsidies/retention/eligibility?year=2017&region=430522', county);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const byName = Object.fromEntries(body.items.map((e: { laborer: { name: string } }) => [e.laborer.name, e]));
    expect(Object.keys(byName).sort()).toEqual(['贺八', '贺六', '贺十', '贺四'].sort());
    expect(body).toMatchObject({ year: 2017, total: 4, new: 3, amount: 3000 });
    expect(byName['贺六']).toMatchObject({
      since: '2015-03-01',
      until: null,
      months: 34,
      existing: { status: 'applied', employerId: workshop },
    });
    expect(byName['贺八']).toMatchObject({
      since: '2016-06-01',
      until: '2017-08-31',
      months: 15,
      existing: null,
      employer: { id: ordinary },
    });
    expect(byName['贺十']).toMatchObject({ since: '2016-07-01', until: null, months: 18, existing: null });
    expect(byName['贺四']).toMatchObject({ since: '2016-12-15', until: '2017-12-20', months: 12, existing: null });
    // The province admin's 湖南省 also has 贺二 at 古丈县's base; 2016 has 贺九 and 贺六 (not 贺十: 2016-07-01 + 1 year is in 2017).
    const hunan = await t.login('hunan_admin');
    const province = (await call('GET', '/api/v1/subsidies/retention/eligibility?year=2017&region=43&pageSize=200', hunan)).json();
    expect(province.items.map((e: { laborer: { name: string } }) => e.laborer.name).sort()).toEqual(
      ['贺二', '贺八', '贺六', '贺十', '贺四'].sort(),
    );
    const y2016 = (await call('GET', '/api/v1/subsidies/retention/eligibility?year=2016&region=430522', county)).json();
    expect(y2016.items.map((e: { laborer: { name: string } }) => e.laborer.name).sort()).toEqual(['贺九', '贺六'].sort());
    // Paging keeps the totals.
    const page2 = (await call('GET', '/api/v1/subsidies/retention/eligibility?year=2017&region=430522&pageSize=3&page=2', county)).json();
    expect(page2).toMatchObject({ total: 4, new: 3, listed: 4 });
    expect(page2.items).toHaveLength(1);
  });

  it('the per-laborer baseline gives the same answer as the set-based query', async () => {
    const setBased = await repo.retentionEligible(t.ctx.db, { region: '430522', year: 2017 });
    const candidates = await repo.retentionCandidates(t.ctx.db, '430522', 2017);
    const looped = [];
    for (const id of candidates) {
      const r = await repo.retentionForLaborer(t.ctx.db, id, '430522', 2017);
      if (r) looped.push({ laborer: id, employer: r.employerId, since: r.since, until: r.until, existing: r.existing });
    }
    expect(looped.sort((a, b) => Number(a.laborer) - Number(b.laborer))).toEqual(
      setBased
        .map((r) => ({ laborer: r.laborer_id, employer: r.employer_id, since: r.since, until: r.until, existing: r.existing_id }))
        .sort((a, b) => Number(a.laborer) - Number(b.laborer)),
    );
  });

  it('drafts the list as applications for approval, once: a second draft adds nothing', async () => {
    const draft = await call('POST', '/api/v1/subsidies/retention/draft', operator, { year: 2017, region: '430522107' });
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json()).toMatchObject({ year: 2017, created: 3, skipped: 0, amount: 3000 });
    const again = await call('POST', '/api/v1/subsidies/retention/draft', county, { year: 2017, region: '430522' });
    expect(again.json()).toMatchObject({ created: 0 });
    const list = (await call('GET', '/api/v1/subsidies?kind=retention&status=applied', county)).json();
    expect(list.total).toBe(4);
    expect(list.amount).toBe(4000);
    expect(
      list.items.every(
        (s: { amount: number; periodFrom: string; periodTo: string }) =>
          s.amount === 1000 && s.periodFrom === '2017-01-01' && s.periodTo === '2017-12-31',
      ),
    ).toBe(true);
    const after = (await call('GET', '/api/v1/subsidies/retention/eligibility?year=2017&region=430522&onlyNew=true', county)).json();
    expect(after).toMatchObject({ total: 4, new: 0, listed: 0, items: [] });
    // The township operator drafted them: the county admin approves one, pays it.
    const one = list.items.find((s: { laborer: { name: string } }) => s.laborer.name === '贺十');
    expect((await call('POST', `/api/v1/subsidies/${one.id}/approve`, county, {})).json().status).toBe('approved');
    expect((await call('POST', `/api/v1/subsidies/${one.id}/pay`, county, {})).json().status).toBe('paid');
    // The future year cannot be drafted.
    expect((await call('POST', '/api/v1/subsidies/retention/draft', county, { year: 2099, region: '430522' })).json().code).toBe(
      'SUBSIDY_RETENTION_FUTURE',
    );
  });

  it("counts persons receiving each kind in a period by the laborer's home region (issue 8), and the summary", async () => {
    const today = chinaToday();
    const persons = await repo.personsByKind(t.ctx.db, '430522', '2000-01-01', today);
    expect(persons).toMatchObject({ training: 1, retention: 1 });
    expect(persons.policy_support).toBe(1);
    expect(await repo.personsByKind(t.ctx.db, '433126', '2000-01-01', today)).toEqual({});
    const summary = (await call('GET', `/api/v1/subsidies/summary?region=430522&from=2000-01-01&to=${today}`, county)).json();
    expect(summary.kinds.find((k: { kind: string }) => k.kind === 'retention')).toMatchObject({
      persons: 1,
      payments: 1,
      amount: 1000,
      label: expect.stringContaining('稳岗补贴'),
    });
    expect(summary.pending.applied).toBeGreaterThan(0);
  });
});
