import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/test/helpers.ts';
import { startBrowserWorld, type BrowserWorld, settledConfirm, pickOption, pickRegionPath } from './browser.ts';

/**
 * Issue 3's browser flow: a county admin signs in, sees their region, creates and disables an
 * account in the console, and is refused a sibling county's data.
 */
let world: BrowserWorld;
let page: Page;
const screens = 'var/e2e-screens';

beforeAll(async () => {
  mkdirSync(screens, { recursive: true });
  world = await startBrowserWorld();
  page = await world.newPage();
});
afterAll(async () => world?.close());

const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);

async function signIn(username: string, password = DEMO_PASSWORD) {
  await page.goto(`${world.baseUrl}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await byTestId('login-submit').click();
}

describe('the console as the 新邵县 admin', () => {
  it('refuses a wrong password with a Chinese message', async () => {
    await signIn('xinshao_admin', 'Wrong-pass1');
    await expect.poll(() => byTestId('login-error').textContent()).toContain('用户名或密码错误');
  });

  it('signs in and always shows the user’s region', async () => {
    await signIn('xinshao_admin');
    await byTestId('current-region').waitFor();
    expect(await byTestId('current-region').textContent()).toContain('湖南省邵阳市新邵县');
    await page.screenshot({ path: `${screens}/home.png` });
  });

  it('every page says where it sits: 工作台 / group / page, from the same menu as the side bar', async () => {
    await byTestId('menu-laborers-confirmation').click();
    await expect.poll(() => byTestId('page-breadcrumb').textContent()).toBe('工作台/劳动力信息/核实进度');
    await byTestId('page-breadcrumb').getByText('工作台').click();
    await expect.poll(() => page.url()).toBe(`${world.baseUrl}/`);
    // The home page has none.
    await expect.poll(() => byTestId('page-breadcrumb').count()).toBe(0);
  });

  it('creates a township operator for 龙溪铺镇 with the region cascader', async () => {
    await byTestId('menu-accounts').click();
    await byTestId('accounts-table').waitFor();
    await byTestId('account-create').click();
    await page.locator('#username').fill('e2e_operator');
    await page.locator('#displayName').fill('端到端测试经办员');
    await page.locator('#password').fill('Jingban#2026');
    await page.locator('#confirm').fill('Jingban#2026');
    await pickOption(page, byTestId('account-role'), '乡镇经办员', { exact: true });
    await byTestId('account-region').click();
    await pickRegionPath(page, ['新邵县', '龙溪铺镇']);
    await page.locator('.ant-modal-title').click();
    await page.screenshot({ path: `${screens}/create-account.png` });
    await byTestId('account-submit').click();
    await byTestId('account-row-e2e_operator').waitFor();
    expect(await byTestId('account-row-e2e_operator').textContent()).toContain('龙溪铺镇');
    const row = await world.t.database.db
      .selectFrom('account')
      .select(['role', 'region_code', 'created_by'])
      .where('username', '=', 'e2e_operator')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'township_operator', region_code: '430522107' });
  });

  it('resets the new account’s password, each opening an empty form', async () => {
    await byTestId('account-row-e2e_operator').locator('[data-testid="account-reset-password"]').click();
    await byTestId('reset-password-new').fill('Xinmima#2027');
    await byTestId('reset-password-confirm').fill('Xinmima#2027');
    await byTestId('reset-password-submit').click();
    await expect.poll(() => byTestId('reset-password-new').count()).toBe(0);
    const login = await world.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'e2e_operator', password: 'Xinmima#2027' },
    });
    expect(login.statusCode, login.body).toBe(200);
    // Opened again, the form holds nothing of the last opening.
    await byTestId('account-row-e2e_operator').locator('[data-testid="account-reset-password"]').click();
    expect(await byTestId('reset-password-new').inputValue()).toBe('');
    await page.getByRole('button', { name: /取\s*消/ }).click();
    await expect.poll(() => byTestId('reset-password-new').count()).toBe(0);
  });

  it('disables the new account, which can then no longer sign in', async () => {
    await byTestId('account-row-e2e_operator').locator('[data-testid="account-disable"]').click();
    await page.locator('.ant-popconfirm .ant-btn-dangerous, .ant-popconfirm .ant-btn-primary').first().click();
    await expect
      .poll(() => byTestId('account-row-e2e_operator').locator('[data-testid="account-status"]').textContent())
      .toContain('已停用');
    await page.screenshot({ path: `${screens}/accounts.png` });
    const attempt = await page.evaluate(async () => {
      const r = await fetch('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'e2e_operator', password: 'Xinmima#2027' }), // the password just reset
      });
      return { status: r.status, body: await r.json() };
    });
    expect(attempt).toMatchObject({ status: 403, body: { code: 'ACCOUNT_DISABLED' } });
  });

  it('is refused a sibling county’s data', async () => {
    // The list never shows 花垣县's accounts …
    const listed = await byTestId('accounts-table').textContent();
    expect(listed).not.toContain('huayuan_admin');
    // … and asking for them directly gets the same answer as for something that does not exist.
    const huayuan = await world.t.database.db
      .selectFrom('account')
      .select('id')
      .where('username', '=', 'huayuan_admin')
      .executeTakeFirstOrThrow();
    const answers = await page.evaluate(async (id) => {
      const one = await fetch(`/api/v1/accounts/${id}`);
      const list = await fetch('/api/v1/accounts?region=433124');
      return { one: { status: one.status, body: await one.json() }, list: { status: list.status, body: await list.json() } };
    }, huayuan.id);
    expect(answers.one).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: '不存在或无权限' } });
    expect(answers.list.status).toBe(403);
    expect(answers.list.body.code).toBe('REGION_OUT_OF_SCOPE');
  });

  it('signs out, and the old session is gone', async () => {
    await byTestId('logout').click();
    await (await settledConfirm(page)).locator('.ant-btn-primary').click();
    await page.waitForURL(/\/login/);
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
  });
});
