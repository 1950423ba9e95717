import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seekerCard } from '../server/test/fixtures.ts';
import { signIn as signInAs, settledConfirm, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * 稳岗补贴 in the browser: the township drafts the retention-subsidy list from the employment
 * records, the county approves and pays it, and the workshop's registry shows the subsidy received.
 */
const DAZHU = '430522107212';
let world: BrowserWorld;
let laborerId: string;
const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear() - 1;

const signIn = (username: string) => signInAs(world, username);

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const officer = await t.login('dazhu_officer');
  const card = await t.app.inject({
    method: 'POST',
    url: '/api/v1/laborers',
    headers: { cookie: officer },
    payload: seekerCard('43052219800505321', { name: '蒋余美' }),
  });
  expect(card.statusCode, card.body).toBe(201);
  laborerId = card.json().id;
  // At the 大竹村 workshop since 2015: kept over a year, at work last year.
  await sql`INSERT INTO employment (laborer_id, employer_id, work_region_code, started_on, monthly_wage, channel)
    SELECT ${laborerId}, employer_id, ${DAZHU}, '2015-03-01', 2600, 'assisted' FROM account WHERE username = 'guohui_employer'`.execute(
    t.ctx.db,
  );
}, 120_000);
afterAll(async () => world?.close());

describe('the retention subsidy from draft to payment', () => {
  it('the township drafts the list, the county approves and pays, the workshop shows it', async () => {
    const operator = await signIn('longxipu_operator');
    await operator.goto(`${world.baseUrl}/subsidies`);
    await operator.getByRole('tab', { name: '稳岗补贴测算' }).click();
    await operator.getByTestId('retention-table').getByText('蒋余美').waitFor();
    expect(await operator.getByTestId('retention-totals').textContent()).toContain(`${year} 年度符合条件 1 人，其中尚未申请 1 人`);
    await operator.getByTestId('retention-draft').click();
    const dialog = await settledConfirm(operator);
    await dialog.getByRole('button', { name: '生成申请' }).click();
    await operator.getByText('已生成 1 笔稳岗补贴申请').waitFor();
    const { rows } = await sql<{
      id: string;
      status: string;
    }>`SELECT id::text AS id, status FROM subsidy WHERE laborer_id = ${laborerId} AND kind = 'retention'`.execute(world.t.ctx.db);
    expect(rows).toEqual([{ id: expect.any(String), status: 'applied' }]);
    const id = rows[0]!.id;

    const county = await signIn('xinshao_admin');
    await county.goto(`${world.baseUrl}/subsidies`);
    await county.getByTestId(`subsidy-approve-${id}`).click();
    await county.getByText('已审批通过').waitFor();
    await county.getByRole('tab', { name: '补贴台账' }).click();
    await county.getByTestId(`subsidy-pay-${id}`).click();
    await county.getByText('已发放', { exact: true }).first().waitFor();
    const { rows: after } = await sql<{
      status: string;
      paid_by: string;
    }>`SELECT status, (SELECT username FROM account WHERE id = paid_by) AS paid_by FROM subsidy WHERE id = ${id}`.execute(world.t.ctx.db);
    expect(after[0]).toEqual({ status: 'paid', paid_by: 'xinshao_admin' });

    await county.goto(`${world.baseUrl}/workshops`);
    await county.getByTestId('workshop-summary').getByText('龙溪铺镇').waitFor();
    const row = await county.getByTestId('workshop-summary').locator('tr', { hasText: '龙溪铺镇' }).textContent();
    expect(row).toContain('1,000 元');
  });
});
