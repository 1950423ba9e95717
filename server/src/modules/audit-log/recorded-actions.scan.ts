import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * What the server can write into the audit log, read from its source: every object literal with
 * an `action` and an `entity` (the shape of `audit.record(…)` and `AppError(…).audited(…)`).
 * Actions are written as literals (`action: 'laborer.view'`), ternaries of literals, templates
 * (`subsidy.${action}`), or a parameter the callers fill in (`loadVisible(tx, actor, id,
 * 'laborer.view')`); each is followed to its literals. What cannot be followed (`generate.${step.name}`)
 * comes back with `*` in its place, so a catalogue family has to name it.
 *
 * Only the test uses this: it keeps the Chinese catalogue of actions complete.
 */
export interface RecordedAudit {
  /** Action codes; `*` marks a part the scan could not follow. */
  actions: Map<string, string[]>;
  entities: Map<string, string[]>;
  /** Keys of `details` object literals. */
  detailKeys: Map<string, string[]>;
  /** Objects shaped like an audit entry that are not an argument of `record`/`audited` (presenters, or an entry built apart). */
  notRecorded: Map<string, string[]>;
}

const WILDCARD = '*';

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const propertyName = (p: ts.ObjectLiteralElementLike) =>
  (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))
    ? p.name.text
    : undefined;

function add<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

/** The name a function is called by in its file: `function f`, `const f = (…) =>`, `f(…) {}` in an object. */
function calleeName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && parent) {
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  }
  return undefined;
}

function literalUnion(type: ts.TypeNode | undefined, file: ts.SourceFile): string[] | undefined {
  if (!type) return undefined;
  if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return [type.literal.text];
  if (ts.isUnionTypeNode(type)) {
    const parts = type.types.map((t) => literalUnion(t, file));
    return parts.every((p) => p) ? (parts.flat() as string[]) : undefined;
  }
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const name = type.typeName.text;
    let found: ts.TypeNode | undefined;
    file.forEachChild(function visit(n) {
      if (ts.isTypeAliasDeclaration(n) && n.name.text === name) found = n.type;
      else n.forEachChild(visit);
    });
    return literalUnion(found, file);
  }
  return undefined;
}

function scanFile(file: ts.SourceFile, relative: string, into: RecordedAudit) {
  // Calls of plain functions (`f(…)`) and of methods (`x.f(…)`), kept apart: `record(…)` is not `audit.record(…)`.
  const calls = { plain: new Map<string, ts.CallExpression[]>(), method: new Map<string, ts.CallExpression[]>() };
  file.forEachChild(function index(n) {
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      if (ts.isIdentifier(callee)) add(calls.plain, callee.text, n);
      else if (ts.isPropertyAccessExpression(callee)) add(calls.method, callee.name.text, n);
    }
    n.forEachChild(index);
  });

  /** The declaration `name` refers to at `from`: a parameter of an enclosing function or a variable of an enclosing block. */
  function declarationOf(name: string, from: ts.Node): ts.ParameterDeclaration | ts.VariableDeclaration | undefined {
    for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
      if (ts.isFunctionLike(scope)) {
        const param = scope.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
        if (param) return param;
      }
      if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
        for (const statement of scope.statements) {
          if (!ts.isVariableStatement(statement)) continue;
          const v = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
          if (v) return v;
        }
      }
    }
    return undefined;
  }

  function values(expr: ts.Expression, seen: Set<ts.Node>): string[] {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [expr.text];
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr))
      return values(expr.expression, seen);
    if (ts.isConditionalExpression(expr)) return [...values(expr.whenTrue, seen), ...values(expr.whenFalse, seen)];
    if (ts.isTemplateExpression(expr)) {
      let acc = [expr.head.text];
      for (const span of expr.templateSpans) {
        const parts = values(span.expression, seen);
        acc = acc.flatMap((a) => parts.map((p) => a + p + span.literal.text));
      }
      return acc;
    }
    if (ts.isIdentifier(expr)) {
      const decl = declarationOf(expr.text, expr);
      if (!decl || seen.has(decl)) return [WILDCARD];
      const next = new Set(seen).add(decl);
      if (ts.isVariableDeclaration(decl)) return decl.initializer ? values(decl.initializer, next) : [WILDCARD];
      const declared = literalUnion(decl.type, file);
      if (declared) return declared;
      const fn = decl.parent as ts.SignatureDeclaration;
      const index = fn.parameters.indexOf(decl);
      const name = calleeName(fn);
      const isMethod = ts.isMethodDeclaration(fn) || ts.isPropertyAssignment(fn.parent);
      const sites = name ? ((isMethod ? calls.method : calls.plain).get(name) ?? []) : [];
      const args = sites.map((c) => c.arguments[index]).filter((a): a is ts.Expression => a !== undefined);
      return args.length ? args.flatMap((a) => values(a, next)) : [WILDCARD];
    }
    return [WILDCARD];
  }

  file.forEachChild(function visit(n) {
    // `audit.record(tx, context, entry)` / `error.audited(context, entry)` with an entry the scan cannot read.
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const method = n.expression.name.text;
      const entry = method === 'record' && n.arguments.length === 3 ? n.arguments[2] : method === 'audited' ? n.arguments[1] : undefined;
      if (entry && !ts.isObjectLiteralExpression(entry))
        add(into.notRecorded, 'entry', `${relative}:${file.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
    }
    if (ts.isObjectLiteralExpression(n)) {
      const byName = new Map(n.properties.map((p) => [propertyName(p), p] as const));
      const action = byName.get('action');
      const entity = byName.get('entity');
      if (action && entity && !isAuditArgument(n))
        add(into.notRecorded, 'object', `${relative}:${file.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
      if (action && entity && isAuditArgument(n)) {
        const where = `${relative}:${file.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
        const codesOf = (p: ts.ObjectLiteralElementLike) =>
          ts.isPropertyAssignment(p)
            ? values(p.initializer, new Set())
            : ts.isShorthandPropertyAssignment(p)
              ? values(p.name, new Set())
              : [WILDCARD];
        for (const code of new Set(codesOf(action))) add(into.actions, code, where);
        for (const code of new Set(codesOf(entity))) add(into.entities, code, where);
        const details = byName.get('details');
        const detailObjects: ts.Node[] = [];
        if (details && ts.isPropertyAssignment(details))
          details.initializer.forEachChild(function find(d) {
            if (ts.isObjectLiteralExpression(d)) detailObjects.push(d);
            else if (!ts.isFunctionLike(d)) d.forEachChild(find);
          });
        if (details && ts.isPropertyAssignment(details) && ts.isObjectLiteralExpression(details.initializer))
          detailObjects.push(details.initializer);
        for (const o of new Set(detailObjects)) {
          for (const p of (o as ts.ObjectLiteralExpression).properties) {
            const key = propertyName(p);
            if (key) add(into.detailKeys, key, where);
          }
        }
      }
    }
    n.forEachChild(visit);
  });
}

/** An argument of `….record(…)` or `….audited(…)`: what reaches the audit log. */
function isAuditArgument(n: ts.Node): boolean {
  const call = n.parent;
  return (
    !!call &&
    ts.isCallExpression(call) &&
    call.arguments.includes(n as ts.Expression) &&
    ts.isPropertyAccessExpression(call.expression) &&
    ['record', 'audited'].includes(call.expression.name.text)
  );
}

export function scanRecordedAudit(root: string): RecordedAudit {
  const into: RecordedAudit = { actions: new Map(), entities: new Map(), detailKeys: new Map(), notRecorded: new Map() };
  for (const full of sourceFiles(root)) {
    const text = readFileSync(full, 'utf8');
    if (!/\baction\b/.test(text)) continue;
    const file = ts.createSourceFile(full, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    scanFile(file, path.relative(root, full), into);
  }
  return into;
}
