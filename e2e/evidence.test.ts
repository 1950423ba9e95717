import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seekerCard } from '../server/test/fixtures.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { scrollToCard, signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 21 item 3 in the console: a job typed by the village officer shows 录入未核实 on the card;
 * the employer confirms its employee from 本单位职工; the card then shows 用人单位确认 and the
 * county's statistics count the job among those confirmed in the last three months.
 */
let world: BrowserWorld;
let laborerId: string;
const today = chinaToday();

beforeAll(async () => {
  world = await startBrowserWorld();
  const officer = await world.t.login('dazhu_officer');
  const card = await world.t.app.inject({
    method: 'POST',
    url: '/api/v1/laborers',
    headers: { cookie: officer },
    payload: seekerCard('43052219890909001', { name: '核实丁' }),
  });
  expect(card.statusCode, card.body).toBe(201);
  laborerId = card.json().id;
  const { rows } = await sql<{ employer_id: string }>`SELECT employer_id::text FROM account WHERE username = 'guohui_employer'`.execute(
    world.t.ctx.db,
  );
  const job = await world.t.app.inject({
    method: 'POST',
    url: '/api/v1/employments',
    headers: { cookie: officer },
    payload: {
      laborerId,
      employerId: rows[0]!.employer_id,
      workRegionCode: '430522107',
      startedOn: addDays(today, -20),
      monthlyWage: 2800,
      socialInsurance: true,
      channel: 'self_found',
    },
  });
  expect(job.statusCode, job.body).toBe(201);
}, 180_000);
afterAll(async () => world?.close());

describe('evidence on employment in the console', () => {
  it('typed only on the card; the employer confirms; the card and the statistics show it', async () => {
    const officer = await signIn(world, 'dazhu_officer');
    await officer.goto(`${world.baseUrl}/laborers/${laborerId}`);
    await expect.poll(() => officer.getByTestId('employment-evidence').textContent()).toBe('录入未核实');

    const employer = await signIn(world, 'guohui_employer');
    await employer.goto(`${world.baseUrl}/employees`);
    const row = employer.getByTestId('employees-table').locator('tr', { hasText: '核实丁' });
    await row.waitFor();
    await row.getByTestId('employee-follow-ups').click();
    await employer.getByTestId('employee-evidence').waitFor();
    expect(await employer.getByTestId('employee-evidence').textContent()).toContain('尚无确认');
    await employer.getByTestId('employee-confirm').click();
    await expect.poll(() => employer.getByTestId('employee-evidence').textContent()).toContain(`用人单位确认 ${today}`);

    await officer.reload();
    await expect.poll(() => officer.getByTestId('employment-evidence').textContent()).toBe(`用人单位确认 ${today}`);

    const county = await signIn(world, 'xinshao_admin');
    await county.goto(`${world.baseUrl}/stats`);
    await scrollToCard(county, 'stats-more-verification', 'stats-verification-load');
    await county.getByTestId('stats-verification-load').click();
    const figure = county.getByTestId('stats-verification-confirmed');
    await figure.waitFor();
    const api = await world.t.app.inject({
      method: 'GET',
      url: `/api/v1/stats/verification?region=430522&asOf=${today}`,
      headers: { cookie: await world.t.login('xinshao_admin') },
    });
    expect(api.json().confirmed).toBeGreaterThanOrEqual(1);
    expect(await figure.textContent()).toContain(api.json().confirmed.toLocaleString('zh-CN'));
    for (const p of [officer, employer, county]) await p.close();
  });
});
