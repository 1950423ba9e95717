import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAZHU, insertPosting, seekerCard } from '../../../test/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { addDays, chinaToday } from '../../platform/time.ts';

/**
 * 劳务经纪人 购买服务 (issue 20 item 6): a contract pays a rate per placement kept N months; the
 * period's amounts come from the records and are drafted in the subsidy ledger, each placement
 * once ever.
 */
let t: TestApp;
let operator: string;
let county: string;
let guzhang: string;
let employer: string;
let contractId: string;
const hires: Record<'kept' | 'left' | 'waiting', string> = { kept: '', left: '', waiting: '' };
const today = chinaToday();
const waitingStart = addDays(today, -20);

const call = (method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, payload });
const payOf = (from: string, to: string, cookie = operator) =>
  call('GET', `/api/v1/brokers/contracts/${contractId}/pay?from=${from}&to=${to}`, cookie);
const draft = (from: string, to: string, cookie = operator) =>
  call('POST', `/api/v1/brokers/contracts/${contractId}/pay/draft`, cookie, { from, to });

beforeAll(async () => {
  t = await createTestApp();
  let broker: string;
  [operator, county, guzhang, employer, broker] = await Promise.all(
    ['longxipu_operator', 'xinshao_admin', 'guzhang_admin', 'guohui_employer', 'longxipu_broker'].map((u) => t.login(u)),
  );
  const { rows } = await sql<{ id: string; employer_id: string | null; username: string }>`SELECT id, employer_id, username FROM account
    WHERE username IN ('longxipu_broker', 'guohui_employer')`.execute(t.ctx.db);
  const brokerId = String(rows.find((r) => r.username === 'longxipu_broker')!.id);
  const employerId = rows.find((r) => r.username === 'guohui_employer')!.employer_id!;
  // Signed without pay terms: they are set afterwards.
  const signed = await call('POST', '/api/v1/brokers/contracts', operator, {
    brokerId,
    villageCodes: [DAZHU],
    validFrom: '2024-01-01',
    validTo: '2099-12-31',
  });
  expect(signed.statusCode, signed.body).toBe(201);
  expect(signed.json().pay).toBeNull();
  contractId = signed.json().id;
  const posting = await insertPosting(t.ctx.db, employerId, { title: '箱包缝纫工', headcount: 10, work_region_code: DAZHU });
  const started = { kept: '2025-01-10', left: '2025-02-01', waiting: waitingStart };
  for (const [i, key] of (['kept', 'left', 'waiting'] as const).entries()) {
    const card = await call(
      'POST',
      '/api/v1/laborers',
      operator,
      seekerCard(`43052219860101${String(i + 1).padStart(3, '0')}`, { name: `付${key}` }),
    );
    expect(card.statusCode, card.body).toBe(201);
    const referred = await call('POST', '/api/v1/referrals', broker, { laborerId: card.json().id, postingId: posting, channel: 'broker' });
    expect(referred.statusCode, referred.body).toBe(201);
    const steps = `/api/v1/referrals/${referred.json().id}/steps`;
    expect((await call('POST', steps, employer, { status: 'interviewed' })).statusCode).toBe(200);
    const hired = await call('POST', steps, employer, { status: 'hired', startedOn: started[key] });
    expect(hired.statusCode, hired.body).toBe(200);
    const { rows: e } = await sql<{ id: string }>`SELECT id::text AS id FROM employment WHERE referral_id = ${referred.json().id}`.execute(
      t.ctx.db,
    );
    hires[key] = e[0]!.id;
  }
  // Left six weeks in, before the three months the contract asks for.
  const ended = await call('POST', `/api/v1/employments/${hires.left}/end`, operator, { endedOn: '2025-03-15', reason: 'resigned' });
  expect(ended.statusCode, ended.body).toBe(200);
});
afterAll(async () => t?.close());

describe('broker pay (购买服务)', () => {
  it('is not computed for a contract without pay terms, and the terms are set on record', async () => {
    const none = await payOf('2025-01-01', today);
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('BROKER_PAY_TERMS_MISSING');
    const half = await call('POST', '/api/v1/brokers/contracts', operator, {
      brokerId: (await sql<{ id: string }>`SELECT id::text AS id FROM account WHERE username = 'longxipu_broker'`.execute(t.ctx.db))
        .rows[0]!.id,
      villageCodes: [DAZHU],
      validFrom: '2024-01-01',
      validTo: '2024-12-31',
      ratePerPlacement: 300,
    });
    expect(half.statusCode).toBe(400);
    const set = await call('PUT', `/api/v1/brokers/contracts/${contractId}/pay-terms`, operator, { ratePerPlacement: 300, keptMonths: 3 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().pay).toEqual({ ratePerPlacement: 300, keptMonths: 3 });
    const { rows } = await sql<{ details: Record<string, unknown> }>`SELECT details FROM audit_log
      WHERE action = 'broker_contract.pay_terms' AND entity_id = ${contractId}`.execute(t.ctx.db);
    expect(rows[0]!.details).toMatchObject({ before: null, ratePerPlacement: 300, keptMonths: 3 });
  });

  it('pays the placement kept 3 months, not the one that left before, and not yet the one whose 3 months have not come', async () => {
    const r = await payOf('2025-01-01', today);
    expect(r.statusCode, r.body).toBe(200);
    const pay = r.json();
    const stateOf = (id: string) => pay.placements.find((p: { employmentId: string }) => p.employmentId === id);
    expect(stateOf(hires.kept)).toMatchObject({ state: 'due', checkDay: '2025-04-10', subsidy: null });
    expect(stateOf(hires.left)).toMatchObject({ state: 'left', checkDay: '2025-05-01', endedOn: '2025-03-15' });
    expect(stateOf(hires.waiting)).toMatchObject({ state: 'waiting', startedOn: waitingStart });
    expect(pay.totals).toEqual({ placements: 3, due: 1, dueAmount: 300, drafted: 0, draftedAmount: 0, left: 1, waiting: 1 });
    expect(stateOf(hires.kept).laborer.idNumberMasked).not.toMatch(/\d{17}/);
    // A period before any hire holds none.
    expect((await payOf('2024-01-01', '2024-12-31')).json().totals.placements).toBe(0);
  });

  it('drafts the due pay into the subsidy ledger once: drafting again, or another period holding it, pays nothing twice', async () => {
    const first = await draft('2025-01-01', today);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ created: 1, amount: 300 });
    expect(first.json().pay.totals).toMatchObject({ due: 0, drafted: 1, draftedAmount: 300, left: 1, waiting: 1 });
    const again = await draft('2025-01-01', today);
    expect(again.json()).toMatchObject({ created: 0, amount: 0 });
    const other = await draft('2025-01-10', '2025-01-31');
    expect(other.json()).toMatchObject({ created: 0, amount: 0 });
    expect(other.json().pay.placements.map((p: { state: string }) => p.state)).toEqual(['drafted']);

    const ledger = await call('GET', '/api/v1/subsidies?kind=broker_service&region=430522107', operator);
    expect(ledger.statusCode, ledger.body).toBe(200);
    expect(ledger.json().items).toHaveLength(1);
    expect(ledger.json().items[0]).toMatchObject({
      recipient: 'broker',
      kind: 'broker_service',
      amount: 300,
      status: 'applied',
      broker: { name: expect.any(String) },
      laborer: null,
      periodFrom: '2025-01-10',
      periodTo: '2025-04-10',
    });
    const { rows } = await sql<{ details: Record<string, unknown> }>`SELECT details FROM audit_log
      WHERE action = 'broker_pay.draft' AND entity_id = ${contractId} ORDER BY id`.execute(t.ctx.db);
    expect(rows.map((a) => a.details.created)).toEqual([1, 0, 0]);
  });

  it('is guaranteed by the database: a second live payment for one placement is refused', async () => {
    const attempt =
      sql`INSERT INTO subsidy (recipient, kind, broker_id, broker_contract_id, employment_id, region_code, amount, period_from, period_to)
      SELECT recipient, kind, broker_id, broker_contract_id, employment_id, region_code, amount, period_from, period_to
      FROM subsidy WHERE employment_id = ${hires.kept}`.execute(t.ctx.db);
    await expect(attempt).rejects.toMatchObject({ code: '23505', constraint: 'subsidy_placement_once' });
  });

  it('is approved and paid through the ledger; once paid, drafting again still pays nothing', async () => {
    const [payment] = (await call('GET', '/api/v1/subsidies?kind=broker_service&region=430522107', county)).json().items;
    const approved = await call('POST', `/api/v1/subsidies/${payment.id}/approve`, county, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const paid = await call('POST', `/api/v1/subsidies/${payment.id}/pay`, county, { paymentRef: 'JF2025-001' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', recipient: 'broker' });
    expect((await draft('2025-01-01', today)).json()).toMatchObject({ created: 0 });
    const pay = (await payOf('2025-01-01', today)).json();
    expect(pay.placements.find((p: { employmentId: string }) => p.employmentId === hires.kept).subsidy).toMatchObject({
      status: 'paid',
      amount: 300,
    });
  });

  it('is seen and drafted only by the managers of the contract, and a bad period is refused', async () => {
    expect((await payOf('2025-01-01', today, county)).statusCode).toBe(200);
    const outside = await payOf('2025-01-01', today, guzhang);
    expect(outside.statusCode).toBe(404);
    expect((await draft('2025-01-01', today, guzhang)).statusCode).toBe(404);
    const backwards = await payOf(today, '2025-01-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().code).toBe('BROKER_PAY_PERIOD');
  });
});
