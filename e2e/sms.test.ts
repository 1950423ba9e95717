import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DAZHU, insertPosting, seekerCard } from '../server/test/fixtures.ts';
import { signIn as signInAs, settledConfirm, startBrowserWorld, type BrowserWorld } from './browser.ts';
import { until as untilWithin } from '../server/test/helpers.ts';

/**
 * Issue 9's "done when": staff compose, preview, get approval and send a campaign in the browser;
 * the local SMSC receives exactly one message per recipient; a laborer signs in on the phone
 * layout with the code the SMSC received, sees the job from the message, and applies.
 */
const PHONES = ['13812340001', '13812340002', '13812340003'];
const PHONE_VIEWPORT = { width: 390, height: 844 };
let world: BrowserWorld;
let postingId: string;

const signIn = (username: string) => signInAs(world, username);
/** A browser flow waits up to a minute. */
const until = <T>(read: () => T | Promise<T>, done: (v: T) => boolean, what: string) => untilWithin(read, done, what, 60_000);

// Sends are not held back by the quiet hours whatever the hour the suite runs at (the rule has its own
// tests); the variable is put back after, as the next test file may run in this same process.
const quietHours = process.env.LAOWU_SMS_QUIET_HOURS;
beforeAll(async () => {
  process.env.LAOWU_SMS_QUIET_HOURS = 'off';
  world = await startBrowserWorld();
  const { t } = world;
  await t.sms.start({ smscPort: 0, sender: { idleMs: 100 } });
  const officer = await t.login('dazhu_officer');
  for (let i = 0; i < PHONES.length; i++) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: seekerCard(`43052219950505${String(i + 1).padStart(3, '0')}`, {
        name: ['吴春花', '吴秋月', '吴冬梅'][i],
        phone: PHONES[i],
        expectedWage: 4000,
      }),
    });
    expect(r.statusCode, r.body).toBe(201);
  }
  const { rows } = await sql<{ employer_id: string }>`SELECT employer_id FROM account WHERE username = 'guohui_employer'`.execute(t.ctx.db);
  postingId = await insertPosting(t.ctx.db, rows[0]!.employer_id, {
    title: '拉杆箱装配工',
    headcount: 20,
    work_region_code: DAZHU,
    wage_min: 5200,
    wage_max: 6500,
    food: true,
    housing: true,
  });
}, 180_000);
afterAll(async () => {
  await world?.close();
  if (quietHours === undefined) delete process.env.LAOWU_SMS_QUIET_HOURS;
  else process.env.LAOWU_SMS_QUIET_HOURS = quietHours;
});

describe('an SMS job push from compose to the laborer’s application', () => {
  let campaignId: string;

  it('a township operator composes with a live preview and submits for approval', async () => {
    const page = await signIn('longxipu_operator');
    await page.getByRole('menuitem', { name: '短信推送' }).click();
    await page.waitForURL('**/sms');
    await page.getByTestId('sms-new').click();
    await page.waitForURL('**/sms/new');
    await page.getByTestId('sms-name').fill('大竹村返岗岗位推送');
    await until(
      () =>
        page
          .getByTestId('sms-preview-count')
          .textContent()
          .catch(() => null),
      (v) => v === '3',
      'the preview count',
    );
    const sample = await page.getByTestId('sms-sample').first().textContent();
    expect(sample).toMatch(/^【湖南人社】吴.{2}：.+月薪\d+-\d+元，http/);
    // The default template bills one segment a message, and the preview says what the campaign bills.
    expect(await page.getByTestId('sms-preview-segments').textContent(), sample ?? '').toBe('1');
    expect(await page.getByTestId('sms-preview-billed').textContent()).toBe('3');
    expect(await page.getByTestId('sms-preview-no-posting').textContent()).toBe('0');
    await page.getByTestId('sms-submit').click();
    await page.waitForURL(/\/sms\/\d+$/);
    campaignId = page.url().split('/').pop()!;
    await until(
      () => page.getByTestId('sms-status').textContent(),
      (s) => s === '待审批',
      'pending approval',
    );
    await page.getByTestId('sms-await-approval').waitFor();
    expect(await page.getByTestId('sms-approve').count()).toBe(0);
    expect(world.t.sms.smsc!.received.length).toBe(0);
  });

  it('a second person approves; the local SMSC receives exactly one message per recipient', async () => {
    const page = await signIn('xinshao_admin');
    await page.goto(`${world.baseUrl}/sms/${campaignId}`);
    await page.getByTestId('sms-approve').click();
    const dialog = await settledConfirm(page);
    await dialog.getByRole('button', { name: '通过并发送' }).click();
    await until(
      () => page.getByTestId('sms-status').textContent(),
      (s) => s === '已完成',
      'the campaign to finish',
    );
    expect(await page.getByTestId('sms-counts').getAttribute('data-delivered')).toBe('3');
    // Creator and approver are named by account, so two accounts sharing a display name are told apart.
    expect(await page.getByTestId('sms-created-by').textContent()).toMatch(/（longxipu_operator）$/);
    expect(await page.getByTestId('sms-decided-by').textContent()).toMatch(/（xinshao_admin）/);
    const received = world.t.sms.smsc!.received;
    expect(received.map((m) => m.to).sort()).toEqual(PHONES);
    expect(new Set(received.map((m) => m.ref)).size).toBe(3);
  });

  it('the laborer signs in on the phone with the code the SMSC received, sees the job from the message, and applies', async () => {
    const smsc = world.t.sms.smsc!;
    const push = smsc.received.find((m) => m.to === PHONES[0])!;
    const link = /\/m\/[0-9a-z]+/.exec(push.text)![0];
    const { rows } = await sql<{
      posting_ids: string[];
    }>`SELECT posting_ids::text[] AS posting_ids FROM sms_message WHERE id = ${push.ref}`.execute(world.t.ctx.db);
    const jobId = rows[0]!.posting_ids[0]!;
    const page = await world.newPage(PHONE_VIEWPORT);
    await page.goto(`${world.baseUrl}${link}`);
    await page.getByTestId('mobile-phone').fill(PHONES[0]!);
    const before = smsc.received.length;
    await page.getByTestId('mobile-get-code').click();
    const otp = await until(
      () => smsc.received.slice(before).find((m) => m.to === PHONES[0] && m.ref?.startsWith('otp-')),
      (m) => Boolean(m),
      'the sign-in code',
    );
    const code = /验证码为(\d{6})/.exec(otp!.text)![1]!;
    await page.getByTestId('mobile-code').fill(code);
    await page.getByTestId('mobile-login').click();
    await page.getByTestId('mobile-card').waitFor();
    expect(await page.getByTestId('mobile-card').textContent()).toContain('吴春花');
    expect(await page.getByTestId('mobile-card').textContent()).toContain('138****0001');
    // Phone layout: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    const job = page.getByTestId(`linked-${jobId}`);
    await job.waitFor();
    await page.getByTestId(`apply-${jobId}`).click();
    await job.getByText('已申请').waitFor();
    const { rows: referral } = await sql<{
      channel: string;
      status: string;
    }>`SELECT channel, status FROM referral r JOIN laborer l ON l.id = r.laborer_id
      WHERE l.name = '吴春花' AND r.posting_id = ${jobId}`.execute(world.t.ctx.db);
    expect(referral).toEqual([{ channel: 'self', status: 'recommended' }]);
    await page
      .getByTestId('mobile-applications')
      .getByText(rows.length ? '已推荐' : '')
      .first()
      .waitFor();
    expect(postingId).toBeTruthy();
  });
});
