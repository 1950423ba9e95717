import { type Expression, type RawBuilder, sql, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';
import { openOn, wageDaysIn, workedIn } from '../employment/index.ts';
import { householdPeopleAsOf } from '../registry/index.ts';

/**
 * SQL of households (docs/domain.md §9). No table holds a household: it is the people whose card
 * version valid at the end of D names its 户编号 (the registry's householdPeopleAsOf), so a move
 * or a change of household today leaves every earlier date as it was. Jobs and income come from
 * the employment module's rules (openOn, workedIn, wageDaysIn). The region figures read the derived
 * state of migration 0062 (households.state.ts computes it; `settle` below keeps it), corrected by
 * this ledger query for the households marked since.
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
  reaches: boolean | null;
}

/** Days of an income window [from, asOf], both included. */
const windowDays = (from: string, asOf: string) => (Date.parse(asOf) - Date.parse(from)) / 86_400_000 + 1;

/**
 * The households as of `asOf` that a set of versions `touch` (a condition on the version `v`),
 * each with every member it had that day — also those registered outside the region that touched
 * it — its head, size (the head's stated 家庭人口, never fewer than its members on the platform),
 * able and employed members, wage-days and income from recorded work over [from, asOf], and
 * whether that income reaches the year's `line` (null: no line set, none reach).
 */
function households(asOf: string, from: string, line: number | null, touch: Expression<SqlBool>) {
  const days = windowDays(from, asOf);
  return sql`
    WITH touched AS (SELECT DISTINCT t.household_code FROM (${householdPeopleAsOf(asOf, touch)}) t),
    m AS MATERIALIZED (${householdPeopleAsOf(asOf, sql`v.household_code = ANY (ARRAY(SELECT household_code FROM touched))`)}),
    jobs AS (
      SELECT e.laborer_id, bool_or(${openOn('e', asOf)}) AS employed, sum(${wageDaysIn('e', from, asOf)}) AS wage_days
        FROM employment e WHERE e.laborer_id IN (SELECT laborer_id FROM m) AND ${workedIn('e', from, asOf)}
       GROUP BY e.laborer_id),
    w AS (SELECT m.*, coalesce(j.employed, false) AS employed, coalesce(j.wage_days, 0) AS wage_days FROM m LEFT JOIN jobs j ON j.laborer_id = m.laborer_id),
    h AS (
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
             sum(w.wage_days)::bigint AS wage_days
        FROM w GROUP BY w.household_code)
    SELECT h.code, h.village, h.head_id, h.head_card, h.head_name, h.head_relation, h.poverty_status, h.size, h.members, h.able, h.employed,
           round(h.wage_days * 12 / ${days}::numeric)::int AS income, ${reaches(line, days)} AS reaches
      FROM h`;
}

/**
 * Income on record reaches the year's line (yuan per person): round(income) ≥ line × size, income
 * being twelve months' wage-days over the window's days — exactly 24 × wage-days ≥ (2 × line × size
 * − 1) × days, in integers (households.state.ts decides it the same way for the derived state).
 * No line set: null.
 */
const reaches = (line: number | null, days: number): RawBuilder<SqlBool | null> =>
  line === null ? sql`null::boolean` : sql`(24 * h.wage_days >= (2 * ${line}::bigint * h.size - 1) * ${days}::bigint)`;

export const FILTERS = {
  all: sql<SqlBool>`true`,
  with_employed: sql<SqlBool>`h.employed > 0`,
  zero_employment: sql<SqlBool>`(h.able > 0 AND h.employed = 0)`,
  reaching_line: sql<SqlBool>`coalesce(h.reaches, false)`,
  below_line: sql<SqlBool>`NOT coalesce(h.reaches, false)`,
} satisfies Record<string, RawBuilder<SqlBool>>;
export type FilterName = keyof typeof FILTERS;

const SUMS = sql.raw(
  'sum(households)::bigint AS households, sum(with_employed)::bigint AS with_employed, sum(zero_employment)::bigint AS zero_employment, sum(reaching_line)::bigint AS reaching_line',
);
const monthStart = (d: string) => `${d.slice(0, 7)}-01`;

/**
 * The region's households as of D (placed by their head's village that day) counted four ways: the
 * derived state (a county's months before D's month and its days up to D; a township's or a
 * village's days), less the rows of the households marked since they were computed, plus those
 * households read from the ledger — one statement, so one snapshot of all three.
 */
export const figuresQuery = (region: string, asOf: string, from: string, line: number | null) => {
  const kept =
    region.length <= 6
      ? sql`SELECT ${SUMS} FROM (
          SELECT households, with_employed, zero_employment, reaching_line FROM household_county_month
           WHERE ${withinRegion('county_code', region)} AND month < ${monthStart(asOf)}::date
          UNION ALL
          SELECT households, with_employed, zero_employment, reaching_line FROM household_county_day
           WHERE ${withinRegion('county_code', region)} AND day >= ${monthStart(asOf)}::date AND day <= ${asOf}::date) k`
      : sql`SELECT ${SUMS} FROM household_village_day WHERE ${withinRegion('village_code', region)} AND day <= ${asOf}::date`;
  return sql<{ households: string; with_employed: string; zero_employment: string; reaching_line: string }>`
    WITH dirty AS MATERIALIZED (SELECT DISTINCT code FROM household_dirty),
    kept AS (${kept}),
    stale AS (
      SELECT ${SUMS} FROM household_delta d
       WHERE d.code IN (SELECT code FROM dirty) AND ${withinRegion('d.village_code', region)} AND d.day <= ${asOf}::date),
    live AS (
      SELECT count(*) AS households,
             count(*) FILTER (WHERE ${FILTERS.with_employed}) AS with_employed,
             count(*) FILTER (WHERE ${FILTERS.zero_employment}) AS zero_employment,
             count(*) FILTER (WHERE ${FILTERS.reaching_line}) AS reaching_line
        FROM (${households(asOf, from, line, sql`v.household_code = ANY (ARRAY(SELECT code FROM dirty))`)}) h
       WHERE ${withinRegion('h.village', region)})
    SELECT coalesce(kept.households, 0) - coalesce(stale.households, 0) + live.households AS households,
           coalesce(kept.with_employed, 0) - coalesce(stale.with_employed, 0) + live.with_employed AS with_employed,
           coalesce(kept.zero_employment, 0) - coalesce(stale.zero_employment, 0) + live.zero_employment AS zero_employment,
           coalesce(kept.reaching_line, 0) - coalesce(stale.reaching_line, 0) + live.reaching_line AS reaching_line
      FROM kept, stale, live`;
};

/** The same four figures read from the ledger alone (what the derived state must equal; tests). */
export async function figuresFromLedger(db: DbOrTx, region: string, asOf: string, from: string, line: number | null) {
  const { rows } = await sql<{ households: string; with_employed: string; zero_employment: string; reaching_line: string }>`
    SELECT count(*) AS households,
           count(*) FILTER (WHERE ${FILTERS.with_employed}) AS with_employed,
           count(*) FILTER (WHERE ${FILTERS.zero_employment}) AS zero_employment,
           count(*) FILTER (WHERE ${FILTERS.reaching_line}) AS reaching_line
      FROM (${households(asOf, from, line, withinRegion('v.home_village_code', region))}) h
     WHERE ${withinRegion('h.village', region)}`.execute(db);
  return toFigures(rows[0]!);
}

const toFigures = (r: { households: string; with_employed: string; zero_employment: string; reaching_line: string }) => ({
  households: Number(r.households),
  withEmployed: Number(r.with_employed),
  zeroEmployment: Number(r.zero_employment),
  reachingLine: Number(r.reaching_line),
});

export async function figures(db: DbOrTx, region: string, asOf: string, from: string, line: number | null) {
  const { rows } = await figuresQuery(region, asOf, from, line).execute(db);
  return toFigures(rows[0]!);
}

/** A page of the region's households as of D that pass the filter, by 户编号, and their total. */
export async function list(
  db: DbOrTx,
  f: { region: string; asOf: string; from: string; line: number | null; filter: FilterName; offset: number; limit: number },
): Promise<{ rows: HouseholdRow[]; total: number }> {
  const { rows } = await sql<HouseholdRow & { total: string }>`
    SELECT h.*, count(*) OVER () AS total
      FROM (${households(f.asOf, f.from, f.line, withinRegion('v.home_village_code', f.region))}) h
     WHERE ${withinRegion('h.village', f.region)} AND ${FILTERS[f.filter]}
     ORDER BY h.code LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return { rows: rows.map(({ total: _, ...r }) => r), total: rows.length ? Number(rows[0]!.total) : 0 };
}

/** One household as of D, or undefined when no card named it that day. */
export async function household(
  db: DbOrTx,
  code: string,
  asOf: string,
  from: string,
  line: number | null,
): Promise<HouseholdRow | undefined> {
  const { rows } = await sql<HouseholdRow>`SELECT h.* FROM (${households(asOf, from, line, sql`v.household_code = ${code}`)}) h`.execute(
    db,
  );
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

// ——— the derived state (migration 0062) ———

/** The lines of all years, for the derived state: yuan per person by year. */
export async function lineMap(db: DbOrTx): Promise<Map<number, number>> {
  const rows = await db.selectFrom('poverty_line').select(['year', 'yuan']).execute();
  return new Map(rows.map((r) => [r.year, r.yuan]));
}

/** How many marks wait (one household may be marked many times). */
export async function dirtyCount(db: DbOrTx): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM household_dirty`.execute(db);
  return Number(rows[0]!.n);
}

/** Whether any household waits for the settler. */
export async function anyDirty(db: DbOrTx): Promise<boolean> {
  const { rows } = await sql<{ any: boolean }>`SELECT EXISTS (SELECT 1 FROM household_dirty) AS any`.execute(db);
  return rows[0]!.any;
}

/** Up to `limit` of the oldest marked households. */
export async function pickDirty(db: DbOrTx, limit: number): Promise<string[]> {
  const { rows } = await sql<{
    code: string;
  }>`SELECT DISTINCT code FROM (SELECT code FROM household_dirty ORDER BY id LIMIT ${limit}) x`.execute(db);
  return rows.map((r) => r.code);
}

/** The marks of these households that this transaction's snapshot sees (later marks stay). */
export async function dropDirty(db: DbOrTx, codes: string[]): Promise<void> {
  await sql`DELETE FROM household_dirty WHERE code = ANY(${codes}::text[])`.execute(db);
}

/** Marks every household: the derived state is computed again from the ledger (a generated province). */
export async function markAll(db: DbOrTx): Promise<void> {
  await sql`INSERT INTO household_dirty (code) SELECT DISTINCT household_code FROM laborer_version WHERE household_code IS NOT NULL`.execute(
    db,
  );
}

export interface DeltaRow {
  code: string;
  village: string;
  day: string;
  households: number;
  withEmployed: number;
  zero: number;
  reaching: number;
}

/**
 * Replaces these households' rows with `rows` and moves the sums by the difference: villages' and
 * counties' days, counties' months. One statement. A (village, day) whose rows cancel (a household
 * settled again unchanged) moves no sum: it was upserted with zeros before, a write per row.
 */
export async function replaceDeltas(db: DbOrTx, codes: string[], rows: DeltaRow[]): Promise<void> {
  const col = <K extends keyof DeltaRow>(k: K) => rows.map((r) => r[k]);
  await sql`
    WITH gone AS (
      DELETE FROM household_delta WHERE code = ANY(${codes}::text[])
      RETURNING village_code, day, -households AS households, -with_employed AS with_employed, -zero_employment AS zero_employment, -reaching_line AS reaching_line),
    added AS (
      INSERT INTO household_delta (code, village_code, day, households, with_employed, zero_employment, reaching_line)
      SELECT * FROM unnest(${col('code')}::text[], ${col('village')}::text[], ${col('day')}::date[], ${col('households')}::int[],
                           ${col('withEmployed')}::int[], ${col('zero')}::int[], ${col('reaching')}::int[])
      RETURNING village_code, day, households, with_employed, zero_employment, reaching_line),
    diff AS (
      SELECT village_code, day, sum(households)::int AS households, sum(with_employed)::int AS with_employed,
             sum(zero_employment)::int AS zero_employment, sum(reaching_line)::int AS reaching_line
        FROM (SELECT * FROM gone UNION ALL SELECT * FROM added) x GROUP BY village_code, day
      HAVING sum(households) <> 0 OR sum(with_employed) <> 0 OR sum(zero_employment) <> 0 OR sum(reaching_line) <> 0),
    villages AS (
      INSERT INTO household_village_day AS t (village_code, day, households, with_employed, zero_employment, reaching_line)
      SELECT * FROM diff
      ON CONFLICT (village_code, day) DO UPDATE SET households = t.households + excluded.households, with_employed = t.with_employed + excluded.with_employed,
        zero_employment = t.zero_employment + excluded.zero_employment, reaching_line = t.reaching_line + excluded.reaching_line),
    counties AS (
      INSERT INTO household_county_day AS t (county_code, day, households, with_employed, zero_employment, reaching_line)
      SELECT left(village_code, 6), day, sum(households), sum(with_employed), sum(zero_employment), sum(reaching_line) FROM diff GROUP BY 1, 2
      ON CONFLICT (county_code, day) DO UPDATE SET households = t.households + excluded.households, with_employed = t.with_employed + excluded.with_employed,
        zero_employment = t.zero_employment + excluded.zero_employment, reaching_line = t.reaching_line + excluded.reaching_line)
    INSERT INTO household_county_month AS t (county_code, month, households, with_employed, zero_employment, reaching_line)
    SELECT left(village_code, 6), date_trunc('month', day)::date, sum(households), sum(with_employed), sum(zero_employment), sum(reaching_line) FROM diff GROUP BY 1, 2
    ON CONFLICT (county_code, month) DO UPDATE SET households = t.households + excluded.households, with_employed = t.with_employed + excluded.with_employed,
      zero_employment = t.zero_employment + excluded.zero_employment, reaching_line = t.reaching_line + excluded.reaching_line`.execute(db);
}
