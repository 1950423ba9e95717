import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion, withinRegionIfGiven } from '../../platform/access.ts';
import { peopleAsOf } from '../registry/index.ts';
import { laborerColumns, type LaborerBriefRow } from './employment.repo.ts';
import { employmentContact, employmentEmployer, keptIn, keptMask, placedBy, type RetentionSubject, retainedAfter } from './rules.ts';

export { employmentContact, employmentEmployer };

/**
 * The three lists (三个清单), the retention rate (稳岗率) and the retention risk list. Each query
 * takes the caller's scope as one condition on l (the laborer's home village) and a region
 * range on the same column; "working" lists take the range on the place of work instead.
 */

// ——— 任务清单: laborers not yet transferred, with their wishes and skills ———

export interface TaskRow extends LaborerBriefRow {
  birth_date: string;
  willingness: string;
  wanted_job_types: string[];
  expected_wage: number | null;
  skills: string[];
  certificates: string[];
  caring: string;
  flags: string[];
  open_case_id: string | null;
}

const notTransferred = sql<SqlBool>`l.deleted_at IS NULL AND l.employment_status <> 'employed' AND l.labor_capacity IN ('full', 'partial')`;

export async function tasks(
  db: DbOrTx,
  f: { scope: Expression<SqlBool>; region: string; willingness?: string; limit: number; offset: number; afterId?: string },
) {
  const { rows } =
    await sql<TaskRow>`SELECT ${laborerColumns}, l.birth_date::text, l.willingness, l.wanted_job_types, l.expected_wage, l.skills,
      l.certificates, l.caring, l.flags,
      (SELECT c.id FROM reemployment_case c WHERE c.laborer_id = l.id AND c.status = 'open') AS open_case_id
    FROM laborer l JOIN region v ON v.code = l.home_village_code
    WHERE ${f.scope} AND ${withinRegion('l.home_village_code', f.region)} AND ${notTransferred}
      AND (${f.willingness ?? null}::text IS NULL OR l.willingness = ${f.willingness ?? null})
      AND (${f.afterId ?? null}::bigint IS NULL OR l.id > ${f.afterId ?? null}::bigint)
    ORDER BY ${f.afterId !== undefined ? sql`l.id` : sql`l.home_village_code, l.id`} LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return rows;
}

export async function tasksTotal(db: DbOrTx, f: { scope: Expression<SqlBool>; region: string; willingness?: string }): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer l
    WHERE ${f.scope} AND ${withinRegion('l.home_village_code', f.region)} AND ${notTransferred}
      AND (${f.willingness ?? null}::text IS NULL OR l.willingness = ${f.willingness ?? null})`.execute(db);
  return Number(rows[0]!.n);
}

// ——— 责任清单: who must act on which laborers ———

export interface ResponsibilityRow extends LaborerBriefRow {
  employed: boolean;
  work_region_code: string | null;
  work_region_name: string | null;
  home_county_code: string;
  home_county_name: string;
  work_county_code: string | null;
  work_county_name: string | null;
  liaison_name: string | null;
  officer_name: string | null;
  broker_name: string | null;
  overdue: number;
  due_soon: number;
  open_case_id: string | null;
}

/** side 'home': laborers whose home is in the region; 'working': laborers from elsewhere with an open job in it. */
export async function responsibility(
  db: DbOrTx,
  f: {
    scope: Expression<SqlBool>;
    region: string;
    side: 'home' | 'working';
    today: string;
    limit: number;
    offset: number;
    afterId?: string;
  },
) {
  const where =
    f.side === 'home'
      ? sql`${f.scope} AND ${withinRegion('l.home_village_code', f.region)}`
      : sql`e.id IS NOT NULL AND ${withinRegion('e.work_region_code', f.region)} AND NOT ${withinRegion('l.home_village_code', f.region)}`;
  const { rows } =
    await sql<ResponsibilityRow>`SELECT ${laborerColumns}, (e.id IS NOT NULL) AS employed, e.work_region_code, w.full_name AS work_region_name,
      hc.code AS home_county_code, hc.full_name AS home_county_name, wc.code AS work_county_code, wc.full_name AS work_county_name,
      lo.display_name AS liaison_name, vo.display_name AS officer_name, bk.display_name AS broker_name,
      (SELECT count(*)::int FROM follow_up f WHERE f.laborer_id = l.id AND f.status = 'due' AND f.due_on < ${f.today}::date) AS overdue,
      (SELECT count(*)::int FROM follow_up f WHERE f.laborer_id = l.id AND f.status = 'due' AND f.due_on >= ${f.today}::date AND f.due_on < ${f.today}::date + 30) AS due_soon,
      (SELECT c.id FROM reemployment_case c WHERE c.laborer_id = l.id AND c.status = 'open') AS open_case_id
    FROM laborer l JOIN region v ON v.code = l.home_village_code
      ${f.side === 'home' ? sql`LEFT JOIN` : sql`JOIN`} employment e ON e.laborer_id = l.id AND e.ended_on IS NULL
      LEFT JOIN region w ON w.code = e.work_region_code
      JOIN region hc ON hc.code = left(l.home_village_code, 6)
      LEFT JOIN region wc ON wc.code = left(e.work_region_code, 6)
      LEFT JOIN LATERAL (SELECT a.display_name FROM account a WHERE a.role = 'liaison_office' AND a.status = 'active'
        AND a.region_code = left(l.home_village_code, 6) AND starts_with(e.work_region_code, a.host_region_code) ORDER BY a.id LIMIT 1) lo ON e.id IS NOT NULL
      LEFT JOIN LATERAL (SELECT a.display_name FROM account a WHERE a.role = 'village_officer' AND a.status = 'active'
        AND a.region_code = l.home_village_code ORDER BY a.id LIMIT 1) vo ON true
      LEFT JOIN LATERAL (SELECT a.display_name FROM referral rf JOIN account a ON a.id = rf.created_by
        WHERE rf.id = e.referral_id AND rf.channel = 'broker') bk ON e.referral_id IS NOT NULL
    WHERE ${where} AND l.deleted_at IS NULL
      AND (${f.afterId ?? null}::bigint IS NULL OR l.id > ${f.afterId ?? null}::bigint)
    ORDER BY ${f.afterId !== undefined ? sql`l.id` : sql`l.home_village_code, l.id`} LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return rows;
}

export async function responsibilitySummary(
  db: DbOrTx,
  f: { scope: Expression<SqlBool>; region: string; side: 'home' | 'working'; today: string },
) {
  const where =
    f.side === 'home'
      ? sql`${f.scope} AND ${withinRegion('l.home_village_code', f.region)}`
      : sql`e.id IS NOT NULL AND ${withinRegion('e.work_region_code', f.region)} AND NOT ${withinRegion('l.home_village_code', f.region)}`;
  const { rows } = await sql<{ total: string; employed: string; liaison: string; cases: string; overdue: string }>`
    WITH people AS (
      SELECT l.id, e.id AS employment_id, e.work_region_code, l.home_village_code FROM laborer l
        ${f.side === 'home' ? sql`LEFT JOIN` : sql`JOIN`} employment e ON e.laborer_id = l.id AND e.ended_on IS NULL
      WHERE ${where} AND l.deleted_at IS NULL)
    SELECT count(*) AS total, count(employment_id) AS employed,
      count(*) FILTER (WHERE employment_id IS NOT NULL AND EXISTS (SELECT 1 FROM account a WHERE a.role = 'liaison_office' AND a.status = 'active'
        AND a.region_code = left(p.home_village_code, 6) AND starts_with(p.work_region_code, a.host_region_code))) AS liaison,
      (SELECT count(*) FROM reemployment_case c JOIN people q ON q.id = c.laborer_id WHERE c.status = 'open') AS cases,
      (SELECT count(*) FROM follow_up f JOIN people q ON q.id = f.laborer_id WHERE f.status = 'due' AND f.due_on < ${f.today}::date) AS overdue
    FROM people p`.execute(db);
  return rows[0]!;
}

// ——— 稳岗清单: transferred laborers grouped by where they work ———

export async function retentionGroups(db: DbOrTx, f: { scope: Expression<SqlBool>; region: string; length: number }) {
  const { rows } = await sql<{ code: string; name: string | null; n: string }>`SELECT x.code, r.full_name AS name, x.n FROM (
      SELECT left(e.work_region_code, ${f.length}) AS code, count(*) AS n
      FROM employment e
      WHERE e.ended_on IS NULL AND NOT e.laborer_deleted AND ${f.scope} AND ${withinRegion('e.home_village_code', f.region)}
      GROUP BY 1) x LEFT JOIN region r ON r.code = x.code ORDER BY x.n DESC, x.code`.execute(db);
  return rows;
}

export interface RetentionRow extends LaborerBriefRow {
  employment_id: string;
  work_region_code: string;
  work_region_name: string;
  employer: string | null;
  contact: string | null;
  started_on: string;
  monthly_wage: number | null;
}

export async function retentionItems(
  db: DbOrTx,
  f: { scope: Expression<SqlBool>; region: string; workRegion?: string; limit: number; offset: number; afterId?: string },
) {
  // The page's jobs first, their ids only (read from the open jobs' covering index: asking for
  // more makes the planner walk the province's open jobs in workplace order), then their people and
  // places: the joins are made for the page's 20 rows, not for every row the offset skips (issue 14).
  const order = f.afterId !== undefined ? sql`e.id` : sql`e.work_region_code, e.laborer_id`;
  const { rows } =
    await sql<RetentionRow>`SELECT ${laborerColumns}, e.id AS employment_id, e.work_region_code, w.full_name AS work_region_name,
      ${employmentEmployer()} AS employer, ${employmentContact()} AS contact, e.started_on::text, e.monthly_wage
    FROM (SELECT e.id FROM employment e
      WHERE e.ended_on IS NULL AND NOT e.laborer_deleted AND ${f.scope} AND ${withinRegion('e.home_village_code', f.region)}
        AND ${withinRegionIfGiven('e.work_region_code', f.workRegion)}
        AND (${f.afterId ?? null}::bigint IS NULL OR e.id > ${f.afterId ?? null}::bigint)
      ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset}) page
      JOIN employment e ON e.id = page.id JOIN laborer l ON l.id = e.laborer_id JOIN region v ON v.code = l.home_village_code JOIN region w ON w.code = e.work_region_code
      LEFT JOIN employer m ON m.id = e.employer_id
    ORDER BY ${order}`.execute(db);
  return rows;
}

export async function retentionItemsTotal(
  db: DbOrTx,
  f: { scope: Expression<SqlBool>; region: string; workRegion?: string },
): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM employment e
    WHERE e.ended_on IS NULL AND NOT e.laborer_deleted AND ${f.scope} AND ${withinRegion('e.home_village_code', f.region)}
      AND ${withinRegionIfGiven('e.work_region_code', f.workRegion)}`.execute(db);
  return Number(rows[0]!.n);
}

// ——— 稳岗率 ———

export interface RateFilter {
  /** Which placements: a condition on e (the employment). */
  placements: Expression<SqlBool>;
  /** Whose: the people as of the date in this region (optional) and scope (a condition on v.home_village_code). */
  region?: string;
  people: Expression<SqlBool>;
  months: number;
  asOf: string;
  /** Whose rate: a region's or a broker's (any job N months on) or an employer's (a job with that employer). */
  subject: RetentionSubject;
}

/**
 * DOMAIN.md: of those placed at least N months before the date, the share still employed N months
 * after placement. A placement is an employment record (a start); "still employed" is the
 * employment module's one rule (rules.ts retainedAfter) for the rate's subject. Whose placements:
 * the people registered as of the date, by their card's village then (docs/domain-notes-asof.md
 * §2) — a move or a deletion made later never rewrites a past rate.
 */
const placed = (
  f: RateFilter,
) => sql`SELECT e.id, e.laborer_id, pa.village, e.started_on, e.ended_on, ${retainedAfter('e', f.months, f.subject)} AS retained
  FROM employment e JOIN (${peopleAsOf(f.region, f.asOf, f.people)}) pa ON pa.laborer_id = e.laborer_id
  WHERE ${f.placements} AND ${placedBy('e', f.months, f.asOf)}`;

/**
 * The rate after 1…max months (the retention curve) in one scan: each employment keeps the months
 * N whose day (start + N months) its laborer had a job open on — the stored form of
 * retainedAfter(e, N, 'region') (rules.ts keptMask, migration 0020) — so N's placed and retained
 * are two counts. The placements are first counted per start day and mask (a province's 2 M jobs
 * are some 30,000 such groups), so the twelve months' tests run once a group, not once a job.
 *
 * Whose placements: the people as of the date (peopleAsOf). As of today those are the undeleted
 * cards by their village now, which each job carries (migration 0016, kept equal to the card's by
 * triggers — flows in modules/dashboards reads it the same way), so today's curve reads the
 * region's jobs alone. An earlier date reads the cards' versions then; for a county or smaller
 * region each person's jobs are looked up by their key (hashing all 2 M jobs of the province
 * against a county's 22,000 people took 2 s), for a city or the province the jobs are hashed.
 */
export async function curve(
  db: DbOrTx,
  f: {
    region: string;
    /** The caller's scope on the people as of the date (a condition on v.home_village_code). */
    people: Expression<SqlBool>;
    /** The same scope on a job's copied home village (a condition on e.home_village_code), for today. */
    peopleToday: Expression<SqlBool>;
    asOf: string;
    /** The date asked for is today (China time). */
    today: boolean;
    maxMonths: number;
  },
): Promise<{ months: number; placed: number; retained: number }[]> {
  const months = Array.from({ length: f.maxMonths }, (_, i) => i + 1);
  const jobs = f.today
    ? sql`employment e WHERE NOT e.laborer_deleted AND ${withinRegion('e.home_village_code', f.region)} AND ${f.peopleToday}
        AND ${placedBy('e', 1, f.asOf)}`
    : f.region.length >= 6
      ? sql`(${peopleAsOf(f.region, f.asOf, f.people)}) pa
        JOIN LATERAL (SELECT e.laborer_id, e.started_on, e.kept_months FROM employment e
          WHERE e.laborer_id = pa.laborer_id AND ${placedBy('e', 1, f.asOf)} OFFSET 0) e ON true`
      : sql`(${peopleAsOf(f.region, f.asOf, f.people)}) pa JOIN employment e ON e.laborer_id = pa.laborer_id
        WHERE ${placedBy('e', 1, f.asOf)}`;
  const { rows } = await sql<Record<string, string>>`SELECT ${sql.join(
    months.map(
      (n) =>
        sql`coalesce(sum(g.n) FILTER (WHERE ${placedBy('g', n, f.asOf)}), 0) AS ${sql.ref(`p${n}`)}, coalesce(sum(g.n) FILTER (WHERE ${placedBy('g', n, f.asOf)} AND ${keptIn(sql.ref('g.kept'), n)}), 0) AS ${sql.ref(`r${n}`)}`,
    ),
  )}
    FROM (SELECT e.started_on, ${keptMask('e')} AS kept, count(*) AS n FROM ${jobs} GROUP BY 1, 2) g`.execute(db);
  const r = rows[0]!;
  return months.map((n) => ({ months: n, placed: Number(r[`p${n}`]), retained: Number(r[`r${n}`]) }));
}

export interface RateItemRow extends LaborerBriefRow {
  employment_id: string;
  workplace: string | null;
  started_on: string;
  ended_on: string | null;
  retained: boolean;
}

/**
 * A page of the placements behind the rate and the rate's two counts, in one scan of the
 * placements (issue 14: the list read them twice, once to count and once for the page). The
 * page's total follows from the counts: all placements, the retained, or those who left.
 */
export async function rateItems(db: DbOrTx, f: RateFilter & { list?: 'retained' | 'left'; limit: number; offset: number }) {
  const { rows } = await sql<RateItemRow & { placed_n: string; retained_n: string }>`WITH p AS MATERIALIZED (
      SELECT p.*, count(*) OVER () AS placed_n, count(*) FILTER (WHERE p.retained) OVER () AS retained_n FROM (${placed(f)}) p
    ), page AS (
      SELECT * FROM p WHERE (${f.list ?? null}::text IS NULL OR p.retained = (${f.list ?? null} = 'retained'))
      ORDER BY p.started_on DESC, p.id DESC LIMIT ${f.limit} OFFSET ${f.offset}
    )
    SELECT l.id AS laborer_id, l.name AS laborer_name, l.sex, l.id_masked, l.phone_masked, p.village AS home_village_code, v.full_name AS village_name,
      p.id AS employment_id, coalesce(m.name, e.workplace_name) AS workplace,
      p.started_on::text, p.ended_on::text, p.retained, p.placed_n, p.retained_n
    FROM page p
      JOIN employment e ON e.id = p.id JOIN laborer l ON l.id = p.laborer_id JOIN region v ON v.code = p.village
      LEFT JOIN employer m ON m.id = e.employer_id
    UNION ALL
    -- No row on the page (past the end, or nobody placed): the counts alone.
    SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, (SELECT count(*) FROM p), (SELECT count(*) FILTER (WHERE retained) FROM p)
    WHERE NOT EXISTS (SELECT 1 FROM page)
    ORDER BY started_on DESC NULLS LAST, employment_id DESC`.execute(db);
  const placedN = Number(rows[0]?.placed_n ?? 0);
  const retainedN = Number(rows[0]?.retained_n ?? 0);
  const total = f.list === 'retained' ? retainedN : f.list === 'left' ? placedN - retainedN : placedN;
  return { rows: rows.filter((r) => r.employment_id !== null), total, placed: placedN, retained: retainedN };
}

// ——— retention risk ———

export interface RiskRow extends LaborerBriefRow {
  employment_id: string;
  workplace: string | null;
  work_region_name: string;
  work_region_code: string;
  started_on: string;
  monthly_wage: number | null;
  expected_wage: number | null;
  caring: string;
  overdue: number;
  oldest_overdue: string | null;
  problem: string | null;
  problem_on: string | null;
  short_jobs: number;
  far_caring: boolean;
  low_wage: boolean;
  score: number;
  total: string;
}

/**
 * Employed laborers showing signs of leaving, scored: an overdue follow-up (3), a problem reported
 * at the last follow-up (3), far from home (out of the province) with elders or children to care
 * for (2), a job of under 90 days in the last two years (2), a wage well under what they hoped for (1).
 */
export async function risks(
  db: DbOrTx,
  f: { scope: Expression<SqlBool>; region: string; today: string; sign?: string; limit: number; offset: number },
) {
  const { rows } = await sql<RiskRow>`WITH s AS (
      SELECT e.id AS employment_id, e.laborer_id, e.started_on, e.work_region_code, e.monthly_wage, coalesce(m.name, e.workplace_name) AS workplace,
        l.expected_wage, l.caring,
        od.n AS overdue, od.oldest AS oldest_overdue, pr.problems AS problem, pr.done_on AS problem_on,
        (SELECT count(*)::int FROM employment p WHERE p.laborer_id = e.laborer_id AND p.id <> e.id AND p.ended_on IS NOT NULL
          AND p.ended_on - p.started_on < 90 AND p.ended_on >= ${f.today}::date - 730) AS short_jobs,
        (l.caring <> 'none' AND left(e.work_region_code, 2) <> left(l.home_village_code, 2)) AS far_caring,
        (l.expected_wage IS NOT NULL AND e.monthly_wage IS NOT NULL AND e.monthly_wage < l.expected_wage - 500) AS low_wage
      FROM employment e JOIN laborer l ON l.id = e.laborer_id LEFT JOIN employer m ON m.id = e.employer_id
        LEFT JOIN LATERAL (SELECT count(*)::int AS n, min(f.due_on)::text AS oldest FROM follow_up f
          WHERE f.employment_id = e.id AND f.status = 'due' AND f.due_on < ${f.today}::date - 7) od ON true
        LEFT JOIN LATERAL (SELECT f.problems, f.done_on::text AS done_on FROM follow_up f
          WHERE f.employment_id = e.id AND f.status = 'done' ORDER BY f.done_on DESC, f.id DESC LIMIT 1) pr ON true
      WHERE e.ended_on IS NULL AND ${f.scope} AND ${withinRegion('l.home_village_code', f.region)} AND l.deleted_at IS NULL
    ), scored AS (
      SELECT s.*, (CASE WHEN overdue > 0 THEN 3 ELSE 0 END + CASE WHEN problem IS NOT NULL THEN 3 ELSE 0 END
        + CASE WHEN far_caring THEN 2 ELSE 0 END + CASE WHEN short_jobs > 0 THEN 2 ELSE 0 END + CASE WHEN low_wage THEN 1 ELSE 0 END) AS score
      FROM s)
    SELECT ${laborerColumns}, x.employment_id, x.workplace, w.full_name AS work_region_name, x.work_region_code, x.started_on::text, x.monthly_wage,
      x.expected_wage, x.caring, x.overdue, x.oldest_overdue, x.problem, x.problem_on, x.short_jobs, x.far_caring, x.low_wage, x.score,
      count(*) OVER () AS total
    FROM scored x JOIN laborer l ON l.id = x.laborer_id JOIN region v ON v.code = l.home_village_code JOIN region w ON w.code = x.work_region_code
    WHERE x.score > 0 AND (${f.sign ?? null}::text IS NULL
      OR (${f.sign ?? null} = 'overdue_follow_up' AND x.overdue > 0) OR (${f.sign ?? null} = 'reported_problem' AND x.problem IS NOT NULL)
      OR (${f.sign ?? null} = 'far_with_caring' AND x.far_caring) OR (${f.sign ?? null} = 'short_tenure' AND x.short_jobs > 0)
      OR (${f.sign ?? null} = 'wage_below_expectation' AND x.low_wage))
    ORDER BY x.score DESC, x.started_on DESC, x.employment_id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return rows;
}

// ——— 本月返乡人员: the jobs that ended in a month, with the follow-up's responsible account ———

export interface ReturneeRow extends LaborerBriefRow {
  employment_id: string;
  work_region_name: string;
  employer: string | null;
  started_on: string;
  ended_on: string;
  end_reason: string | null;
  /** The account responsible for the job's latest follow-up that names one; null when none does. */
  responsible_account: string | null;
}

/** Jobs ended between `from` and `to` (both included) of laborers whose home is in the region and scope (on l). */
export async function returnees(
  db: DbOrTx,
  f: { scope: Expression<SqlBool>; region: string; from: string; to: string; limit: number; offset: number },
) {
  const { rows } =
    await sql<ReturneeRow>`SELECT ${laborerColumns}, e.id AS employment_id, w.full_name AS work_region_name, ${employmentEmployer()} AS employer,
      e.started_on::text, e.ended_on::text, e.end_reason,
      (SELECT f.responsible_account FROM follow_up f WHERE f.employment_id = e.id AND f.responsible_account IS NOT NULL
        ORDER BY f.due_on DESC, f.id DESC LIMIT 1) AS responsible_account
    FROM employment e JOIN laborer l ON l.id = e.laborer_id JOIN region v ON v.code = l.home_village_code
      JOIN region w ON w.code = e.work_region_code LEFT JOIN employer m ON m.id = e.employer_id
    WHERE e.ended_on BETWEEN ${f.from}::date AND ${f.to}::date AND l.deleted_at IS NULL
      AND ${f.scope} AND ${withinRegion('l.home_village_code', f.region)}
    ORDER BY e.ended_on DESC, l.home_village_code, e.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return rows;
}

export async function returneesTotal(db: DbOrTx, f: { scope: Expression<SqlBool>; region: string; from: string; to: string }) {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM employment e JOIN laborer l ON l.id = e.laborer_id
    WHERE e.ended_on BETWEEN ${f.from}::date AND ${f.to}::date AND l.deleted_at IS NULL
      AND ${f.scope} AND ${withinRegion('l.home_village_code', f.region)}`.execute(db);
  return Number(rows[0]!.n);
}
