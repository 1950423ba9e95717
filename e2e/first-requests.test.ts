import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { MENU, canSee } from '../web/src/app/menu.tsx';
import { ME_PATH } from '../contracts/paths.ts';
import { DEMO_ACCOUNTS } from '../server/src/generate/demo-accounts.ts';
import { firstRequestsOf, WHEN_NEAR } from '../web/src/app/first-requests.ts';
import { levelOfCode } from '../web/src/api/labels.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 18 item 8: on a cold load the console asks for the page's first data before its scripts
 * have run (web/src/app/first-requests.ts), and the page takes those answers instead of asking
 * again. The table is a second statement of what each page asks for, so it is held to the pages:
 * the county admin opens every page of its menu, and an account of each other role (the admin of
 * the province too) every page of its menu that the county admin has not opened or whose entry
 * reads its role or level (asks for other URLs than the county admin's, the region code aside). The table's requests must be exactly the
 * page's own — one asked for early that the page does not take is wasted (or, taken later, stale),
 * one the page asks for that the table lacks is the table falling behind the page — and no URL is
 * asked for twice.
 */
let world: BrowserWorld;

beforeAll(async () => {
  world = await startBrowserWorld();
});
afterAll(async () => world?.close());

const COUNTY_ADMIN = 'xinshao_admin';
const ACCOUNTS = [
  COUNTY_ADMIN,
  'hunan_admin',
  'longxipu_operator',
  'dazhu_officer',
  'longxipu_broker',
  'huayuan_shenzhen',
  'guohui_employer',
  'hunan_auditor',
];

function viewerOf(username: string) {
  const account = DEMO_ACCOUNTS.find((a) => a.username === username)!;
  return { role: account.role, region: { code: account.regionCode, level: levelOfCode(account.regionCode)! } };
}

interface Load {
  /** The API requests the page sent (path and query; every one a GET on opening), the session's account left out. */
  sent: string[];
  asked: string[];
  taken: string[];
}

/**
 * Waits until no request of the page has been in flight for 200 ms and its main thread has run
 * (a request an answer's drawing sends is out by then). Playwright's 'networkidle' waits 500 ms
 * after the last, and this test opens about 70 pages.
 */
async function settled(page: Page, inFlight: Set<unknown>, lastChange: () => number) {
  for (;;) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    const quietFor = Date.now() - lastChange();
    if (inFlight.size === 0 && quietFor >= 200) return;
    await new Promise((resolve) => setTimeout(resolve, inFlight.size ? 50 : 200 - quietFor));
  }
}

/** Opens `path` afresh (a new document, as a typed address or a reload) and waits until it is drawn and quiet. */
async function open(page: Page, path: string): Promise<Load> {
  const inFlight = new Set<unknown>();
  let changed = Date.now();
  const started = (r: unknown) => {
    inFlight.add(r);
    changed = Date.now();
  };
  const ended = (r: unknown) => {
    inFlight.delete(r);
    changed = Date.now();
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  await page.goto(`${world.baseUrl}${path}`);
  await page.waitForFunction(
    () => {
      const title = document.querySelector('.lw-content h4, .lw-content .ant-result-title');
      return !!title && !document.querySelector('.lw-content .ant-spin-spinning, .lw-content .ant-skeleton-active');
    },
    undefined,
    { polling: 50 },
  );
  await settled(page, inFlight, () => changed);
  page.off('request', started);
  page.off('requestfinished', ended);
  page.off('requestfailed', ended);
  // What this document asked for (the resource timing of the page just opened, not of the one before it).
  const seen = await page.evaluate(() => {
    const urls = (name: string) => performance.getEntriesByName(name).map((m) => String((m as PerformanceMark).detail));
    const sent = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((r) => r.initiatorType === 'fetch')
      .map((r) => new URL(r.name))
      .filter((u) => u.pathname.startsWith('/api/'))
      .map((u) => u.pathname + u.search);
    return { sent, asked: urls('laowu:early-asked'), taken: urls('laowu:early-taken') };
  });
  const notMe = (u: string) => u !== ME_PATH;
  return { sent: seen.sent.filter(notMe), asked: seen.asked.filter(notMe), taken: seen.taken.filter(notMe) };
}

describe('the first requests of each page, asked for before the console runs', { timeout: 240_000 }, () => {
  it("a county admin's 账号管理: the list is asked for once, early, and drawn from that answer", async () => {
    const page = await signIn(world, 'xinshao_admin');
    const load = await open(page, '/accounts');
    expect(load.asked).toContain('/api/v1/accounts?page=1&pageSize=20');
    expect(load.taken).toContain('/api/v1/accounts?page=1&pageSize=20');
    expect(load.sent.filter((u) => u.startsWith('/api/v1/accounts'))).toEqual(['/api/v1/accounts?page=1&pageSize=20']);
    expect(await page.getByTestId('current-user-name').textContent()).toBe('新邵县人社局管理员');
    expect(await page.locator('.lw-content .ant-table-row').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('with filters in the address only the account is asked for early, and the page loads its filtered list', async () => {
    const page = await signIn(world, 'xinshao_admin');
    const load = await open(page, '/accounts?page=2');
    expect(load.asked).toEqual([]);
    expect(load.sent).toContain('/api/v1/accounts?page=2&pageSize=20');
    await page.context().close();
  });

  for (const username of ACCOUNTS) {
    it(`${username}: every page of the menu takes exactly the requests the table asked for`, async () => {
      const viewer = viewerOf(username);
      const county = viewerOf(COUNTY_ADMIN);
      const own = (v: typeof viewer, path: string) => firstRequestsOf(path, v).map((u) => u.replaceAll(v.region.code, '{region}'));
      const pages = MENU.filter((e) => canSee(e, viewer.role) && !e.path.includes(':')).filter(
        (e) => username === COUNTY_ADMIN || !canSee(e, county.role) || String(own(viewer, e.path)) !== String(own(county, e.path)),
      );
      expect(pages.length).toBeGreaterThan(0);
      const page = await signIn(world, username);
      const drift: string[] = [];
      for (const entry of pages) {
        const load = await open(page, entry.path);
        const twice = load.sent.filter((u, i) => load.sent.indexOf(u) !== i);
        const untaken = load.asked.filter((u) => !load.taken.includes(u));
        const near = WHEN_NEAR[entry.path] ?? [];
        const unlisted = load.sent.filter((u) => !load.asked.includes(u) && !near.includes(u.split('?')[0]!));
        if (twice.length || untaken.length || unlisted.length)
          drift.push(
            `${entry.path}: asked twice ${twice.join(' ')}; asked early, not taken ${untaken.join(' ')}; not in the table ${unlisted.join(' ')}`,
          );
      }
      expect(drift).toEqual([]);
      await page.context().close();
    });
  }
});
