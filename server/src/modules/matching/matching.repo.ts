import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { TableRow } from '../../db/schema.ts';
import { regionScope, withinRegion } from '../../platform/access.ts';
// The supply list's definition of "open" is the postings module's.
import { openOn } from '../postings/index.ts';
import type { Actor } from '../../platform/actor.ts';

/**
 * The matching engine's reads. The engine needs every job seeker's and every open posting's
 * matching fields in bulk, in a few columns, which no other module's service offers; these
 * queries only read (the registry and postings own their writes).
 */

export interface SeekerRow
  extends Pick<
    TableRow<'laborer'>,
    | 'id'
    | 'home_village_code'
    | 'birth_date'
    | 'education'
    | 'labor_capacity'
    | 'willingness'
    | 'caring'
    | 'health'
    | 'employment_status'
    | 'poverty_status'
    | 'expected_wage'
    | 'wanted_job_types'
    | 'skills'
    | 'certificates'
  > {
  deleted: boolean;
  /** Occupations of the laborer's past (and current) employments. */
  past_occupations: string[];
}

const seekerColumns = sql`l.id, l.home_village_code, l.birth_date, l.education, l.labor_capacity, l.willingness, l.caring, l.health,
  l.employment_status, l.poverty_status, l.expected_wage, l.wanted_job_types, l.skills, l.certificates, (l.deleted_at IS NOT NULL) AS deleted,
  ARRAY(SELECT DISTINCT e.occupation_code FROM employment e WHERE e.laborer_id = l.id AND e.occupation_code IS NOT NULL) AS past_occupations`;

/** The job-seeker demand list (求职需求清单): not deleted, able to work, not employed. */
const isSeeker = sql`l.deleted_at IS NULL AND l.employment_status = 'unemployed' AND l.labor_capacity IN ('full', 'partial')`;

/** One page of the whole demand list, by id (the index's initial load). */
export async function seekerPage(db: DbOrTx, afterId: number, limit: number): Promise<SeekerRow[]> {
  const { rows } = await sql<SeekerRow>`SELECT ${seekerColumns} FROM laborer l
    WHERE l.id > ${afterId} AND ${isSeeker} ORDER BY l.id LIMIT ${limit}`.execute(db);
  return rows;
}

/**
 * One round trip for a refresh: the next watermark, the supply list's version, and the cards
 * changed since the last watermark (see changeWatermark, seekerChanges, postingsVersion).
 */
export async function refreshProbe(
  db: DbOrTx,
  since: Date,
  afterId: number,
): Promise<{ mark: Date; version: string; changes: SeekerRow[] }> {
  const { rows } = await sql<{ mark: Date; version: string; changes: SeekerRow[] }>`WITH changed AS (
      SELECT ${seekerColumns} FROM laborer l WHERE l.updated_at >= ${since}
      UNION SELECT ${seekerColumns} FROM laborer l WHERE l.id > ${afterId})
    SELECT least(now(), (SELECT min(xact_start) FROM pg_stat_activity
        WHERE datname = current_database() AND state <> 'idle' AND backend_type = 'client backend')) AS mark,
      coalesce((SELECT max(updated_at) FROM posting)::text, '') || '/' || (now() AT TIME ZONE 'Asia/Shanghai')::date || '/' ||
        coalesce((SELECT max(updated_at)::text || count(*) FROM cooperation_agreement), '') AS version,
      (SELECT coalesce(json_agg(c), '[]'::json) FROM changed c) AS changes`.execute(db);
  return rows[0]!;
}

/**
 * A watermark safe to read changes from next time: no transaction still running can commit a
 * row stamped earlier (updated_at is the transaction's start), so take the oldest start.
 */
export async function changeWatermark(db: DbOrTx): Promise<Date> {
  const { rows } = await sql<{ mark: Date }>`SELECT least(now(), (SELECT min(xact_start) FROM pg_stat_activity
      WHERE datname = current_database() AND state <> 'idle' AND backend_type = 'client backend')) AS mark`.execute(db);
  return rows[0]!.mark;
}

/** One card with its matching fields, within the actor's scope. */
export async function seekerById(db: DbOrTx, actor: Actor, id: string): Promise<(SeekerRow & { name: string }) | undefined> {
  const { rows } = await sql<SeekerRow & { name: string }>`SELECT ${seekerColumns}, l.name FROM laborer l
    WHERE l.id = ${id} AND l.deleted_at IS NULL AND ${regionScope(actor, 'l.home_village_code')}`.execute(db);
  return rows[0];
}

/** Cards of a region whose name contains q, or whose pinyin or initials start with it. */
export async function idsByName(db: DbOrTx, regionCode: string, q: string): Promise<Set<number>> {
  const latin = /^[a-z]+$/i.test(q);
  const condition = latin
    ? sql`(l.name_pinyin LIKE ${q.toLowerCase() + '%'} OR l.name_initials LIKE ${q.toLowerCase() + '%'})`
    : sql`l.name LIKE ${'%' + q.replace(/[\\%_]/g, (m) => '\\' + m) + '%'}`;
  const { rows } = await sql<{ id: string }>`SELECT l.id FROM laborer l WHERE l.deleted_at IS NULL
    AND ${withinRegion('l.home_village_code', regionCode)} AND ${condition}`.execute(db);
  return new Set(rows.map((r) => Number(r.id)));
}

export async function seekersByIds(db: DbOrTx, ids: number[]): Promise<SeekerRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<SeekerRow>`SELECT ${seekerColumns} FROM laborer l WHERE l.id = ANY(${ids}::bigint[])`.execute(db);
  return rows;
}

export interface SeekerSummaryRow
  extends Pick<
    TableRow<'laborer'>,
    | 'id'
    | 'name'
    | 'sex'
    | 'birth_date'
    | 'id_masked'
    | 'phone_masked'
    | 'home_village_code'
    | 'education'
    | 'willingness'
    | 'wanted_job_types'
    | 'expected_wage'
  > {
  village_name: string;
}

/** What a list shows of a laborer: masked identifiers only. */
export async function seekerSummaries(db: DbOrTx, ids: number[]): Promise<SeekerSummaryRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<SeekerSummaryRow>`SELECT l.id, l.name, l.sex, l.birth_date, l.id_masked, l.phone_masked,
      l.home_village_code, r.full_name AS village_name, l.education, l.willingness, l.wanted_job_types, l.expected_wage
    FROM laborer l JOIN region r ON r.code = l.home_village_code WHERE l.id = ANY(${ids}::bigint[])`.execute(db);
  return rows;
}

export interface PostingRow
  extends Pick<
    TableRow<'posting'>,
    | 'id'
    | 'employer_id'
    | 'title'
    | 'occupation_code'
    | 'work_region_code'
    | 'headcount'
    | 'filled'
    | 'wage_min'
    | 'wage_max'
    | 'food'
    | 'housing'
    | 'age_min'
    | 'age_max'
    | 'min_education'
    | 'skills'
    | 'certificates'
    | 'reserved_for_poor'
    | 'valid_to'
  > {
  employer_name: string;
  employer_kind: TableRow<'employer'>['kind'];
  place: string;
}

const postingColumns = sql`p.id, p.employer_id, e.name AS employer_name, e.kind AS employer_kind, p.title, p.occupation_code,
  p.work_region_code, coalesce(c.name, '') || coalesce(k.name, '') AS place, p.headcount, p.filled, p.wage_min, p.wage_max,
  p.food, p.housing, p.age_min, p.age_max, p.min_education, p.skills, p.certificates, p.reserved_for_poor, p.valid_to`;
const postingJoins = sql`posting p JOIN employer e ON e.id = p.employer_id
  LEFT JOIN region c ON c.code = left(p.work_region_code, 4) LEFT JOIN region k ON k.code = left(p.work_region_code, 6)`;

/** The job supply list (岗位供给清单): open, valid today, not yet filled. */
export async function openPostings(db: DbOrTx, today: string): Promise<PostingRow[]> {
  const { rows } = await sql<PostingRow>`SELECT ${postingColumns} FROM ${postingJoins}
    WHERE ${openOn('p', today)} ORDER BY p.id`.execute(db);
  return rows;
}

export async function postingById(db: DbOrTx, id: string): Promise<(PostingRow & { status: string; valid_from: string }) | undefined> {
  const { rows } = await sql<PostingRow & { status: string; valid_from: string }>`SELECT ${postingColumns}, p.status, p.valid_from
    FROM ${postingJoins} WHERE p.id = ${id}`.execute(db);
  return rows[0];
}

/** A cheap fingerprint of the posting table: the index reloads when it changes. */
export async function postingsVersion(db: DbOrTx): Promise<string> {
  // Postings are closed, never deleted, and every change stamps updated_at: its maximum (one
  // index probe) and today's date (validity) tell whether the supply list changed.
  const { rows } = await sql<{ v: string }>`SELECT coalesce((SELECT max(updated_at) FROM posting)::text, '') || '/' ||
      (now() AT TIME ZONE 'Asia/Shanghai')::date || '/' || coalesce((SELECT max(updated_at)::text || count(*) FROM cooperation_agreement), '') AS v`.execute(
    db,
  );
  return rows[0]!.v;
}

// Batch runs and their suggestions (proposed referrals).

export interface RunRow
  extends Pick<
    TableRow<'match_run'>,
    'id' | 'region_code' | 'status' | 'phase' | 'done' | 'total' | 'message' | 'created_at' | 'finished_at'
  > {
  region_name: string;
  /** Written by finishRun: counts by name. */
  summary: Record<string, number> | null;
}

const runColumns = sql`m.id, m.region_code, r.full_name AS region_name, m.status, m.phase, m.done, m.total, m.summary, m.message, m.created_at, m.finished_at`;

export async function createRun(db: DbOrTx, regionCode: string, by: string): Promise<string> {
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO match_run (region_code, created_by, phase) VALUES (${regionCode}, ${by}, 'load') RETURNING id`.execute(db);
  return rows[0]!.id;
}

/** A run still going on this region, above it or below it. */
export async function runningOverlapping(db: DbOrTx, regionCode: string): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`SELECT id FROM match_run WHERE status = 'running'
    AND (starts_with(region_code, ${regionCode}) OR starts_with(${regionCode}, region_code)) LIMIT 1`.execute(db);
  return rows[0]?.id;
}

export async function updateRun(db: DbOrTx, id: string, patch: { phase?: string; done?: number; total?: number }): Promise<void> {
  await sql`UPDATE match_run SET phase = coalesce(${patch.phase ?? null}, phase), done = coalesce(${patch.done ?? null}::int, done),
    total = coalesce(${patch.total ?? null}::int, total) WHERE id = ${id}`.execute(db);
}

export async function finishRun(
  db: DbOrTx,
  id: string,
  status: 'done' | 'failed',
  summary: object | null,
  message: string | null,
): Promise<void> {
  await sql`UPDATE match_run SET status = ${status}, phase = NULL, summary = ${summary ? JSON.stringify(summary) : null}::jsonb,
    message = ${message}, finished_at = now(), done = CASE WHEN ${status} = 'done' THEN total ELSE done END WHERE id = ${id}`.execute(db);
}

/** Runs a crash or restart left behind are over: nothing of theirs was written (one transaction). */
export async function failInterruptedRuns(db: DbOrTx): Promise<number> {
  const result = await sql`UPDATE match_run SET status = 'failed', message = '服务重启，本批次中断，请重新运行', finished_at = now()
    WHERE status = 'running'`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function findRun(db: DbOrTx, id: string): Promise<RunRow | undefined> {
  const { rows } =
    await sql<RunRow>`SELECT ${runColumns} FROM match_run m JOIN region r ON r.code = m.region_code WHERE m.id = ${id}`.execute(db);
  return rows[0];
}

/** Recent runs on regions inside the given one (the caller's scope). */
export async function listRuns(db: DbOrTx, within: string, limit: number): Promise<RunRow[]> {
  const { rows } = await sql<RunRow>`SELECT ${runColumns} FROM match_run m JOIN region r ON r.code = m.region_code
    WHERE ${withinRegion('m.region_code', within)} ORDER BY m.created_at DESC, m.id DESC LIMIT ${limit}`.execute(db);
  return rows;
}

export interface SuggestionRow {
  id: string;
  status: string;
  score: number;
  reasons: string[];
  laborer_id: string;
  posting_id: string;
  home_village_code: string;
  total: string;
}

export async function listSuggestions(
  db: DbOrTx,
  actor: Actor,
  runId: string,
  status: string | undefined,
  limit: number,
  offset: number,
): Promise<SuggestionRow[]> {
  const { rows } = await sql<SuggestionRow>`SELECT f.id, f.status, f.score, f.reasons, f.laborer_id, f.posting_id, l.home_village_code,
      count(*) OVER () AS total
    FROM referral f JOIN laborer l ON l.id = f.laborer_id
    WHERE f.match_run_id = ${runId} AND ${regionScope(actor, 'l.home_village_code')}
      AND (${status ?? null}::text IS NULL OR f.status = ${status ?? null})
    ORDER BY f.score DESC, f.id LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return rows;
}

export async function findSuggestion(db: DbOrTx, actor: Actor, id: string): Promise<SuggestionRow | undefined> {
  const { rows } =
    await sql<SuggestionRow>`SELECT f.id, f.status, f.score, f.reasons, f.laborer_id, f.posting_id, l.home_village_code, '1' AS total
    FROM referral f JOIN laborer l ON l.id = f.laborer_id
    WHERE f.id = ${id} AND f.match_run_id IS NOT NULL AND ${regionScope(actor, 'l.home_village_code')} FOR UPDATE OF f`.execute(db);
  return rows[0];
}
