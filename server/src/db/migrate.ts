import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/**
 * SQL migrations: files in ./migrations named NNNN_name.sql, applied in order, each in its own
 * transaction, under an advisory lock so two starting processes never race. Applied files are
 * frozen: a changed checksum stops the start with a clear message.
 */
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const LOCK_KEY = 7_427_331_001;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), 'utf8');
      return { name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** A digest of all migrations: test templates are rebuilt when it changes. */
export function migrationsDigest(dir = MIGRATIONS_DIR): string {
  const hash = createHash('sha256');
  for (const m of readMigrations(dir)) hash.update(m.name).update(m.checksum);
  return hash.digest('hex').slice(0, 16);
}

export async function migrate(pool: pg.Pool, onApply?: (name: string) => void): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migration (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map<string, string>(
      (await client.query('SELECT name, checksum FROM schema_migration')).rows.map((r) => [r.name, r.checksum]),
    );
    for (const migration of readMigrations()) {
      const previous = done.get(migration.name);
      if (previous !== undefined) {
        if (previous !== migration.checksum) {
          throw new Error(`migration ${migration.name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      onApply?.(migration.name);
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migration (name, checksum) VALUES ($1, $2)', [migration.name, migration.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`);
      }
      applied.push(migration.name);
    }
    // Migrations that rewrite tables (0029 recomputed 900 k rows' villages, 0037 rebuilt the
    // statistics) leave the planner's statistics stale until autovacuum comes round; the first
    // requests after an upgrade would be planned on them. ANALYZE samples each table: seconds.
    if (applied.length) await client.query('ANALYZE');
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
