// Lists the import circles among the project's own TypeScript files, and the imports from
// server/src/platform into server/src/modules (the platform sits below the domains).
//
//   node scripts/import-circles.mjs [folders…]      (default: server/src web/src contracts)
//
// A circle is a strongly connected group (each member reaches every other through imports);
// one example path is printed for each. It is looked for twice: between files, and between
// modules (a folder of server/src/modules, and each other top folder: server/src/tasks,
// server/src/platform, web/src/pages/<domain>…), where employers → postings → employers is a
// circle even when no single file is on it. Type-only imports count: they tie the files together
// for a reader as much as value imports do. The exit status is 1 when there is a circle or a
// platform → modules import, so the script can be run as a check.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Every module specifier in a file: imports, re-exports, `import('…')` types and calls. */
function specifiers(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      found.push(node.moduleSpecifier.text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
      found.push(node.argument.literal.text);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      ts.isStringLiteral(node.arguments[0] ?? {})
    )
      found.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolve(from, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return null;
}

/** Tarjan's strongly connected components of a graph (Map node → successors), circles only. */
function circlesOf(graph) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const components = [];
  const connect = (v) => {
    state.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v)) {
      if (!state.has(w)) {
        connect(w);
        state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
      } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
    }
    if (state.get(v).low === state.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v).includes(v)) components.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!state.has(v)) connect(v);
  return components.sort((a, b) => b.length - a.length);
}

/** A shortest path from the component's first member back to itself, for the report. */
function examplePath(graph, component) {
  const inside = new Set(component);
  const start = component[0];
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v)) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const route = [start];
        for (let u = v; u !== start; u = previous.get(u)) route.splice(1, 0, u);
        return [...route, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

/** The import graph of the given folders: circles between files and between modules, and platform → modules imports. */
export function analyse(folders = ['server/src', 'web/src', 'contracts']) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  for (const folder of folders) walk(path.resolve(root, folder));
  const known = new Set(files);
  const edges = new Map(files.map((f) => [f, [...new Set(specifiers(f).map((s) => resolve(f, s)))].filter((t) => t && known.has(t))]));
  const rel = (f) => path.relative(root, f);

  /**
   * The module a file belongs to: a folder of server/src/modules or web/src/pages, else the top
   * folder under server/src or web/src (platform, tasks, db, app, api…); a file lying directly in
   * one of those folders (app.ts, context.ts, web/src/pages/LoginPage.tsx) is its own module.
   */
  function moduleOf(file) {
    const parts = rel(file).split(path.sep);
    const depth = parts[0] === 'contracts' ? 1 : parts[2] === 'modules' || parts[2] === 'pages' ? 4 : 3;
    return parts.length > depth ? parts.slice(0, depth).join('/') : parts.join('/');
  }
  const moduleGraph = new Map();
  for (const [from, targets] of edges) {
    // A test reaches into whatever it exercises; the modules' own code is what must not circle.
    if (/\.test\.tsx?$/.test(from)) continue;
    const a = moduleOf(from);
    if (!moduleGraph.has(a)) moduleGraph.set(a, []);
    for (const to of targets) {
      const b = moduleOf(to);
      if (a !== b && !moduleGraph.get(a).includes(b)) moduleGraph.get(a).push(b);
    }
  }
  for (const targets of moduleGraph.values()) for (const b of targets) if (!moduleGraph.has(b)) moduleGraph.set(b, []);

  const fileCircles = circlesOf(edges);
  const mutual = [];
  for (const [a, targets] of moduleGraph) for (const b of targets) if (a < b && moduleGraph.get(b).includes(a)) mutual.push([a, b]);
  const moduleCircles = circlesOf(moduleGraph);

  const platform = path.resolve(root, 'server/src/platform') + path.sep;
  const modules = path.resolve(root, 'server/src/modules') + path.sep;
  const downward = [];
  for (const [from, targets] of edges)
    if (from.startsWith(platform)) for (const to of targets) if (to.startsWith(modules)) downward.push(`${rel(from)} → ${rel(to)}`);

  return { files, edges, rel, moduleOf, moduleGraph, fileCircles, moduleCircles, mutual, downward };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, edges, rel, moduleOf, moduleGraph, fileCircles, moduleCircles, mutual, downward } = analyse(
    process.argv.length > 2 ? process.argv.slice(2) : undefined,
  );
  console.log(`${files.length} files, ${fileCircles.length} import circle(s) between files`);
  for (const component of fileCircles) {
    console.log(`\n  circle of ${component.length} files:`);
    for (const f of component) console.log(`    ${rel(f)}`);
    console.log(`    e.g. ${examplePath(edges, component).map(rel).join(' → ')}`);
  }
  console.log(`\n${moduleGraph.size} modules, ${moduleCircles.length} import circle(s) between modules`);
  for (const component of moduleCircles) {
    console.log(`  ${examplePath(moduleGraph, component).join(' → ')}`);
    if (component.length > 2) console.log(`    (${component.length} modules: ${component.join(', ')})`);
  }
  console.log(`\n${mutual.length} pair(s) of modules that import each other`);
  const firstEdge = (x, y) => {
    for (const [f, targets] of edges)
      if (moduleOf(f) === x && !/\.test\.tsx?$/.test(f)) for (const t of targets) if (moduleOf(t) === y) return `${rel(f)} → ${rel(t)}`;
  };
  for (const [a, b] of mutual) console.log(`  ${a} ↔ ${b}\n    ${firstEdge(a, b)}\n    ${firstEdge(b, a)}`);
  console.log(`\n${downward.length} import(s) from server/src/platform into server/src/modules`);
  for (const line of downward) console.log(`  ${line}`);
  process.exit(fileCircles.length || moduleCircles.length || mutual.length || downward.length ? 1 : 0);
}
