import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import { styleFunctionRanges, withoutStyleFunctions } from '../web/antd-zero-runtime.ts';

/**
 * Issue 18 item 8: the console's build drops antd's run-time style functions (web/antd-zero-runtime.ts),
 * which never run with the stylesheet (theme.ts `zeroRuntime`). Held here on antd's own style
 * modules as installed: every one still parses and exports what it exported, and no module keeps
 * the style function it passed to a style factory. The browser tests then use the console so built.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const antd = path.join(root, 'node_modules/antd/es');

function styleModules(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) styleModules(full, out);
    else if (entry.endsWith('.js') && path.basename(dir) === 'style' && dir !== path.join(antd, 'style')) out.push(full);
  }
  return out;
}

type Program = Parameters<typeof styleFunctionRanges>[0];
const program = (code: string) => parseAst(code) as unknown as Program;
function exportNames(code: string): string[] {
  const names: string[] = [];
  for (const node of (
    program(code) as unknown as {
      body: {
        type: string;
        declaration?: { declarations?: { id: { name: string } }[]; id?: { name: string } };
        specifiers?: { exported: { name: string } }[];
      }[];
    }
  ).body) {
    if (node.type === 'ExportDefaultDeclaration') names.push('default');
    if (node.type !== 'ExportNamedDeclaration') continue;
    for (const d of node.declaration?.declarations ?? []) names.push(d.id.name);
    if (node.declaration?.id) names.push(node.declaration.id.name);
    for (const s of node.specifiers ?? []) names.push(s.exported.name);
  }
  return names.sort();
}

describe("antd's run-time style functions left out of the console's build", () => {
  it('replaces the style function of every style factory in antd’s style modules and keeps each module’s exports', () => {
    const files = styleModules(antd);
    expect(files.length).toBeGreaterThan(100);
    let replaced = 0;
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      const { code: result, replaced: here } = withoutStyleFunctions(code, program(code));
      replaced += here;
      expect(exportNames(result), file).toEqual(exportNames(code));
      // Nothing left to replace: every factory call now gets the empty style function.
      for (const [start, end] of styleFunctionRanges(program(result))) expect(result.slice(start, end), file).toBe('() => []');
    }
    // 86 factory calls in antd 6.6 (genStyleHooks, genSubStyleComponent, genComponentStyleHook).
    expect(replaced).toBeGreaterThan(80);
  });

  it("keeps a component's token preparation, which registers its CSS variables from the theme", () => {
    const code = readFileSync(path.join(antd, 'button/style/index.js'), 'utf8');
    const [range, ...more] = styleFunctionRanges(program(code));
    expect(more).toEqual([]);
    const { code: result } = withoutStyleFunctions(code, program(code));
    expect(result).toMatch(/genStyleHooks\('Button', \(\) => \[\], prepareComponentToken/);
    expect(code.slice(range![0], range![1])).toMatch(/^token => \{/);
  });
});
