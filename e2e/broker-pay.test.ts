import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAZHU, insertPosting, seekerCard } from '../server/test/fixtures.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/** 购买服务 on the brokers page (issue 20 item 6): a contract's pay computed for the period, drafted into the ledger once. */
let world: BrowserWorld;
let contractId: string;

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const inject = (method: 'POST', url: string, cookie: string, payload: object) =>
    t.app.inject({ method, url, headers: { cookie }, payload });
  const [operator, broker, employer] = await Promise.all(
    ['longxipu_operator', 'longxipu_broker', 'guohui_employer'].map((u) => t.login(u)),
  );
  const { rows } = await sql<{ id: string; employer_id: string | null; username: string }>`SELECT id, employer_id, username FROM account
    WHERE username IN ('longxipu_broker', 'guohui_employer')`.execute(t.ctx.db);
  const contract = await inject('POST', '/api/v1/brokers/contracts', operator, {
    brokerId: String(rows.find((r) => r.username === 'longxipu_broker')!.id),
    villageCodes: [DAZHU],
    validFrom: '2025-01-01',
    validTo: '2099-12-31',
    ratePerPlacement: 300,
    keptMonths: 3,
  });
  expect(contract.statusCode, contract.body).toBe(201);
  contractId = contract.json().id;
  const posting = await insertPosting(t.ctx.db, rows.find((r) => r.username === 'guohui_employer')!.employer_id!, {
    title: '箱包缝纫工',
    headcount: 5,
    work_region_code: DAZHU,
  });
  const card = await inject('POST', '/api/v1/laborers', operator, seekerCard('43052219870202101', { name: '蒋春花' }));
  expect(card.statusCode, card.body).toBe(201);
  const referral = await inject('POST', '/api/v1/referrals', broker, { laborerId: card.json().id, postingId: posting, channel: 'broker' });
  expect(referral.statusCode, referral.body).toBe(201);
  const steps = `/api/v1/referrals/${referral.json().id}/steps`;
  expect((await inject('POST', steps, employer, { status: 'interviewed' })).statusCode).toBe(200);
  const hired = await inject('POST', steps, employer, { status: 'hired', startedOn: '2025-01-10' });
  expect(hired.statusCode, hired.body).toBe(200);
}, 120_000);
afterAll(async () => world?.close());

describe('broker pay on the brokers page', () => {
  it("shows the contract's pay for the period and drafts it into the subsidy ledger once", async () => {
    const page = await signIn(world, 'longxipu_operator');
    await page.goto(`${world.baseUrl}/brokers`);
    await page.getByRole('tab', { name: '经纪人协议' }).click();
    await page.getByTestId(`contract-pay-${contractId}`).click();
    const totals = page.getByTestId('broker-pay-totals');
    await totals.waitFor();
    expect(await page.getByTestId('broker-pay-terms-text').textContent()).toContain('在岗满 3 个月的人员支付 300 元');
    expect(await totals.textContent()).toContain('应付 1 人 300 元');
    expect(await page.getByTestId('broker-pay-table').textContent()).toContain('蒋春花');
    await page.getByTestId('broker-pay-draft').click();
    await page.getByText('已列入补贴台账 1 人，共 300 元（待审批）').waitFor();
    await page.getByText('已列入补贴台账 1 人 300 元').waitFor();
    expect(await page.getByTestId('broker-pay-draft').isDisabled()).toBe(true);
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM subsidy WHERE kind = 'broker_service' AND broker_contract_id = ${contractId}`.execute(world.t.ctx.db);
    expect(rows[0]!.n).toBe(1);
  });
});
