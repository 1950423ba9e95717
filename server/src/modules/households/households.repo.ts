import { type Expression, type RawBuilder, sql, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';
import { earnedIn, openOn, workedIn } from '../employment/index.ts';
import { householdPeopleAsOf } from '../registry/index.ts';

/**
 * SQL of households (docs/domain.md §9). No table holds a household: it is the people whose card
 * version valid at the end of D names its 户编号 (the registry's householdPeopleAsOf), so a move
 * or a change of household today leaves every earlier date as it was. Jobs and income come from
 * the employment module's rules (openOn, workedIn, earnedIn).
 */

/** An able member: labour capacity full or partial, and not recorded as 不具备就业条件 on the card that day. */
const ABLE = sql<SqlBool>`(w.labor_capacity IN ('full', 'partial') AND w.employment_status <> 'not_working')`;
/** The member who places and names the household: its head (户主) on the card that day, else the first member by person id. */
const FIRST = sql`(w.relation_to_head = '户主') DESC NULLS LAST, w.laborer_id`;

export interface HouseholdRow {
  code: string;
  village: string;
  head_id: string;
  head_card: string;
  head_name: string;
  head_relation: string | null;
  poverty_status: string;
  size: number;
  members: number;
  able: number;
  employed: number;
  income: number;
}

/**
 * The households as of `asOf` that a set of versions `touch` (a condition on the version `v`),
 * each with every member it had that day — also those registered outside the region that touched
 * it — its head, size (the head's stated 家庭人口, never fewer than its members on the platform),
 * able and employed members, and income from recorded work over [from, asOf].
 */
function households(asOf: string, from: string, touch: Expression<SqlBool>) {
  return sql`
    WITH touched AS (SELECT DISTINCT t.household_code FROM (${householdPeopleAsOf(asOf, touch)}) t),
    m AS MATERIALIZED (${householdPeopleAsOf(asOf, sql`v.household_code = ANY (ARRAY(SELECT household_code FROM touched))`)}),
    jobs AS (
      SELECT e.laborer_id, bool_or(${openOn('e', asOf)}) AS employed, sum(${earnedIn('e', from, asOf)}) AS income
        FROM employment e WHERE e.laborer_id IN (SELECT laborer_id FROM m) AND ${workedIn('e', from, asOf)}
       GROUP BY e.laborer_id),
    w AS (SELECT m.*, coalesce(j.employed, false) AS employed, coalesce(j.income, 0) AS income FROM m LEFT JOIN jobs j ON j.laborer_id = m.laborer_id)
    SELECT w.household_code AS code,
           (array_agg(w.village ORDER BY ${FIRST}))[1] AS village,
           (array_agg(w.laborer_id ORDER BY ${FIRST}))[1]::text AS head_id,
           (array_agg(w.card_id ORDER BY ${FIRST}))[1]::text AS head_card,
           (array_agg(w.name ORDER BY ${FIRST}))[1] AS head_name,
           (array_agg(w.relation_to_head ORDER BY ${FIRST}))[1] AS head_relation,
           (array_agg(w.poverty_status ORDER BY ${FIRST}))[1] AS poverty_status,
           greatest(coalesce((array_agg(w.household_size ORDER BY ${FIRST}))[1], 0), count(*))::int AS size,
           count(*)::int AS members,
           (count(*) FILTER (WHERE ${ABLE}))::int AS able,
           (count(*) FILTER (WHERE w.employed))::int AS employed,
           round(sum(w.income))::int AS income
      FROM w GROUP BY w.household_code`;
}

/** The condition of a household row `h` against the year's line (yuan per person); null line: none reach it. */
const reaches = (line: number | null): RawBuilder<SqlBool> =>
  line === null ? sql<SqlBool>`false` : sql<SqlBool>`(h.income >= ${line}::int * h.size)`;

export const FILTERS = {
  all: () => sql<SqlBool>`true`,
  with_employed: () => sql<SqlBool>`h.employed > 0`,
  zero_employment: () => sql<SqlBool>`(h.able > 0 AND h.employed = 0)`,
  reaching_line: reaches,
  below_line: (line: number | null) => sql<SqlBool>`NOT ${reaches(line)}`,
} satisfies Record<string, (line: number | null) => RawBuilder<SqlBool>>;
export type FilterName = keyof typeof FILTERS;

/** The region's households as of D (placed by their head's village that day) counted four ways. */
export const figuresQuery = (region: string, asOf: string, from: string, line: number | null) => sql<{
  households: string;
  with_employed: string;
  zero_employment: string;
  reaching_line: string;
}>`
    SELECT count(*) AS households,
           count(*) FILTER (WHERE ${FILTERS.with_employed()}) AS with_employed,
           count(*) FILTER (WHERE ${FILTERS.zero_employment()}) AS zero_employment,
           count(*) FILTER (WHERE ${reaches(line)}) AS reaching_line
      FROM (${households(asOf, from, withinRegion('v.home_village_code', region))}) h
     WHERE ${withinRegion('h.village', region)}`;

export async function figures(db: DbOrTx, region: string, asOf: string, from: string, line: number | null) {
  const { rows } = await figuresQuery(region, asOf, from, line).execute(db);
  const r = rows[0]!;
  return {
    households: Number(r.households),
    withEmployed: Number(r.with_employed),
    zeroEmployment: Number(r.zero_employment),
    reachingLine: Number(r.reaching_line),
  };
}

/** A page of the region's households as of D that pass the filter, by 户编号, and their total. */
export async function list(
  db: DbOrTx,
  f: { region: string; asOf: string; from: string; line: number | null; filter: FilterName; offset: number; limit: number },
): Promise<{ rows: HouseholdRow[]; total: number }> {
  const { rows } = await sql<HouseholdRow & { total: string }>`
    SELECT h.*, count(*) OVER () AS total
      FROM (${households(f.asOf, f.from, withinRegion('v.home_village_code', f.region))}) h
     WHERE ${withinRegion('h.village', f.region)} AND ${FILTERS[f.filter](f.line)}
     ORDER BY h.code LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return { rows: rows.map(({ total: _, ...r }) => r), total: rows.length ? Number(rows[0]!.total) : 0 };
}

/** One household as of D, or undefined when no card named it that day. */
export async function household(db: DbOrTx, code: string, asOf: string, from: string): Promise<HouseholdRow | undefined> {
  const { rows } = await sql<HouseholdRow>`SELECT h.* FROM (${households(asOf, from, sql`v.household_code = ${code}`)}) h`.execute(db);
  return rows[0];
}

/** Its members as of D, the head first. */
export async function members(db: DbOrTx, code: string, asOf: string) {
  const { rows } = await sql<{
    laborer_id: string;
    card_id: string;
    village: string;
    name: string;
    relation_to_head: string | null;
    labor_capacity: string;
    able: boolean;
  }>`SELECT w.laborer_id::text AS laborer_id, w.card_id::text AS card_id, w.village, w.name, w.relation_to_head, w.labor_capacity, ${ABLE} AS able
      FROM (${householdPeopleAsOf(asOf, sql`v.household_code = ${code}`)}) w ORDER BY ${FIRST}`.execute(db);
  return rows;
}

/** The province's yearly lines, newest year first. */
export async function povertyLines(db: DbOrTx) {
  return db.selectFrom('poverty_line').select(['year', 'yuan', 'set_at']).orderBy('year', 'desc').execute();
}

export async function povertyLine(db: DbOrTx, year: number) {
  return db.selectFrom('poverty_line').select(['year', 'yuan', 'set_at']).where('year', '=', year).executeTakeFirst();
}

/** Sets a year's line; returns the line it replaced (undefined: none). */
export async function setPovertyLine(db: DbOrTx, year: number, yuan: number, by: string) {
  const before = await db.selectFrom('poverty_line').select('yuan').where('year', '=', year).forUpdate().executeTakeFirst();
  const row = await db
    .insertInto('poverty_line')
    .values({ year, yuan, set_by: by })
    .onConflict((oc) => oc.column('year').doUpdateSet({ yuan, set_by: by, set_at: sql`now()` }))
    .returning(['year', 'yuan', 'set_at'])
    .executeTakeFirstOrThrow();
  return { before: before?.yuan, row };
}
