import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import http from 'node:http';
import autocannon, { type Request as CannonRequest } from 'autocannon';
import { sql } from 'kysely';
import { connect } from '../server/src/db/database.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { connectPools } from '../server/src/db/pools.ts';
import { createAuditLog } from '../server/src/platform/audit.ts';
import { hmacSm3 } from '../server/src/platform/crypto.ts';
import { DEMO_PASSWORD } from '../server/src/generate/demo-accounts.ts';
import { ensureDatabase, percentile, spawnServer, urlFor, type Benchmark, type Figure } from './harness.ts';

/**
 * Issue 14: the platform under many users at once, on the province preset (1.5 M cards), through
 * the real server (`server/src/main.ts` in a child process, as `npm start` runs it, with the
 * default 10-connection request pool) and real signed-in sessions of several roles. autocannon
 * drives a read mix — register list, card, statistics summary for a county and for the province,
 * recommendations, retention list, follow-ups due — at 50 and then 200 concurrent connections, and
 * a write mix (village officers changing their villages' cards) at 20, then both at once (the read
 * mix at 200 while the officers write: the statistics' kept answers are computed again after every
 * write to what they read, so this is the mix that does not flatter them). Throughout, a probe asks
 * `/api/v1/health` every 100 ms and the server's RSS is sampled. After the writes: every
 * acknowledged write is in the ledger, and the audit chain verifies with nothing left pending.
 *
 * The audit's cost per request under 200 concurrent callers: one transaction writing one audit row
 * now (append + pending marker, no lock) against the chain lock the platform used before (advisory
 * lock, read the last hash, insert), measured in the same run on a scratch copy of the table.
 */
const PROVINCE_DB = process.env.BENCH_LOAD_DB || process.env.BENCH_STATS_DB || 'laowu_bench_province';
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS || 20);

interface Endpoint {
  name: string;
  session: string;
  paths: string[];
}

interface Sample {
  times: number[];
  statuses: Map<number, number>;
}

export const loadBenchmark: Benchmark = {
  name: 'load',
  async run({ config, adminUrl, log }) {
    await ensureDatabase(adminUrl, PROVINCE_DB);
    const url = urlFor(adminUrl, PROVINCE_DB);
    const handle = connect(url, { max: 4 });
    const figures: Figure[] = [];
    let server: ChildProcess | null = null;
    try {
      await migrate(handle.pool);
      const { rows: have } = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer`.execute(handle.db);
      if (Number(have[0]!.n) < 1_000_000) {
        log('load: the province database is not generated; run the registry benchmark first');
        return figures;
      }
      const { rows: cards } = await sql<{
        id: string;
      }>`SELECT id FROM laborer WHERE home_village_code >= '430522' AND home_village_code < '430522~' AND deleted_at IS NULL ORDER BY id LIMIT 2000`.execute(
        handle.db,
      );
      const cardIds = cards.map((r) => r.id);
      // 20 village officers of 新邵县, each with the cards of their own village.
      const { rows: officers } = await sql<{ username: string; region_code: string }>`SELECT a.username, a.region_code FROM account a
        WHERE a.role = 'village_officer' AND a.region_code >= '430522' AND a.region_code < '430522~' AND a.username LIKE 'vo\\_%'
          AND (SELECT count(*) FROM laborer l WHERE l.home_village_code = a.region_code AND l.deleted_at IS NULL) >= 50
        ORDER BY a.region_code LIMIT 20`.execute(handle.db);
      const officerCards = new Map<string, string[]>();
      for (const o of officers) {
        const { rows } = await sql<{
          id: string;
        }>`SELECT id FROM laborer WHERE home_village_code = ${o.region_code} AND deleted_at IS NULL ORDER BY id LIMIT 200`.execute(
          handle.db,
        );
        officerCards.set(
          o.username,
          rows.map((r) => r.id),
        );
      }

      // The server, as `npm start` runs it, on the province database.
      const loadBefore = loadavg()[0]!;
      const started = performance.now();
      const spawned = await spawnServer(url, config.dataDir);
      server = spawned.server;
      const serverErrors = spawned.errors;
      const port = spawned.port;
      log(`load: server up on ${port} in ${((performance.now() - started) / 1000).toFixed(1)} s (pid ${server.pid})`);
      const base = `http://127.0.0.1:${port}`;
      const login = async (username: string) => {
        const r = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: DEMO_PASSWORD }),
        });
        if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
        return /laowu_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')![0];
      };
      const province = await login('hunan_admin');
      const county = await login('xinshao_admin');
      const township = await login('longxipu_operator');
      // The market loads once (≈ 8 s at province scale) before the first recommendation: not part of the load.
      const warm = await fetch(`${base}/api/v1/laborers/${cardIds[0]}/recommendations`, { headers: { cookie: county } });
      if (warm.status !== 200) throw new Error(`warm-up recommendations: ${warm.status} ${await warm.text()}`);

      const dates = ['2026-11-20', '2017-06-30', '2019-12-31', '2022-06-30', '2024-03-31', '2025-09-30'];
      const endpoints: Endpoint[] = [
        {
          name: 'register list (county, page of 20)',
          session: county,
          paths: Array.from({ length: 50 }, (_, i) => `/api/v1/laborers?region=430522&page=${i + 1}&pageSize=20`),
        },
        { name: 'card', session: county, paths: cardIds.map((id) => `/api/v1/laborers/${id}`) },
        { name: 'summary, county', session: county, paths: dates.map((d) => `/api/v1/stats/summary?region=430522&asOf=${d}`) },
        { name: 'summary, province', session: province, paths: dates.map((d) => `/api/v1/stats/summary?region=43&asOf=${d}`) },
        // The statistics page asks for the household figures beside the summary (issue 20, migration 0062).
        {
          name: 'household figures, province',
          session: province,
          paths: dates.map((d) => `/api/v1/households/figures?region=43&asOf=${d}`),
        },
        { name: 'recommendations', session: county, paths: cardIds.map((id) => `/api/v1/laborers/${id}/recommendations`) },
        {
          name: 'retention list (county)',
          session: county,
          paths: Array.from({ length: 20 }, (_, i) => `/api/v1/lists/retention?region=430522&page=${i + 1}&pageSize=20`),
        },
        {
          name: 'follow-ups due (township)',
          session: township,
          paths: Array.from({ length: 10 }, (_, i) => `/api/v1/follow-ups?status=due&page=${i + 1}&pageSize=20`),
        },
      ];

      // Health every 100 ms and the server's RSS, throughout.
      const probe = startProbe(base, server.pid!);
      const loads: number[] = [];
      const loadTimer = setInterval(() => loads.push(loadavg()[0]!), 1000);

      const endpointFigures = (label: string, samples: Sample[]) => {
        for (const [i, e] of endpoints.entries()) {
          const s = samples[i]!;
          const errors = [...s.statuses].filter(([code]) => code < 200 || code >= 300).reduce((n, [, c]) => n + c, 0);
          const p95 = percentile(s.times, 95);
          figures.push({
            figure: `${label}: ${e.name} p95`,
            value: p95,
            unit: 'ms',
            goal: '< 1000 ms',
            met: p95 < 1000 && errors === 0,
            notes: `${(s.times.length / SECONDS).toFixed(1)} req/s, p50 ${percentile(s.times, 50).toFixed(0)} ms, p99 ${percentile(s.times, 99).toFixed(0)} ms, errors ${errors}${
              errors
                ? ` (${[...s.statuses]
                    .filter(([c]) => c >= 300 || c < 200)
                    .map(([c, n]) => `${c}×${n}`)
                    .join(', ')})`
                : ''
            }`,
          });
        }
        const total = samples.reduce((n, s) => n + s.times.length, 0);
        const errorsAll = samples.reduce(
          (n, s) => n + [...s.statuses].filter(([c]) => c < 200 || c >= 300).reduce((m, [, c]) => m + c, 0),
          0,
        );
        const hangs = samples.reduce((n, s) => n + (s.statuses.get(0) ?? 0), 0);
        figures.push({
          figure: `${label}: the read mix (${endpoints.length} endpoints, ${SECONDS} s)`,
          value: total / SECONDS,
          unit: 'req/s',
          goal: '0 errors, 0 hangs',
          met: errorsAll === 0 && hangs === 0,
          notes: `${total} requests, errors ${errorsAll}, hangs (no answer in 10 s) ${hangs}`,
        });
      };
      const healthFigure = (label: string, health: ReturnType<typeof probe.mark>) =>
        figures.push({
          figure: `${label}: /api/v1/health max (every 100 ms)`,
          value: health.max,
          unit: 'ms',
          goal: '< 1000 ms',
          met: health.max < 1000 && health.failed === 0,
          notes: `p50 ${health.p50.toFixed(1)} ms, p99 ${health.p99.toFixed(1)} ms, ${health.count} probes, failed ${health.failed}; server RSS peak ${health.rssPeakMb.toFixed(0)} MB`,
        });
      const readMix = (connections: number) =>
        Promise.all(
          endpoints.map((e) => drive(base, e.session, e.paths, Math.max(1, Math.round(connections / endpoints.length)), SECONDS)),
        );

      for (const connections of [50, 200]) {
        probe.mark();
        const samples = await readMix(connections);
        const health = probe.mark();
        endpointFigures(`load ${connections} connections`, samples);
        healthFigure(`load ${connections} connections`, health);
      }

      // The write mix: 20 village officers at once, each changing cards of their own village.
      const officerSessions = await Promise.all(
        officers.map(async (o) => ({ cookie: await login(o.username), cards: officerCards.get(o.username)! })),
      );
      probe.mark();
      const acknowledged: { id: string; version: number; wage: number }[] = [];
      const writes = await driveWrites(base, officerSessions, SECONDS, acknowledged);
      const health = probe.mark();
      const writeErrors = [...writes.statuses].filter(([c]) => c < 200 || c >= 300).reduce((n, [, c]) => n + c, 0);
      figures.push({
        figure: `load 20 connections: card changes by 20 village officers p95`,
        value: percentile(writes.times, 95),
        unit: 'ms',
        goal: '< 1000 ms',
        met: percentile(writes.times, 95) < 1000 && writeErrors === 0,
        notes: `${(writes.times.length / SECONDS).toFixed(1)} writes/s, p50 ${percentile(writes.times, 50).toFixed(0)} ms, p99 ${percentile(writes.times, 99).toFixed(0)} ms, errors ${writeErrors}; health max ${health.max.toFixed(0)} ms`,
      });
      // The read mix at 200 while the 20 officers write: each write changes what its county's and
      // the province's statistics read, so their kept answers are computed again (issue 14).
      probe.mark();
      const [mixedReads, mixedWrites] = await Promise.all([readMix(200), driveWrites(base, officerSessions, SECONDS, acknowledged)]);
      const mixedHealth = probe.mark();
      endpointFigures('load 200 readers while 20 officers write', mixedReads);
      const mixedWriteErrors = [...mixedWrites.statuses].filter(([c]) => c < 200 || c >= 300).reduce((n, [, c]) => n + c, 0);
      figures.push({
        figure: 'load 200 readers while 20 officers write: card changes p95',
        value: percentile(mixedWrites.times, 95),
        unit: 'ms',
        goal: '< 1000 ms',
        met: percentile(mixedWrites.times, 95) < 1000 && mixedWriteErrors === 0,
        notes: `${(mixedWrites.times.length / SECONDS).toFixed(1)} writes/s, p50 ${percentile(mixedWrites.times, 50).toFixed(0)} ms, p99 ${percentile(mixedWrites.times, 99).toFixed(0)} ms, errors ${mixedWriteErrors}`,
      });
      healthFigure('load 200 readers while 20 officers write', mixedHealth);
      clearInterval(loadTimer);
      const rssPeak = probe.stop().rssPeakMb;

      // Every acknowledged write is in the ledger, with what was written.
      let missing = 0;
      for (let i = 0; i < acknowledged.length; i += 1000) {
        const chunk = acknowledged.slice(i, i + 1000);
        const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer_version v
          JOIN unnest(${chunk.map((a) => a.id)}::bigint[], ${chunk.map((a) => a.version)}::int[], ${chunk.map((a) => a.wage)}::int[]) AS a(id, version, wage)
            ON v.laborer_id = a.id AND v.version = a.version AND v.expected_wage = a.wage`.execute(handle.db);
        missing += chunk.length - Number(rows[0]!.n);
      }
      figures.push({
        figure: 'load: acknowledged writes found in the ledger with their values',
        value: acknowledged.length - missing,
        unit: 'writes',
        goal: `all ${acknowledged.length}`,
        met: missing === 0 && acknowledged.length > 0,
      });

      // Stop the server as Ctrl-C does, then check that it stopped cleanly and the chain verifies.
      const exit = await stopServer(server);
      server = null;
      const audit = createAuditLog(config.secrets.auditKey);
      const t0 = performance.now();
      const verify = await audit.verify(handle.db);
      figures.push({
        figure: 'load: audit chain after the load (linked rows checked, pending after the stop)',
        value: verify.checked,
        unit: 'rows',
        goal: 'chain intact',
        met: verify.ok,
        notes: `${verify.ok ? 'intact' : `broken at ${verify.firstBrokenId}: ${verify.reason}`}; pending ${verify.pending}; verified in ${((performance.now() - t0) / 1000).toFixed(1)} s; server stop: ${exit}`,
      });
      figures.push({ figure: 'load: server RSS peak during the load', value: rssPeak, unit: 'MB' });
      const during = loads.length ? Math.max(...loads) : 0;
      figures.push({
        figure: 'load: load average (1 min) before / highest during',
        value: during,
        unit: '',
        notes: `before ${loadBefore.toFixed(2)}, highest during ${during.toFixed(2)} (2 cores; the bench driver, the server and PostgreSQL share them)`,
      });
      if (serverErrors.length) log(`load: server stderr: ${serverErrors.join('').slice(-3000)}`);

      figures.push(...(await auditCost(url, config.secrets.auditKey, log)));
      return figures;
    } finally {
      if (server) await stopServer(server).catch(() => undefined);
      await handle.close();
    }
  },
};

/** One autocannon run over `paths` in turn, collecting every response's time and status. */
function drive(base: string, cookie: string, paths: string[], connections: number, seconds: number): Promise<Sample> {
  const sample: Sample = { times: [], statuses: new Map() };
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        timeout: 10,
        headers: { cookie },
        requests: [{ method: 'GET', setupRequest: (req: CannonRequest) => ({ ...req, path: paths[next++ % paths.length]! }) }],
      },
      (error: Error | null) => (error ? reject(error) : resolve(sample)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, time: number) => {
      sample.times.push(time);
      sample.statuses.set(status, (sample.statuses.get(status) ?? 0) + 1);
    });
    // A request with no answer within the timeout: a hang, status 0.
    instance.on('reqError', () => sample.statuses.set(0, (sample.statuses.get(0) ?? 0) + 1));
  });
}

/** 20 connections, one per village officer: PATCH a card of their village with a new expected wage. */
function driveWrites(
  base: string,
  officers: { cookie: string; cards: string[] }[],
  seconds: number,
  acknowledged: { id: string; version: number; wage: number }[],
): Promise<Sample> {
  const sample: Sample = { times: [], statuses: new Map() };
  let client = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: officers.length,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'PATCH',
            setupRequest: (req: CannonRequest, ctx: object) => {
              const context = ctx as Record<string, unknown>;
              if (context.officer === undefined) context.officer = client++ % officers.length;
              if (context.n === undefined) context.n = 0;
              const officer = officers[context.officer as number]!;
              const id = officer.cards[(context.n as number)++ % officer.cards.length]!;
              const wage = 2000 + Math.floor(Math.random() * 6000);
              context.last = { id, wage };
              return {
                ...req,
                path: `/api/v1/laborers/${id}`,
                headers: { cookie: officer.cookie, 'content-type': 'application/json' },
                body: JSON.stringify({ expectedWage: wage, reason: '负载测试' }),
              };
            },
            onResponse: (status: number, body: string, ctx: object) => {
              const context = ctx as Record<string, unknown>;
              if (status !== 200) return;
              const { id, wage } = context.last as { id: string; wage: number };
              acknowledged.push({ id, wage, version: JSON.parse(body).version });
            },
          },
        ],
      },
      (error: Error | null) => (error ? reject(error) : resolve(sample)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, time: number) => {
      sample.times.push(time);
      sample.statuses.set(status, (sample.statuses.get(status) ?? 0) + 1);
    });
    instance.on('reqError', () => sample.statuses.set(0, (sample.statuses.get(0) ?? 0) + 1));
  });
}

/** Health every 100 ms on a fresh connection, and the server's RSS every 500 ms; `mark` returns the stretch since the last mark. */
function startProbe(base: string, pid: number) {
  let times: number[] = [];
  let failed = 0;
  let rssPeak = 0;
  let allPeak = 0;
  let stopped = false;
  const agent = new http.Agent({ keepAlive: false });
  const once = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get(`${base}/api/v1/health`, { agent, timeout: 30_000 }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) failed++;
          times.push(performance.now() - t0);
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        times.push(performance.now() - t0);
        resolve();
      });
    });
  void (async () => {
    while (!stopped) {
      const t0 = performance.now();
      await once();
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - t0))));
    }
  })();
  const rssTimer = setInterval(() => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
      rssPeak = Math.max(rssPeak, kb / 1024);
      allPeak = Math.max(allPeak, kb / 1024);
    } catch {
      /* the server has exited */
    }
  }, 500);
  return {
    mark() {
      const result = {
        max: times.length ? Math.max(...times) : 0,
        p50: times.length ? percentile(times, 50) : 0,
        p99: times.length ? percentile(times, 99) : 0,
        count: times.length,
        failed,
        rssPeakMb: rssPeak,
      };
      times = [];
      failed = 0;
      rssPeak = 0;
      return result;
    },
    stop() {
      stopped = true;
      clearInterval(rssTimer);
      return { rssPeakMb: allPeak };
    },
  };
}

/** SIGINT as Ctrl-C, with a burst of requests in flight; the exit code and whether anything was printed as a crash. */
async function stopServer(server: ChildProcess): Promise<string> {
  if (server.exitCode !== null) return `already exited (${server.exitCode})`;
  let stderr = '';
  server.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  server.kill('SIGINT');
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
  if (code === 'timeout') {
    server.kill('SIGKILL');
    return 'did not stop within 30 s (killed)';
  }
  const crashed = /Unhandled 'error' event|uncaught|57P01/i.test(stderr);
  return `exit ${code}${crashed ? ', with an unhandled error' : ', clean'}`;
}

/**
 * The audit's cost per request under 200 concurrent callers on a 10-connection pool: a transaction
 * that writes one audit row the platform's way now, against the chain lock it used before.
 */
async function auditCost(url: string, key: Buffer, log: (m: string) => void): Promise<Figure[]> {
  const pools = connectPools(url, {
    poolSize: 10,
    readerPoolSize: 1,
    backgroundPoolSize: 2,
    acquireTimeoutMs: 60_000,
    statementTimeoutMs: 60_000,
    backgroundStatementTimeoutMs: 60_000,
    idleInTransactionTimeoutMs: 60_000,
  });
  const audit = createAuditLog(key);
  const CALLERS = 200;
  const EACH = 10;
  const context = { actor: null, ip: '127.0.0.1', claimedUsername: 'bench' };
  try {
    await sql`CREATE TABLE IF NOT EXISTS bench_audit_chain_lock (LIKE audit_log INCLUDING ALL, prev_hash bytea NOT NULL, hash bytea NOT NULL)`.execute(
      pools.background,
    );
    const measure = async (record: (tx: Parameters<typeof audit.record>[0]) => Promise<void>) => {
      const times: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CALLERS }, async () => {
          for (let i = 0; i < EACH; i++) {
            const s = performance.now();
            await pools.requests.transaction().execute(record);
            times.push(performance.now() - s);
          }
        }),
      );
      return { perSecond: (CALLERS * EACH) / ((performance.now() - t0) / 1000), p95: percentile(times, 95) };
    };
    const now = await measure((tx) => audit.record(tx, context, { action: 'bench.audit', entity: 'bench' }));
    const before = await measure(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(7427331099)`.execute(tx);
      const last =
        (await sql<{ hash: Buffer }>`SELECT hash FROM bench_audit_chain_lock ORDER BY id DESC LIMIT 1`.execute(tx)).rows[0]?.hash ??
        Buffer.alloc(32);
      const hash = hmacSm3(key, 'bench.audit', last);
      await sql`INSERT INTO bench_audit_chain_lock (at, action, entity, result, prev_hash, hash) VALUES (now(), 'bench.audit', 'bench', 'success', ${last}, ${hash})`.execute(
        tx,
      );
    });
    const linkStart = performance.now();
    const linked = await audit.link(pools.background);
    const linkS = (performance.now() - linkStart) / 1000;
    await sql`DROP TABLE bench_audit_chain_lock`.execute(pools.background);
    log(
      `load: audit rows ${(now.perSecond).toFixed(0)}/s now, ${(before.perSecond).toFixed(0)}/s with the chain lock; linked ${linked} in ${linkS.toFixed(2)} s`,
    );
    return [
      {
        figure: `audit: a transaction writing one audit row, ${CALLERS} concurrent callers on 10 connections p95`,
        value: now.p95,
        unit: 'ms',
        baseline: { label: 'the chain lock of before: advisory lock, read the last hash, insert', value: before.p95 },
        ratio: before.p95 / now.p95,
        notes: `${now.perSecond.toFixed(0)} audited transactions/s (chain lock ${before.perSecond.toFixed(0)}/s); the linker then chained the ${linked.toLocaleString('en')} rows in ${linkS.toFixed(2)} s (${(linked / linkS).toFixed(0)} rows/s)`,
      },
    ];
  } finally {
    await pools.close();
  }
}
