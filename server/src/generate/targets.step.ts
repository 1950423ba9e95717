import { sql } from 'kysely';
import type { GeneratorStep } from './step.ts';

/**
 * The statistics around a bulk load (issue 8). The derived tables of migration 0017 follow every
 * write through statement triggers; a generate COPYs millions of rows, so `statsPauseStep` (first)
 * switches those triggers off and marks the statistics stale; the laborers step adds each chunk's
 * deltas and villages' days in the chunk's own transaction (migration 0021), and `statsResumeStep`
 * (right after it) rebuilds the counties' days and the monthly rollups from those and switches the
 * triggers back on, so the later steps' writes (hires credited to jobs) are
 * followed like any other write. `statsTargetsStep` (last) adds the yearly new-transfer targets.
 * Statistics that were already stale when a generate began (an interrupted run) are rebuilt
 * whole by the resume step. Until then the page says they are stale.
 */
const TRIGGERS = {
  laborer_version: ['stats_version_ins', 'stats_version_upd', 'stats_version_del'],
  employment: ['stats_employment_ins', 'stats_employment_upd', 'stats_employment_del'],
} as const;

async function setTriggers(db: Parameters<GeneratorStep['run']>[0]['db'], enable: boolean) {
  for (const [table, names] of Object.entries(TRIGGERS)) {
    const clauses = names.map((n) => `${enable ? 'ENABLE' : 'DISABLE'} TRIGGER ${n}`).join(', ');
    await sql.raw(`ALTER TABLE ${table} ${clauses}`).execute(db);
  }
}

export const statsPauseStep: GeneratorStep = {
  name: 'stats-pause',
  description: '批量生成期间暂停统计派生表的逐条维护',
  async run(ctx) {
    await setTriggers(ctx.db, false);
    await sql`UPDATE stats_state SET full_rebuild_due = full_rebuild_due OR stale_since IS NOT NULL, stale_since = coalesce(stale_since, now())`.execute(
      ctx.db,
    );
    return "statistics triggers off; the laborers step adds each chunk's statistics";
  },
};

export const statsResumeStep: GeneratorStep = {
  name: 'stats-resume',
  description: '恢复统计派生表的逐条维护',
  async run(ctx) {
    const started = performance.now();
    const {
      rows: [state],
    } = await sql<{ full: boolean }>`SELECT full_rebuild_due AS full FROM stats_state`.execute(ctx.db);
    if (state?.full) await sql`SELECT stats_rebuild()`.execute(ctx.db);
    // Counties and townships from the villages' days the chunks added, side by side (two connections).
    else await Promise.all([sql`SELECT stats_rebuild_counties()`.execute(ctx.db), sql`SELECT stats_rebuild_townships()`.execute(ctx.db)]);
    await setTriggers(ctx.db, true);
    await sql`UPDATE stats_state SET stale_since = NULL, full_rebuild_due = false, rebuilt_at = now()`.execute(ctx.db);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return state?.full
      ? `statistics were stale before this run: rebuilt whole in ${seconds} s; triggers on`
      : `counties' days and months rebuilt from the villages' days the chunks added in ${seconds} s; triggers on`;
  },
};

/** The article: 88,978 new transfers in 2017 were 90.33 % of the province's target. */
export const PROVINCE_TARGET_2017 = 98_503;
const COMPLETION = 0.9033;

export const statsTargetsStep: GeneratorStep = {
  name: 'stats-targets',
  description: '设定各年度新增转移就业目标',
  async run(ctx) {
    const started = performance.now();
    // Visibility map and statistics for the readers (index-only scans on the fresh tables).
    for (const table of ['stats_laborer_delta', 'stats_village_day', 'stats_county_day', 'stats_rollup'])
      await sql`VACUUM (ANALYZE) ${sql.table(table)}`.execute(ctx.db);
    const vacuumed = (performance.now() - started) / 1000;
    // Targets for the province, its cities and counties, every year since 2016: what
    // each achieved in the year over the article's completion rate, the level above's plan.
    const { rows } = await sql<{ n: string }>`WITH y AS (SELECT generate_series(2016, 2026) AS year),
      achieved AS (
        -- As of 31 December: every month up to December (a year's new transfers end at its close).
        SELECT y.year, r.code AS county, sum(r.new_transfers) AS n FROM y JOIN stats_rollup r ON r.len = 6 AND r.month < make_date(y.year + 1, 1, 1)
        WHERE r.code LIKE '43%'
        GROUP BY 1, 2
      ),
      levels AS (
        SELECT year, county AS code, n FROM achieved
        UNION ALL SELECT year, left(county, 4), sum(n) FROM achieved GROUP BY 1, 2
        UNION ALL SELECT year, '43', sum(n) FROM achieved GROUP BY 1
      ),
      inserted AS (
        INSERT INTO stats_target (region_code, year, new_transfers)
        SELECT l.code, l.year, CASE WHEN l.code = '43' AND l.year = 2017 AND ${ctx.preset} = 'province' THEN ${PROVINCE_TARGET_2017}
          ELSE greatest(1, ceil(l.n / ${COMPLETION}))::int END
        FROM levels l JOIN region g ON g.code = l.code WHERE l.n > 0
        ON CONFLICT (region_code, year) DO NOTHING RETURNING 1
      )
      SELECT count(*) AS n FROM inserted`.execute(ctx.db);
    return `statistics tables vacuumed in ${vacuumed.toFixed(1)} s; ${rows[0]!.n} yearly targets added`;
  },
};
