import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion, withinRegionIfGiven } from '../../platform/access.ts';
import { confirmedIn, employmentEmployer, openOn } from '../employment/index.ts';

/**
 * The comparison's SQL (issue 21 item 2). Set-based throughout: the file's lines are loaded in
 * batches into social_insurance_line, and one statement compares them all with the cards (by the
 * ID number's keyed index) and the jobs open on the comparison's day.
 */

export interface ComparisonRow {
  id: string;
  region_code: string;
  region_name: string | null;
  period: string;
  compared_on: string;
  due_on: string;
  file_name: string;
  status: string;
  lines_read: number;
  lines_rejected: number;
  lines_unmatched: number;
  confirmed: number;
  suspected: number;
  unverified: number;
  employer_differs: number;
  created_at: Date;
}

export async function insertComparison(
  db: DbOrTx,
  c: { regionCode: string; period: string; comparedOn: string; dueOn: string; fileName: string; by: string },
): Promise<string> {
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO social_insurance_comparison (region_code, period, compared_on, due_on, file_name, created_by)
    VALUES (${c.regionCode}, ${c.period}, ${c.comparedOn}, ${c.dueOn}, ${c.fileName}, ${c.by}) RETURNING id::text`.execute(db);
  return rows[0]!.id;
}

export interface LineBatch {
  lineNo: number[];
  idIndexHex: string[];
  unitName: (string | null)[];
  creditCode: (string | null)[];
  place: (string | null)[];
  months: number[];
}

/**
 * The staging lines' statistics taken after a file is loaded: without them the planner guessed the
 * size of a freshly filled table and one run of the province's comparison took 60 s, the next over
 * 85 s with another plan. ANALYZE reads a sample (30,000 rows), about a second.
 */
export async function analyzeLines(db: DbOrTx): Promise<void> {
  await sql`ANALYZE social_insurance_line`.execute(db);
}

/** One batch of lines: one statement, arrays unnested (no per-line round trip). */
export async function insertLines(db: DbOrTx, comparisonId: string, b: LineBatch): Promise<void> {
  await sql`INSERT INTO social_insurance_line (comparison_id, line_no, id_index, unit_name, credit_code, place, months)
    SELECT ${comparisonId}::bigint, t.line_no, decode(t.idx, 'hex'), t.unit_name, t.credit_code, t.place, t.months
    FROM unnest(${b.lineNo}::int[], ${b.idIndexHex}::text[], ${b.unitName}::text[], ${b.creditCode}::text[], ${b.place}::text[],
      ${b.months}::smallint[]) AS t (line_no, idx, unit_name, credit_code, place, months)`.execute(db);
}

/** A unit's name as compared: blanks out, full-width brackets as half-width (（有限公司） = (有限公司)). */
const unitKey = (e: RawBuilder<unknown> | Expression<unknown>) => sql`regexp_replace(translate(${e}, '（）', '()'), '\\s', '', 'g')`;

/**
 * The comparison itself, one statement: every laborer of the region lands in one outcome.
 * - contributing (a line with ≥ 1 month for a card of the region; a person on several lines is
 *   compared with the line of the employer on record, else the most months): confirmed when the
 *   job open on `day` is with the same employer (credit code, or unit name), employer_differs when
 *   a job is open elsewhere, suspected when none is;
 * - unverified: a job open on `day`, no contributing line, and no follow-up that found the person
 *   at work in the quarter to `day` (confirmedIn, kind follow_up: [quarterFrom, day]).
 * The file's 参保地 is resolved once per distinct place: a code of the region tree, or a name that
 * only one county, city or province of the tree bears (else left for the reviewer to give).
 */
export async function compare(
  db: DbOrTx,
  c: { comparisonId: string; region: string; day: string; quarterFrom: string; dueOn: string },
): Promise<void> {
  const province = c.region.slice(0, 2);
  // The province's file is hash-joined with its cards and jobs: room for the hash tables in memory
  // for this transaction only, instead of batches spilled to disk.
  await sql`SET LOCAL work_mem = '256MB'`.execute(db);
  await sql`WITH
    contributing AS (
      SELECT DISTINCT ON (l.id) l.id AS laborer_id, l.home_village_code, s.unit_name, s.credit_code, s.place, s.months,
        j.id AS employment_id,
        (j.id IS NOT NULL AND ((s.credit_code IS NOT NULL AND s.credit_code = coalesce(m.credit_code, j.workplace_credit_code))
          OR (s.unit_name IS NOT NULL AND ${unitKey(sql`s.unit_name`)} = ${unitKey(employmentEmployer('j', 'm'))}))) AS same_employer
      FROM social_insurance_line s
      JOIN laborer l ON l.id_index = s.id_index
      LEFT JOIN employment j ON j.laborer_id = l.id AND ${openOn('j', c.day)}
      LEFT JOIN employer m ON m.id = j.employer_id
      WHERE s.comparison_id = ${c.comparisonId} AND s.months > 0 AND l.deleted_at IS NULL AND ${withinRegion('l.home_village_code', c.region)}
      ORDER BY l.id, same_employer DESC, s.months DESC, s.line_no),
    places AS (SELECT DISTINCT place FROM contributing WHERE place IS NOT NULL),
    place_codes AS (
      SELECT p.place, CASE WHEN count(r.code) = 1 THEN min(r.code) END AS code
      FROM places p LEFT JOIN region r ON r.code = p.place
        OR (r.name = p.place AND length(r.code) <= 6 AND ${withinRegion('r.code', province)})
      GROUP BY p.place),
    unverified AS (
      SELECT l.id AS laborer_id, l.home_village_code, j.id AS employment_id
      FROM employment j JOIN laborer l ON l.id = j.laborer_id
      WHERE ${openOn('j', c.day)} AND l.deleted_at IS NULL AND ${withinRegion('l.home_village_code', c.region)}
        AND NOT EXISTS (SELECT 1 FROM contributing x WHERE x.laborer_id = l.id)
        AND NOT ${confirmedIn('j', c.quarterFrom, c.day, 'follow_up')})
    INSERT INTO social_insurance_outcome (comparison_id, laborer_id, home_village_code, outcome, employment_id, unit_name, credit_code,
      place, place_code, months, due_on, status)
    SELECT ${c.comparisonId}::bigint, x.laborer_id, x.home_village_code,
      CASE WHEN x.employment_id IS NULL THEN 'suspected' WHEN x.same_employer THEN 'confirmed' ELSE 'employer_differs' END,
      x.employment_id, x.unit_name, x.credit_code, x.place, pc.code, x.months,
      CASE WHEN x.same_employer THEN NULL ELSE ${c.dueOn}::date END,
      CASE WHEN x.same_employer THEN 'confirmed' ELSE 'open' END
    FROM contributing x LEFT JOIN place_codes pc ON pc.place = x.place
    UNION ALL
    SELECT ${c.comparisonId}::bigint, u.laborer_id, u.home_village_code, 'unverified', u.employment_id, NULL, NULL, NULL, NULL, NULL,
      ${c.dueOn}::date, 'open'
    FROM unverified u`.execute(db);
}

/** The confirmed jobs of a comparison as (employment_id, source_id) for the employment module's evidence writer. */
export const confirmedJobs = (comparisonId: string): RawBuilder<unknown> =>
  sql`SELECT o.employment_id, o.id FROM social_insurance_outcome o WHERE o.comparison_id = ${comparisonId}::bigint AND o.outcome = 'confirmed'`;

/** Lines of the file that match no card of the region (counted, never listed). */
export async function countUnmatched(db: DbOrTx, comparisonId: string, region: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM social_insurance_line s
    WHERE s.comparison_id = ${comparisonId} AND NOT EXISTS (SELECT 1 FROM laborer l WHERE l.id_index = s.id_index
      AND l.deleted_at IS NULL AND ${withinRegion('l.home_village_code', region)})`.execute(db);
  return rows[0]!.n;
}

export async function outcomeCounts(db: DbOrTx, comparisonId: string): Promise<Record<string, number>> {
  const { rows } = await sql<{ outcome: string; n: number }>`SELECT outcome, count(*)::int AS n FROM social_insurance_outcome
    WHERE comparison_id = ${comparisonId} GROUP BY outcome`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
}

export async function deleteLines(db: DbOrTx, comparisonId: string): Promise<void> {
  await sql`DELETE FROM social_insurance_line WHERE comparison_id = ${comparisonId}`.execute(db);
}

export async function finishComparison(
  db: DbOrTx,
  id: string,
  f: { status: 'compared' | 'failed'; read: number; rejected: number; unmatched: number; counts: Record<string, number> },
): Promise<void> {
  await sql`UPDATE social_insurance_comparison SET status = ${f.status}, lines_read = ${f.read}, lines_rejected = ${f.rejected},
      lines_unmatched = ${f.unmatched}, confirmed = ${f.counts.confirmed ?? 0}, suspected = ${f.counts.suspected ?? 0},
      unverified = ${f.counts.unverified ?? 0}, employer_differs = ${f.counts.employer_differs ?? 0}, compared_at = now()
    WHERE id = ${id}`.execute(db);
}

const comparisonColumns = sql`c.id::text AS id, c.region_code, r.full_name AS region_name, c.period, c.compared_on::text AS compared_on,
  c.due_on::text AS due_on, c.file_name, c.status, c.lines_read, c.lines_rejected, c.lines_unmatched, c.confirmed, c.suspected,
  c.unverified, c.employer_differs, c.created_at`;

/**
 * Comparisons an actor sees: those of its region and of the regions above it (a county sees the
 * province's run, whose outcomes for its laborers are its own), and those of regions inside it.
 */
const comparisonScope = (region: string) =>
  sql<SqlBool>`(starts_with(${region}, c.region_code) OR ${withinRegion('c.region_code', region)})`;

export async function findComparison(db: DbOrTx, id: string, region: string): Promise<ComparisonRow | undefined> {
  const { rows } = await sql<ComparisonRow>`SELECT ${comparisonColumns} FROM social_insurance_comparison c
    LEFT JOIN region r ON r.code = c.region_code WHERE c.id = ${id} AND ${comparisonScope(region)}`.execute(db);
  return rows[0];
}

export async function listComparisons(db: DbOrTx, region: string, limit: number, offset: number) {
  const { rows } = await sql<ComparisonRow & { total: number }>`SELECT ${comparisonColumns}, count(*) OVER ()::int AS total
    FROM social_insurance_comparison c LEFT JOIN region r ON r.code = c.region_code
    WHERE ${comparisonScope(region)} ORDER BY c.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return { rows, total: rows[0]?.total ?? 0 };
}

export interface ReviewRow {
  id: string;
  comparison_id: string;
  period: string;
  compared_on: string;
  outcome: 'confirmed' | 'suspected' | 'unverified' | 'employer_differs';
  laborer_id: string;
  laborer_name: string;
  id_masked: string;
  home_village_code: string;
  village_name: string | null;
  employment_id: string | null;
  employment_employer: string | null;
  employment_started_on: string | null;
  unit_name: string | null;
  credit_code: string | null;
  place: string | null;
  place_code: string | null;
  months: number | null;
  due_on: string;
  status: 'open' | 'accepted' | 'rejected';
  reason: string | null;
  decided_at: Date | null;
  result_employment_id: string | null;
}

export interface ReviewFilter {
  scope: Expression<SqlBool>;
  region?: string;
  status?: 'open' | 'overdue' | 'accepted' | 'rejected';
  outcome?: string;
  comparison?: string;
  today: string;
  id?: string;
  limit: number;
  offset: number;
}

const reviewWhere = (f: ReviewFilter) => {
  const parts: Expression<SqlBool>[] = [
    sql<SqlBool>`o.status <> 'confirmed'`,
    f.scope,
    withinRegionIfGiven('o.home_village_code', f.region),
  ];
  if (f.status === 'overdue') parts.push(sql<SqlBool>`o.status = 'open' AND o.due_on < ${f.today}::date`);
  else if (f.status) parts.push(sql<SqlBool>`o.status = ${f.status}`);
  if (f.outcome) parts.push(sql<SqlBool>`o.outcome = ${f.outcome}`);
  if (f.comparison) parts.push(sql<SqlBool>`o.comparison_id = ${f.comparison}`);
  if (f.id) parts.push(sql<SqlBool>`o.id = ${f.id}`);
  return sql.join(parts, sql` AND `);
};

/**
 * A page of the review list and its total. The page's ids are found first, on the outcome alone
 * (migration 0063's index: a region's non-confirmed outcomes), and only those rows are joined
 * with the card, the village, the job and its employer: joined before the LIMIT and counted with
 * a window over the joined rows, a county's ~17,000 reviews took 0.6 s at province scale.
 */
export async function reviews(db: DbOrTx, f: ReviewFilter): Promise<{ rows: ReviewRow[]; total: number }> {
  const { rows } = await sql<ReviewRow>`WITH page AS (
      SELECT o.id FROM social_insurance_outcome o WHERE ${reviewWhere(f)} ORDER BY o.due_on, o.id LIMIT ${f.limit} OFFSET ${f.offset})
    SELECT o.id::text AS id, o.comparison_id::text AS comparison_id, c.period,
      c.compared_on::text AS compared_on, o.outcome, o.laborer_id::text AS laborer_id, l.name AS laborer_name, l.id_masked,
      o.home_village_code, v.full_name AS village_name, o.employment_id::text AS employment_id,
      ${employmentEmployer('j', 'm')} AS employment_employer, j.started_on::text AS employment_started_on,
      o.unit_name, o.credit_code, o.place, o.place_code, o.months, o.due_on::text AS due_on, o.status, o.reason, o.decided_at,
      o.result_employment_id::text AS result_employment_id
    FROM page
      JOIN social_insurance_outcome o ON o.id = page.id
      JOIN social_insurance_comparison c ON c.id = o.comparison_id
      JOIN laborer l ON l.id = o.laborer_id
      LEFT JOIN region v ON v.code = o.home_village_code
      LEFT JOIN employment j ON j.id = o.employment_id
      LEFT JOIN employer m ON m.id = j.employer_id
    ORDER BY o.due_on, o.id`.execute(db);
  // A short page is the last: its total needs no count. A page past the end counts none, as before.
  const total = rows.length === 0 ? 0 : rows.length < f.limit ? f.offset + rows.length : await countReviews(db, f);
  return { rows, total };
}

/** The review list's total for a filter (the workbench's to-do). */
export async function countReviews(db: DbOrTx, f: Omit<ReviewFilter, 'limit' | 'offset'>): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM social_insurance_outcome o WHERE ${reviewWhere({
    ...f,
    limit: 0,
    offset: 0,
  })}`.execute(db);
  return rows[0]!.n;
}

/** A review locked for its decision (two reviewers at once: the second finds it decided). */
export async function lockReview(db: DbOrTx, id: string): Promise<void> {
  await sql`SELECT 1 FROM social_insurance_outcome WHERE id = ${id} FOR UPDATE`.execute(db);
}

export async function decide(
  db: DbOrTx,
  id: string,
  d: { status: 'accepted' | 'rejected'; by: string; reason: string | null; resultEmploymentId: string | null },
): Promise<boolean> {
  const result = await sql`UPDATE social_insurance_outcome SET status = ${d.status}, decided_by = ${d.by}, decided_at = now(),
      reason = ${d.reason}, result_employment_id = ${d.resultEmploymentId}
    WHERE id = ${id} AND status = 'open'`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/**
 * Reviews overdue on `asOf` per county of a province (the county assessment): due before the
 * day and not decided by its end.
 */
export async function overdueByCounty(db: DbOrTx, province: string, asOf: string, asOfEnd: Date): Promise<Map<string, number>> {
  const { rows } = await sql<{ code: string; n: number }>`SELECT left(o.home_village_code, 6) AS code, count(*)::int AS n
    FROM social_insurance_outcome o
    WHERE ${withinRegion('o.home_village_code', province)} AND o.status <> 'confirmed' AND o.due_on < ${asOf}::date
      AND (o.status = 'open' OR o.decided_at >= ${asOfEnd})
    GROUP BY 1`.execute(db);
  return new Map(rows.map((r) => [r.code, r.n]));
}
