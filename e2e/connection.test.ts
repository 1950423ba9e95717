import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEMO_PASSWORD } from '../server/test/helpers.ts';
import { creditCode, insertEmployer, insertPosting, seekerCard } from '../server/test/fixtures.ts';
import { createAccountsService } from '../server/src/modules/accounts/index.ts';
import { chinaToday } from '../server/src/platform/time.ts';
import { signIn as signInAs, startBrowserWorld, type BrowserWorld, okAndAnswer, pickOption } from './browser.ts';

/**
 * Issue 6, done when: a broker logs in, sees only their villages' job seekers, refers one to a
 * posting; the employer marks them interviewed and hired; the broker's table shows the hire; the
 * liaison office in 深圳 sees the new worker. 十八洞村 (花垣县) is the broker's village; the
 * employer is a factory in 深圳市龙岗区, where 花垣县's liaison office serves.
 */
const SHIBADONG = '433124110226';
const TOWNSHIP = '433124110';
let world: BrowserWorld;
let worker: string;
let neighbour: string;

const signIn = (username: string) => signInAs(world, username);

beforeAll(async () => {
  world = await startBrowserWorld();
  const { t } = world;
  const db = t.ctx.db;
  const county = await t.login('huayuan_admin');
  const call = async (method: 'POST', url: string, payload: object, expected = 201) => {
    const response = await t.app.inject({ method, url, headers: { cookie: county }, payload });
    expect(response.statusCode, response.body).toBe(expected);
    return response.json();
  };
  // A broker of 十八洞村's township, contracted for 十八洞村 only.
  const broker = await call('POST', '/api/v1/accounts', {
    username: 'shibadong_broker',
    displayName: '十八洞村就业红娘',
    role: 'broker',
    regionCode: TOWNSHIP,
    password: DEMO_PASSWORD,
  });
  await call('POST', '/api/v1/brokers/contracts', {
    brokerId: broker.id,
    villageCodes: [SHIBADONG],
    validFrom: '2024-01-01',
    validTo: '2099-12-31',
  });
  worker = (
    await call(
      'POST',
      '/api/v1/laborers',
      seekerCard('43312419960315102', {
        name: '龙秀花',
        homeVillageCode: SHIBADONG,
        willingness: 'out_of_province',
        wantedJobTypes: ['电子装配工'],
        expectedWage: 4500,
      }),
    )
  ).id;
  // Someone of another 花垣县 village, outside the broker's contract.
  neighbour = (
    await call(
      'POST',
      '/api/v1/laborers',
      seekerCard('43312419940520203', {
        name: '石光明',
        homeVillageCode: '433124109269',
        willingness: 'out_of_province',
      }),
    )
  ).id;
  // A factory in 深圳 with its own account (employers are registered by the host city's bureau).
  const employerId = await insertEmployer(db, creditCode('91440300MA5G00031'), '深圳龙岗湘西电子厂', '440307', 'designated');
  await insertPosting(db, employerId, {
    title: '电子装配工',
    occupation_code: '6-25-04-07',
    work_region_code: '440307',
    headcount: 10,
    wage_min: 4500,
    wage_max: 6000,
    food: true,
    housing: true,
  });
  await db.transaction().execute((tx) =>
    createAccountsService({ audit: t.ctx.audit }).createSystemAccount(tx, {
      username: 'longgang_factory',
      displayName: '深圳龙岗湘西电子厂',
      role: 'employer',
      regionCode: '440307',
      password: DEMO_PASSWORD,
    }),
  );
  await sql`UPDATE account SET employer_id = ${employerId} WHERE username = 'longgang_factory'`.execute(db);
}, 180_000);
afterAll(async () => world?.close());

describe("from a broker's referral to a worker the liaison office follows", () => {
  it("the broker sees only their village's job seekers and refers one to the 深圳 posting", async () => {
    const page = await signIn('shibadong_broker');
    await page.getByRole('menuitem', { name: '我的村' }).click();
    await page.waitForURL('**/my-villages');
    await page.getByTestId(`refer-${worker}`).waitFor();
    expect(await page.getByTestId('my-villages').textContent()).toContain('十八洞村');
    const seekers = await page.getByTestId('my-laborers').textContent();
    expect(seekers).toContain('龙秀花');
    expect(seekers).not.toContain('石光明');
    expect(await page.getByTestId(`refer-${neighbour}`).count()).toBe(0);
    await page.getByTestId(`refer-${worker}`).click();
    await pickOption(page, page.getByTestId('refer-posting'), '深圳龙岗湘西电子厂');
    await page.getByTestId('refer-submit').click();
    await page.getByText('已推荐龙秀花').waitFor();
  });

  it('the employer marks the applicant interviewed, then hired', async () => {
    const page = await signIn('longgang_factory');
    await page.getByRole('menuitem', { name: '推荐' }).click();
    await page.waitForURL('**/referrals');
    const row = page.getByTestId('referrals-table').locator('tr', { hasText: '龙秀花' });
    await row.waitFor();
    await row.getByTestId('referral-step-interviewed').click();
    const modal = page.getByTestId('referral-step-modal');
    // The step's own form has mounted (its note field) before it is confirmed, and the server's
    // answer to the step is what the row then shows: wait for that answer, not a fixed time.
    await modal.getByTestId('referral-note').waitFor();
    const stepPosted = (r: import('playwright-core').Response) =>
      r.request().method() === 'POST' && /\/api\/v1\/referrals\/\d+\/steps$/.test(r.url());
    const step = await okAndAnswer(page, modal, stepPosted);
    expect(step.status(), await step.text()).toBe(200);
    await expect.poll(() => row.getByTestId('referral-status').textContent(), { timeout: 30_000 }).toContain('面试');
    await row.getByTestId('referral-step-hired').click();
    await page.getByTestId('referral-monthly-wage').waitFor();
    // The hire form opens filled in: started today, at the posting's lowest wage.
    const startedOn = page.locator('input[data-testid="referral-started-on"], [data-testid="referral-started-on"] input').first();
    await expect.poll(() => startedOn.inputValue(), { timeout: 10_000 }).toBe(chinaToday());
    const answer = await okAndAnswer(page, modal, stepPosted);
    expect(answer.status(), await answer.text()).toBeLessThan(300);
    await expect.poll(() => row.getByTestId('referral-status').textContent(), { timeout: 15_000 }).toContain('录用');
    const { rows } = await sql<{ status: string }>`SELECT employment_status AS status FROM laborer WHERE id = ${worker}`.execute(
      world.t.ctx.db,
    );
    expect(rows[0]!.status).toBe('employed');
  }, 180_000); // two steps, each waiting up to 60 s for the server's answer on a loaded machine

  it('the broker table credits the hire to the broker', async () => {
    const page = await signIn('huayuan_admin');
    await page.getByRole('menuitem', { name: '劳务经纪人' }).click();
    await page.waitForURL('**/brokers');
    await page.getByTestId('broker-row-shibadong_broker').waitFor();
    const totals = await page.getByTestId('broker-totals').textContent();
    expect(totals).toContain('推荐 1 人');
    expect(totals).toContain('录用 1 人');
  });

  it('the liaison office in 深圳 sees the new worker', async () => {
    const page = await signIn('huayuan_shenzhen');
    await page.getByRole('menuitem', { name: '驻外服务' }).click();
    await page.waitForURL('**/liaison');
    await page.getByTestId(`worker-row-${worker}`).waitFor();
    expect(await page.getByTestId('workers-table').textContent()).toContain('深圳龙岗湘西电子厂');
    expect(await page.getByTestId(`worker-row-${neighbour}`).count()).toBe(0);
  });
});
