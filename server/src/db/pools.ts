import type { PoolSettings } from '../config.ts';
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.ts';
import type { Db } from './database.ts';
import { AppError } from '../platform/errors.ts';

/**
 * The application's connections, in budgets that never wait on each other in a circle (issue 14:
 * nine concurrent summaries stopped the server, each holding its transaction's connection while
 * its figures waited for more connections of the same pool).
 *
 * - `requests`: one connection per request at a time. A request that asks for a second one while
 *   it holds one is a bug (it is how the server deadlocked): in the tests (`strict`) it fails at
 *   once with the place in the code; a running server logs it with its stack.
 * - `readers`: read-only work a request fans out in parallel (the statistics' figures). A request
 *   may wait on it while holding its own connection; nothing holding a reader waits on anything.
 * - `background`: the SMS sender and composer, imports, the market's refresh, the audit linker,
 *   the session sweeper — never the requests' budget, so a busy console cannot starve them nor they it.
 * - `health`: one connection for `/api/v1/health`, so it answers while every other budget is taken.
 *
 * Every wait is bounded: acquiring a connection times out (503 DB_BUSY with Retry-After), and the
 * sessions carry statement_timeout and idle_in_transaction_session_timeout.
 */
export type { PoolSettings };

/** What a request's async context carries: how many `requests` connections it holds now. */
interface RequestScope {
  held: number;
}
const requestScope = new AsyncLocalStorage<RequestScope>();

/** Runs `work` as one request: from here on, its async descendants may hold one request connection at a time. */
export function runAsRequest<T>(work: () => T): T {
  return requestScope.run({ held: 0 }, work);
}
/** The request scope of the current async context, to re-enter where a library loses it (body parsing). */
export function currentRequestScope(): RequestScope | undefined {
  return requestScope.getStore();
}
export function enterRequestScope<T>(scope: RequestScope | undefined, work: () => T): T {
  return scope ? requestScope.run(scope, work) : work();
}

export class NestedConnectionError extends Error {}

/**
 * Each request of `app` runs in its own scope, where it may hold one request connection at a time.
 * Registered before any other hook, so every later hook and the handler run inside it; body
 * parsing loses the async context, so the scope is entered again before validation.
 */
export function installRequestScope(app: { addHook: FastifyInstance['addHook'] }) {
  const scopeOf = new WeakMap<object, RequestScope | undefined>();
  app.addHook('onRequest', (request, _reply, done) => {
    runAsRequest(() => {
      scopeOf.set(request, currentRequestScope());
      done();
    });
  });
  app.addHook('preValidation', (request, _reply, done) => enterRequestScope(scopeOf.get(request), done));
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Databases {
  /** Requests' transactions and reads: one connection per request. */
  requests: Db;
  /** A request's parallel read-only figures. */
  readers: Db;
  /** Background work. */
  background: Db;
  /** `/api/v1/health` only. */
  health: pg.Pool;
  /** A connection of its own, outside every budget, for a task that holds one for good (the SMS sender's lock). */
  dedicated(): Db;
  stats(): Record<'requests' | 'readers' | 'background', PoolStats>;
  close(): Promise<void>;
}

const sessionOptions = (statementTimeoutMs: number, idleTxMs: number) =>
  // Dates and times are China Standard Time for users; the database speaks timestamptz.
  `-c timezone=Asia/Shanghai -c statement_timeout=${statementTimeoutMs} -c idle_in_transaction_session_timeout=${idleTxMs}`;

function newPool(
  connectionString: string,
  max: number,
  statementTimeoutMs: number,
  settings: PoolSettings,
  acquireTimeoutMs: number,
  name: string,
) {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: acquireTimeoutMs,
    application_name: `laowu-${name}`,
    options: sessionOptions(statementTimeoutMs, settings.idleInTransactionTimeoutMs),
  });
  // A connection that breaks (the server stopping: 57P01) must never crash the process, idle or checked out.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

// pg-pool's wait for a free connection, or pg's for a new one to be established, ran out.
const isAcquireTimeout = (error: unknown) =>
  error instanceof Error && /timeout exceeded when trying to connect|Connection terminated due to connection timeout/.test(error.message);

/**
 * The pool Kysely sees: acquiring is bounded (503 DB_BUSY), and for `requests`, a second
 * connection asked for by a request that holds one is refused (outside production) or logged.
 */
function guarded(pool: pg.Pool, options: { countRequests: boolean; strict: boolean; log: (message: string) => void }) {
  return {
    async connect() {
      const scope = options.countRequests ? requestScope.getStore() : undefined;
      if (scope && scope.held > 0) {
        const error = new NestedConnectionError(
          'a request asked for a second database connection while holding one (deadlock hazard, issue 14)',
        );
        if (options.strict) throw error;
        options.log(error.stack ?? error.message);
      }
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        if (isAcquireTimeout(error)) throw new AppError('DB_BUSY');
        throw error;
      }
      if (scope) {
        scope.held++;
        const release = client.release;
        let released = false;
        client.release = (err?: Error | boolean) => {
          if (!released) {
            released = true;
            scope.held--;
          }
          return release.call(client, err);
        };
      }
      return client;
    },
    end: () => pool.end(),
  };
}

export function connectPools(
  connectionString: string,
  settings: PoolSettings,
  options: { strict?: boolean; log?: (message: string) => void } = {},
): Databases {
  const strict = options.strict ?? true;
  const log = options.log ?? ((message: string) => console.error(`[laowu] ${message}`));
  const requestsPool = newPool(
    connectionString,
    settings.poolSize,
    settings.statementTimeoutMs,
    settings,
    settings.acquireTimeoutMs,
    'requests',
  );
  const readersPool = newPool(
    connectionString,
    settings.readerPoolSize,
    settings.statementTimeoutMs,
    settings,
    settings.acquireTimeoutMs,
    'readers',
  );
  // Background work may wait longer for its turn than a person would.
  const backgroundPool = newPool(
    connectionString,
    settings.backgroundPoolSize,
    settings.backgroundStatementTimeoutMs,
    settings,
    Math.max(settings.acquireTimeoutMs, 60_000),
    'background',
  );
  const healthPool = newPool(connectionString, 1, 2_000, settings, 1_000, 'health');
  const kysely = (pool: pg.Pool, countRequests: boolean) =>
    new Kysely<Database>({ dialect: new PostgresDialect({ pool: guarded(pool, { countRequests, strict, log }) }) });
  const requests = kysely(requestsPool, true);
  const readers = kysely(readersPool, false);
  const background = kysely(backgroundPool, false);
  const dedicatedPools = new Set<pg.Pool>();
  const statsOf = (p: pg.Pool): PoolStats => ({ total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount });
  return {
    requests,
    readers,
    background,
    health: healthPool,
    dedicated() {
      const pool = newPool(connectionString, 1, 0, settings, 60_000, 'dedicated');
      dedicatedPools.add(pool);
      const db = kysely(pool, false);
      const destroy = db.destroy.bind(db);
      db.destroy = async () => {
        dedicatedPools.delete(pool);
        await destroy();
      };
      return db;
    },
    stats: () => ({ requests: statsOf(requestsPool), readers: statsOf(readersPool), background: statsOf(backgroundPool) }),
    async close() {
      await Promise.all([
        requests.destroy(),
        readers.destroy(),
        background.destroy(),
        healthPool.end(),
        ...[...dedicatedPools].map((p) => p.end()),
      ]);
    },
  };
}
