// The walls between the domain modules (issue 17 item 1), counted:
//
//   node scripts/boundaries.mjs            the figures, and every offending line
//   node scripts/boundaries.mjs --json     the same as JSON
//
// 1. Imports into a module from outside it that do not go through its public face
//    (server/src/modules/<domain>/index.ts). Code is counted from server/src, bench/ and e2e/;
//    tests separately: a module's own tests may read its internals, a test of another module may
//    not, except a module's fixtures (*.fixture.ts: worlds it builds for tests), and the shared
//    fixtures of server/test/ may (they build worlds for every module).
// 2. Table references in the modules' SQL (raw `sql` templates and Kysely's builder): for each
//    module, which other domains' tables it reads (FROM/JOIN) and which it writes
//    (INSERT/UPDATE/DELETE/COPY). The owner of each table is listed in OWNERS below; a table of the
//    database type that no one owns fails the script.
// 3. Circles between modules (scripts/import-circles.mjs, type-only imports included, tests left out).
//
// server/test/layers.test.ts keeps (1) at zero, (2)'s writes at zero and (3) at zero.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { analyse } from './import-circles.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modulesDir = path.join(root, 'server/src/modules');
const rel = (f) => path.relative(root, f).split(path.sep).join('/');

/** Which module owns each table: the one whose repository writes it and whose rules define it. */
export const OWNERS = {
  accounts: ['account', 'session', 'login_throttle'],
  agreements: ['cooperation_agreement', 'agreement_commitment'],
  assessment: ['assessment_weights', 'assessment_figures'],
  brokers: ['broker_contract'],
  employers: ['employer'],
  exchange: ['exchange_client', 'exchange_change_pending', 'exchange_change'],
  employment: ['employment', 'employment_correction', 'employment_evidence', 'follow_up', 'reemployment_case'],
  households: [
    'poverty_line',
    'household_dirty',
    'household_delta',
    'household_village_day',
    'household_county_day',
    'household_county_month',
  ],
  field: ['field_sync_entry', 'field_device_key'],
  fairs: ['fair', 'fair_employer', 'fair_posting', 'fair_attendee', 'fair_intention', 'fair_lookup_window'],
  liaison: ['liaison_case'],
  matching: ['match_run'],
  mobile: ['mobile_code', 'mobile_session', 'mobile_login_failure', 'laborer_wish_request'],
  postings: ['posting'],
  'public-welfare': ['public_welfare_post', 'public_welfare_holding', 'public_welfare_attendance'],
  referrals: ['referral', 'referral_step'],
  regions: ['region', 'region_former_name'],
  registry: [
    'laborer',
    'laborer_version',
    'laborer_confirmation',
    'laborer_duplicate_dismissal',
    'laborer_transfer_request',
    'laborer_merged',
    'laborer_import',
    'laborer_import_error',
    'laborer_import_rejected_row',
    'registry_mapping',
    'registry_import_seen',
    'registry_import_missing',
    'registry_import_household',
  ],
  schooling: ['school_enrolment'],
  'service-records': ['service_record'],
  'social-insurance': ['social_insurance_comparison', 'social_insurance_line', 'social_insurance_outcome'],
  sms: ['sms_campaign', 'sms_message', 'sms_receipt', 'sms_number_day', 'sms_opt_out', 'sms_inbound'],
  stats: [
    'stats_laborer_delta',
    'stats_village_day',
    'stats_county_day',
    'stats_rollup',
    'stats_state',
    'stats_target',
    'stats_dirty',
    'stats_pending',
    'stats_change',
  ],
  subsidies: ['subsidy', 'subsidy_payment_batch', 'subsidy_payment_item'],
  teams: ['recruitment_team'],
  travel: ['trip', 'trip_passenger'],
  workshops: ['workshop_standing', 'workshop_standing_criterion', 'base_visit', 'base_visit_check'],
  training: ['training_class', 'training_enrolment'],
  // The platform's own tables (written by platform/audit.ts and db/migrate.ts); audit-log is their reader.
  // bulk_import*: the bulk imports' jobs (platform/import-job.ts; postings and employment bring the rows' rules).
  platform: [
    'audit_log',
    'audit_chain',
    'audit_pending',
    'schema_migration',
    'bulk_import',
    'bulk_import_error',
    'bulk_import_rejected_row',
  ],
};
const ownerOf = new Map(Object.entries(OWNERS).flatMap(([module, tables]) => tables.map((t) => [t, module])));

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function resolve(from, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return null;
}

/** Every module specifier in a file with its line: imports, re-exports, `import('…')` types and calls. */
function specifiers(file) {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found = [];
  const at = (node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      found.push([node.moduleSpecifier.text, at(node)]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
      found.push([node.argument.literal.text, at(node)]);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      ts.isStringLiteral(node.arguments[0] ?? {})
    )
      found.push([node.arguments[0].text, at(node)]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The module a file of server/src/modules belongs to, else null. */
function moduleOf(file) {
  const r = path.relative(modulesDir, file);
  return r.startsWith('..') ? null : r.split(path.sep)[0];
}

const isTest = (file) => /\.test\.tsx?$/.test(file);
/** Worlds a module builds for tests (its own and others'): test code, not the module's code. */
const isFixture = (file) => /\.fixture\.ts$/.test(file);

/** (1) Imports into a module's internals from outside the module. */
export function faceViolations() {
  const files = ['server/src', 'server/test', 'bench', 'e2e'].flatMap((d) => walk(path.join(root, d)));
  const code = [];
  const tests = [];
  const fixtures = [];
  for (const file of files) {
    const from = moduleOf(file);
    for (const [specifier, line] of specifiers(file)) {
      const target = resolve(file, specifier);
      if (!target) continue;
      const to = moduleOf(target);
      if (!to || to === from) continue;
      if (path.basename(target) === 'index.ts' && path.dirname(target) === path.join(modulesDir, to)) continue;
      const entry = `${rel(file)}:${line} → ${rel(target)}`;
      if ((rel(file).startsWith('server/test/') && !isTest(file)) || (isTest(file) && isFixture(target))) fixtures.push(entry);
      else if (isTest(file)) tests.push(entry);
      else code.push(entry);
    }
  }
  return { code, tests, fixtures };
}

/** Comments out, strings and templates kept: SQL lives in the templates. */
function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const READ = [
  /\b(?:from|join)\s+([a-z_][a-z0-9_]*)/gi,
  /\b(?:selectFrom|innerJoin|leftJoin|rightJoin|fullJoin|crossJoin)\(\s*'([a-z_][a-z0-9_]*)/g,
];
const WRITE = [
  /\binsert\s+into\s+([a-z_][a-z0-9_]*)/gi,
  /\bupdate\s+([a-z_][a-z0-9_]*)\s+(?:[a-z_][a-z0-9_]*\s+)?set\b/gi,
  /\bdelete\s+from\s+([a-z_][a-z0-9_]*)/gi,
  /\bcopy\s+([a-z_][a-z0-9_]*)/gi,
  /\b(?:insertInto|updateTable|deleteFrom|mergeInto)\(\s*'([a-z_][a-z0-9_]*)/g,
];

/** (2) Each module's references to tables it does not own, split into reads and writes. */
export function tableReach() {
  const reads = [];
  const writes = [];
  const unowned = new Set();
  for (const file of walk(modulesDir)) {
    if (isTest(file) || isFixture(file)) continue;
    const module = moduleOf(file);
    const text = withoutComments(fs.readFileSync(file, 'utf8'));
    const lineAt = (index) => text.slice(0, index).split('\n').length;
    const writeSpans = new Set();
    for (const pattern of WRITE)
      for (const m of text.matchAll(pattern)) {
        const table = m[1].toLowerCase();
        if (!ownerOf.has(table)) continue;
        writeSpans.add(m.index + m[0].toLowerCase().lastIndexOf(table));
        if (ownerOf.get(table) !== module) writes.push({ module, table, owner: ownerOf.get(table), at: `${rel(file)}:${lineAt(m.index)}` });
      }
    for (const pattern of READ)
      for (const m of text.matchAll(pattern)) {
        const table = m[1].toLowerCase();
        if (!ownerOf.has(table)) continue;
        // `DELETE FROM t` is a write, already counted.
        if (writeSpans.has(m.index + m[0].toLowerCase().lastIndexOf(table))) continue;
        if (ownerOf.get(table) !== module) reads.push({ module, table, owner: ownerOf.get(table), at: `${rel(file)}:${lineAt(m.index)}` });
      }
  }
  const schema = fs.readFileSync(path.join(root, 'server/src/db/schema.generated.ts'), 'utf8');
  const database = schema.slice(schema.indexOf('export interface DB'));
  for (const m of database.matchAll(/^\s+([a-z_][a-z0-9_]*): [A-Z]/gm)) if (!ownerOf.has(m[1])) unowned.add(m[1]);
  return { reads, writes, unowned: [...unowned] };
}

/** (3) Circles between server modules (code only, not tests). */
export function moduleCircles() {
  const graph = analyse(['server/src']);
  return graph.moduleCircles.map((c) => c.join(' ↔ '));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const faces = faceViolations();
  const reach = tableReach();
  const circles = moduleCircles();
  const pairs = (list) => [...new Set(list.map((r) => `${r.module} → ${r.table} (${r.owner})`))].sort();
  const result = {
    'cross-module imports outside public faces (code)': faces.code.length,
    'cross-module imports outside public faces (tests of another module)': faces.tests.length,
    'imports of fixtures (server/test/, *.fixture.ts), allowed': faces.fixtures.length,
    "queries of other domains' tables (references)": reach.reads.length,
    "queries of other domains' tables (module → table pairs)": pairs(reach.reads).length,
    "writes into other domains' tables (references)": reach.writes.length,
    'circles between server modules': circles.length,
  };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ result, faces, reads: reach.reads, writes: reach.writes, circles, unowned: reach.unowned }, null, 2));
  } else {
    const section = (title, lines) => {
      console.log(`\n${title}: ${lines.length}`);
      for (const line of lines) console.log(`  ${line}`);
    };
    section('imports into another module past its index.ts (code)', faces.code);
    section('imports into another module past its index.ts (tests of another module)', faces.tests);
    section(
      "writes into another domain's table",
      reach.writes.map((r) => `${r.at}  ${r.module} → ${r.table} (${r.owner})`),
    );
    section("reads of another domain's table, by pair", pairs(reach.reads));
    section('circles between server modules', circles);
    if (reach.unowned.length) section('tables with no owner in OWNERS (scripts/boundaries.mjs)', reach.unowned);
    console.log('');
    for (const [name, value] of Object.entries(result)) console.log(`${String(value).padStart(5)}  ${name}`);
  }
  process.exit(reach.unowned.length ? 1 : 0);
}
