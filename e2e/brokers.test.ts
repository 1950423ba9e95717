import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { idCheckChar } from '../server/src/modules/registry/index.ts';
import { signIn as signInAs, startBrowserWorld, type BrowserWorld, pickOption } from './browser.ts';

/** 劳务经纪人: a broker sees their contracted village's job seekers and refers one; the township sees it in the broker table. */
const DAZHU = '430522107212';
let world: BrowserWorld;
let laborerId: string;

const signIn = (username: string) => signInAs(world, username);

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const operator = await t.login('longxipu_operator');
  const { rows } = await sql<{ id: string }>`SELECT id FROM account WHERE username = 'longxipu_broker'`.execute(t.ctx.db);
  const contract = await t.app.inject({
    method: 'POST',
    url: '/api/v1/brokers/contracts',
    headers: { cookie: operator },
    payload: { brokerId: String(rows[0]!.id), villageCodes: [DAZHU], validFrom: '2020-01-01', validTo: '2099-12-31' },
  });
  expect(contract.statusCode, contract.body).toBe(201);
  const body17 = '43052219880808221';
  const card = await t.app.inject({
    method: 'POST',
    url: '/api/v1/laborers',
    headers: { cookie: operator },
    payload: {
      idNumber: body17 + idCheckChar(body17),
      name: '蒋红梅',
      homeVillageCode: DAZHU,
      povertyStatus: 'registered',
      education: '70',
      laborCapacity: 'full',
      health: 'healthy',
      willingness: 'in_county',
      caring: 'none',
      employmentStatus: 'unemployed',
    },
  });
  expect(card.statusCode, card.body).toBe(201);
  laborerId = card.json().id;
  const { rows: emp } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(
    t.ctx.db,
  );
  await sql`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max, valid_from, valid_to)
    VALUES (${emp[0]!.employer_id}, '箱包缝纫工', '6-05-01-03', ${DAZHU}, 5, 2600, 3600, '2020-01-01', '2099-12-31')`.execute(t.ctx.db);
  // A posting in 长沙, beyond what 蒋红梅 wants (县内 only).
  await sql`INSERT INTO posting (employer_id, title, occupation_code, work_region_code, headcount, wage_min, wage_max, valid_from, valid_to)
    VALUES (${emp[0]!.employer_id}, '长沙芙蓉仓储分拣员', '6-05-01-03', '430102', 5, 4000, 5000, '2020-01-01', '2099-12-31')`.execute(
    t.ctx.db,
  );
}, 120_000);
afterAll(async () => world?.close());

describe('a broker refers a job seeker of their village', () => {
  it('sees the village, refers to an open posting, and the township sees the referral in the broker table', async () => {
    const page = await signIn('longxipu_broker');
    await page.getByRole('menuitem', { name: '我的村' }).click();
    await page.waitForURL('**/my-villages');
    expect(await page.getByTestId('my-villages').textContent()).toContain('大竹村');
    await page.getByTestId(`refer-${laborerId}`).click();
    await pickOption(page, page.getByTestId('refer-posting'), '箱包缝纫工');
    await page.getByTestId('refer-submit').click();
    await page.getByText('已推荐蒋红梅').waitFor();
    const { rows } = await sql<{
      channel: string;
      username: string;
    }>`SELECT r.channel, a.username FROM referral r JOIN account a ON a.id = r.created_by
      WHERE r.laborer_id = ${laborerId}`.execute(world.t.ctx.db);
    expect(rows).toEqual([{ channel: 'broker', username: 'longxipu_broker' }]);

    const staff = await signIn('longxipu_operator');
    await staff.getByRole('menuitem', { name: '劳务经纪人' }).click();
    await staff.waitForURL('**/brokers');
    await staff.getByTestId('broker-row-longxipu_broker').waitFor();
    expect(await staff.getByTestId('broker-totals').textContent()).toContain('推荐 1 人');
  });

  it("is warned, as the staff matching screen would refuse, when the posting is beyond the laborer's wish; goes ahead with a reason the staff see", async () => {
    const page = await signIn('longxipu_broker');
    await page.getByRole('menuitem', { name: '我的村' }).click();
    await page.waitForURL('**/my-villages');
    await page.getByTestId(`refer-${laborerId}`).click();
    await pickOption(page, page.getByTestId('refer-posting'), '长沙芙蓉仓储分拣员');
    await page.getByTestId('refer-submit').click();
    const warning = page.getByTestId('refer-condition');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('工作地点超出务工意愿');
    await page.getByTestId('refer-override-reason').fill('本人当面表示愿意去长沙');
    await page.getByTestId('refer-submit').click();
    await page.getByText('已推荐蒋红梅').waitFor();

    const staff = await signIn('longxipu_operator');
    await staff.goto(`${world.baseUrl}/referrals`);
    const tag = staff.getByTestId('referral-override').first();
    await tag.waitFor();
    expect(await tag.textContent()).toBe('未满足：工作地点超出务工意愿');
  });
});
