import pg from 'pg';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

// bigint ids and counts arrive as strings by default; int8 stays a string (ids may exceed 2^53
// nationally), but numeric aggregates are converted where they are read.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value); // keep DATE as 'YYYY-MM-DD'

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Repositories take either the database or a transaction, so the caller owns the transaction. */
export type DbOrTx = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function connect(connectionString: string, options: { max?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    // Dates and times are China Standard Time for users; the database speaks timestamptz.
    options: '-c timezone=Asia/Shanghai',
  });
  // A client losing its connection (the server stopping: 57P01) must not crash the process,
  // whether it sits idle in the pool or is checked out.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    async close() {
      await db.destroy();
      // Kysely ends the pool only if it ran a query itself: a handle used through `pool` alone (the
      // migrations) kept its idle connection open for the pool's idle timeout, and a database dropped
      // WITH (FORCE) meanwhile killed it under the test run (schema-snapshot.test, an uncaught FATAL).
      if (!pool.ending) await pool.end();
    },
  };
}
