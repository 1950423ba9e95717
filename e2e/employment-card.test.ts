import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { creditCode, seekerCard } from '../server/test/fixtures.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { signIn, startBrowserWorld, type BrowserWorld, pickRegionPath, pickDate } from './browser.ts';

/**
 * Issue 16 item 2 in the console: the village officer registers a self-found job from the card
 * page; the card then shows where, for whom, since when and at what wage, and 已就业 — which comes
 * from that record, not from a typed status.
 */
let world: BrowserWorld;
let laborerId: string;
const screens = 'var/e2e-screens';
const startedOn = addDays(chinaToday(), -15);
const code = creditCode('91430522MA4L0E001');

beforeAll(async () => {
  mkdirSync(screens, { recursive: true });
  world = await startBrowserWorld();
  const officer = await world.t.login('dazhu_officer');
  const created = await world.t.app.inject({
    method: 'POST',
    url: '/api/v1/laborers',
    headers: { cookie: officer },
    payload: seekerCard('43052219910909101', { name: '邓自谋' }),
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  laborerId = created.json().id;
});
afterAll(async () => world?.close());

describe('a self-found job registered from the card', () => {
  it('is shown on the card with where, for whom, since when and the wage, and the card says 已就业', async () => {
    const page = await signIn(world, 'dazhu_officer');
    await page.goto(`${world.baseUrl}/laborers/${laborerId}`);
    const section = page.getByTestId('laborer-employments');
    await section.getByText('目前没有在岗的就业记录').waitFor();
    expect(await page.getByTestId('laborer-detail').textContent()).toContain('未就业');

    await page.getByTestId('employment-register').click();
    const form = page.getByTestId('employment-register-form');
    await form.waitFor();
    // 自主就业 is the default channel.
    expect(await form.locator('.ant-radio-button-wrapper-checked').first().textContent()).toBe('自主就业');
    await page.locator('#workplaceName').fill('龙溪铺镇竹编合作社');
    await page.locator('#employerCreditCode').fill(code);
    await page.locator('#workplaceContact').fill('0739-3621234');
    await page.locator('#workRegionCode').click();
    await pickRegionPath(page, ['湖南省', '邵阳市', '新邵县', '龙溪铺镇']);
    await pickDate(page, 'employment-started-on', startedOn);
    await page.locator('#monthlyWage').fill('2800');
    await page.screenshot({ path: `${screens}/employment-register.png` });
    await page.getByTestId('employment-register-submit').click();

    const current = page.getByTestId('employment-current');
    await current.waitFor();
    const text = (await current.textContent()) ?? '';
    expect(text).toContain('龙溪铺镇竹编合作社');
    expect(text).toContain(code);
    expect(text).toContain('龙溪铺镇');
    expect(text).toContain('县内');
    expect(text).toContain(startedOn);
    expect(text).toContain('2,800 元');
    expect(text).toContain('自主就业');
    await expect
      .poll(async () => (await page.getByTestId('laborer-detail').locator('.ant-tag').first().textContent()) ?? '')
      .toBe('已就业');
    await page.screenshot({ path: `${screens}/employment-card.png`, fullPage: true });

    // 更正 opens with the job's own values filled in: only the wage is changed and the reason given.
    await page.getByTestId('employment-correct').click();
    const startedField = page.locator('#startedOn');
    await startedField.waitFor();
    expect(await startedField.inputValue()).toBe(startedOn);
    expect(await page.locator('#monthlyWage').inputValue()).toBe('2800');
    await page.locator('#monthlyWage').fill('3000');
    await page.getByTestId('employment-correct-reason').fill('工资条显示的月工资');
    await page.getByTestId('employment-correct-submit').click();
    await expect.poll(async () => (await current.textContent()) ?? '').toContain('3,000 元');
    expect(await current.textContent()).toContain(startedOn);
    await page.context().close();
  });
});
