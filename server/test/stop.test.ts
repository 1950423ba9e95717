import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { adminUrlFrom, createDatabaseFromTemplate, dropDatabase, testEnv } from './test-database.ts';
import { DEMO_PASSWORD } from '../src/generate/demo-accounts.ts';
import { SENDER_LOCK } from '../src/tasks/sms-sender.ts';
import { until } from './helpers.ts';

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

  /** `npm start` on the test's database, in its own process; `port` resolves once it serves. */
  function startServer() {
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
    const output = { stdout: '', stderr: '' };
    server.stdout.on('data', (d: Buffer) => (output.stdout += d.toString()));
    server.stderr.on('data', (d: Buffer) => (output.stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    const printed = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const look = () => {
          const m = pattern.exec(output.stdout);
          if (m) resolve(m);
          return m;
        };
        if (!look()) server.stdout.on('data', look);
        void exited.then((code) => reject(new Error(`server exited (${code}): ${output.stderr}`)));
      });
    return { server, output, exited, printed };
  }

  it('finishes or refuses what is in flight and exits cleanly', async () => {
    const { server, output, exited, printed } = startServer();
    const port = Number((await printed(/控制台:\s+http:\/\/localhost:(\d+)/))[1]);
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
    expect(output.stderr).not.toMatch(/Unhandled|uncaught|57P01|ERR_/i);
    // Each request was answered — done (200) or refused while stopping (503) — or its connection closed.
    for (const outcome of outcomes) expect([200, 503, 'closed']).toContain(outcome);
    expect(outcomes.filter((o) => o === 200).length).toBeGreaterThan(0);
  }, 120_000);

  // A stop that came while the SMS sender waited for another process's lock (two servers on one
  // database, the other sending) hung for good: the stop closed the lock's pool, which waited for
  // the connection the wait held, and the sender then started on a stopped server.
  it("stops while its SMS sender waits for another process's lock", async () => {
    const other = new pg.Client({ connectionString: adminUrlFrom(adminUrl, name) });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [SENDER_LOCK]);
      const { server, output, exited, printed } = startServer();
      await printed(/SMPP 已绑定/);
      // The start waits for the lock now: it tries every 500 ms on a connection of its own.
      await until(
        async () =>
          (await other.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'laowu-dedicated'`)).rows[0].n,
        (n: number) => n > 0,
        "the sender's lock connection",
      );
      server.kill('SIGTERM');
      const hung = new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000).unref());
      const code = await Promise.race([exited, hung]);
      if (code === 'hung') server.kill('SIGKILL');
      expect(code, output.stdout).toBe(0);
      expect(output.stdout).toContain('已停止');
      expect(output.stdout).not.toContain('强制停止');
      expect(output.stdout).not.toContain('短信网关启动失败');
    } finally {
      await other.end();
    }
  }, 120_000);
});
