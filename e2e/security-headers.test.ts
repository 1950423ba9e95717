import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 15 §11: the Content-Security-Policy the server sends (no inline script, no framing) does
 * not break the console nor the API documentation in a real browser: pages render, and chromium
 * reports no violation of the policy.
 */
let world: BrowserWorld;
beforeAll(async () => {
  world = await startBrowserWorld();
});
afterAll(async () => world?.close());

/** Every CSP violation the page reports, from the moment it is watched. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.exposeFunction('__cspViolation', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(t: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return seen;
}

describe('the console and the API docs under the Content-Security-Policy', () => {
  it('signs in and renders the workbench, lists, a form with a QR code and the charts without a violation', async () => {
    const page = await world.newPage();
    const violations = await watchViolations(page);
    const response = await page.goto(`${world.baseUrl}/login`);
    expect(response!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.locator('#username').fill('xinshao_admin');
    await page.locator('#password').fill('Laowu@2026');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-region').waitFor();
    for (const path of ['/accounts', '/laborers', '/dashboards', '/profile']) {
      await page.goto(`${world.baseUrl}${path}`);
      await page.getByTestId('current-region').waitFor();
      await page.waitForLoadState('networkidle');
    }
    await page.getByTestId('totp-setup').click();
    await page.getByTestId('totp-qrcode').waitFor();
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('the API documentation renders its operations', async () => {
    const page = await world.newPage();
    const violations = await watchViolations(page);
    await page.goto(`${world.baseUrl}/api/docs`);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock-summary-path').allTextContents()).toContain('/api/v1/auth/login');
    expect(await page.locator('.info .title').textContent()).toContain('劳务协作脱贫综合信息服务平台');
    expect(violations).toEqual([]);
    await page.context().close();
  });
});
