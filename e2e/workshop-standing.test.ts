import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { creditCode, DAZHU, insertEmployer, seekerCard } from '../server/test/fixtures.ts';
import { signIn as signInAs, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 20 item 8 in the browser: the county accredits a workshop, records a failed yearly review
 * and removes it, from the workshop's drawer; the township records a visit to a base, ticking each
 * poor laborer employed there.
 */
let world: BrowserWorld;
let workshop: string;
let base: string;
const L: string[] = [];
const signIn = (username: string) => signInAs(world, username);

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const officer = await t.login('dazhu_officer');
  for (const [i, name] of ['巡诊甲', '巡诊乙', '认定丙'].entries()) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`43052219880808${String(i + 1).padStart(3, '0')}`, { name }),
    });
    expect(r.statusCode, r.body).toBe(201);
    L.push(r.json().id);
  }
  workshop = await insertEmployer(t.ctx.db, creditCode('91430522MA4RDE001'), '大竹村浏览器认定扶贫车间', DAZHU, 'workshop');
  base = await insertEmployer(t.ctx.db, creditCode('91430522MA4RDE002'), '龙溪铺浏览器巡诊基地', '430522107', 'base');
  const hire = (l: string, e: string) =>
    sql`INSERT INTO employment (laborer_id, employer_id, work_region_code, started_on, monthly_wage, channel)
      VALUES (${l}, ${e}, ${DAZHU}, '2020-03-01', 2600, 'assisted')`.execute(t.ctx.db);
  await hire(L[0]!, base);
  await hire(L[1]!, base);
  await hire(L[2]!, workshop);
}, 120_000);
afterAll(async () => world?.close());

describe('workshops’ and bases’ standing in the console', () => {
  it('the county accredits a workshop, records a failed review, then removes it; the history reads in order', async () => {
    const county = await signIn('xinshao_admin');
    await county.goto(`${world.baseUrl}/workshops`);
    await county.getByRole('tab', { name: '名录' }).click();
    await county.getByTestId(`workshop-${workshop}`).click();
    await county.getByTestId('standing-status').getByText('未认定').waitFor();

    await county.getByTestId('standing-accredit').click();
    await county.getByTestId('accredit-workforce').fill('3');
    await county.getByTestId('accredit-ok').click();
    await county.getByTestId('standing-status').getByText('已认定').waitFor();
    expect(await county.getByTestId('standing-history').textContent()).toContain('贫困劳动力占职工总数（%）：33.3（标准 30，达到）');

    await county.getByTestId('standing-review').click();
    await county.getByTestId('review-passed').getByText('未通过').click();
    await county.getByTestId('review-findings').fill('用工台账不全');
    await county.getByTestId('review-ok').click();
    await county
      .getByTestId('standing-history')
      .getByText(/年度未通过：用工台账不全/)
      .waitFor();

    await county.getByTestId('standing-remove').click();
    await county.getByTestId('remove-reason').fill('年审不合格，整改未到位');
    await county.getByTestId('remove-ok').click();
    await county.getByTestId('standing-status').getByText('已摘牌').waitFor();
    const { rows } = await sql<{ act: string }>`SELECT act FROM workshop_standing WHERE employer_id = ${workshop} ORDER BY id`.execute(
      world.t.ctx.db,
    );
    expect(rows.map((r) => r.act)).toEqual(['accreditation', 'review', 'removal']);
  });

  it('the township records a visit to a base, each employed poor laborer ticked', async () => {
    const operator = await signIn('longxipu_operator');
    await operator.goto(`${world.baseUrl}/workshops`);
    await operator.getByRole('tab', { name: '名录' }).click();
    await operator.getByTestId(`workshop-${base}`).click();
    await operator.getByRole('tab', { name: '巡诊' }).click();
    await operator.getByTestId('visit-new').click();
    await operator.getByTestId('visit-roster').getByText('巡诊乙').waitFor();
    await operator.getByTestId(`visit-check-${L[1]}`).getByText('已离职').click();
    await operator.getByTestId('visit-findings').fill('生产正常');
    await operator.getByTestId('visit-ok').click();
    await operator.getByTestId('visit-table').getByText('在岗 1 人，未见到 0 人，已离职 1 人').waitFor();
    const { rows } = await sql<{ laborer_id: string; result: string }>`SELECT c.laborer_id::text AS laborer_id, c.result
      FROM base_visit_check c JOIN base_visit v ON v.id = c.visit_id WHERE v.employer_id = ${base} ORDER BY c.laborer_id`.execute(
      world.t.ctx.db,
    );
    expect(rows).toEqual([
      { laborer_id: L[0], result: 'at_work' },
      { laborer_id: L[1], result: 'left' },
    ]);
  });
});
