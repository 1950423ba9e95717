import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { sql } from 'kysely';
import { seekerCard } from '../server/test/fixtures.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 18 item 4 in the console: the village officer ticks ten cards of the register and confirms
 * them for the quarter in one batch, with a stated reason, instead of opening them one by one.
 */
let world: BrowserWorld;
const ids: string[] = [];
const screens = 'var/e2e-screens';

beforeAll(async () => {
  mkdirSync(screens, { recursive: true });
  world = await startBrowserWorld();
  const officer = await world.t.login('dazhu_officer');
  for (let i = 0; i < 10; i++) {
    const created = await world.t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`430522199303030${String(10 + i)}`, { name: `核实${i}` }),
    });
    if (created.statusCode !== 201) throw new Error(created.body);
    ids.push(created.json().id);
  }
});
afterAll(async () => world?.close());

describe('quarterly confirmation in one batch', () => {
  it('a village officer confirms 10 cards in one batch from the register', async () => {
    const page = await signIn(world, 'dazhu_officer');
    await page.goto(`${world.baseUrl}/laborers?confirmed=false`);
    for (const id of ids) await page.getByTestId(`laborer-row-${id}`).locator('input[type="checkbox"]').check();
    await expect.poll(() => page.getByTestId('laborer-batch-confirm').textContent()).toContain('（10）');
    await page.getByTestId('laborer-batch-confirm').click();
    await page.getByTestId('batch-confirm-reason').fill('入户核实，无变化');
    await page.screenshot({ path: `${screens}/confirm-batch.png` });
    await page.getByTestId('batch-confirm-submit').click();
    await page.getByText('已核实 10 张').waitFor();
    const { rows } = await sql<{ n: string }>`SELECT count(DISTINCT laborer_id) AS n FROM laborer_confirmation
      WHERE laborer_id = ANY(${ids}::bigint[])`.execute(world.t.database.db);
    expect(Number(rows[0]!.n)).toBe(10);
    // The register's 本季度未核实 list no longer holds them.
    await page.reload();
    await page.getByTestId('laborers-table').waitFor();
    await expect.poll(() => page.getByTestId(`laborer-row-${ids[0]}`).count()).toBe(0);
    await page.close();
  });
});
