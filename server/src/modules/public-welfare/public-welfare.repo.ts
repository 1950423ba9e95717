import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { regionScope, withinRegion } from '../../platform/access.ts';

/**
 * SQL of 公益性岗位: posts, holdings and the days worked. A holding has no dates of its own: it
 * reads them from the employment record the assignment opened (one fact, one source), so a job
 * ended anywhere (the employment page, a follow-up) ends the holding too.
 */

/** Posts and holdings of the actor's region, by the post's place (`p`, the post in every query). */
export const postsInScope = (actor: Actor): Expression<SqlBool> => regionScope(actor, 'p.region_code');
/**
 * Holdings the actor reads and records: on its posts, or of its own villagers (`l`, the holder's
 * card) — the village officer records the days of the village's people on the township's post.
 */
export const holdingsInScope = (actor: Actor): Expression<SqlBool> =>
  sql<SqlBool>`(${regionScope(actor, 'p.region_code')} OR ${regionScope(actor, 'l.home_village_code')})`;

/**
 * The ids of the holdings a list shows the actor (holdingsInScope), each side found by its own
 * index: the OR over the joined rows read every holding of the province and its holder's card (a
 * county's list, 7,727 holdings in the generated province: 77 ms for the count alone, 24 ms so). A
 * deleted card's holdings are seen through their post's region only, as the card itself is no
 * longer in its village's register.
 */
const holdingsSeenBy = (actor: Actor) => sql`SELECT h.id FROM public_welfare_holding h
    JOIN public_welfare_post p ON p.id = h.post_id WHERE ${regionScope(actor, 'p.region_code')}
  UNION
  SELECT h.id FROM laborer l JOIN public_welfare_holding h ON h.laborer_id = l.id
   WHERE ${regionScope(actor, 'l.home_village_code')} AND l.deleted_at IS NULL`;

export interface PostRow {
  id: string;
  name: string;
  employer_id: string | null;
  employer_name: string;
  region_code: string;
  region_name: string;
  monthly_pay: string;
  headcount: number;
  filled: number;
  duties: string | null;
}

const postColumns = sql`p.id::text AS id, p.name, p.employer_id::text AS employer_id, coalesce(em.name, p.employer_name) AS employer_name,
  p.region_code, r.name AS region_name, p.monthly_pay::text AS monthly_pay, p.headcount, p.duties,
  (SELECT count(*)::int FROM public_welfare_holding h JOIN employment e ON e.id = h.employment_id
    WHERE h.post_id = p.id AND e.ended_on IS NULL) AS filled`;

export async function insertPost(
  db: DbOrTx,
  p: {
    name: string;
    employerId: string | null;
    employerName: string | null;
    regionCode: string;
    monthlyPay: number;
    headcount: number;
    duties: string | null;
    by: string;
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO public_welfare_post (name, employer_id, employer_name, region_code, monthly_pay, headcount, duties, created_by)
    VALUES (${p.name}, ${p.employerId}, ${p.employerName}, ${p.regionCode}, ${p.monthlyPay}, ${p.headcount}, ${p.duties}, ${p.by})
    RETURNING id::text AS id`.execute(db);
  return rows[0]!.id;
}

export async function findPost(db: DbOrTx, id: string, scope: Expression<SqlBool>, forUpdate = false): Promise<PostRow | undefined> {
  // The post row is locked first (FOR UPDATE OF p), so two assignments to its last place queue.
  const { rows } = await sql<PostRow>`SELECT ${postColumns}
    FROM public_welfare_post p JOIN region r ON r.code = p.region_code LEFT JOIN employer em ON em.id = p.employer_id
    WHERE p.id = ${id} AND ${scope} ${forUpdate ? sql`FOR UPDATE OF p` : sql``}`.execute(db);
  return rows[0];
}

export async function listPosts(
  db: DbOrTx,
  q: { scope: Expression<SqlBool>; region?: string; limit: number; offset: number },
): Promise<{ rows: PostRow[]; total: number }> {
  const where = sql<SqlBool>`${q.scope} AND ${q.region ? withinRegion('p.region_code', q.region) : sql<SqlBool>`true`}`;
  const { rows } = await sql<PostRow>`SELECT ${postColumns}
    FROM public_welfare_post p JOIN region r ON r.code = p.region_code LEFT JOIN employer em ON em.id = p.employer_id
    WHERE ${where} ORDER BY p.region_code, p.id LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  const { rows: count } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM public_welfare_post p WHERE ${where}`.execute(db);
  return { rows, total: count[0]!.n };
}

/** The card's fields that decide eligibility (labor capacity, the reasons not to go out, the flags). */
export interface CardRow {
  id: string;
  name: string;
  home_village_code: string;
  labor_capacity: string;
  caring: string;
  willingness: string;
  flags: string[];
  deleted: boolean;
}

export async function card(db: DbOrTx, laborerId: string): Promise<CardRow | undefined> {
  const { rows } = await sql<CardRow>`SELECT id::text AS id, name, home_village_code, labor_capacity, caring, willingness, flags,
    deleted_at IS NOT NULL AS deleted FROM laborer WHERE id = ${laborerId}`.execute(db);
  return rows[0];
}

export async function insertHolding(
  db: DbOrTx,
  h: { postId: string; laborerId: string; employmentId: string; by: string },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO public_welfare_holding (post_id, laborer_id, employment_id, assigned_by)
    VALUES (${h.postId}, ${h.laborerId}, ${h.employmentId}, ${h.by}) RETURNING id::text AS id`.execute(db);
  return rows[0]!.id;
}

export interface HoldingRow {
  id: string;
  post_id: string;
  post_name: string;
  monthly_pay: string;
  post_region_name: string;
  laborer_id: string;
  laborer_name: string;
  id_masked: string;
  village_name: string;
  employment_id: string;
  started_on: string;
  ended_on: string | null;
  end_reason: string | null;
}

const holdingFrom = sql`public_welfare_holding h
  JOIN public_welfare_post p ON p.id = h.post_id
  JOIN region pr ON pr.code = p.region_code
  JOIN employment e ON e.id = h.employment_id
  JOIN laborer l ON l.id = h.laborer_id
  JOIN region v ON v.code = l.home_village_code`;
const holdingColumns = sql`h.id::text AS id, p.id::text AS post_id, p.name AS post_name, p.monthly_pay::text AS monthly_pay,
  pr.name AS post_region_name, l.id::text AS laborer_id, l.name AS laborer_name, l.id_masked, v.name AS village_name,
  e.id::text AS employment_id, to_char(e.started_on, 'YYYY-MM-DD') AS started_on, to_char(e.ended_on, 'YYYY-MM-DD') AS ended_on,
  e.end_reason`;

export async function findHolding(db: DbOrTx, id: string, scope: Expression<SqlBool>, forUpdate = false): Promise<HoldingRow | undefined> {
  const { rows } = await sql<HoldingRow>`SELECT ${holdingColumns} FROM ${holdingFrom}
    WHERE h.id = ${id} AND ${scope} ${forUpdate ? sql`FOR UPDATE OF h` : sql``}`.execute(db);
  return rows[0];
}

export async function listHoldings(
  db: DbOrTx,
  q: { actor: Actor; region?: string; post?: string; status?: 'open' | 'ended'; limit: number; offset: number },
): Promise<{ rows: HoldingRow[]; total: number }> {
  const where: Expression<SqlBool>[] = [sql<SqlBool>`h.id = seen.id`];
  if (q.region) where.push(withinRegion('p.region_code', q.region));
  if (q.post) where.push(sql<SqlBool>`h.post_id = ${q.post}`);
  if (q.status === 'open') where.push(sql<SqlBool>`e.ended_on IS NULL`);
  if (q.status === 'ended') where.push(sql<SqlBool>`e.ended_on IS NOT NULL`);
  const condition = sql.join(where, sql` AND `);
  const seen = sql`WITH seen AS (${holdingsSeenBy(q.actor)})`;
  const { rows } = await sql<HoldingRow>`${seen} SELECT ${holdingColumns} FROM seen, ${holdingFrom}
    WHERE ${condition} ORDER BY (e.ended_on IS NULL) DESC, e.started_on DESC, h.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  const { rows: count } = await sql<{ n: number }>`${seen} SELECT count(*)::int AS n FROM seen, ${holdingFrom} WHERE ${condition}`.execute(
    db,
  );
  return { rows, total: count[0]!.n };
}

export async function markExited(db: DbOrTx, id: string, by: string): Promise<void> {
  await sql`UPDATE public_welfare_holding SET exited_by = ${by}, exited_at = now() WHERE id = ${id}`.execute(db);
}

export interface AttendanceRow {
  month: string;
  days_worked: number;
  pay: string;
  subsidy_id: string | null;
}

export async function attendanceOf(db: DbOrTx, holdingId: string, month?: string): Promise<AttendanceRow[]> {
  const { rows } = await sql<AttendanceRow>`SELECT month, days_worked, pay::text AS pay, subsidy_id::text AS subsidy_id
    FROM public_welfare_attendance WHERE holding_id = ${holdingId} ${month ? sql`AND month = ${month}` : sql``}
    ORDER BY month DESC ${month ? sql`FOR UPDATE` : sql``}`.execute(db);
  return rows;
}

export async function upsertAttendance(
  db: DbOrTx,
  a: { holdingId: string; month: string; daysWorked: number; pay: number; by: string },
): Promise<void> {
  await sql`INSERT INTO public_welfare_attendance (holding_id, month, days_worked, pay, recorded_by)
    VALUES (${a.holdingId}, ${a.month}, ${a.daysWorked}, ${a.pay}, ${a.by})
    ON CONFLICT (holding_id, month) DO UPDATE SET days_worked = EXCLUDED.days_worked, pay = EXCLUDED.pay, subsidy_id = NULL,
      recorded_by = EXCLUDED.recorded_by, recorded_at = now()`.execute(db);
}

/**
 * The month's attendance with pay on the actor's posts in a region, locked, with the person it
 * pays and the subsidy it was drafted as (the service asks the subsidies module whether that one
 * still stands).
 */
export async function attendanceOfMonth(
  db: DbOrTx,
  q: { month: string; scope: Expression<SqlBool>; region: string },
): Promise<{ holding_id: string; laborer_id: string; pay: string; subsidy_id: string | null }[]> {
  const { rows } = await sql<{ holding_id: string; laborer_id: string; pay: string; subsidy_id: string | null }>`
    SELECT a.holding_id::text AS holding_id, h.laborer_id::text AS laborer_id, a.pay::text AS pay, a.subsidy_id::text AS subsidy_id
    FROM public_welfare_attendance a
    JOIN public_welfare_holding h ON h.id = a.holding_id
    JOIN public_welfare_post p ON p.id = h.post_id
    WHERE a.month = ${q.month} AND a.pay > 0 AND ${q.scope} AND ${withinRegion('p.region_code', q.region)}
    ORDER BY h.laborer_id, a.holding_id
    FOR UPDATE OF a`.execute(db);
  return rows;
}

export async function setSubsidy(db: DbOrTx, holdingIds: readonly string[], month: string, subsidyId: string): Promise<void> {
  await sql`UPDATE public_welfare_attendance SET subsidy_id = ${subsidyId}
    WHERE holding_id = ANY(${holdingIds}::bigint[]) AND month = ${month}`.execute(db);
}
