import type { Plugin } from 'vite';

/**
 * rc-table measures the scroll bar of every table it mounts (`getTargetScrollBarSize` in
 * @rc-component/util, called in a layout effect): it appends an element and a `<style>` of its own
 * to the page, reads their size and removes both. The inserted and the removed stylesheet each make
 * the browser recompute the style of the whole page, and the reading forces a layout, all before
 * the page's first paint (126–147 ms of 稳岗服务's main thread, a CPU profile of a cold load). The
 * size depends only on the target's scroll-bar style, so this plugin keeps each style's measure:
 * the first is taken when the module is evaluated, on the still empty page, and a table whose
 * scroll bar is the page's kind (every one in the console) only reads its computed style.
 */
const MODULE = /[\\/]node_modules[\\/]@rc-component[\\/]util[\\/]es[\\/]getScrollBarSize\.js$/;
const EXPORT = 'export function getTargetScrollBarSize(target) {';

export const CACHED_MEASURE = `
const measuredByStyle = new Map();
export function getTargetScrollBarSize(target) {
  if (typeof document === 'undefined' || !target || !(target instanceof Element)) return { width: 0, height: 0 };
  const style = getComputedStyle(target);
  const webkit = getComputedStyle(target, '::-webkit-scrollbar');
  // Chromium ignores ::-webkit-scrollbar where scrollbar-color is set (antd sets it on tables), and an
  // unstyled one reads 'auto': in both cases the bar is the standard one of its scrollbar-width.
  const standard = style.scrollbarColor !== 'auto' || !(parseInt(webkit.width, 10) || parseInt(webkit.height, 10));
  const key = [style.scrollbarWidth, standard ? 'standard' : webkit.width + ' ' + webkit.height].join('|');
  let size = measuredByStyle.get(key);
  if (!size) {
    size = measureTargetScrollBarSize(target);
    measuredByStyle.set(key, size);
  }
  return size;
}
if (typeof document !== 'undefined' && document.body) getTargetScrollBarSize(document.body);
`;

/** The module with its measure kept per scroll-bar style; null when it is not the expected source. */
export function withCachedMeasure(code: string): string | null {
  if (!code.includes(EXPORT)) return null;
  return code.replace(EXPORT, 'function measureTargetScrollBarSize(target) {') + CACHED_MEASURE;
}

export function scrollbarMeasureCache(): Plugin {
  let replaced = false;
  return {
    name: 'laowu-scrollbar-measure-cache',
    apply: 'build',
    transform(code, id) {
      if (!MODULE.test(id)) return null;
      const out = withCachedMeasure(code);
      if (out === null) this.error('scrollbar-measure: getTargetScrollBarSize not found (has @rc-component/util changed?)');
      replaced = true;
      return { code: out, map: null };
    },
    buildEnd() {
      if (!replaced) this.error('scrollbar-measure: @rc-component/util/es/getScrollBarSize.js was not built (has rc-table changed?)');
    },
  };
}
