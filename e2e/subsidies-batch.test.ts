import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { sql } from 'kysely';
import { seekerCard } from '../server/test/fixtures.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 18 item 4 in the console: the county admin ticks three applications in the approval
 * queue, is asked to confirm the count and the sum, states a reason and approves them in one
 * action; the ledger then shows the three approved.
 */
let world: BrowserWorld;
const ids: string[] = [];
const screens = 'var/e2e-screens';

beforeAll(async () => {
  mkdirSync(screens, { recursive: true });
  world = await startBrowserWorld();
  const officer = await world.t.login('dazhu_officer');
  for (const [i, amount] of [1000, 1200, 800].entries()) {
    const card = await world.t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`43052219880606${String(i + 1).padStart(3, '0')}`, { name: `批审${i + 1}` }),
    });
    if (card.statusCode !== 201) throw new Error(card.body);
    const applied = await world.t.app.inject({
      method: 'POST',
      url: '/api/v1/subsidies',
      headers: { cookie: officer },
      payload: {
        recipient: 'laborer',
        kind: 'training',
        laborerId: card.json().id,
        amount,
        periodFrom: '2019-05-01',
        periodTo: '2019-05-31',
      },
    });
    if (applied.statusCode !== 201) throw new Error(applied.body);
    ids.push(applied.json().id);
  }
}, 120_000);
afterAll(async () => world?.close());

describe('subsidies approved in one batch', () => {
  it('a county admin ticks 3 applications, confirms 3 for 3,000 yuan, and the ledger shows them approved', async () => {
    const page = await signIn(world, 'xinshao_admin');
    await page.goto(`${world.baseUrl}/subsidies`);
    const queue = page.getByTestId('subsidy-queue');
    for (const id of ids) await queue.getByTestId(`subsidy-row-${id}`).locator('input[type="checkbox"]').check();
    await expect.poll(() => page.getByTestId('subsidy-batch-approve').first().textContent()).toContain('（3）');
    await page.getByTestId('subsidy-batch-approve').first().click();
    const modal = page.getByTestId('subsidy-batch-modal');
    await modal.getByText('确认批准 3 笔补贴，合计 3,000 元？').waitFor();
    await modal.getByTestId('subsidy-batch-reason').fill('材料齐全，同意');
    await page.screenshot({ path: `${screens}/subsidies-batch-approve.png` });
    await page.getByTestId('subsidy-batch-submit').click();
    await page.getByText('已批准 3 笔补贴，合计 3,000 元').waitFor();

    await page.getByRole('tab', { name: '补贴台账' }).click();
    const ledger = page.getByTestId('subsidy-table');
    for (const id of ids) {
      await expect.poll(() => ledger.getByTestId(`subsidy-row-${id}`).textContent()).toContain('已审批待发放');
    }
    const { rows } = await sql<{ status: string; approved_by: string }>`SELECT status,
        (SELECT username FROM account WHERE id = approved_by) AS approved_by
      FROM subsidy WHERE id = ANY(${ids}::bigint[])`.execute(world.t.ctx.db);
    expect(rows).toEqual(Array(3).fill({ status: 'approved', approved_by: 'xinshao_admin' }));
    await page.close();
  });
});
