import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 21 item 5 in the console: a province admin registers a client system of the data exchange,
 * copies its key (shown once), sees when it last read, and revokes it.
 */
let world: BrowserWorld;
const screens = 'var/e2e-screens';

beforeAll(async () => {
  mkdirSync(screens, { recursive: true });
  world = await startBrowserWorld();
});
afterAll(async () => world?.close());

describe('client systems of the data exchange', () => {
  it('a province admin registers a system, its key reads the feed, the last read shows, and revoking stops it', async () => {
    const page = await signIn(world, 'hunan_admin');
    await page.goto(`${world.baseUrl}/exchange`);
    await page.getByTestId('exchange-create').click();
    await page.getByTestId('exchange-name').fill('省人社厅就业信息系统');
    await page.getByTestId('exchange-create-submit').click();
    const authorization = (await page.getByTestId('exchange-authorization').textContent())!.trim();
    expect(authorization).toMatch(/^Bearer lwx_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: `${screens}/exchange-key.png` });
    await page.getByTestId('exchange-secret-saved').click();

    const read = () => world.t.app.inject({ method: 'GET', url: '/api/v1/exchange/changes', headers: { authorization } });
    expect((await read()).statusCode).toBe(200);
    await page.reload();
    const row = page.locator('[data-testid^="exchange-client-"]').filter({ hasText: '省人社厅就业信息系统' });
    await expect.poll(() => row.textContent()).toContain('游标');
    // The secret is not on the page any more.
    expect(await page.content()).not.toContain(authorization.split('.')[1]);

    await row.locator('[data-testid^="exchange-revoke-"]').click();
    const confirm = page.getByTestId('exchange-revoke-confirm');
    await confirm.waitFor();
    await confirm.evaluate((el) =>
      Promise.all(
        el
          .closest('.ant-popover')!
          .getAnimations({ subtree: true })
          .map((a) => a.finished),
      ),
    );
    await confirm.click();
    await expect.poll(() => row.textContent()).toContain('已吊销');
    const refused = await read();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('EXCHANGE_CLIENT_REVOKED');
    await page.close();
  });
});
