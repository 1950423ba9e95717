import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';
import { openOn, placedBy, retainedAfter } from '../employment/index.ts';
import { peopleAsOf } from '../registry/index.ts';

/**
 * The dashboard's chart data. Every query takes the caller's scope as one condition on the home
 * village column it names and the region asked for as a range on the same column. "As of D"
 * means at the end of D (China time): the ledger version with valid_from <= end < valid_to
 * (as the registry's lists), an employment with started_on <= D <= ended_on (ended_on is the
 * last working day).
 */

export interface Filter {
  scope: Expression<SqlBool>;
  region: string;
  asOf: string;
  /** The instant D ends (the next day 00:00 China time). */
  asOfEnd: Date;
}

const versionAt = (v: string, end: Date | Expression<unknown>) =>
  sql<SqlBool>`${sql.ref(`${v}.valid_from`)} <= ${end} AND ${sql.ref(`${v}.valid_to`)} > ${end} AND NOT ${sql.ref(`${v}.deleted`)}`;

export async function regionName(db: DbOrTx, code: string): Promise<{ code: string; name: string; level: number } | undefined> {
  const { rows } = await sql<{
    code: string;
    name: string;
    level: number;
  }>`SELECT code, full_name AS name, level FROM region WHERE code = ${code}`.execute(db);
  return rows[0];
}

// ——— flows: home county → place of work ———

export interface FlowRow {
  home: string;
  home_name: string;
  work: string;
  work_name: string;
  n: number;
}

/**
 * Laborers at work on the date by home county (as of the date) and place of work: the city when
 * it lies in the home province, the province otherwise. As of today the home village is the one
 * copied onto the employment (migration 0016, kept equal to the card's by triggers), so the
 * partial index of open employments (home village, place of work) answers alone — no job starts
 * in the future (the employment service refuses it), so every open one is open today; an earlier
 * date reads the people as of then (the registry's peopleAsOf: merges and deletions included).
 * The names are looked up per group: the planner guesses thousands of groups where there are a few
 * dozen and would otherwise hash the whole region table (665,000 rows) twice — 1 s of a 10 ms query.
 */
export async function flows(db: DbOrTx, f: Filter & { today: boolean; scopeOnEmployment: Expression<SqlBool> }): Promise<FlowRow[]> {
  const source = f.today
    ? sql`SELECT e.home_village_code AS village, e.work_region_code FROM employment e
        WHERE ${f.scopeOnEmployment} AND ${withinRegion('e.home_village_code', f.region)} AND e.ended_on IS NULL AND NOT e.laborer_deleted`
    : sql`SELECT pa.village, e.work_region_code FROM (${peopleAsOf(f.region, f.asOf, f.scope)}) pa JOIN employment e ON e.laborer_id = pa.laborer_id
        WHERE ${openOn('e', f.asOf)}`;
  const { rows } = await sql<FlowRow>`WITH j AS (${source}),
    f AS (
      SELECT left(j.village, 6) AS home,
        CASE WHEN left(j.work_region_code, 2) = left(j.village, 2) THEN left(j.work_region_code, 4) ELSE left(j.work_region_code, 2) END AS work,
        count(*)::int AS n
      FROM j GROUP BY 1, 2)
    SELECT f.home, coalesce((SELECT h.name FROM region h WHERE h.code = f.home), f.home) AS home_name,
      f.work, coalesce((SELECT w.name FROM region w WHERE w.code = f.work), f.work) AS work_name, f.n
    FROM f ORDER BY f.n DESC, f.home, f.work`.execute(db);
  return rows;
}

// ——— referral funnel ———

export interface FunnelRow {
  recommended: number;
  interviewed: number;
  hired: number;
  hired_6m: number;
  retained_6m: number;
}

/**
 * Referrals of the region's laborers recommended in [from, asOf] — a referral counts in the village
 * of the laborer's card at the instant it was recommended (a flow figure, docs/domain-notes-asof.md
 * §3), so a later move or deletion leaves it where it was —: how many reached an interview and a
 * hire by the date (their dated steps), and of the hires started at least six months before the
 * date, how many were at work (any employment open) on the day six months after the start — the
 * employment module's retainedAfter for a region.
 */
export async function funnel(db: DbOrTx, f: Filter & { from: string; fromStart: Date }): Promise<FunnelRow> {
  // Which side leads: a county's (or smaller region's) card versions, hashed against the referrals,
  // or — for a city or the province, where those versions run into the millions — the period's
  // recommendations (a year's, some tens of thousands), each card's version at that instant by its
  // key (the province: 5 s → 0.9 s; a county the other way round: 0.26 s against 0.6 s). Same rows.
  const recommended = sql`SELECT s.referral_id, min(s.at) AS at FROM referral_step s
      WHERE s.status = 'recommended' AND s.at >= ${f.fromStart} AND s.at < ${f.asOfEnd} GROUP BY s.referral_id`;
  const sources =
    f.region.length >= 6
      ? sql`referral rf
        JOIN LATERAL (SELECT min(s.at) AS at FROM referral_step s WHERE s.referral_id = rf.id AND s.status = 'recommended'
          AND s.at >= ${f.fromStart} AND s.at < ${f.asOfEnd}) rec ON rec.at IS NOT NULL
        JOIN laborer_version v ON v.laborer_id = rf.laborer_id AND ${versionAt('v', sql`rec.at`)}`
      : sql`(${recommended}) rec JOIN referral rf ON rf.id = rec.referral_id
        JOIN LATERAL (SELECT v.home_village_code FROM laborer_version v
          WHERE v.laborer_id = rf.laborer_id AND ${versionAt('v', sql`rec.at`)} OFFSET 0) v ON true`;
  // Each referral's interview and job are looked up by its key (a LIMIT 1 and a LATERAL): planned as
  // joins, a county's funnel hashed every interview step of the province (40 ms) and merged its few
  // hundred hires against the employment records' referral index from its start (350 ms under load;
  // the county's funnel 153–191 → 102–114 ms, the province's even, same answers).
  const { rows } = await sql<FunnelRow>`WITH r AS (
      SELECT rf.id,
        (SELECT true FROM referral_step s WHERE s.referral_id = rf.id AND s.status = 'interviewed' AND s.at < ${f.asOfEnd} LIMIT 1) IS NOT NULL AS interviewed,
        (SELECT min(s.at) FROM referral_step s WHERE s.referral_id = rf.id AND s.status = 'hired' AND s.at < ${f.asOfEnd}) AS hired_at
      FROM ${sources}
      WHERE ${f.scope} AND ${withinRegion('v.home_village_code', f.region)}),
    h AS (
      SELECT ${retainedAfter('e', 6, 'region')} AS retained
      FROM r JOIN LATERAL (SELECT e.laborer_id, e.started_on FROM employment e WHERE e.referral_id = r.id OFFSET 0) e ON true
      WHERE r.hired_at IS NOT NULL AND ${placedBy('e', 6, f.asOf)})
    SELECT (SELECT count(*) FROM r)::int AS recommended,
      (SELECT count(*) FROM r WHERE r.interviewed OR r.hired_at IS NOT NULL)::int AS interviewed,
      (SELECT count(*) FROM r WHERE r.hired_at IS NOT NULL)::int AS hired,
      (SELECT count(*) FROM h)::int AS hired_6m,
      (SELECT count(*) FROM h WHERE h.retained)::int AS retained_6m`.execute(db);
  return rows[0]!;
}
