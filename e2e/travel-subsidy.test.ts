import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DAZHU, seekerCard } from '../server/test/fixtures.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 20 item 7: the free-travel subsidy of 就业直通车 goes into the subsidy ledger from the
 * trip's page — one transport subsidy per boarded rider, and a second click adds nothing.
 */
let world: BrowserWorld;
let tripId: string;

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const operator = await t.login('longxipu_operator');
  const call = async (url: string, payload: object, expected = 200) => {
    const response = await t.app.inject({ method: 'POST', url, headers: { cookie: operator }, payload });
    expect(response.statusCode, response.body).toBe(expected);
    return response.json();
  };
  const riders: string[] = [];
  for (const [body17, name] of [
    ['43052219860302411', '周小红'],
    ['43052219910405412', '彭志刚'],
  ] as const) {
    riders.push((await call('/api/v1/laborers', seekerCard(body17, { name, homeVillageCode: DAZHU }), 201)).id);
  }
  tripId = (
    await call(
      '/api/v1/trips',
      { mode: 'bus', destinationRegionCode: '4305', departsOn: addDays(chinaToday(), 3), capacity: 10, subsidyPerPerson: 180 },
      201,
    )
  ).id;
  await call(`/api/v1/trips/${tripId}/passengers`, { source: 'return_to_work', laborerIds: riders });
  await call(`/api/v1/trips/${tripId}/boarding`, { laborerIds: riders, boarded: true });
  await call(`/api/v1/trips/${tripId}/status`, { status: 'departed' });
});
afterAll(async () => world?.close());

describe('就业直通车: 生成交通补贴', () => {
  it("drafts the riders' transport subsidies into the ledger once", async () => {
    const page = await signIn(world, 'longxipu_operator');
    await page.goto(`${world.baseUrl}/travel`);
    await page.getByTestId(`trip-open-${tripId}`).click();
    const subsidy = page.getByTestId('manifest-subsidy');
    await expect.poll(() => subsidy.textContent()).toContain('应补 360 元，已记入补贴台账 0 人 0 元');

    await page.getByTestId('trip-subsidies').click();
    await page.getByText('已生成交通补贴申请 2 人，共 360 元，待审批').waitFor();
    await expect.poll(() => subsidy.textContent()).toContain('已记入补贴台账 2 人 360 元');

    await page.getByTestId('trip-subsidies').click();
    await page.getByText('没有新生成：已上车人员都已有当天的交通补贴（2 人）').waitFor();
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM subsidy WHERE trip_id = ${tripId} AND kind = 'transport'
      AND status = 'applied'`.execute(world.t.ctx.db);
    expect(rows[0]!.n).toBe(2);
    await page.close();
  });
});
