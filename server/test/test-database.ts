import path from 'node:path';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.ts';
import { connect, type DatabaseHandle } from '../src/db/database.ts';
import { migrate, migrationsDigest } from '../src/db/migrate.ts';
import { loadRegions } from '../src/modules/regions/regions.loader.ts';
import { ensureDemoAccounts } from '../src/generate/demo-accounts.ts';
import { createAuditLog } from '../src/platform/audit.ts';
import { loadConfig } from '../src/config.ts';
import { APP_ROLE, ensureAppRole, grantAppRole, withRole } from '../src/db/roles.ts';

/** The application role's password on the test server (a local, throwaway cluster). */
export const TEST_APP_PASSWORD = 'laowu-test-app-role';
/** A test database's URL as the running application connects: the unprivileged application role. */
export const appUrlOf = (url: string) => withRole(url, APP_ROLE, TEST_APP_PASSWORD);

/**
 * Tests run against a real PostgreSQL: the embedded server under var/test (or DATABASE_URL's
 * server when set). A template database holds the migrated schema, the whole region tree and the
 * demo accounts; each test file gets its own copy of it, so files run in parallel and never share rows.
 */
export const TEST_DATA_DIR = path.resolve(process.env.LAOWU_TEST_DATA_DIR || 'var/test');
export const TEST_PG_PORT = Number(process.env.LAOWU_TEST_PG_PORT || 54339);

export function adminUrlFrom(url: string, database = 'postgres') {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function testEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'test', LAOWU_DATA_DIR: TEST_DATA_DIR, DATABASE_URL: '' };
}

export async function startTestServer(): Promise<{ adminUrl: string; server: EmbeddedServer | null }> {
  if (process.env.DATABASE_URL) return { adminUrl: adminUrlFrom(process.env.DATABASE_URL), server: null };
  const server = await startEmbeddedPostgres({
    dataDir: TEST_DATA_DIR,
    port: TEST_PG_PORT,
    settings: { shared_buffers: '256MB', fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200' },
  });
  return { adminUrl: server.connectionString('postgres'), server };
}

/** Rebuilt whenever what it is made from changes: the migrations, the region loader, the demo accounts. */
export function templateName() {
  const hash = createHash('sha256').update(migrationsDigest());
  for (const file of [
    'server/src/db/roles.ts',
    'server/src/modules/regions/regions.loader.ts',
    'server/src/generate/demo-accounts.ts',
    'server/src/generate/demo-employers.ts',
  ])
    hash.update(readFileSync(file));
  return `laowu_tpl_${hash.digest('hex').slice(0, 16)}`;
}

/** Templates named `${prefix}…` other than `keep` (built from earlier sources), dropped. */
async function dropOtherTemplates(admin: pg.Client, prefix: string, keep: string) {
  const stale = await admin.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $2', [prefix, keep]);
  for (const row of stale.rows) {
    await admin.query(`ALTER DATABASE ${row.datname} WITH is_template false`);
    await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  }
}

export async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = templateName();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await ensureAppRole(admin, APP_ROLE, TEST_APP_PASSWORD);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate', [name]);
    if (exists.rowCount) return name;
    // Older templates (from earlier sources) are dropped: one per source state is enough.
    await dropOtherTemplates(admin, 'laowu_tpl_', name);
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const handle = connect(adminUrlFrom(adminUrl, name));
    try {
      await migrate(handle.pool);
      await loadRegions(handle.pool);
      const config = loadConfig(testEnv());
      await ensureDemoAccounts(handle.db, createAuditLog(config.secrets.auditKey));
      await grantAppRole(handle.pool, APP_ROLE);
    } finally {
      await handle.close();
    }
    await admin.query(`ALTER DATABASE ${name} WITH is_template true`);
    return name;
  } finally {
    await admin.end();
  }
}

export async function createDatabaseFromTemplate(adminUrl: string, template: string, name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY = FILE_COPY`);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // A pool's end() returns once it has asked its clients to end, not once their server processes
    // have gone: the test's own connections are given two seconds to go, and FORCE ends what is left
    // (a connection it terminates receives a FATAL message).
    for (let waited = 0; waited < 2000; waited += 50) {
      const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * A template holding the demo's generated world on top of `base` (the plain template): the
 * laborers, service records and subsidies steps with seed 1, the statistics' triggers on — what the
 * statistics', the as-of and the employment-status tests check on. Generating it takes half a
 * minute; the first test file that asks builds it (under an advisory lock, so two workers do not
 * both build), the others copy it. Named by the plain template and the server's sources.
 */
export async function ensureGeneratedTemplate(
  adminUrl: string,
  base: string,
  generate: (owner: DatabaseHandle, config: ReturnType<typeof loadConfig>) => Promise<void>,
): Promise<string> {
  // The steps reach into the modules (encryption, the ledger, the rules): every server source counts.
  const hash = createHash('sha256').update(base);
  for (const file of readdirSync('server/src', { recursive: true, encoding: 'utf8' }).sort())
    if (file.endsWith('.ts') && !file.endsWith('.test.ts')) hash.update(readFileSync(path.join('server/src', file)));
  const name = `laowu_gen_${hash.digest('hex').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock(hashtext('laowu generated template'))");
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate', [name]);
    if (exists.rowCount) return name;
    await dropOtherTemplates(admin, 'laowu_gen_', name);
    // Built under another name and renamed when whole: a build cut short is never copied.
    const building = `${name}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${building} TEMPLATE ${base} STRATEGY = FILE_COPY`);
    const owner = connect(adminUrlFrom(adminUrl, building));
    try {
      await generate(owner, loadConfig(testEnv()));
    } finally {
      await owner.close();
    }
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    await admin.query(`ALTER DATABASE ${name} WITH is_template true`);
    return name;
  } finally {
    await admin.end();
  }
}
