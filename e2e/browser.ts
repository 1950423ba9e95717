import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/generate/demo-accounts.ts';
import { createTestApp, type TestApp } from '../server/test/helpers.ts';
import { chromiumLaunchOptions } from '../scripts/ensure-chromium.mjs';

/**
 * Browser flows: the real console (web/dist, built by `npm test`) served by the real server on a
 * free port, against a fresh copy of the test database, driven in Debian's chromium.
 */
export interface BrowserWorld {
  t: TestApp;
  browser: Browser;
  baseUrl: string;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * One chromium per test worker, shared by the files it runs in turn (Vitest keeps a worker's
 * modules between files): a launch and a close cost 0.5–1.3 s, once for each of 42 browser files
 * before. Each file's pages live in contexts of their own (cookies, storage and cache apart), and
 * a world's close closes every context opened during it. Chromium exits with its worker, even one
 * killed (it reads its commands from a pipe the worker holds), so none is left behind.
 */
let workerBrowser: Promise<Browser> | undefined;
async function sharedBrowser(): Promise<Browser> {
  const running = await workerBrowser?.catch(() => undefined);
  if (running?.isConnected()) return running;
  workerBrowser = chromium.launch(chromiumLaunchOptions());
  return workerBrowser;
}

export async function startBrowserWorld(): Promise<BrowserWorld> {
  const t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (t.app.server.address() as { port: number }).port;
  const browser = await sharedBrowser();
  const before = new Set(browser.contexts());
  return {
    t,
    browser,
    baseUrl: `http://127.0.0.1:${port}`,
    async newPage(viewport = { width: 1366, height: 860 }) {
      const context = await browser.newContext({
        viewport,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        // The console honours the setting by turning antd's motion off, so no click lands on a modal or a
        // dropdown still zooming in (clicks during the animation were lost in the fresh-clone CI).
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      // A flow that stalls in CI says which API call failed underneath it.
      page.on('response', (r) => {
        if (r.url().includes('/api/') && r.status() >= 500) console.error(`[e2e] ${r.request().method()} ${r.url()} → ${r.status()}`);
      });
      page.on('requestfailed', (r) => {
        if (r.url().includes('/api/')) console.error(`[e2e] ${r.method()} ${r.url()} failed: ${r.failure()?.errorText}`);
      });
      return page;
    },
    async close() {
      await Promise.all(
        browser
          .contexts()
          .filter((c) => !before.has(c))
          .map((c) => c.close()),
      );
      await t.close();
    },
  };
}

/**
 * Clicks a modal's OK button once the modal has finished opening, and again if no answer to the
 * request it sends (`matches`) came within 10 s while the modal is still open: a click during the
 * opening zoom can land beside the moving button on a loaded machine (the CI lost a whole flow to
 * one). Resolves with the response.
 */
export async function okAndAnswer(
  page: import('playwright-core').Page,
  modal: import('playwright-core').Locator,
  matches: (r: import('playwright-core').Response) => boolean,
): Promise<import('playwright-core').Response> {
  // (antd puts a modal's data-testid on its root, which has no box of its own: attached, not visible.)
  await modal.waitFor({ state: 'attached' });
  await modal.locator('.ant-modal').waitFor();
  await modal.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
  const answer = page.waitForResponse(matches, { timeout: 60_000 });
  const ok = modal.getByRole('button', { name: '确 定' }).or(modal.getByRole('button', { name: '确定' }));
  for (let attempt = 0; attempt < 3; attempt++) {
    await ok.click();
    const settled = await Promise.race([answer.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    if (settled || !(await ok.isVisible())) break;
  }
  return answer;
}

/**
 * Waits until an antd confirm dialog has finished opening: a click during its opening animation
 * can miss on a loaded machine (the button moves under the pointer).
 */
export async function settledConfirm(page: import('playwright-core').Page) {
  const dialog = page.locator('.ant-modal-confirm');
  await dialog.waitFor();
  await dialog.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
  return dialog;
}

/** A new page signed in as `username` (demo password), waiting for the console's header. */
export async function signIn(world: BrowserWorld, username: string, password = DEMO_PASSWORD): Promise<import('playwright-core').Page> {
  const page = await world.newPage();
  await page.goto(`${world.baseUrl}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-region').waitFor();
  return page;
}

/**
 * Picks a path in an open region cascader (names column by column), once the dropdown has finished
 * opening. Each column loads when its parent is clicked; should the next column still not be there
 * after a while, the parent is clicked once more (a click lost to a re-render on a loaded machine).
 */
export async function pickRegionPath(page: import('playwright-core').Page, names: string[]) {
  // The dropdown slides in: a click during its opening animation can miss (the item moves under the pointer).
  const dropdown = page.locator('.ant-cascader-dropdown:not(.ant-select-dropdown-hidden)').last();
  await dropdown.waitFor();
  await dropdown.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
  for (const [i, name] of names.entries()) {
    const item = page.locator('.ant-cascader-menu-item', { hasText: name }).first();
    await item.waitFor();
    await item.click();
    const next = names[i + 1];
    if (!next) break;
    const nextItem = page.locator('.ant-cascader-menu-item', { hasText: next }).first();
    try {
      await nextItem.waitFor({ timeout: 8000 });
    } catch {
      await item.click();
    }
  }
}

/**
 * Chooses `text` in an antd Select: opens it, waits until the dropdown has finished sliding in (a
 * click during the animation can miss on a loaded machine), clicks the option and checks that the
 * Select now shows it — asking again, at most three times, when the choice did not take.
 */
export async function pickOption(
  page: import('playwright-core').Page,
  select: import('playwright-core').Locator,
  text: string,
  { exact = false }: { exact?: boolean } = {},
) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
    await dropdown.waitFor();
    await dropdown.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
    const option = exact
      ? dropdown.locator(`.ant-select-item-option[title="${text}"]`)
      : dropdown.locator('.ant-select-item-option', { hasText: text }).first();
    await option.click();
    for (let i = 0; i < 30; i++) {
      if ((await select.textContent())?.includes(text)) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`the Select did not take「${text}」`);
}

/** pickOption for the form field `id` (antd's Select puts the id on its inner input), by the option's exact title. */
export const pickFieldOption = (page: import('playwright-core').Page, id: string, title: string) =>
  pickOption(page, page.locator('.ant-select').filter({ has: page.locator(`#${id}`) }), title, { exact: true });

/** Fills an antd DatePicker (the test id sits on its input). */
export async function pickDate(page: import('playwright-core').Page, testId: string, date: string) {
  const input = page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
  await input.click();
  await input.fill(date);
  await input.press('Enter');
  // Under load the picker may not have taken the typed day yet: wait until the input holds it.
  await expect.poll(() => input.inputValue(), { timeout: 10_000 }).toBe(date);
}

/**
 * The CJK radicals (U+2E80–U+2EFF) that stand for simplified characters, to their unified
 * ideographs (Unicode's EquivalentUnifiedIdeograph.txt, the part a Chinese page meets): a CJK font
 * maps a radical and its ideograph to the same glyph, so a PDF's text can name either. The Kangxi
 * radicals (U+2F00–U+2FDF) are NFKC's, but for ⼾, whose glyph the simplified font shares with 户.
 */
const RADICALS: Record<string, string> = Object.fromEntries(
  [
    ...'⺠民⻄西⺟母⻁虎⻅见⻆角⻈讠⻉贝⻋车⻐钅⻓长⻔门⻘青⻙韦⻚页⻛风⻜飞⻝食⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻬齐⻮齿⻰龙⻳龟',
  ].flatMap((c, i, all) => (i % 2 === 0 ? [[c, all[i + 1]!]] : [])),
);

/**
 * What a user gets on paper: the page printed by chromium as it prints for the print dialog (print
 * media, the page sizes the stylesheet asks for), and the PDF's text read back with pdf.js, page by
 * page, each page's text items joined without spaces (CJK text comes out a glyph run at a time).
 */
export async function printedPages(page: import('playwright-core').Page): Promise<string[]> {
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    const text = content.items.map((item) => ('str' in item ? item.str : '')).join('');
    pages.push(text.replace(/[\u2E80-\u2FDF]/g, (c) => RADICALS[c] ?? c.normalize('NFKC')));
  }
  await document.destroy();
  return pages;
}

/**
 * Brings a card that mounts only when scrolled near (web/src/components/WhenNear.tsx) onto the screen:
 * scrolls to its empty place while it has not mounted, then to the card itself.
 */
export async function scrollToCard(page: Page, place: string, card: string): Promise<void> {
  const target = page.getByTestId(card);
  const box = page.getByTestId(place);
  await expect.poll(async () => (await target.count()) + (await box.count()), { timeout: 15_000 }).toBeGreaterThan(0);
  // The place is gone once the card mounts, perhaps while scrolling to it: then the card is there.
  if ((await target.count()) === 0) await box.scrollIntoViewIfNeeded({ timeout: 5_000 }).catch(() => undefined);
  await target.first().scrollIntoViewIfNeeded();
}
