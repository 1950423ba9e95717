import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { TableRow } from '../../db/schema.ts';
import { withinRegion, UNSCOPED } from '../../platform/access.ts';
import { yearStart } from '../../platform/time.ts';
import { ABROAD_REGION } from '../../../../contracts/postings.ts';
import { type ConfirmedEmployment, confirmedEmploymentBy, newTransferOf, openOn } from '../employment/index.ts';
import { cardsOfPeople, peopleAsOf } from '../registry/index.ts';

/**
 * The statistics' SQL (DOMAIN.md, "The statistics"). As-of figures read the derived delta tables
 * of migration 0017 (the rollup's months before the date's month + the villages' days of that
 * month up to the date); period figures (services, subsidies) count their records directly.
 * The drill-down lists and `straightFigures` are the straightforward queries over the normalized
 * tables: they define what the derived tables must equal (tests and bench compare the two).
 */

export interface Measures {
  registered: number;
  employed: number;
  in_county: number;
  in_province: number;
  self_found: number;
  assisted: number;
  wage_sum: number;
  wage_n: number;
  new_transfers: number;
  placed6: number;
  retained6: number;
}
export const MEASURES = [
  'registered',
  'employed',
  'in_county',
  'in_province',
  'self_found',
  'assisted',
  'wage_sum',
  'wage_n',
  'new_transfers',
  'placed6',
  'retained6',
] as const;
export const zeroMeasures = (): Measures => Object.fromEntries(MEASURES.map((m) => [m, 0])) as unknown as Measures;

const sums = sql.raw(MEASURES.map((m) => `sum(${m})::bigint AS ${m}`).join(', '));
const cols = sql.raw(MEASURES.join(', '));
const toMeasures = (r: Record<string, unknown>): Measures =>
  Object.fromEntries(MEASURES.map((m) => [m, Number(r[m] ?? 0)])) as unknown as Measures;
const monthStart = (d: string) => `${d.slice(0, 7)}-01`;

/**
 * The as-of measures of `region`, grouped by the first `groupLength` digits of the code (the
 * region's own length: one row; a child level's length: a row per child with data).
 */
export async function asOfMeasures(db: DbOrTx, region: string, asOf: string, groupLength: number): Promise<Map<string, Measures>> {
  const m = monthStart(asOf);
  // Months come from the county rollup (regions down to a county grouped at most by county), the
  // township rollup (a county's townships, a township itself); a village's figures and a
  // township's villages sum the village days from the beginning.
  const rollupLen = groupLength <= 6 && region.length <= 6 ? 6 : groupLength <= 9 && region.length <= 9 ? 9 : null;
  const months = rollupLen
    ? sql`SELECT code, ${cols} FROM stats_rollup WHERE len = ${rollupLen} AND ${withinRegion('code', region)} AND month < ${m}::date UNION ALL `
    : sql``;
  // The days of the month: whole counties from the county days, anything finer from the villages'.
  const days =
    rollupLen === 6
      ? sql`SELECT county_code AS code, ${cols} FROM stats_county_day WHERE ${withinRegion('county_code', region)} AND day >= ${m}::date AND day <= ${asOf}::date`
      : sql`SELECT village_code AS code, ${cols} FROM stats_village_day WHERE ${withinRegion('village_code', region)} ${rollupLen ? sql`AND day >= ${m}::date` : sql``} AND day <= ${asOf}::date`;
  const { rows } = await sql<
    Record<string, string>
  >`SELECT left(code, ${groupLength}) AS code, ${sums} FROM (${months}${days}) x GROUP BY 1`.execute(db);
  return new Map(rows.map((r) => [r.code!, toMeasures(r)]));
}

export async function staleSince(db: DbOrTx): Promise<string | null> {
  const { rows } = await sql<{ stale_since: Date | null }>`SELECT stale_since FROM stats_state`.execute(db);
  return rows[0]?.stale_since ? rows[0].stale_since.toISOString() : null;
}

/**
 * The state of what `region`'s figures read (migration 0038): a number that grows with every
 * commit that could change them, as this reading sees it, so equal readings bracket one state.
 */
export async function inputVersion(db: DbOrTx, region: string): Promise<string> {
  const { rows } = await sql<{ v: string }>`SELECT stats_input_version(${region})::text AS v`.execute(db);
  return rows[0]!.v;
}

/** Folds the appended change rows into one of the same total, so reading the total stays cheap. */
export async function foldChanges(db: DbOrTx): Promise<void> {
  await sql`SELECT stats_fold_changes()`.execute(db);
}

export async function rebuild(db: DbOrTx): Promise<void> {
  await sql`SELECT stats_rebuild()`.execute(db);
}

// ——— services and subsidies in a period ———

/**
 * The summary's service figures and their kinds: every kind of service (docs/domain.md §6); the
 * article's table prints the first four.
 */
export const SERVICE_COLUMNS = {
  guidance: 'guidance',
  introduction: 'introduction',
  training: 'training',
  entrepreneurship: 'entrepreneurship',
  policySupport: 'policy_support',
} as const;
/**
 * The summary's subsidy figures and their kinds: every kind paid to a laborer (docs/domain.md §6;
 * the workshops' subsidies name no laborer). The article's table prints 培训 training, 社保
 * social_insurance, 岗位 job and 政策扶持 policy_support.
 */
export const SUBSIDY_COLUMNS = {
  training: 'training',
  socialInsurance: 'social_insurance',
  job: 'job',
  policySupport: 'policy_support',
  transport: 'transport',
  oneTimeJob: 'one_time_job',
  publicWelfare: 'public_welfare',
} as const;

/**
 * Person-times per kind: a service counts in the village of its person's card on the day it was
 * given, and only if a card was registered then (`counted`, migration 0029; docs/domain-notes-asof.md §3).
 */
export async function serviceCounts(
  db: DbOrTx,
  region: string,
  from: string,
  to: string,
  groupLength: number,
): Promise<Map<string, Record<string, number>>> {
  const { rows } = await sql<{
    code: string;
    kind: string;
    n: string;
  }>`SELECT left(region_code, ${groupLength}) AS code, kind, count(*) AS n
    FROM service_record s WHERE s.counted AND ${withinRegion('s.region_code', region)} AND s.served_on BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1, 2`.execute(db);
  return byCode(rows);
}

/**
 * Persons paid each kind in the period (subsidies.repo personsByKind's definition, per child): by the
 * day paid, in the village of the person's card that day, only if registered then (docs/domain-notes-asof.md §3).
 */
export async function subsidyPersons(
  db: DbOrTx,
  region: string,
  from: string,
  to: string,
  groupLength: number,
): Promise<Map<string, Record<string, number>>> {
  // Distinct persons by grouping (a hash aggregate) rather than count(DISTINCT …), which sorts every
  // payment of the period on a text key: 337 → 117 ms for the province's first half of 2017
  // (199,189 payments), the same counts (issue 14: the summary's largest share of CPU under load).
  const { rows } = await sql<{ code: string; kind: string; n: string }>`SELECT code, kind, count(*) AS n FROM (
      SELECT left(home_region_code, ${groupLength}) AS code, kind, laborer_id
      FROM subsidy s WHERE s.status = 'paid' AND s.laborer_id IS NOT NULL AND s.counted AND ${withinRegion('s.home_region_code', region)}
        AND s.paid_on BETWEEN ${from}::date AND ${to}::date
      GROUP BY 1, 2, 3) persons
    GROUP BY 1, 2`.execute(db);
  return byCode(rows);
}

function byCode(rows: { code: string; kind: string; n: string }[]) {
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const entry = out.get(r.code) ?? {};
    entry[r.kind] = Number(r.n);
    out.set(r.code, entry);
  }
  return out;
}

// ——— regions and targets ———

export type RegionRow = Pick<TableRow<'region'>, 'code' | 'name' | 'level'>;

export async function region(db: DbOrTx, code: string): Promise<RegionRow | undefined> {
  const { rows } = await sql<RegionRow>`SELECT code, name, level FROM region WHERE code = ${code}`.execute(db);
  return rows[0];
}

export async function children(db: DbOrTx, code: string): Promise<RegionRow[]> {
  const { rows } = await sql<RegionRow>`SELECT code, name, level FROM region WHERE parent_code = ${code} ORDER BY code`.execute(db);
  return rows;
}

export async function counties(db: DbOrTx, code: string): Promise<RegionRow[]> {
  const { rows } =
    await sql<RegionRow>`SELECT code, name, level FROM region WHERE level = 3 AND ${withinRegion('code', code)} ORDER BY code`.execute(db);
  return rows;
}

export async function targets(db: DbOrTx, codes: string[], year: number): Promise<Map<string, number>> {
  if (!codes.length) return new Map();
  const { rows } = await sql<{ region_code: string; new_transfers: number }>`SELECT region_code, new_transfers FROM stats_target
    WHERE year = ${year} AND region_code = ANY(${codes}::text[])`.execute(db);
  return new Map(rows.map((r) => [r.region_code, r.new_transfers]));
}

export async function setTarget(db: DbOrTx, t: { region: string; year: number; newTransfers: number; by: string }): Promise<void> {
  await sql`INSERT INTO stats_target (region_code, year, new_transfers, set_by) VALUES (${t.region}, ${t.year}, ${t.newTransfers}, ${t.by})
    ON CONFLICT (region_code, year) DO UPDATE SET new_transfers = excluded.new_transfers, set_by = excluded.set_by, set_at = now()`.execute(
    db,
  );
}

export async function deleteTarget(db: DbOrTx, regionCode: string, year: number): Promise<boolean> {
  const r = await sql`DELETE FROM stats_target WHERE region_code = ${regionCode} AND year = ${year}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

// ——— the straightforward queries (drill-down lists, the baseline) ———

/** A job `e` abroad (a work place under 境外, regions module abroad.ts; `employment_abroad_idx` holds them). */
const ABROAD_JOB = sql<SqlBool>`left(e.work_region_code, 2) = ${ABROAD_REGION}`;

/**
 * Of the employed out of the province, those working abroad, as of `asOf` (docs/domain.md §12),
 * grouped like asOfMeasures: the jobs abroad open that day of the people in the region that day
 * (by their card's village then). Jobs abroad are few, so this reads them directly — the same
 * people and jobs as the drill-down's `abroad` list — instead of a column of the derived tables:
 * their cards' versions only (cardsOfPeople; 8,000 jobs abroad on the bench province, warm: ~60 ms,
 * where a scope by root over every version took 1.5–3 s).
 */
export async function abroadAsOf(db: DbOrTx, region: string, asOf: string, groupLength: number): Promise<Map<string, number>> {
  const { rows } = await sql<{ code: string; n: string }>`
    SELECT left(r.village, ${groupLength}) AS code, count(*) AS n
      FROM (${cardsAsOf(region, asOf, cardsOfPeople(sql`SELECT e.laborer_id FROM employment e WHERE ${ABROAD_JOB}`))}) r
      JOIN employment e ON e.laborer_id = r.laborer_id AND ${ABROAD_JOB} AND ${openOn('e', asOf)}
     GROUP BY 1`.execute(db);
  return new Map(rows.map((r) => [r.code, Number(r.n)]));
}

/** The people in the region as of d, with their card's village then (the registry's definition). */
export const cardsAsOf = (region: string, asOf: string, scope: Expression<SqlBool>) => peopleAsOf(region, asOf, scope);

export type AsOfFigure =
  | 'registered'
  | 'employed'
  | 'inCounty'
  | 'outOfCountyInProvince'
  | 'outOfProvince'
  | 'abroad'
  | 'selfEmployed'
  | 'throughAssistance'
  | 'averageMonthlyWage'
  | 'newTransfersThisYear';

function figureCondition(figure: AsOfFigure, asOf: string): Expression<SqlBool> {
  const inCounty = sql`left(e.work_region_code, 6) = left(r.village, 6)`;
  const inProvince = sql`left(e.work_region_code, 2) = left(r.village, 2) AND left(e.work_region_code, 6) <> left(r.village, 6)`;
  switch (figure) {
    case 'employed':
      return sql<SqlBool>`e.id IS NOT NULL`;
    case 'inCounty':
      return sql<SqlBool>`e.id IS NOT NULL AND ${inCounty}`;
    case 'outOfCountyInProvince':
      return sql<SqlBool>`e.id IS NOT NULL AND ${inProvince}`;
    case 'outOfProvince':
      return sql<SqlBool>`e.id IS NOT NULL AND left(e.work_region_code, 2) <> left(r.village, 2)`;
    case 'abroad':
      return sql<SqlBool>`e.id IS NOT NULL AND ${ABROAD_JOB}`;
    case 'selfEmployed':
      return sql<SqlBool>`e.id IS NOT NULL AND e.channel = 'self_found'`;
    case 'throughAssistance':
      return sql<SqlBool>`e.id IS NOT NULL AND e.channel = 'assisted'`;
    case 'averageMonthlyWage':
      return sql<SqlBool>`e.id IS NOT NULL AND e.monthly_wage IS NOT NULL`;
    case 'newTransfersThisYear': {
      const jan1 = yearStart(asOf);
      return newTransferOf('r.laborer_id', jan1, asOf);
    }
    default:
      return sql<SqlBool>`true`;
  }
}

export interface DrillRow {
  laborer_id: string;
  laborer_name: string;
  sex: string;
  id_masked: string;
  phone_masked: string | null;
  home_village_code: string;
  village_name: string;
  work_region_code: string | null;
  work_region_name: string | null;
  started_on: string | null;
  monthly_wage: number | null;
  channel: string | null;
  record_date: string | null;
  record_note: string | null;
  total: string;
}

/** The laborers behind an as-of figure (one row per employment for the employment figures). */
export async function drillAsOf(
  db: DbOrTx,
  f: { figure: AsOfFigure; region: string; asOf: string; scope: Expression<SqlBool>; limit: number; offset: number },
) {
  const withJob = f.figure !== 'registered' && f.figure !== 'newTransfersThisYear';
  const job = withJob
    ? sql`LEFT JOIN employment e ON e.laborer_id = r.laborer_id AND ${openOn('e', f.asOf)}`
    : sql`LEFT JOIN LATERAL (SELECT NULL::bigint AS id, NULL::text AS work_region_code, NULL::date AS started_on, NULL::int AS monthly_wage, NULL::text AS channel) e ON true`;
  const { rows } =
    await sql<DrillRow>`SELECT l.id AS laborer_id, l.name AS laborer_name, l.sex, l.id_masked, l.phone_masked, r.village AS home_village_code,
      v.full_name AS village_name, e.work_region_code, w.full_name AS work_region_name, e.started_on::text, e.monthly_wage, e.channel,
      NULL::text AS record_date, NULL::text AS record_note, count(*) OVER () AS total
    FROM (${cardsAsOf(f.region, f.asOf, f.scope)}) r JOIN laborer l ON l.id = r.laborer_id JOIN region v ON v.code = r.village
      ${job} LEFT JOIN region w ON w.code = e.work_region_code
    WHERE ${figureCondition(f.figure, f.asOf)}
    ORDER BY r.village, l.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return rows;
}

/** The service records behind a person-time figure. */
export async function drillServices(
  db: DbOrTx,
  f: { kind: string; region: string; from: string; to: string; scope: Expression<SqlBool>; limit: number; offset: number },
) {
  const { rows } =
    await sql<DrillRow>`SELECT l.id AS laborer_id, l.name AS laborer_name, l.sex, l.id_masked, l.phone_masked, s.region_code AS home_village_code,
      v.full_name AS village_name, NULL::text AS work_region_code, NULL::text AS work_region_name, NULL::text AS started_on, NULL::int AS monthly_wage,
      NULL::text AS channel, s.served_on::text AS record_date, coalesce(s.course, s.provider, s.content) AS record_note, count(*) OVER () AS total
    FROM service_record s JOIN laborer l ON l.id = s.laborer_id JOIN region v ON v.code = s.region_code
    WHERE s.counted AND ${withinRegion('s.region_code', f.region)} AND ${f.scope} AND s.kind = ${f.kind} AND s.served_on BETWEEN ${f.from}::date AND ${f.to}::date
    ORDER BY s.served_on, s.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return rows;
}

/** The persons behind a subsidy figure (one row a person: the last payment of the kind in the period). */
export async function drillSubsidies(
  db: DbOrTx,
  f: { kind: string; region: string; from: string; to: string; scope: Expression<SqlBool>; limit: number; offset: number },
) {
  const { rows } =
    await sql<DrillRow>`SELECT l.id AS laborer_id, l.name AS laborer_name, l.sex, l.id_masked, l.phone_masked, p.home_region_code AS home_village_code,
      v.full_name AS village_name, NULL::text AS work_region_code, NULL::text AS work_region_name, NULL::text AS started_on, NULL::int AS monthly_wage,
      NULL::text AS channel, p.paid_on::text AS record_date, p.amount::text || ' 元' AS record_note, count(*) OVER () AS total
    FROM (SELECT DISTINCT ON (s.laborer_id) s.laborer_id, s.home_region_code, s.paid_on, s.amount FROM subsidy s
      WHERE s.status = 'paid' AND s.laborer_id IS NOT NULL AND s.counted AND ${withinRegion('s.home_region_code', f.region)} AND ${f.scope}
        AND s.kind = ${f.kind} AND s.paid_on BETWEEN ${f.from}::date AND ${f.to}::date
      ORDER BY s.laborer_id, s.paid_on DESC) p
    JOIN laborer l ON l.id = p.laborer_id JOIN region v ON v.code = p.home_region_code
    ORDER BY p.home_region_code, l.id LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return rows;
}

/**
 * Every as-of figure by the straightforward SQL over the normalized tables: cards as of the date
 * joined with the employments open that day (bench/retention.bench.ts's shape), grouped by the
 * first `groupLength` digits of the home village. The baseline the derived tables are measured
 * and checked against.
 */
export async function straightMeasuresBy(
  db: DbOrTx,
  region: string,
  asOf: string,
  groupLength: number,
): Promise<Map<string, Omit<Measures, 'placed6' | 'retained6'>>> {
  const jan1 = yearStart(asOf);
  const { rows } = await sql<Record<string, string>>`
    WITH r AS (${cardsAsOf(region, asOf, UNSCOPED)}),
    cards AS (
      SELECT left(r.village, ${groupLength}) AS code, count(*) AS registered,
        count(*) FILTER (WHERE ${newTransferOf('r.laborer_id', jan1, asOf)}) AS new_transfers
      FROM r GROUP BY 1
    ),
    jobs AS (
      SELECT left(r.village, ${groupLength}) AS code, count(e.id) AS employed,
        count(e.id) FILTER (WHERE left(e.work_region_code, 6) = left(r.village, 6)) AS in_county,
        count(e.id) FILTER (WHERE left(e.work_region_code, 2) = left(r.village, 2) AND left(e.work_region_code, 6) <> left(r.village, 6)) AS in_province,
        count(e.id) FILTER (WHERE e.channel = 'self_found') AS self_found, count(e.id) FILTER (WHERE e.channel = 'assisted') AS assisted,
        coalesce(sum(e.monthly_wage), 0) AS wage_sum, count(e.monthly_wage) AS wage_n
      FROM r JOIN employment e ON e.laborer_id = r.laborer_id AND ${openOn('e', asOf)} GROUP BY 1
    )
    SELECT cards.code, cards.registered, cards.new_transfers, coalesce(jobs.employed, 0) AS employed, coalesce(jobs.in_county, 0) AS in_county,
      coalesce(jobs.in_province, 0) AS in_province, coalesce(jobs.self_found, 0) AS self_found, coalesce(jobs.assisted, 0) AS assisted,
      coalesce(jobs.wage_sum, 0) AS wage_sum, coalesce(jobs.wage_n, 0) AS wage_n
    FROM cards LEFT JOIN jobs ON jobs.code = cards.code`.execute(db);
  return new Map(
    rows.map((r) => [
      r.code!,
      {
        registered: Number(r.registered),
        employed: Number(r.employed),
        in_county: Number(r.in_county),
        in_province: Number(r.in_province),
        self_found: Number(r.self_found),
        assisted: Number(r.assisted),
        wage_sum: Number(r.wage_sum),
        wage_n: Number(r.wage_n),
        new_transfers: Number(r.new_transfers),
      },
    ]),
  );
}

export async function straightMeasures(db: DbOrTx, region: string, asOf: string): Promise<Omit<Measures, 'placed6' | 'retained6'>> {
  const { placed6: _p, retained6: _r, ...zero } = zeroMeasures();
  return (await straightMeasuresBy(db, region, asOf, region.length)).get(region) ?? zero;
}

/**
 * Issue 21 item 3: the employed as of `asOf` (people with an open job, by their card's village that
 * day — the summary's figure) and how many of them had that job confirmed in [from, asOf], by kind:
 * the employment module's reader (one source with the assessment) over the region's cards as of the
 * day — a county reads its cards, not the province's.
 */
export async function verificationAsOf(
  db: DbOrTx,
  q: { region: string; asOf: string; from: string; scope: Expression<SqlBool> },
): Promise<ConfirmedEmployment> {
  const people = sql`SELECT r.laborer_id, ${q.region}::text AS code FROM (${cardsAsOf(q.region, q.asOf, q.scope)}) r`;
  const figures = await confirmedEmploymentBy(db, { people, asOf: q.asOf, from: q.from });
  return figures.get(q.region) ?? { employed: 0, confirmed: 0, follow_up: 0, employer: 0, social_insurance: 0 };
}
