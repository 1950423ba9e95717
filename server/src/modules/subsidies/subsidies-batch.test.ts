import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { creditCode, insertEmployer, seekerCard } from '../../../test/fixtures.ts';
import { accreditedSince } from '../workshops/standing.fixture.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

/**
 * Issue 18 item 4: the county approves the ticked applications in one action with a stated
 * reason, and marks approved ones paid in one action on the day the money went out. Every rule of
 * the single record holds for each; one record that cannot be moved refuses the whole batch, and
 * the answer names it and why; one audit row per subsidy.
 */
let t: TestApp;
let officer: string; // dazhu_officer: 大竹村
let county: string; // xinshao_admin: 新邵县
let city: string; // shaoyang_admin: 邵阳市
let foreign: string; // a 古丈县 subsidy, out of 新邵县's reach
const L: string[] = [];
const today = chinaToday();

const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const training = (laborerId: string, amount: number) => ({
  recipient: 'laborer',
  kind: 'training',
  laborerId,
  amount,
  periodFrom: '2018-04-01',
  periodTo: '2018-04-30',
});
async function apply(cookie: string, body: object): Promise<string> {
  const r = await call('POST', '/api/v1/subsidies', cookie, body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}
const statuses = async (ids: string[]) =>
  (
    await sql<{ id: string; status: string; paid_on: string | null }>`SELECT id::text AS id, status, paid_on::text AS paid_on FROM subsidy
      WHERE id = ANY(${ids}::bigint[]) ORDER BY id`.execute(t.ctx.db)
  ).rows;
const auditCount = async (action: string, ids: string[], where = sql`true`) =>
  Number(
    (
      await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = ${action} AND entity = 'subsidy'
        AND entity_id = ANY(${ids}::text[]) AND ${where}`.execute(t.ctx.db)
    ).rows[0]!.n,
  );

beforeAll(async () => {
  t = await createTestApp();
  [officer, county, city] = await Promise.all(['dazhu_officer', 'xinshao_admin', 'shaoyang_admin'].map((u) => t.login(u)));
  for (const [i, name] of ['滕一', '滕二', '滕三', '滕四', '滕五', '滕六'].entries()) {
    const r = await call('POST', '/api/v1/laborers', officer, seekerCard(`43052219860303${String(i + 1).padStart(3, '0')}`, { name }));
    expect(r.statusCode, r.body).toBe(201);
    L.push(r.json().id);
  }
  // A base in 古丈县 with a site subsidy its county applied for.
  const base = await insertEmployer(t.ctx.db, creditCode('91433126MA4BAT001'), '古丈批量测试基地', '433126107', 'base');
  await accreditedSince(t.ctx.db, base, '2017-06-01');
  foreign = await apply(await t.login('guzhang_admin'), {
    recipient: 'employer',
    kind: 'site',
    employerId: base,
    amount: 5000,
    periodFrom: '2018-01-01',
    periodTo: '2018-12-31',
  });
});
afterAll(async () => t?.close());

describe('approving several applications in one action', () => {
  let ours: string[];
  let own: string;

  it('refuses the whole batch when one is the approver’s own application, naming it; approves nothing', async () => {
    ours = [
      await apply(officer, training(L[0]!, 1000)),
      await apply(officer, training(L[1]!, 1200)),
      await apply(officer, training(L[2]!, 800)),
    ];
    own = await apply(county, training(L[3]!, 500));
    const r = await call('POST', '/api/v1/subsidies/approvals', county, { ids: [...ours, own], reason: '材料齐全，同意' });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('BATCH_REFUSED');
    expect(r.json().message).toContain('所选 4 笔补贴中有 1 笔不能批准，本批均未批准');
    expect(r.json().message).toContain(`滕四的职业培训补贴（编号 ${own}，500 元）：申请人不能审批本人提交的补贴申请`);
    expect(r.json().details.refused).toEqual([{ id: own, code: 'SUBSIDY_SELF_APPROVAL', message: '申请人不能审批本人提交的补贴申请' }]);
    expect((await statuses([...ours, own])).map((s) => s.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(await auditCount('subsidy.approve', [...ours, own])).toBe(0);
  });

  it('refuses the whole batch when one lies outside the caller’s region, as not found, and audits that refusal', async () => {
    const r = await call('POST', '/api/v1/subsidies/approvals', county, { ids: [...ours, foreign], reason: '材料齐全，同意' });
    expect(r.statusCode).toBe(409);
    expect(r.json().details.refused).toEqual([{ id: foreign, code: 'NOT_FOUND', message: '不存在或无权限' }]);
    // The message names the foreign record by its number only: nothing of it leaks.
    expect(r.json().message).toContain(`编号 ${foreign}：不存在或无权限`);
    expect(r.json().message).not.toContain('古丈');
    expect((await statuses([...ours, foreign])).map((s) => s.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(await auditCount('subsidy.approve', [foreign], sql`result = 'denied'`)).toBe(1);
    expect(await auditCount('subsidy.approve', ours)).toBe(0);
  });

  it('refuses without a reason or without ids, and a township operator (approval is the county’s)', async () => {
    expect((await call('POST', '/api/v1/subsidies/approvals', county, { ids: ours })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/subsidies/approvals', county, { ids: ours, reason: ' ' })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/subsidies/approvals', county, { ids: [], reason: '同意' })).statusCode).toBe(400);
    const operator = await t.login('longxipu_operator');
    expect((await call('POST', '/api/v1/subsidies/approvals', operator, { ids: ours, reason: '同意' })).statusCode).toBe(403);
    expect((await statuses(ours)).map((s) => s.status)).toEqual(['applied', 'applied', 'applied']);
  });

  it('approves three in one action: the count and the yuan answered, one audit row each with the reason', async () => {
    const r = await call('POST', '/api/v1/subsidies/approvals', county, { ids: [...ours].reverse(), reason: '材料齐全，同意' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ count: 3, amount: 3000, ids: ours });
    expect((await statuses(ours)).map((s) => s.status)).toEqual(['approved', 'approved', 'approved']);
    expect(
      await auditCount(
        'subsidy.approve',
        ours,
        sql`result = 'success' AND details->>'reason' = '材料齐全，同意' AND (details->>'batch')::int = 3`,
      ),
    ).toBe(3);
    // The reason is each subsidy's 审批意见, as the single approval's note is.
    const one = (await call('GET', `/api/v1/subsidies/${ours[0]}`, county)).json();
    expect(one.note).toBe('材料齐全，同意');
    expect(one.approved.by).toBe('新邵县人社局管理员');
    // The approver's own application still waits for another admin: the city approves it.
    expect((await call('POST', '/api/v1/subsidies/approvals', city, { ids: [own], reason: '同意' })).json().count).toBe(1);
  });

  it('an application approved already refuses a second batch that holds it', async () => {
    const fresh = await apply(officer, training(L[4]!, 700));
    const r = await call('POST', '/api/v1/subsidies/approvals', county, { ids: [fresh, ours[0]], reason: '同意' });
    expect(r.statusCode).toBe(409);
    expect(r.json().details.refused).toEqual([{ id: ours[0], code: 'SUBSIDY_STATUS', message: expect.stringContaining('已审批待发放') }]);
    expect((await statuses([fresh]))[0]!.status).toBe('applied');
  });
});

describe('paying several approved subsidies in one action', () => {
  let approved: string[];
  let paid: string;

  beforeAll(async () => {
    approved = (
      await sql<{
        id: string;
      }>`SELECT id::text AS id FROM subsidy WHERE status = 'approved' AND laborer_id = ANY(${L.slice(0, 3)}::bigint[])
        ORDER BY id`.execute(t.ctx.db)
    ).rows.map((r) => r.id);
    expect(approved).toHaveLength(3);
    // One more, approved and paid on its own.
    paid = await apply(officer, training(L[5]!, 600));
    expect((await call('POST', `/api/v1/subsidies/${paid}/approve`, county, {})).statusCode).toBe(200);
    expect((await call('POST', `/api/v1/subsidies/${paid}/pay`, county, {})).statusCode).toBe(200);
  });

  it('a paid subsidy in the batch refuses the whole batch: nothing is paid, and it is not paid twice', async () => {
    const r = await call('POST', '/api/v1/subsidies/payments', county, { ids: [...approved, paid], reason: '集中发放', paidOn: today });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('BATCH_REFUSED');
    expect(r.json().message).toContain('所选 4 笔补贴中有 1 笔不能发放，本批均未发放');
    expect(r.json().message).toContain(`滕六的职业培训补贴（编号 ${paid}，600 元）：该补贴已发放，不能重复发放`);
    expect(r.json().details.refused).toEqual([{ id: paid, code: 'SUBSIDY_ALREADY_PAID', message: '该补贴已发放，不能重复发放' }]);
    expect((await statuses(approved)).map((s) => s.status)).toEqual(['approved', 'approved', 'approved']);
    expect(await auditCount('subsidy.pay', [paid])).toBe(1);
    expect(await auditCount('subsidy.pay', approved)).toBe(0);
  });

  it('refuses a payment day after today, or before a subsidy was approved, or a subsidy outside the region', async () => {
    const future = await call('POST', '/api/v1/subsidies/payments', county, {
      ids: approved,
      reason: '集中发放',
      paidOn: addDays(today, 1),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().code).toBe('SUBSIDY_PAID_IN_FUTURE');
    const early = await call('POST', '/api/v1/subsidies/payments', county, {
      ids: approved,
      reason: '集中发放',
      paidOn: addDays(today, -1),
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().details.refused.map((x: { code: string }) => x.code)).toEqual([
      'SUBSIDY_PAID_BEFORE_APPROVAL',
      'SUBSIDY_PAID_BEFORE_APPROVAL',
      'SUBSIDY_PAID_BEFORE_APPROVAL',
    ]);
    const abroad = await call('POST', '/api/v1/subsidies/payments', county, {
      ids: [...approved, foreign],
      reason: '集中发放',
      paidOn: today,
    });
    expect(abroad.json().details.refused).toEqual([{ id: foreign, code: 'NOT_FOUND', message: '不存在或无权限' }]);
    expect((await statuses(approved)).map((s) => s.status)).toEqual(['approved', 'approved', 'approved']);
  });

  it('pays three in one action on the stated day: one audit row each with the reason, the day and the voucher', async () => {
    const r = await call('POST', '/api/v1/subsidies/payments', county, {
      ids: approved,
      reason: '第二季度培训补贴集中发放',
      paidOn: today,
      paymentRef: 'PAY-BATCH-01',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ count: 3, amount: 3000, ids: approved });
    expect(await statuses(approved)).toEqual(approved.map((id) => ({ id, status: 'paid', paid_on: today })));
    expect(
      await auditCount(
        'subsidy.pay',
        approved,
        sql`details->>'reason' = '第二季度培训补贴集中发放' AND details->>'paidOn' = ${today} AND details->>'paymentRef' = 'PAY-BATCH-01'
          AND (details->>'batch')::int = 3`,
      ),
    ).toBe(3);
    // Paid once: the same batch again is refused, naming each.
    const again = await call('POST', '/api/v1/subsidies/payments', county, { ids: approved, reason: '集中发放', paidOn: today });
    expect(again.json().details.refused.map((x: { code: string }) => x.code)).toEqual(Array(3).fill('SUBSIDY_ALREADY_PAID'));
    expect(await auditCount('subsidy.pay', approved)).toBe(3);
  });
});
