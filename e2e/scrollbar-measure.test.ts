import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { withCachedMeasure } from '../web/scrollbar-measure.ts';
import { signIn, startBrowserWorld, type BrowserWorld } from './browser.ts';

/**
 * Issue 18 item 8: rc-table measured the scroll bar of every table it mounted, with an element and a
 * stylesheet added to the page and removed (each a recomputation of the whole page's style before
 * its first paint). The console's build keeps one measure per kind of scroll bar
 * (web/scrollbar-measure.ts): 供需对接, with its two tables, measures once, before they mount.
 */
let world: BrowserWorld;
beforeAll(async () => {
  world = await startBrowserWorld();
});
afterAll(async () => world?.close());

describe('the scroll bar measured once per kind, not once per table', () => {
  it('finds the measure in the installed @rc-component/util', () => {
    const require = createRequire(import.meta.url);
    const file = path.join(path.dirname(require.resolve('@rc-component/util/package.json')), 'es/getScrollBarSize.js');
    const out = withCachedMeasure(readFileSync(file, 'utf8'));
    expect(out).toContain('function measureTargetScrollBarSize(target)');
    expect(out).toContain('export function getTargetScrollBarSize(target)');
  });

  it('供需对接 draws its two tables after one measure', async () => {
    const page = await signIn(world, 'xinshao_admin');
    await page.addInitScript(() => {
      const w = window as unknown as { measures: number[] };
      w.measures = [];
      new MutationObserver((records) => {
        for (const r of records)
          for (const node of r.addedNodes)
            if (node instanceof HTMLElement && node.id.startsWith('rc-scrollbar-measure'))
              w.measures.push(document.querySelectorAll('.ant-table').length);
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${world.baseUrl}/matching`);
    await page.locator('.lw-content h4').first().waitFor();
    await expect.poll(() => page.locator('.lw-content .ant-table').count()).toBeGreaterThanOrEqual(2);
    // One measure, taken before any table was on the page (the old build took one per table, as each mounted).
    expect(await page.evaluate(() => (window as unknown as { measures: number[] }).measures)).toEqual([0]);
    await page.context().close();
  });
});
