import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { adminUrlFrom, createDatabaseFromTemplate, dropDatabase, testEnv } from './test-database.ts';
import { DEMO_PASSWORD } from '../src/generate/demo-accounts.ts';

/**
 * Issue 14: Ctrl-C on a server under load crashed Node with an unhandled 'error' event (57P01)
 * instead of stopping. Here the server runs as `npm start` runs it (server/src/main.ts, its own
 * process), gets a burst of signed-in requests, and is sent SIGINT while they are in flight: each
 * request is answered (done, or refused with 503) or its connection closed, and the process exits 0
 * with nothing unhandled on stderr.
 */
describe('a stop under load', () => {
  const adminUrl = inject('pgAdminUrl');
  const name = `laowu_t_${randomBytes(6).toString('hex')}`;
  beforeAll(async () => createDatabaseFromTemplate(adminUrl, inject('pgTemplate'), name));
  afterAll(async () => dropDatabase(adminUrl, name));

  it('finishes or refuses what is in flight and exits cleanly', async () => {
    const server = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/src/main.ts')], {
      env: {
        ...testEnv(),
        NODE_ENV: 'development',
        DATABASE_URL: adminUrlFrom(adminUrl, name),
        PORT: '0',
        HOST: '127.0.0.1',
        LAOWU_DEMO: 'false',
        LAOWU_SMPP_PORT: '0',
        LAOWU_DB_POOL_SIZE: '4',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    server.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /控制台:\s+http:\/\/localhost:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void exited.then((code) => reject(new Error(`server exited (${code}): ${stderr}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'xinshao_admin', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = /laowu_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

    // 60 requests on a 4-connection pool, and SIGINT while they are in flight.
    const inFlight = Array.from({ length: 60 }, (_, i) =>
      fetch(`${base}${i % 2 ? `/api/v1/stats/summary?region=430522&asOf=${today}` : '/api/v1/accounts?pageSize=5'}`, {
        headers: { cookie },
      })
        .then((r) => r.status)
        .catch(() => 'closed' as const),
    );
    await new Promise((r) => setTimeout(r, 30));
    server.kill('SIGINT');
    const outcomes = await Promise.all(inFlight);
    const code = await exited;

    expect(code).toBe(0);
    expect(stderr).not.toMatch(/Unhandled|uncaught|57P01|ERR_/i);
    // Each request was answered — done (200) or refused while stopping (503) — or its connection closed.
    for (const outcome of outcomes) expect([200, 503, 'closed']).toContain(outcome);
    expect(outcomes.filter((o) => o === 200).length).toBeGreaterThan(0);
  }, 120_000);
});
