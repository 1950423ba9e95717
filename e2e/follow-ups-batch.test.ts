import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seekerCard } from '../server/test/fixtures.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 18 item 4 in the console: the village officer ticks three follow-ups due on the 稳岗服务
 * page and records them with one form.
 */
let world: BrowserWorld;
const followUps: string[] = [];
const today = chinaToday();

beforeAll(async () => {
  world = await startBrowserWorld();
  const officer = await world.t.login('dazhu_officer');
  for (let i = 0; i < 3; i++) {
    const card = await world.t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`43052219890707${String(i + 1).padStart(3, '0')}`, { name: `同访${i + 1}` }),
    });
    if (card.statusCode !== 201) throw new Error(card.body);
    const job = await world.t.app.inject({
      method: 'POST',
      url: '/api/v1/employments',
      headers: { cookie: officer },
      payload: {
        laborerId: card.json().id,
        workplaceName: '新邵县龙溪铺竹木加工厂',
        workRegionCode: '430522107',
        startedOn: addDays(today, -40),
        monthlyWage: 2600,
        socialInsurance: false,
        channel: 'self_found',
      },
    });
    if (job.statusCode !== 201) throw new Error(job.body);
    followUps.push(job.json().followUps.find((f: { months: number }) => f.months === 1).id);
  }
}, 120_000);
afterAll(async () => world?.close());

describe('follow-ups recorded for several people at once', () => {
  it('a village officer ticks 3 follow-ups and records them with one form', async () => {
    const page = await signIn(world, 'dazhu_officer');
    await page.goto(`${world.baseUrl}/retention`);
    const table = page.getByTestId('follow-up-table');
    for (const id of followUps) await table.getByTestId(`follow-up-row-${id}`).locator('input[type="checkbox"]').check();
    await expect.poll(() => page.getByTestId('follow-up-batch-record').textContent()).toContain('（3）');
    await page.getByTestId('follow-up-batch-record').click();
    const modal = page.getByTestId('follow-up-modal');
    await modal.getByText('批量记录回访：3 人').waitFor();
    expect(await modal.getByTestId('follow-up-batch-names').textContent()).toContain('同访1（第 1 个月）');
    await modal.getByTestId('follow-up-problems').fill('工资按时发放');
    await modal
      .getByRole('button', { name: '保 存' })
      .or(modal.getByRole('button', { name: '保存' }))
      .click();
    await page.getByText('已记录 3 人的回访').waitFor();
    const { rows } = await sql<{ status: string; problems: string }>`SELECT status, problems FROM follow_up
      WHERE id = ANY(${followUps}::bigint[])`.execute(world.t.ctx.db);
    expect(rows).toEqual(Array(3).fill({ status: 'done', problems: '工资按时发放' }));
    await expect.poll(() => table.getByTestId(`follow-up-row-${followUps[0]}`).count()).toBe(0);
    await page.close();
  });
});
