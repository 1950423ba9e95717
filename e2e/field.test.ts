import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { BrowserContext, Page } from 'playwright-core';
import { makeId, seekerCard } from '../server/test/fixtures.ts';
import { addDays, chinaToday } from '../server/src/platform/time.ts';
import { DEMO_PASSWORD } from '../server/src/generate/demo-accounts.ts';
import { startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 19 items 1–3 on a phone (390 × 844): the village officer takes the village offline, edits
 * two cards, creates one and records a follow-up with no connection, closes the page and opens it
 * again (the outbox survives), comes back online and syncs; a staff edit of one of the same fields
 * made on the server meanwhile shows as a conflict, and once it is resolved the ledger holds every
 * change once.
 */
const screens = process.env.LAOWU_E2E_SCREENS || 'var/e2e-screens';
let world: BrowserWorld;
let context: BrowserContext;
let officer: string;
let county: string;
const ids: Record<string, string> = {};
const NEW_ID = makeId('43052219950505801');

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: object) =>
  world.t.app.inject({ method, url, headers: { cookie }, payload });
const history = async (id: string) =>
  (await call('GET', `/api/v1/laborers/${id}/history`, county)).json().items as {
    capturedAt: string | null;
    by: { username: string } | null;
    changes: { field: string; after: unknown }[];
  }[];
const shot = (page: Page, name: string) => page.screenshot({ path: `${screens}/field-${name}.png`, fullPage: true });

beforeAll(async () => {
  world = await startBrowserWorld();
  officer = await world.t.login('dazhu_officer');
  county = await world.t.login('xinshao_admin');
  for (const [name, body17] of [
    ['田大山', '43052219800101811'],
    ['田二妹', '43052219820202822'],
    ['田三哥', '43052219840303833'],
  ] as const) {
    const r = await call('POST', '/api/v1/laborers', officer, seekerCard(body17, { name, remark: '原始备注' }));
    expect(r.statusCode, r.body).toBe(201);
    ids[name] = r.json().id;
  }
  // 田三哥 went to work 40 days ago: his first month's follow-up is due.
  const job = await call('POST', '/api/v1/employments', officer, {
    laborerId: ids['田三哥'],
    workplaceName: '新邵县龙溪铺竹木加工厂',
    workRegionCode: '430522107',
    startedOn: addDays(chinaToday(), -40),
    monthlyWage: 2800,
    socialInsurance: false,
    channel: 'self_found',
  });
  expect(job.statusCode, job.body).toBe(201);
  context = await world.browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  mkdirSync(screens, { recursive: true });
}, 180_000);
afterAll(async () => {
  await context?.close();
  await world?.close();
});

async function openCard(page: Page, name: string) {
  await page.getByTestId('field-search').fill(name);
  await page.getByTestId('field-card-row').filter({ hasText: name }).first().click();
  await page.getByTestId('field-card').waitFor();
}

async function edit(page: Page, name: string, fill: (page: Page) => Promise<void>) {
  await openCard(page, name);
  await page.getByTestId('field-edit').click();
  await fill(page);
  await page.getByTestId('field-edit-save').click();
  await page.getByTestId('field-card').waitFor();
  await page.getByTestId('field-back').click();
}

describe('进村入户 on a phone, offline (issue 19 items 1–3)', () => {
  it('takes the village offline, captures with no connection, survives the page closing, syncs, and settles a conflict', async () => {
    let page = await context.newPage();
    await page.goto(`${world.baseUrl}/field`);
    await page.getByTestId('field-username').fill('dazhu_officer');
    await page.getByTestId('field-password').fill(DEMO_PASSWORD);
    await page.getByTestId('field-login').click();
    await page.getByTestId('field-todos').waitFor();
    // The page is kept by its service worker before the officer leaves the signal behind.
    expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => Boolean(r.active)))).toBe(true);
    await page.getByTestId('field-take').click();
    await expect.poll(() => page.getByTestId('field-package-status').textContent()).toContain('3 张信息卡');
    // The workbench's to-dos (online) beside what the phone counts itself.
    await expect.poll(() => page.getByTestId('field-todos').textContent()).toContain('本季度待核实信息卡');
    await shot(page, 'home');

    // In the village: no signal.
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('field-network').textContent()).toBe('离线');
    await edit(page, '田大山', async (p) => {
      await p.getByTestId('field-edit-remark').fill('入户核实：愿去省外务工');
      await p.getByTestId('field-edit-wage').fill('5000');
    });
    await openCard(page, '田二妹');
    await page.getByTestId('field-edit').click();
    await page.getByTestId('field-edit-skills').fill('缝纫、电商直播');
    await shot(page, 'edit');
    await page.getByTestId('field-edit-save').click();
    await page.getByTestId('field-card').waitFor();
    await page.getByTestId('field-back').click();

    // A new card: the ID number is checked on the phone before anything waits.
    await page.getByTestId('field-new').click();
    await page.getByTestId('field-new-id').fill(NEW_ID.slice(0, 17) + (NEW_ID.endsWith('0') ? '1' : '0'));
    await page.getByTestId('field-new-name').fill('田新来');
    await page.getByTestId('field-new-save').click();
    await expect.poll(() => page.getByTestId('field-new-error').textContent()).toBe('身份证号校验位错误');
    await page.getByTestId('field-new-id').fill(NEW_ID);
    await page.getByTestId('field-new-save').click();
    await page.getByTestId('field-card').waitFor();
    await page.getByTestId('field-back').click();

    // The follow-up due for 田三哥.
    await openCard(page, '田三哥');
    await page.getByTestId('field-follow-up').click();
    await page.getByTestId('field-follow-up-problems').fill('宿舍离厂远，想换近一点的');
    await page.getByTestId('field-follow-up-save').click();
    await page.getByTestId('field-card').waitFor();
    await shot(page, 'card');
    await page.getByTestId('field-back').click();
    await expect.poll(() => page.getByTestId('field-outbox-item').count()).toBe(4);
    await shot(page, 'outbox');

    // Meanwhile at the county, a staff edit of one of the same fields.
    const staff = await call('PATCH', `/api/v1/laborers/${ids['田大山']}`, county, { remark: '县里核实：已在本县就业意向' });
    expect(staff.statusCode, staff.body).toBe(200);

    // The page is closed and opened again, still without signal: the outbox is still there.
    await page.close();
    page = await context.newPage();
    await page.goto(`${world.baseUrl}/field`);
    await page.getByTestId('field-outbox').waitFor();
    await expect.poll(() => page.getByTestId('field-outbox-item').count()).toBe(4);
    expect(await page.getByTestId('field-network').textContent()).toBe('离线');

    // Back where there is signal: the outbox goes out.
    await context.setOffline(false);
    await page.getByTestId('field-conflict').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('field-outbox-item').count()).toBe(0);
    const conflict = page.getByTestId('field-conflict-remark');
    expect(await conflict.textContent()).toContain('入户核实：愿去省外务工');
    expect(await conflict.textContent()).toContain('县里核实：已在本县就业意向');
    expect(await conflict.textContent()).toContain('新邵县人社局管理员');
    await shot(page, 'conflict');
    await page.getByTestId('field-keep-mine').click();
    await page.getByTestId('field-resolve').click();
    await expect.poll(() => page.getByTestId('field-conflict').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('field-outbox-item').count()).toBe(0);
    await shot(page, 'synced');

    // The ledger holds every change once, with the time it was captured.
    const dashan = await history(ids['田大山']!);
    const changes = (h: typeof dashan) => h.flatMap((v) => v.changes.map((c) => `${c.field}=${JSON.stringify(c.after)}`));
    expect(changes(dashan).sort()).toEqual(
      ['expected_wage=5000', 'remark="入户核实：愿去省外务工"', 'remark="县里核实：已在本县就业意向"'].sort(),
    );
    expect(dashan.filter((v) => v.by?.username === 'dazhu_officer' && v.changes.length).every((v) => v.capturedAt)).toBe(true);
    const ermei = await history(ids['田二妹']!);
    expect(changes(ermei)).toEqual(['skills=["缝纫","电商直播"]']);
    expect((await call('GET', `/api/v1/laborers/${ids['田大山']}`, officer)).json().remark).toBe('入户核实：愿去省外务工');
    const created = await sql<{
      id: string;
      name: string;
    }>`SELECT id::text, name FROM laborer WHERE id_masked = ${`430522********${NEW_ID.slice(14)}`}`.execute(world.t.ctx.db);
    expect(created.rows.map((r) => r.name)).toEqual(['田新来']);
    const [first] = await history(created.rows[0]!.id);
    expect(first!.capturedAt).not.toBe(null);
    const followUps = await sql<{ status: string; problems: string | null }>`SELECT f.status, f.problems FROM follow_up f
      WHERE f.laborer_id = ${ids['田三哥']} AND f.months = 1`.execute(world.t.ctx.db);
    expect(followUps.rows).toEqual([{ status: 'done', problems: '宿舍离厂远，想换近一点的' }]);
    const entries = await sql<{ n: string }>`SELECT count(*) AS n FROM field_sync_entry`.execute(world.t.ctx.db);
    expect(Number(entries.rows[0]!.n)).toBe(5); // four captured offline, one resolution
    await page.close();
  });
});
