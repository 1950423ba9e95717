import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { TableRow } from '../../db/schema.ts';
import { UNSCOPED, withinRegion } from '../../platform/access.ts';
import { type ConfirmedEmployment, confirmedEmploymentBy, confirmedTransfersBy, openOn } from '../employment/index.ts';
import { peopleAsOf } from '../registry/index.ts';
import { validOn } from '../postings/index.ts';

/**
 * 量化考核: the weights (versioned) and each county's indicator figures, computed from the
 * records, never stored. All counties of a province in one pass per indicator, grouped by the
 * county prefix of the home village (or of the place of work) — the code is the path.
 */

export interface WeightsRow extends Omit<TableRow<'assessment_weights'>, 'set_by'> {
  /** Who set them: the account's display name. */
  set_by: string | null;
}

const weightColumns = sql`w.version, w.cards_complete, w.reconfirmed, w.postings_per_1000, w.referrals_per_1000, w.follow_up_coverage,
  w.target_completion, w.verified_employment, a.display_name AS set_by, w.set_at, w.note`;

export async function currentWeights(db: DbOrTx): Promise<WeightsRow> {
  const { rows } = await sql<WeightsRow>`SELECT ${weightColumns} FROM assessment_weights w LEFT JOIN account a ON a.id = w.set_by
    ORDER BY w.version DESC LIMIT 1`.execute(db);
  return rows[0]!;
}

export async function weightsHistory(db: DbOrTx): Promise<WeightsRow[]> {
  const { rows } = await sql<WeightsRow>`SELECT ${weightColumns} FROM assessment_weights w LEFT JOIN account a ON a.id = w.set_by
    ORDER BY w.version DESC LIMIT 50`.execute(db);
  return rows;
}

/** A new version after the newest (a concurrent writer loses on the primary key and is told to retry). */
export async function insertWeights(db: DbOrTx, w: Omit<WeightsRow, 'version' | 'set_by' | 'set_at'> & { setBy: string }): Promise<number> {
  const { rows } = await sql<{ version: number }>`INSERT INTO assessment_weights (version, cards_complete, reconfirmed, postings_per_1000,
      referrals_per_1000, follow_up_coverage, target_completion, verified_employment, set_by, note)
    SELECT coalesce(max(version), 0) + 1, ${w.cards_complete}, ${w.reconfirmed}, ${w.postings_per_1000}, ${w.referrals_per_1000},
      ${w.follow_up_coverage}, ${w.target_completion}, ${w.verified_employment}, ${w.setBy}, ${w.note} FROM assessment_weights
    RETURNING version`.execute(db);
  return rows[0]!.version;
}

export interface CountyFigures {
  code: string;
  name: string;
  city: string;
  cards: number;
  complete: number;
  confirmed: number;
  unemployed: number;
  postings: number;
  referrals: number;
  follow_ups_due: number;
  follow_ups_done: number;
}

/**
 * Per county of the province (counties with at least one card):
 * - cards: cards not deleted; complete: those with every field the collection form requires
 *   beyond the ones the database already forces — phone, household number, ethnicity, and for a
 *   laborer able to work (full or partial capacity) at least one wanted job type and an expected wage;
 * - confirmed: cards re-confirmed (laborer_confirmation) in [quarterStart, quarterEnd);
 * - unemployed: cards of laborers able to work with no employment open on the date;
 * - postings: postings open on the date (status open, validity covering it) whose place of work
 *   is in the county or that an account of the county published;
 * - referrals: referrals of the county's laborers recommended in the 12 months up to the date;
 * - follow-ups of the county's laborers due in those 12 months (cancelled ones — the job ended
 *   before they fell due — left out), and those done by the date.
 */
export async function countyFigures(
  db: DbOrTx,
  f: {
    province: string;
    asOf: string;
    today: boolean;
    asOfEnd: Date;
    yearAgo: string;
    yearAgoStart: Date;
    quarterStart: Date;
    quarterEnd: Date;
  },
): Promise<CountyFigures[]> {
  const { rows } = await sql<CountyFigures>`WITH
    cards AS (
      SELECT left(l.home_village_code, 6) AS code, count(*)::int AS cards,
        count(*) FILTER (WHERE l.phone_cipher IS NOT NULL AND l.household_code IS NOT NULL AND l.ethnicity IS NOT NULL
          AND (l.labor_capacity NOT IN ('full', 'partial') OR (cardinality(l.wanted_job_types) > 0 AND l.expected_wage IS NOT NULL)))::int AS complete,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM laborer_confirmation k WHERE k.laborer_id = l.id
          AND k.confirmed_at >= ${f.quarterStart} AND k.confirmed_at < ${f.quarterEnd}))::int AS confirmed,
        count(*) FILTER (WHERE l.labor_capacity IN ('full', 'partial') AND NOT EXISTS (SELECT 1 FROM employment e WHERE e.laborer_id = l.id
          AND ${
            f.today
              ? // Today an open employment is one not ended (none starts in the future): the small partial unique index answers.
                sql`e.ended_on IS NULL`
              : openOn('e', f.asOf)
          }))::int AS unemployed
      FROM laborer l
      WHERE ${withinRegion('l.home_village_code', f.province)} AND l.deleted_at IS NULL
      GROUP BY 1),
    open_postings AS (
      SELECT p.id, p.work_region_code, p.created_by FROM posting p
      WHERE ${validOn('p', f.asOf)} AND p.created_at < ${f.asOfEnd}),
    postings AS (
      SELECT x.code, count(DISTINCT x.id)::int AS n FROM (
        SELECT o.id, left(o.work_region_code, 6) AS code FROM open_postings o
        UNION ALL
        SELECT o.id, left(a.region_code, 6) FROM open_postings o JOIN account a ON a.id = o.created_by WHERE length(a.region_code) >= 6) x
      GROUP BY x.code),
    referrals AS (
      SELECT left(l.home_village_code, 6) AS code, count(DISTINCT rf.id)::int AS n
      FROM referral rf JOIN laborer l ON l.id = rf.laborer_id JOIN referral_step s ON s.referral_id = rf.id AND s.status = 'recommended'
      WHERE ${withinRegion('l.home_village_code', f.province)} AND l.deleted_at IS NULL AND s.at >= ${f.yearAgoStart} AND s.at < ${f.asOfEnd}
      GROUP BY 1),
    follow_ups AS (
      SELECT left(l.home_village_code, 6) AS code, count(*)::int AS due,
        count(*) FILTER (WHERE fu.status = 'done' AND fu.done_on <= ${f.asOf}::date)::int AS done
      FROM follow_up fu JOIN laborer l ON l.id = fu.laborer_id
      WHERE ${withinRegion('l.home_village_code', f.province)} AND l.deleted_at IS NULL AND fu.status <> 'cancelled'
        AND fu.due_on > ${f.yearAgo}::date AND fu.due_on <= ${f.asOf}::date
      GROUP BY 1)
    SELECT c.code, coalesce(r.name, c.code) AS name, coalesce(ct.name, '') AS city, c.cards, c.complete, c.confirmed, c.unemployed,
      coalesce(p.n, 0) AS postings, coalesce(rf.n, 0) AS referrals, coalesce(fu.due, 0) AS follow_ups_due, coalesce(fu.done, 0) AS follow_ups_done
    FROM cards c LEFT JOIN region r ON r.code = c.code LEFT JOIN region ct ON ct.code = left(c.code, 4)
      LEFT JOIN postings p ON p.code = c.code LEFT JOIN referrals rf ON rf.code = c.code LEFT JOIN follow_ups fu ON fu.code = c.code
    ORDER BY c.code`.execute(db);
  return rows;
}

/**
 * Issue 21 item 3, per county of the province: the employed on `asOf` and those whose job was
 * confirmed in [from, asOf]; the new transfers of the year and those confirmed (docs/domain.md §10).
 * The people are the statistics' — the province's cards as of the day, by the county of their
 * village then (registry's peopleAsOf) — and the counting is the employment module's readers, one
 * SQL each for all the counties.
 */
export async function countyEvidence(
  db: DbOrTx,
  f: { province: string; asOf: string; from: string },
): Promise<{ employment: Map<string, ConfirmedEmployment>; transfers: Map<string, { newTransfers: number; confirmed: number }> }> {
  const people = sql`SELECT p.laborer_id, left(p.village, 6) AS code FROM (${peopleAsOf(f.province, f.asOf, UNSCOPED)}) p`;
  const [employment, transfers] = await Promise.all([
    confirmedEmploymentBy(db, { people, asOf: f.asOf, from: f.from }),
    confirmedTransfersBy(db, { people, asOf: f.asOf }),
  ]);
  return { employment, transfers };
}

/** A province's figures for a day as computed at `computedAt` (migration 0064): the heavy part of an assessment. */
export interface ComputedFigures {
  computedAt: Date;
  counties: CountyFigures[];
  employment: [string, ConfirmedEmployment][];
  transfers: [string, { newTransfers: number; confirmed: number }][];
}

export async function storedFigures(db: DbOrTx, province: string, asOf: string): Promise<ComputedFigures | null> {
  const { rows } = await sql<{ computed_at: Date; figures: Omit<ComputedFigures, 'computedAt'> }>`
    SELECT computed_at, figures FROM assessment_figures WHERE province = ${province} AND as_of = ${asOf}::date`.execute(db);
  const row = rows[0];
  return row ? { ...row.figures, computedAt: row.computed_at } : null;
}

/** Kept unless a computation that began later is already there (two servers, or a slow one finishing last). */
export async function storeFigures(db: DbOrTx, province: string, asOf: string, figures: ComputedFigures): Promise<void> {
  const { computedAt, ...rest } = figures;
  await sql`INSERT INTO assessment_figures (province, as_of, computed_at, figures)
    VALUES (${province}, ${asOf}::date, ${computedAt}, ${JSON.stringify(rest)}::jsonb)
    ON CONFLICT (province, as_of) DO UPDATE SET computed_at = EXCLUDED.computed_at, figures = EXCLUDED.figures
    WHERE assessment_figures.computed_at < EXCLUDED.computed_at`.execute(db);
}

/** The provinces whose assessment was looked at since `since` and that have no figures for `day` yet. */
export async function provincesWithout(db: DbOrTx, day: string, since: string): Promise<string[]> {
  const { rows } = await sql<{ province: string }>`SELECT DISTINCT province FROM assessment_figures f
    WHERE f.as_of >= ${since}::date AND NOT EXISTS (SELECT 1 FROM assessment_figures t WHERE t.province = f.province AND t.as_of = ${day}::date)
    ORDER BY 1`.execute(db);
  return rows.map((r) => r.province);
}
