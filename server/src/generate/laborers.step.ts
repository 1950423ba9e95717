import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type { GeneratorStep } from './step.ts';
import { DEMO_COUNTIES, PROVINCE } from './places.ts';
import type { VillageJob } from './laborers.model.ts';
import { ABROAD_PLACES, OUTSIDE_PLACES, type EmploymentPlaces } from './employment.model.ts';
import { DEMO_LABORERS, GENERATION_NOW, PROVINCE_LABORERS } from './constants.ts';

const CHUNK_PEOPLE = 20_000;

/**
 * Laborer cards with their ledger since 2016. Province preset: Hunan's 1,518,662 registered poor
 * laborers (the second article) over its 29,534 villages; demo: about 30,000 in the seeds' three
 * counties. Villages get uneven shares (a few large, many small), deterministic for the seed.
 * Ids are reserved up front and each chunk of villages is one transaction in a worker thread.
 */
export const laborersStep: GeneratorStep = {
  name: 'laborers',
  description: '劳动力信息卡及 2016 年以来的动态管理台账',
  async run(ctx) {
    const scopes = ctx.preset === 'demo' ? [...DEMO_COUNTIES] : [PROVINCE];
    const total = ctx.preset === 'demo' ? DEMO_LABORERS : PROVINCE_LABORERS;
    const villages = await ctx.db
      .selectFrom('region')
      .select('code')
      .where('level', '=', 5)
      .where((eb) => eb.or(scopes.map((s) => eb('code', 'like', `${s}%`))))
      .orderBy('code')
      .execute();
    const existing = await ctx.db
      .selectFrom('laborer')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where((eb) => eb.or(scopes.map((s) => eb('home_village_code', 'like', `${s}%`))))
      .executeTakeFirstOrThrow();

    // Uneven shares: weight = 0.3 + r² · 2, then largest remainders so the total is exact.
    const rng = ctx.rng;
    const weights = villages.map(() => 0.3 + rng.next() ** 2 * 2);
    const sum = weights.reduce((a, b) => a + b, 0);
    const exact = weights.map((w) => (w / sum) * total);
    const counts = exact.map(Math.floor);
    let missing = total - counts.reduce((a, b) => a + b, 0);
    const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
    for (const [, i] of byRemainder) if (missing-- > 0) counts[i]++;

    const officers = new Map(
      (
        await ctx.db
          .selectFrom('account')
          .select(['id', 'region_code'])
          .where('role', '=', 'village_officer')
          .where('username', 'like', 'vo\\_%')
          .execute()
      ).map((a) => [a.region_code, String(a.id)]),
    );

    // Ids: a fixed block per preset, far above anything typed by hand, so re-runs find the same ids.
    // The demo's ID numbers start further along each county's sequence, so the province preset
    // can be generated beside a demo without two cards sharing an ID number.
    const base = ctx.preset === 'demo' ? 100_000_000 : 200_000_000;
    const kOffset = ctx.preset === 'demo' ? 600_000 : 0;
    const jobs: VillageJob[] = [];
    const countyOffsets = new Map<string, number>();
    let nextId = base;
    villages.forEach((v, i) => {
      const county = v.code.slice(0, 6);
      const offset = countyOffsets.get(county) ?? kOffset;
      countyOffsets.set(county, offset + counts[i]);
      jobs.push({
        villageCode: v.code,
        count: counts[i],
        firstId: nextId,
        seed: (ctx.seed * 1_000_003 + i) >>> 0,
        officerId: officers.get(v.code) ?? null,
        countyOffset: offset,
        nowMs: GENERATION_NOW,
      });
      nextId += counts[i];
    });
    const chunks: VillageJob[][] = [];
    let current: VillageJob[] = [];
    let people = 0;
    for (const job of jobs) {
      current.push(job);
      people += job.count;
      if (people >= CHUNK_PEOPLE) {
        chunks.push(current);
        current = [];
        people = 0;
      }
    }
    if (current.length) chunks.push(current);

    // Resume: a chunk whose first id is there was committed whole.
    const done = new Set(
      (
        await sql<{ id: string }>`SELECT id FROM laborer WHERE id = ANY(${chunks.map((c) => c[0].firstId)}::bigint[])`.execute(ctx.db)
      ).rows.map((r) => Number(r.id)),
    );
    const todo = chunks.map((c, i) => ({ c, i })).filter(({ c }) => !done.has(c[0].firstId));
    if (todo.length === 0) return `${total} laborers already generated (${existing.n} in scope)`;

    // Places of work for the employment histories: Hunan's counties (with their city) and the
    // destinations out of the province that exist in the region tree.
    const { rows: counties } = await sql<{ code: string; name: string; city: string }>`SELECT c.code, c.name, p.name AS city
      FROM region c JOIN region p ON p.code = c.parent_code WHERE c.level = 3 AND c.code LIKE '43%' ORDER BY c.code`.execute(ctx.db);
    const { rows: outside } = await sql<{
      code: string;
    }>`SELECT code FROM region WHERE code = ANY(${[...OUTSIDE_PLACES, ...ABROAD_PLACES].map((p) => p.code)}::text[])`.execute(ctx.db);
    const known = new Set(outside.map((r) => r.code));
    const places: EmploymentPlaces = {
      counties: Object.fromEntries(counties.map((c) => [c.code, { name: c.name, city: c.city }])),
      outside: OUTSIDE_PLACES.filter((p) => known.has(p.code)),
      abroad: ABROAD_PLACES.filter((p) => known.has(p.code)),
    };
    const url = (ctx.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    // In a generate the statistics' triggers are paused (targets.step.ts): each chunk then adds its
    // own statistics, and is loaded in bulk-load mode where the role may (see laborers.worker.ts).
    // Run alone with the triggers on, the chunks go through the triggers like any other write.
    const {
      rows: [load],
    } = await sql<{ superuser: boolean; paused: boolean }>`SELECT
        (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
        (SELECT tgenabled = 'D' FROM pg_trigger WHERE tgname = 'stats_version_ins') AS paused`.execute(ctx.db);
    const stats = Boolean(load?.paused);
    const replica = stats && Boolean(load?.superuser);
    const workerCount = 2;
    let finished = 0;
    let peopleDone = chunks.filter((c) => done.has(c[0].firstId)).reduce((a, c) => a + c.reduce((s, j) => s + j.count, 0), 0);
    let versionsDone = 0;
    let employmentsDone = 0;
    /** Each worker's latest running totals of time per phase (ms). */
    const spentBy = new Map<Worker, Record<string, number>>();
    const retriesBy = new Map<Worker, number>();
    const queue = [...todo];
    await Promise.all(
      Array.from(
        { length: Math.min(workerCount, queue.length) },
        () =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(new URL('../platform/ts-worker.mjs', import.meta.url), {
              workerData: {
                entry: new URL('./laborers.worker.ts', import.meta.url).href,
                url,
                identifierKey: ctx.config.secrets.identifierKey.toString('hex'),
                identifierIndexKey: ctx.config.secrets.identifierIndexKey.toString('hex'),
                places,
                replica,
                stats,
              },
            });
            const feed = () => {
              const next = queue.shift();
              worker.postMessage(next ? { chunk: next.i, jobs: next.c } : 'stop');
            };
            worker.on(
              'message',
              (m: {
                chunk?: number;
                people?: number;
                versions?: number;
                employments?: number;
                spent?: Record<string, number>;
                retries?: number;
                error?: string;
                stopped?: boolean;
              }) => {
                if (m.stopped) return void worker.terminate().then(() => resolve());
                if (m.error) {
                  queue.length = 0;
                  worker.terminate();
                  return reject(new Error(`chunk ${m.chunk}: ${m.error}`));
                }
                finished++;
                peopleDone += m.people!;
                versionsDone += m.versions!;
                employmentsDone += m.employments!;
                spentBy.set(worker, { ...m.spent });
                retriesBy.set(worker, m.retries ?? 0);
                ctx.progress('信息卡', peopleDone, total);
                feed();
              },
            );
            worker.on('error', reject);
            feed();
          }),
      ),
    );
    // Keep the identity sequence above the generated block for cards typed later.
    await sql`SELECT setval(pg_get_serial_sequence('laborer', 'id'), GREATEST((SELECT max(id) FROM laborer), 1))`.execute(ctx.db);
    for (const table of ['employment', 'follow_up', 'reemployment_case']) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST((SELECT max(id) FROM ${sql.table(table)}), 1))`.execute(
        ctx.db,
      );
    }
    // After a bulk load, as a DBA would: statistics for the planner, and the visibility map set so the
    // lists' index-only scans over cards and open employments need no heap visits (autovacuum
    // would get there too, later).
    for (const table of ['laborer', 'employment']) await sql`VACUUM (ANALYZE) ${sql.table(table)}`.execute(ctx.db);
    for (const table of ['laborer_version', 'follow_up', 'reemployment_case']) await sql`ANALYZE ${sql.table(table)}`.execute(ctx.db);
    // Where the workers' time went, summed over both (so up to twice the wall time).
    const phases: Record<string, number> = {};
    for (const spent of spentBy.values()) for (const [phase, ms] of Object.entries(spent)) phases[phase] = (phases[phase] ?? 0) + ms;
    const retried = [...retriesBy.values()].reduce((a, b) => a + b, 0);
    const breakdown = Object.entries(phases)
      .sort((a, b) => b[1] - a[1])
      .map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(1)}`)
      .join(', ');
    return `${total} laborers in ${villages.length} villages of ${scopes.join(', ')}; ${finished} chunks written now, ${versionsDone} ledger versions, ${employmentsDone} employment records; ${replica ? 'bulk-load mode' : 'row triggers and foreign keys checked per row'}${stats ? ', statistics added per chunk' : ''}${retried ? ` (${retried} chunks written again after a deadlock)` : ''}; worker seconds: ${breakdown}`;
  },
};
