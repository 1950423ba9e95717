import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuiltApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { connect, type DatabaseHandle } from '../src/db/database.ts';
import { connectPools, type Databases } from '../src/db/pools.ts';
import { adminUrlFrom, appUrlOf, createDatabaseFromTemplate, dropDatabase, ensureGeneratedTemplate, testEnv } from './test-database.ts';
import type { GeneratorContext } from '../src/generate/generator.ts';
import { laborersStep } from '../src/generate/laborers.step.ts';
import { Rng } from '../src/generate/random.ts';
import { serviceRecordsStep } from '../src/generate/service-records.step.ts';
import { subsidiesStep } from '../src/generate/subsidies.step.ts';
import { createAuditLog } from '../src/platform/audit.ts';
import { DEMO_PASSWORD } from '../src/generate/demo-accounts.ts';

export { DEMO_PASSWORD };

export interface TestApp extends BuiltApp {
  config: Config;
  /** A plain pool for the test's own queries (outside any request's budget). */
  database: DatabaseHandle;
  /** The app's connection budgets (db/pools.ts). */
  pools: Databases;
  databaseUrl: string;
  /** Sign in and return the Cookie header value. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh database copied from the template (schema, region tree, demo accounts) and an app on it. */
export async function createTestApp(env: NodeJS.ProcessEnv = {}, template = inject('pgTemplate')): Promise<TestApp> {
  const adminUrl = inject('pgAdminUrl');
  const name = `laowu_t_${randomBytes(6).toString('hex')}`;
  await createDatabaseFromTemplate(adminUrl, template, name);
  const databaseUrl = adminUrlFrom(adminUrl, name);
  const config = loadConfig({ ...testEnv(), ...env, DATABASE_URL: databaseUrl });
  const database = connect(databaseUrl);
  // The app connects as the application role, neither superuser nor owner (db/roles.ts); the
  // test's own `database` keeps the owner's rights for setting up and inspecting.
  const pools = connectPools(appUrlOf(databaseUrl), config.db);
  const built = await buildApp(config, pools);
  return {
    ...built,
    config,
    database,
    pools,
    databaseUrl,
    login: (username, password = DEMO_PASSWORD) => login(built.app, username, password),
    async close() {
      await built.app.close();
      await pools.close();
      await database.close();
      await dropDatabase(adminUrl, name);
    },
  };
}

/**
 * An app on a copy of the demo's generated world (test-database.ts: ensureGeneratedTemplate): the
 * laborers, service records and subsidies steps of the demo preset with seed 1, statistics kept by
 * their triggers as for any write.
 */
export async function createGeneratedTestApp(): Promise<TestApp> {
  const adminUrl = inject('pgAdminUrl');
  const template = await ensureGeneratedTemplate(adminUrl, inject('pgTemplate'), async (owner, config) => {
    const context = (name: string) =>
      ({
        preset: 'demo',
        seed: 1,
        rng: new Rng(1).fork(name),
        db: owner.db,
        pool: owner.pool,
        config,
        audit: createAuditLog(config.secrets.auditKey),
        progress: () => {},
      }) as GeneratorContext;
    for (const [name, step] of [
      ['laborers', laborersStep],
      ['service-records', serviceRecordsStep],
      ['subsidies', subsidiesStep],
    ] as const)
      await step.run(context(name));
  });
  return createTestApp({}, template);
}

export async function login(app: FastifyInstance, username: string, password: string): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'laowu_session');
  if (!cookie) throw new Error('no session cookie');
  return `laowu_session=${cookie.value}`;
}

/**
 * Reads until the value is what the test waits for (a message the SMSC received, a row a task
 * wrote): every 50 ms, at most `limitMs`, then fails naming what it waited for.
 */
export async function until<T>(read: () => T | Promise<T>, done: (v: T) => boolean, what = 'the condition', limitMs = 30_000): Promise<T> {
  for (let waited = 0; ; waited += 50) {
    const v = await read();
    if (done(v)) return v;
    if (waited >= limitMs) throw new Error(`waited too long for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
