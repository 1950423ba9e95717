import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeId, seekerCard } from '../server/test/fixtures.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * 社保比对核实 (issue 21 item 2) in the console: the county admin uploads a contribution file, reads
 * the run's counts, and rejects a review with a reason in the list's modal.
 */
let world: BrowserWorld;
const screens = 'var/e2e-screens';
const ids = [makeId('43052219920404311'), makeId('43052219920404322')];

beforeAll(async () => {
  mkdirSync(screens, { recursive: true });
  world = await startBrowserWorld();
  const { t } = world;
  const officer = await t.login('dazhu_officer');
  for (const [i, idNumber] of ids.entries()) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: officer },
      payload: { ...seekerCard('00000000000000000', { name: ['社保甲', '社保乙'][i] }), idNumber },
    });
    expect(r.statusCode, r.body).toBe(201);
  }
}, 180_000);
afterAll(async () => world?.close());

describe('社保比对核实', () => {
  it('the county admin uploads the file, reads the counts and rejects a review with a reason', async () => {
    const page = await signIn(world, 'xinshao_admin');
    await page.goto(`${world.baseUrl}/social-insurance`);
    await page.getByTestId('si-upload').waitFor();
    const csv = [
      '证件号码,姓名,单位名称,统一社会信用代码,参保地,缴费月数',
      `${ids[0]},社保甲,邵阳市宏达电子有限公司,,新邵县,3`,
      `${ids[1]},社保乙,邵阳市宏达电子有限公司,,新邵县,3`,
    ].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: '社保缴费.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('si-upload').click();
    await page.getByTestId('si-run').waitFor();
    expect(Number(await page.getByTestId('si-count-suspected').textContent())).toBeGreaterThanOrEqual(2);
    await page.goto(`${world.baseUrl}/social-insurance?outcome=suspected`);
    const row = page.getByTestId('si-reviews').locator('tbody tr.ant-table-row', { hasText: '社保乙' });
    await row.waitFor();
    await page.screenshot({ path: `${screens}/social-insurance.png`, fullPage: true });
    // antd spaces a two-character button's label (驳 回): found by its test id.
    await row.locator('[data-testid^="si-reject-"]').click();
    await page.getByTestId('si-reject-reason').fill('已入户核实，本人在家务农');
    await page.getByTestId('si-decide-ok').click();
    await row.getByText('已驳回').waitFor();
    expect(await row.textContent()).toContain('已入户核实，本人在家务农');
  });
});
