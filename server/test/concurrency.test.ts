import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';
import { seekerCard } from './fixtures.ts';
import { installRequestScope, NestedConnectionError, runAsRequest } from '../src/db/pools.ts';
import { AppError } from '../src/platform/errors.ts';

/**
 * Issue 14: nine staff opening the statistics at once stopped the whole server. Each summary held
 * its transaction's connection while its figures waited for more connections of the same pool;
 * the recommendations refreshed the market on the pool inside the request's transaction. With a
 * pool of 10, a dozen of either at once left every connection "idle in transaction" for good.
 * Here: more concurrent requests than connections, each must be answered, and health after them.
 */
describe('concurrent use of a 10-connection pool', () => {
  let t: TestApp;
  let county: string;
  let laborerId: string;
  beforeAll(async () => {
    t = await createTestApp({ LAOWU_DB_POOL_SIZE: '10' });
    county = await t.login('xinshao_admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/laborers',
      headers: { cookie: county },
      payload: seekerCard('43052219850101001'),
    });
    expect(created.statusCode).toBe(201);
    laborerId = created.json().id;
  });
  afterAll(async () => t?.close());

  /** An answer, or 'hung' when none came within the bound (the test's own, not a timing assertion). */
  const answered = (url: string) =>
    Promise.race([
      t.app.inject({ method: 'GET', url, headers: { cookie: county } }).then((r) => r.statusCode),
      new Promise<string>((resolve) => setTimeout(() => resolve('hung'), 30_000).unref()),
    ]);

  it('answers 12 summaries and 16 recommendations fired at once, then health', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const requests = [
      ...Array.from({ length: 12 }, () => answered(`/api/v1/stats/summary?region=430522&asOf=${today}`)),
      ...Array.from({ length: 16 }, () => answered(`/api/v1/laborers/${laborerId}/recommendations`)),
    ];
    const statuses = await Promise.all(requests);
    expect(statuses).toEqual(Array(28).fill(200));
    const health = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', database: 'ok' });
  }, 90_000);
});

describe('the one-connection-per-request guard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LAOWU_DB_POOL_SIZE: '2', LAOWU_DB_ACQUIRE_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => t?.close());

  it('refuses a second request connection asked for while one is held, and allows them one after another', async () => {
    const db = t.pools.requests;
    await expect(
      runAsRequest(() => db.transaction().execute(async () => db.selectNoFrom((eb) => eb.val(1).as('one')).execute())),
    ).rejects.toBeInstanceOf(NestedConnectionError);
    await expect(
      runAsRequest(async () => {
        await db.transaction().execute((tx) => tx.selectNoFrom((eb) => eb.val(1).as('one')).execute());
        return db.selectNoFrom((eb) => eb.val(2).as('two')).execute();
      }),
    ).resolves.toEqual([{ two: '2' }]);
    // The readers' budget is another pool: a request may wait on it while it holds its own.
    await expect(
      runAsRequest(() => db.transaction().execute(() => t.pools.readers.selectNoFrom((eb) => eb.val(3).as('three')).execute())),
    ).resolves.toEqual([{ three: '3' }]);
  });

  it('holds in route handlers, also after a JSON body was parsed', async () => {
    const app = Fastify();
    installRequestScope(app);
    const nested = async () =>
      t.pools.requests
        .transaction()
        .execute(async () => t.pools.requests.selectNoFrom((eb) => eb.val(1).as('one')).execute())
        .then(
          () => 'allowed',
          (e) => (e instanceof NestedConnectionError ? 'refused' : String(e)),
        );
    app.get('/nested', nested);
    app.post('/nested', nested);
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/nested' })).body).toBe('refused');
    expect((await app.inject({ method: 'POST', url: '/nested', payload: { a: 1 } })).body).toBe('refused');
    await app.close();
  });

  it('bounds the wait for a connection: 503 DB_BUSY with Retry-After, not a hang', async () => {
    const db = t.pools.requests;
    // Both connections taken for a while; the next request gives up after the acquire timeout.
    const holders = Array.from({ length: 2 }, () =>
      db.transaction().execute(async (tx) => {
        await tx.selectNoFrom((eb) => eb.fn('pg_sleep', [eb.val(3)]).as('slept')).execute();
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    await expect(db.selectNoFrom((eb) => eb.val(1).as('one')).execute()).rejects.toSatisfy(
      (e) => e instanceof AppError && e.code === 'DB_BUSY',
    );
    const cookieLess = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(cookieLess.statusCode).toBe(200);
    await Promise.all(holders);
  });
});
