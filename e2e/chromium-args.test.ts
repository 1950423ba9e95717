import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { OMNIBOX_POPUP_FEATURES, PLAYWRIGHT_DISABLED_FEATURES, chromiumLaunchOptions } from '../scripts/ensure-chromium.mjs';

/**
 * The browser tests and benchmarks launch chromium with one `--disable-features` of their own, which
 * replaces playwright's (chromium keeps the last). It must therefore carry every feature playwright
 * turns off, and the per-window preloaded omnibox popup must really be gone: no top-chrome WebUI
 * renderer beside the page's when a context opens a page.
 */
describe('chromium launch options', () => {
  it("repeats every feature playwright-core's own launch turns off", () => {
    const bundle = path.join(path.dirname(createRequire(import.meta.url).resolve('playwright-core/package.json')), 'lib/coreBundle.js');
    const source = readFileSync(bundle, 'utf8');
    const list = /disabledFeatures = \[([\s\S]*?)\]\.filter\(Boolean\)/.exec(source);
    expect(list, 'playwright-core moved its list of disabled features: read it again').not.toBeNull();
    const theirs = [...list![1]!.matchAll(/^\s*"([A-Za-z0-9]+)"/gm)].map((m) => m[1]);
    expect(theirs.length).toBeGreaterThan(5);
    expect(PLAYWRIGHT_DISABLED_FEATURES).toEqual(expect.arrayContaining(theirs));
    const args = chromiumLaunchOptions().args.filter((a) => a.startsWith('--disable-features='));
    expect(args).toHaveLength(1);
    const ours = args[0]!.slice('--disable-features='.length).split(',');
    expect(ours).toEqual(expect.arrayContaining([...theirs, ...OMNIBOX_POPUP_FEATURES]));
  });

  it('opens a page without a preloaded omnibox popup renderer', async () => {
    const browser = await chromium.launch(chromiumLaunchOptions());
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto('data:text/html,<title>x</title>');
      // The browser's own targets (WebUI pages included) as the DevTools protocol lists them.
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { url: string }[] };
      expect(targetInfos.map((t) => t.url)).toContain('data:text/html,<title>x</title>');
      expect(targetInfos.filter((t) => t.url.startsWith('chrome://omnibox-popup'))).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
