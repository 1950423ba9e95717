import type { Plugin } from 'vite';

/**
 * antd's components take their styles from antd/dist/antd.css (theme.ts: `zeroRuntime`), so the
 * functions that would write each component's styles at run time — the second argument of
 * `genStyleHooks`, `genSubStyleComponent` and `genComponentStyleHook` in antd/es/<component>/style —
 * never run. They were still about a third of antd's code in the console's chunks, and a cold load
 * parses every byte of a chunk before the page can run (the antd chunks were the longest part of the
 * console's first second on this 2-core machine, Chromium's own trace). This plugin replaces each of
 * those functions with one that returns no styles; what they alone used is then dropped by the build.
 * The hooks themselves stay: they still register the component's CSS variables from our theme's
 * tokens (`prepareComponentToken` is kept), and return the class names the stylesheet is written for.
 */
const STYLE_MODULE = /[\\/]node_modules[\\/]antd[\\/]es[\\/].+[\\/]style[\\/][^\\/]+\.js$/;
const STYLE_FACTORIES = new Set(['genStyleHooks', 'genSubStyleComponent', 'genComponentStyleHook']);

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}

/** The style functions passed to the style factories in one module: their source ranges. */
export function styleFunctionRanges(program: Node): [number, number][] {
  const ranges: [number, number][] = [];
  const visit = (node: Node) => {
    if (node.type === 'CallExpression') {
      const callee = node.callee as Node;
      const args = node.arguments as Node[];
      if (callee.type === 'Identifier' && STYLE_FACTORIES.has(callee.name as string) && args.length >= 2) {
        const fn = args[1]!;
        if (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression' || fn.type === 'Identifier') {
          ranges.push([fn.start, fn.end]);
          return;
        }
      }
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const item of value) isNode(item) && visit(item);
      else if (isNode(value)) visit(value);
    }
  };
  visit(program);
  return ranges;
}

/** The module with each of those style functions replaced by one that returns no styles. */
export function withoutStyleFunctions(code: string, program: Node): { code: string; replaced: number } {
  const ranges = styleFunctionRanges(program).sort((a, b) => b[0] - a[0]);
  let out = code;
  for (const [start, end] of ranges) out = `${out.slice(0, start)}() => []${out.slice(end)}`;
  return { code: out, replaced: ranges.length };
}

export function antdZeroRuntime(): Plugin {
  let replaced = 0;
  return {
    name: 'laowu-antd-zero-runtime',
    apply: 'build',
    transform(code, id) {
      if (!STYLE_MODULE.test(id)) return null;
      const result = withoutStyleFunctions(code, this.parse(code) as unknown as Node);
      if (result.replaced === 0) return null;
      replaced += result.replaced;
      // The console is built without source maps (vite.config.ts).
      return { code: result.code, map: null };
    },
    buildEnd() {
      // A new antd that renamed its style factories would silently keep every style function.
      if (replaced === 0) this.error('antd-zero-runtime: no antd style functions found to replace (has antd changed?)');
    },
  };
}
