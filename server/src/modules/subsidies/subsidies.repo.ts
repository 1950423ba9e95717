import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { ExchangeSubsidy } from '../../../../contracts/exchange.ts';
import type { SubsidyListQueryInput } from '../../../../contracts/subsidies.ts';
import type { DbOrTx } from '../../db/database.ts';
import type { TableRow } from '../../db/schema.ts';
import type { Actor } from '../../platform/actor.ts';
import { withinRegion } from '../../platform/access.ts';
import { addDays } from '../../platform/time.ts';

/** A list's filters on `s`, the subsidy in every subsidy query. */
export function listConditions(
  query: Pick<SubsidyListQueryInput, 'status' | 'kind' | 'recipient' | 'laborer' | 'employer' | 'queue'>,
  actor: Actor,
): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  if (query.status) where.push(sql<SqlBool>`s.status = ${query.status}`);
  if (query.kind) where.push(sql<SqlBool>`s.kind = ${query.kind}`);
  if (query.recipient) where.push(sql<SqlBool>`s.recipient = ${query.recipient}`);
  if (query.laborer) where.push(sql<SqlBool>`s.laborer_id = ${query.laborer}`);
  if (query.employer) where.push(sql<SqlBool>`s.employer_id = ${query.employer}`);
  if (query.queue) {
    // The approval queue: applications administered in the caller's region, not their own.
    where.push(
      sql<SqlBool>`s.status = 'applied' AND s.applied_by IS DISTINCT FROM ${actor.id}::bigint AND ${withinRegion('s.region_code', actor.regionCode)}`,
    );
  }
  return where;
}

/**
 * SQL of subsidies (补贴). The database keeps a subsidy from being granted twice for the same
 * person, kind and period (exclusion constraints subsidy_laborer_once / subsidy_employer_once over
 * the period's daterange, rejected ones aside) and a paid one from changing (trigger
 * subsidy_status_guard); this file reads the employment records (table employment) to decide
 * whether a period was spent at work and who is eligible for the retention subsidy.
 */

export interface LaborerRef extends Pick<TableRow<'laborer'>, 'id' | 'home_village_code' | 'name' | 'birth_date'> {
  deleted: boolean;
}
export type EmployerRef = Pick<TableRow<'employer'>, 'id' | 'name' | 'kind' | 'region_code'>;

export async function findLaborer(db: DbOrTx, id: string): Promise<LaborerRef | undefined> {
  const { rows } =
    await sql<LaborerRef>`SELECT id::text AS id, home_village_code, name, birth_date, deleted_at IS NOT NULL AS deleted FROM laborer WHERE id = ${id}`.execute(
      db,
    );
  return rows[0];
}

export async function findEmployer(db: DbOrTx, id: string): Promise<EmployerRef | undefined> {
  const { rows } = await sql<EmployerRef>`SELECT id::text AS id, name, kind, region_code FROM employer WHERE id = ${id}`.execute(db);
  return rows[0];
}

/**
 * Whether the laborer's employment records cover every day of [from, to] (several consecutive
 * jobs may), and the days at work they do cover in it, for the refusal's message.
 */
export async function employmentCoverage(
  db: DbOrTx,
  laborerId: string,
  from: string,
  to: string,
): Promise<{ covered: boolean; spans: string[] }> {
  const { rows } = await sql<{ covered: boolean | null; spans: string | null }>`
    SELECT range_agg(daterange(started_on, ended_on, '[]')) @> daterange(${from}::date, ${to}::date, '[]') AS covered,
      (range_agg(daterange(started_on, ended_on, '[]')) * datemultirange(daterange(${from}::date, ${to}::date, '[]')))::text AS spans
    FROM employment
    WHERE laborer_id = ${laborerId} AND started_on <= ${to}::date AND (ended_on IS NULL OR ended_on >= ${from}::date)`.execute(db);
  // '{[2017-03-01,2017-06-16)}' → '2017-03-01 至 2017-06-15' (a daterange's upper bound is exclusive).
  const spans = (rows[0]?.spans ?? '{}')
    .replace(/[{}]/g, '')
    .split(/(?<=[\])]),/)
    .filter(Boolean)
    .map((span) => {
      const [, lower, upper] = /^\[([\d-]+),([\d-]+)?\)$/.exec(span) ?? [];
      if (!lower) return span;
      const last = upper ? addDays(upper, -1) : null;
      return `${lower} 至 ${last ?? '今'}`;
    });
  return { covered: rows[0]?.covered === true, spans };
}

export async function overlapping(
  db: DbOrTx,
  s: { laborerId: string | null; employerId: string | null; kind: string; from: string; to: string },
): Promise<{ id: string; status: string; period_from: string; period_to: string } | undefined> {
  const who = s.laborerId ? sql`laborer_id = ${s.laborerId}` : sql`laborer_id IS NULL AND employer_id = ${s.employerId}`;
  const { rows } = await sql<{ id: string; status: string; period_from: string; period_to: string }>`
    SELECT id::text AS id, status, period_from, period_to FROM subsidy
    WHERE ${who} AND kind = ${s.kind} AND status <> 'rejected'
      AND daterange(period_from, period_to, '[]') && daterange(${s.from}::date, ${s.to}::date, '[]')
    ORDER BY id LIMIT 1`.execute(db);
  return rows[0];
}

export interface NewSubsidy {
  recipient: 'laborer' | 'employer';
  kind: string;
  laborerId: string | null;
  employerId: string | null;
  regionCode: string;
  homeRegionCode: string | null;
  amount: number;
  from: string;
  to: string;
  note: string | null;
  by: string;
  bankAccount?: string | null;
}

export async function insertSubsidy(db: DbOrTx, s: NewSubsidy): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO subsidy (recipient, kind, laborer_id, employer_id, region_code, home_region_code, amount, period_from, period_to, note, applied_by, bank_account)
    VALUES (${s.recipient}, ${s.kind}, ${s.laborerId}, ${s.employerId}, ${s.regionCode}, ${s.homeRegionCode}, ${s.amount}, ${s.from}, ${s.to}, ${s.note}, ${s.by}, ${s.bankAccount ?? null})
    RETURNING id::text AS id`.execute(db);
  return rows[0]!.id;
}

export interface SubsidyRow {
  id: string;
  recipient: 'laborer' | 'employer' | 'broker';
  kind: string;
  laborer_id: string | null;
  laborer_name: string | null;
  id_masked: string | null;
  village_code: string | null;
  village_name: string | null;
  employer_id: string | null;
  employer_name: string | null;
  employer_kind: string | null;
  broker_id: string | null;
  broker_name: string | null;
  region_code: string;
  region_name: string;
  amount: string;
  period_from: string;
  period_to: string;
  status: 'applied' | 'approved' | 'paid' | 'rejected';
  note: string | null;
  applied_by: string | null;
  applied_by_name: string | null;
  applied_at: Date;
  approved_by_name: string | null;
  approved_at: Date | null;
  paid_by_name: string | null;
  paid_at: Date | null;
  paid_on: string | null;
  payment_ref: string | null;
  rejected_by_name: string | null;
  rejected_at: Date | null;
  reject_reason: string | null;
  bank_account: string | null;
}

const SUBSIDY_SELECT = sql`
  SELECT s.id::text AS id, s.recipient, s.kind, s.laborer_id::text AS laborer_id, l.name AS laborer_name, l.id_masked,
    s.home_region_code AS village_code, v.name AS village_name, s.employer_id::text AS employer_id, m.name AS employer_name, m.kind AS employer_kind,
    s.broker_id::text AS broker_id, bk.display_name AS broker_name, s.region_code, rg.name AS region_name, s.amount::text AS amount, s.period_from, s.period_to, s.status, s.note,
    s.applied_by::text AS applied_by, ap.display_name AS applied_by_name, s.applied_at, av.display_name AS approved_by_name, s.approved_at,
    pa.display_name AS paid_by_name, s.paid_at, s.paid_on, s.payment_ref, rj.display_name AS rejected_by_name, s.rejected_at, s.reject_reason,
    s.bank_account
  FROM subsidy s
  JOIN region rg ON rg.code = s.region_code
  LEFT JOIN laborer l ON l.id = s.laborer_id
  LEFT JOIN region v ON v.code = s.home_region_code
  LEFT JOIN employer m ON m.id = s.employer_id
  LEFT JOIN account bk ON bk.id = s.broker_id
  LEFT JOIN account ap ON ap.id = s.applied_by
  LEFT JOIN account av ON av.id = s.approved_by
  LEFT JOIN account pa ON pa.id = s.paid_by
  LEFT JOIN account rj ON rj.id = s.rejected_by`;

/** Visible: administered in the region, or for a laborer whose home is in it. */
export const visibleIn = (region: string): Expression<SqlBool> =>
  sql<SqlBool>`(${withinRegion('s.region_code', region)} OR ${withinRegion('s.home_region_code', region)})`;

export async function findSubsidy(db: DbOrTx, id: string, scope: Expression<SqlBool>): Promise<SubsidyRow | undefined> {
  const { rows } = await sql<SubsidyRow>`${SUBSIDY_SELECT} WHERE s.id = ${id} AND ${scope}`.execute(db);
  return rows[0];
}

export async function listSubsidies(
  db: DbOrTx,
  q: {
    where: Expression<SqlBool>[];
    limit: number;
    offset: number;
  },
): Promise<{ rows: SubsidyRow[]; total: number; amount: number }> {
  const condition = sql.join(q.where, sql` AND `);
  const [{ rows }, { rows: count }] = await Promise.all([
    sql<SubsidyRow>`${SUBSIDY_SELECT} WHERE ${condition} ORDER BY s.applied_at DESC, s.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(
      db,
    ),
    sql<{ n: string; amount: string | null }>`SELECT count(*) AS n, sum(amount)::text AS amount FROM subsidy s WHERE ${condition}`.execute(
      db,
    ),
  ]);
  return { rows, total: Number(count[0]!.n), amount: Number(count[0]!.amount ?? 0) };
}

/** The status moves, each a conditional UPDATE: under concurrent requests only one finds the row in the status it expects. */
export async function approve(db: DbOrTx, id: string, by: string, region: string, note: string | null): Promise<boolean> {
  const result = await sql`UPDATE subsidy s SET status = 'approved', approved_by = ${by}, approved_at = now(),
      note = CASE WHEN ${note}::text IS NULL THEN note ELSE concat_ws('；', note, ${note}::text) END
    WHERE s.id = ${id} AND s.status = 'applied' AND s.applied_by IS DISTINCT FROM ${by}::bigint AND ${withinRegion('s.region_code', region)}`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0) === 1;
}

/** Paid on a day not before the day it was approved (China time). */
export async function pay(db: DbOrTx, id: string, by: string, region: string, paidOn: string, paymentRef: string | null): Promise<boolean> {
  const result =
    await sql`UPDATE subsidy s SET status = 'paid', paid_by = ${by}, paid_at = now(), paid_on = ${paidOn}, payment_ref = ${paymentRef}
    WHERE s.id = ${id} AND s.status = 'approved' AND (s.approved_at AT TIME ZONE 'Asia/Shanghai')::date <= ${paidOn}::date
      AND s.bank_account_changed_by IS DISTINCT FROM ${by}::bigint AND ${withinRegion('s.region_code', region)}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

export async function reject(db: DbOrTx, id: string, by: string, region: string, reason: string): Promise<boolean> {
  const result = await sql`UPDATE subsidy s SET status = 'rejected', rejected_by = ${by}, rejected_at = now(), reject_reason = ${reason}
    WHERE s.id = ${id} AND s.status IN ('applied', 'approved') AND ${withinRegion('s.region_code', region)}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/** The bare row, whatever the scope: to say why a move was refused. */
export interface SubsidyStatusRow {
  status: string;
  region_code: string;
  home_region_code: string | null;
  applied_by: string | null;
  /** Who last gave or corrected its bank account after the application (may not pay it). */
  account_changed_by: string | null;
  /** The day it was approved, China time. */
  approved_on: string | null;
}
export async function statusOf(db: DbOrTx, id: string): Promise<SubsidyStatusRow | undefined> {
  const { rows } = await sql<SubsidyStatusRow>`
    SELECT status, region_code, home_region_code, applied_by::text AS applied_by,
      to_char(approved_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS approved_on, bank_account_changed_by::text AS account_changed_by
    FROM subsidy WHERE id = ${id}`.execute(db);
  return rows[0];
}

/** A workshop subsidy's unit and period (an employer's subsidy other than retention), for the standing check on approval and payment. */
export async function workshopPeriodOf(
  db: DbOrTx,
  id: string,
): Promise<{ employer_id: string; employer_name: string; kind: string; period_from: string; period_to: string } | undefined> {
  const { rows } = await sql<{ employer_id: string; employer_name: string; kind: string; period_from: string; period_to: string }>`
    SELECT s.employer_id::text AS employer_id, m.name AS employer_name, s.kind, s.period_from, s.period_to
      FROM subsidy s JOIN employer m ON m.id = s.employer_id
     WHERE s.id = ${id} AND s.recipient = 'employer' AND s.kind <> 'retention'`.execute(db);
  return rows[0];
}

/** The count and yuan of the given subsidies (a batch's answer, after its moves). */
export async function totalOf(db: DbOrTx, ids: readonly string[]): Promise<{ count: number; amount: number }> {
  const { rows } = await sql<{ n: string; amount: string | null }>`
    SELECT count(*) AS n, sum(amount)::text AS amount FROM subsidy WHERE id = ANY(${ids}::bigint[])`.execute(db);
  return { count: Number(rows[0]!.n), amount: Number(rows[0]!.amount ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// The retention subsidy (稳岗补贴): 1,000 yuan per laborer per year to an employer that kept a
// poor laborer at work continuously for more than a year (the second article, 长沙's rule).

export interface EligibleRow {
  laborer_id: string;
  laborer_name: string;
  id_masked: string;
  village_code: string;
  village_name: string;
  employer_id: string;
  employer_name: string;
  employer_kind: string;
  employer_region: string;
  since: string;
  until: string | null;
  months: number;
  existing_id: string | null;
  existing_status: string | null;
  existing_employer: string | null;
  /** Eligible in all; of them without a subsidy yet; of them listed (onlyNew lists the fresh ones). */
  total: string;
  fresh: string;
  listed: string;
}

/**
 * Eligible for year Y at employer E (E in the region): a continuous spell at E — its employment
 * records joined when one starts at most a day after the previous one ended — that reaches into Y
 * and has lasted more than a year by the end of Y or by its own end, whichever comes first; the
 * laborer's card not deleted. One set-based pass: the records of the region's employers, a window
 * marking where a new spell starts, a running sum numbering the spells, one GROUP BY.
 */
export function eligibleCte(q: {
  region: string;
  year: number;
  toYear?: number;
  laborerId?: string;
  employerId?: string;
}): RawBuilder<unknown> {
  const lastYear = q.toYear ?? q.year;
  const filters = [
    withinRegion('m.region_code', q.region),
    sql<SqlBool>`e.employer_id IS NOT NULL AND e.started_on <= ${`${lastYear}-12-31`}::date`,
    ...(q.laborerId ? [sql<SqlBool>`e.laborer_id = ${q.laborerId}`] : []),
    ...(q.employerId ? [sql<SqlBool>`e.employer_id = ${q.employerId}`] : []),
  ];
  return sql`
    recs AS (
      SELECT e.id, e.laborer_id, e.employer_id, e.started_on, coalesce(e.ended_on, 'infinity'::date) AS ended
      FROM employment e JOIN employer m ON m.id = e.employer_id
      WHERE ${sql.join(filters, sql` AND `)}
    ),
    marked AS (
      SELECT r.*, CASE WHEN r.started_on <= max(r.ended) OVER w + 1 THEN 0 ELSE 1 END AS fresh_spell
      FROM recs r
      WINDOW w AS (PARTITION BY r.laborer_id, r.employer_id ORDER BY r.started_on, r.id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ),
    numbered AS (
      SELECT laborer_id, employer_id, started_on, ended,
        sum(fresh_spell) OVER (PARTITION BY laborer_id, employer_id ORDER BY started_on, id) AS spell
      FROM marked
    ),
    spells AS (
      SELECT laborer_id, employer_id, min(started_on) AS since, max(ended) AS until
      FROM numbered GROUP BY laborer_id, employer_id, spell
    ),
    eligible AS (
      SELECT DISTINCT ON (sp.laborer_id, y.year) sp.laborer_id, sp.employer_id, sp.since, sp.until, y.year,
        make_date(y.year, 1, 1) AS year_start, make_date(y.year, 12, 31) AS year_end
      FROM spells sp
      JOIN laborer l ON l.id = sp.laborer_id AND l.deleted_at IS NULL
      JOIN generate_series(${q.year}::int, ${lastYear}::int) AS y(year)
        ON sp.until >= make_date(y.year, 1, 1) AND least(sp.until, make_date(y.year, 12, 31)) >= (sp.since + interval '1 year')::date
      ORDER BY sp.laborer_id, y.year, sp.since
    ),
    judged AS (
      SELECT el.*, x.id AS existing_id, x.status AS existing_status, x.employer_id AS existing_employer
      FROM eligible el
      LEFT JOIN LATERAL (
        SELECT s.id, s.status, s.employer_id FROM subsidy s
        WHERE s.laborer_id = el.laborer_id AND s.kind = 'retention' AND s.status <> 'rejected'
          AND daterange(s.period_from, s.period_to, '[]') && daterange(el.year_start, el.year_end, '[]')
        ORDER BY s.id LIMIT 1
      ) x ON true
    )`;
}

/** The eligible laborers of the region's employers for the year, with any subsidy they already have; paged, with the totals. */
export async function retentionEligible(
  db: DbOrTx,
  q: {
    region: string;
    year: number;
    onlyNew?: boolean;
    laborerId?: string;
    employerId?: string;
    limit?: number;
    offset?: number;
  },
): Promise<EligibleRow[]> {
  const end = `${q.year}-12-31`;
  const { rows } = await sql<EligibleRow>`
    WITH ${eligibleCte(q)},
    counted AS (SELECT *, count(*) OVER () AS total, count(*) FILTER (WHERE existing_id IS NULL) OVER () AS fresh FROM judged),
    listed AS (SELECT *, count(*) OVER () AS listed FROM counted ${q.onlyNew ? sql`WHERE existing_id IS NULL` : sql``})
    SELECT j.laborer_id::text AS laborer_id, l.name AS laborer_name, l.id_masked, l.home_village_code AS village_code, v.name AS village_name,
      j.employer_id::text AS employer_id, m.name AS employer_name, m.kind AS employer_kind, m.region_code AS employer_region,
      j.since, CASE WHEN j.until = 'infinity'::date THEN NULL ELSE j.until END AS until,
      ((extract(year FROM age(least(j.until, ${end}::date) + 1, j.since)) * 12 + extract(month FROM age(least(j.until, ${end}::date) + 1, j.since))))::int AS months,
      j.existing_id::text AS existing_id, j.existing_status, j.existing_employer::text AS existing_employer,
      j.total, j.fresh, j.listed
    FROM listed j
    JOIN laborer l ON l.id = j.laborer_id
    JOIN region v ON v.code = l.home_village_code
    JOIN employer m ON m.id = j.employer_id
    ORDER BY m.region_code, m.id, l.home_village_code, l.id
    ${q.limit !== undefined ? sql`LIMIT ${q.limit} OFFSET ${q.offset ?? 0}` : sql``}`.execute(db);
  return rows;
}

/** How many are eligible, and how many of them have no subsidy yet — when the page asked is past the end. */
export async function retentionCounts(
  db: DbOrTx,
  q: { region: string; year: number; onlyNew?: boolean },
): Promise<{ total: number; fresh: number; listed: number }> {
  const { rows } = await sql<{ total: string; fresh: string }>`
    WITH ${eligibleCte(q)}
    SELECT count(*) AS total, count(*) FILTER (WHERE existing_id IS NULL) AS fresh FROM judged`.execute(db);
  const total = Number(rows[0]!.total);
  const fresh = Number(rows[0]!.fresh);
  return { total, fresh, listed: q.onlyNew ? fresh : total };
}

/**
 * The draft: an application (status applied) for every eligible laborer without one, or for the
 * chosen ones, in one INSERT … SELECT. A laborer another request drafted meanwhile is skipped by
 * the exclusion constraint (ON CONFLICT DO NOTHING), so two drafts never grant a year twice.
 */
export async function draftRetention(
  db: DbOrTx,
  q: { region: string; year: number; laborerIds?: string[]; by: string; amount: number; note: string },
): Promise<{ created: number; amount: number }> {
  const { rows } = await sql<{ n: string; amount: string | null }>`
    WITH ${eligibleCte(q)},
    inserted AS (
      INSERT INTO subsidy (recipient, kind, laborer_id, employer_id, region_code, home_region_code, amount, period_from, period_to, note, applied_by)
      SELECT 'employer', 'retention', j.laborer_id, j.employer_id, m.region_code, l.home_village_code, ${q.amount},
        j.year_start, j.year_end, ${q.note}, ${q.by}
      FROM judged j JOIN employer m ON m.id = j.employer_id JOIN laborer l ON l.id = j.laborer_id
      WHERE j.existing_id IS NULL ${q.laborerIds ? sql`AND j.laborer_id = ANY(${q.laborerIds}::bigint[])` : sql``}
      ORDER BY j.laborer_id
      ON CONFLICT DO NOTHING
      RETURNING amount
    )
    SELECT count(*) AS n, sum(amount)::text AS amount FROM inserted`.execute(db);
  return { created: Number(rows[0]!.n), amount: Number(rows[0]!.amount ?? 0) };
}

/**
 * The baseline the bench measures against: what a per-laborer loop would do — the candidate
 * laborers (employed at one of the region's employers), then for each of them a query of their
 * records at those employers, the spells and the rule computed in code, and a query for an
 * existing subsidy. Same rule, same answer.
 */
export async function retentionCandidates(db: DbOrTx, region: string, year: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT DISTINCT e.laborer_id::text AS id FROM employment e JOIN employer m ON m.id = e.employer_id
    WHERE ${withinRegion('m.region_code', region)} AND e.started_on <= ${`${year}-12-31`}::date ORDER BY 1`.execute(db);
  return rows.map((r) => r.id);
}

export async function retentionForLaborer(
  db: DbOrTx,
  laborerId: string,
  region: string,
  year: number,
): Promise<{ employerId: string; since: string; until: string | null; existing: string | null } | null> {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const { rows } = await sql<{ id: string; employer_id: string; started_on: string; ended_on: string | null; deleted: boolean }>`
    SELECT e.id::text AS id, e.employer_id::text AS employer_id, e.started_on, e.ended_on, l.deleted_at IS NOT NULL AS deleted
    FROM employment e JOIN employer m ON m.id = e.employer_id JOIN laborer l ON l.id = e.laborer_id
    WHERE e.laborer_id = ${laborerId} AND ${withinRegion('m.region_code', region)} AND e.started_on <= ${end}::date
    ORDER BY e.employer_id, e.started_on, e.id`.execute(db);
  if (rows.length === 0 || rows[0]!.deleted) return null;
  const spells: { employerId: string; since: string; until: string }[] = [];
  for (const r of rows) {
    const ended = r.ended_on ?? '9999-12-31';
    const last = spells[spells.length - 1];
    if (last && last.employerId === r.employer_id && r.started_on <= addDay(last.until)) {
      if (ended > last.until) last.until = ended;
    } else spells.push({ employerId: r.employer_id, since: r.started_on, until: ended });
  }
  const eligible = spells
    .filter((s) => s.until >= start && (s.until < end ? s.until : end) >= addYear(s.since))
    .sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0))[0];
  if (!eligible) return null;
  const { rows: existing } = await sql<{
    id: string;
  }>`SELECT id::text AS id FROM subsidy WHERE laborer_id = ${laborerId} AND kind = 'retention'
    AND status <> 'rejected' AND period_from <= ${end}::date AND period_to >= ${start}::date ORDER BY id LIMIT 1`.execute(db);
  return {
    employerId: eligible.employerId,
    since: eligible.since,
    until: eligible.until === '9999-12-31' ? null : eligible.until,
    existing: existing[0]?.id ?? null,
  };
}

const addDay = (iso: string) => (iso === '9999-12-31' ? iso : addDays(iso, 1));
/** The same day a year later; 29 February becomes 28 February (as PostgreSQL's date + interval '1 year'). */
const addYear = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + 1, m, 0)).getUTCDate();
  return `${y + 1}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

// ---------------------------------------------------------------------------------------------
// Statistics.

/**
 * Persons receiving each kind of subsidy in [from, to]: distinct laborers with a subsidy of that
 * kind paid in the period, counted in the region of their home village (issue 8's summary: "persons
 * receiving each kind of subsidy in the period"). Subsidies naming no laborer (a workshop's site
 * subsidy) count no person. Paid while the person's card was registered, in its village on the day
 * paid (`counted` and home_region_code, migration 0029; docs/domain-notes-asof.md §3).
 */
export async function personsByKind(db: DbOrTx, regionPrefix: string, from: string, to: string): Promise<Record<string, number>> {
  const { rows } = await sql<{ kind: string; n: string }>`
    SELECT kind, count(DISTINCT laborer_id) AS n FROM subsidy s
    WHERE s.status = 'paid' AND s.laborer_id IS NOT NULL AND s.counted AND ${withinRegion('s.home_region_code', regionPrefix)}
      AND s.paid_on BETWEEN ${from}::date AND ${to}::date
    GROUP BY kind`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}

/** Per kind over the subsidies paid in the period and visible in the region: persons, payments, yuan. */
export async function paidByKind(
  db: DbOrTx,
  region: string,
  from: string,
  to: string,
): Promise<{ kind: string; recipient: string; persons: number; payments: number; amount: number }[]> {
  const { rows } = await sql<{ kind: string; recipient: string; persons: string; payments: string; amount: string }>`
    SELECT kind, recipient, count(DISTINCT laborer_id) AS persons, count(*) AS payments, sum(amount)::text AS amount FROM subsidy s
    WHERE s.status = 'paid' AND s.paid_on BETWEEN ${from}::date AND ${to}::date AND ${visibleIn(region)}
    GROUP BY kind, recipient ORDER BY kind, recipient`.execute(db);
  return rows.map((r) => ({
    kind: r.kind,
    recipient: r.recipient,
    persons: Number(r.persons),
    payments: Number(r.payments),
    amount: Number(r.amount),
  }));
}

export async function pendingCounts(db: DbOrTx, region: string): Promise<{ applied: number; approved: number }> {
  const { rows } = await sql<{ applied: string; approved: string }>`
    SELECT count(*) FILTER (WHERE status = 'applied') AS applied, count(*) FILTER (WHERE status = 'approved') AS approved
    FROM subsidy s WHERE s.status IN ('applied', 'approved') AND ${withinRegion('s.region_code', region)}`.execute(db);
  return { applied: Number(rows[0]!.applied), approved: Number(rows[0]!.approved) };
}

export async function regionName(db: DbOrTx, code: string): Promise<string | undefined> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM region WHERE code = ${code}`.execute(db);
  return rows[0]?.name;
}

/**
 * A merge of duplicate cards: the retired card's subsidies (paid ones too: migration 0029 lets a
 * paid subsidy change its laborer and nothing else) become the survivor's.
 */
export async function carryToCard(db: DbOrTx, from: string, to: string): Promise<number> {
  // Both cards drafted by one training class (migration 0057's subsidy_training_class_once): two live
  // ones overlap and the merge is refused before (overlapsBetween); a rejected one lets go of the class.
  await sql`UPDATE subsidy SET training_class_id = NULL WHERE status = 'rejected' AND laborer_id IN (${from}, ${to}) AND training_class_id IN
    (SELECT training_class_id FROM subsidy WHERE laborer_id = ${from} INTERSECT SELECT training_class_id FROM subsidy WHERE laborer_id = ${to})`.execute(
    db,
  );
  const r = await sql`UPDATE subsidy SET laborer_id = ${to} WHERE laborer_id = ${from}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Subsidies of the same kind to two cards over overlapping periods, neither rejected: "never twice for the same person, kind and period". */
export async function overlapsBetween(db: DbOrTx, a: string, b: string): Promise<{ a: string; b: string; kind: string }[]> {
  const { rows } = await sql<{
    a: string;
    b: string;
    kind: string;
  }>`SELECT x.id::text AS a, y.id::text AS b, x.kind FROM subsidy x JOIN subsidy y
      ON y.laborer_id = ${b} AND y.kind = x.kind AND y.status <> 'rejected'
      AND daterange(x.period_from, x.period_to, '[]') && daterange(y.period_from, y.period_to, '[]')
    WHERE x.laborer_id = ${a} AND x.status <> 'rejected' ORDER BY 1, 2`.execute(db);
  return rows;
}

/**
 * The subsidies of `ids` seen from `region` (where applied, or the laborer's home: the list's own
 * rule), as the exchange feed gives them (docs/exchange.md).
 */
export async function forExchange(db: DbOrTx, ids: string[], region: string): Promise<Map<string, ExchangeSubsidy>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<TableRow<'subsidy'>>`SELECT * FROM subsidy s
    WHERE s.id = ANY(${ids}::bigint[]) AND ${visibleIn(region)}`.execute(db);
  const iso = (t: Date | string | null) => (t === null ? null : new Date(t).toISOString());
  return new Map(
    rows.map((r) => [
      String(r.id),
      {
        id: String(r.id),
        recipient: r.recipient,
        kind: r.kind,
        laborerId: r.laborer_id === null ? null : String(r.laborer_id),
        employerId: r.employer_id === null ? null : String(r.employer_id),
        regionCode: r.region_code,
        homeRegionCode: r.home_region_code,
        amount: String(r.amount),
        periodFrom: r.period_from,
        periodTo: r.period_to,
        status: r.status,
        appliedAt: iso(r.applied_at)!,
        approvedAt: iso(r.approved_at),
        paidOn: r.paid_on,
        rejectedAt: iso(r.rejected_at),
        rejectReason: r.reject_reason,
      },
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// The free-travel subsidy of 就业直通车 (issue 20 item 7): each rider who boarded a trip gets a
// transport subsidy (交通补贴) for the trip's day, in this ledger, under subsidy_laborer_once.

/**
 * One application (applied) per given rider: the trip's laborers, chosen by the travel module
 * (boarded, in the caller's scope). A rider who already has a transport subsidy overlapping the
 * day — drafted from this trip before, or applied by hand — is skipped by the exclusion
 * constraint (ON CONFLICT DO NOTHING), as the retention draft does; deleted cards are skipped too.
 */
export async function draftTripSubsidies(
  db: DbOrTx,
  q: { tripId: string; day: string; amount: number; laborerIds: readonly string[]; note: string; by: string },
): Promise<{ created: number; amount: number }> {
  if (q.laborerIds.length === 0) return { created: 0, amount: 0 };
  const { rows } = await sql<{ n: string; amount: string | null }>`
    WITH inserted AS (
      INSERT INTO subsidy (recipient, kind, laborer_id, region_code, home_region_code, amount, period_from, period_to, note, applied_by, trip_id)
      SELECT 'laborer', 'transport', l.id, l.home_village_code, l.home_village_code, ${q.amount}, ${q.day}::date, ${q.day}::date,
        ${q.note}, ${q.by}, ${q.tripId}
      FROM laborer l
      WHERE l.id = ANY(${q.laborerIds}::bigint[]) AND l.deleted_at IS NULL
      ORDER BY l.id
      ON CONFLICT DO NOTHING
      RETURNING amount
    )
    SELECT count(*) AS n, sum(amount)::text AS amount FROM inserted`.execute(db);
  return { created: Number(rows[0]!.n), amount: Number(rows[0]!.amount ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// 购买服务 (issue 20 item 6): a broker's pay for each placement kept N months, in this ledger. A
// placement is paid once ever (unique index subsidy_placement_once on employment_id, rejected ones
// aside), whatever periods or contracts are drafted again.

/**
 * One payment (applied) per given placement, chosen by the brokers module (kept N months under the
 * contract). A placement with a live payment already — drafted before under any period or
 * contract — is skipped by the unique index (ON CONFLICT DO NOTHING), as the trip draft does.
 */
export async function draftBrokerPay(
  db: DbOrTx,
  q: {
    brokerId: string;
    contractId: string;
    regionCode: string;
    amount: number;
    placements: readonly { employmentId: string; startedOn: string; checkDay: string }[];
    note: string;
    by: string;
  },
): Promise<{ created: number; amount: number }> {
  if (q.placements.length === 0) return { created: 0, amount: 0 };
  const { rows } = await sql<{ n: string; amount: string | null }>`
    WITH inserted AS (
      INSERT INTO subsidy (recipient, kind, broker_id, broker_contract_id, employment_id, region_code, amount, period_from, period_to, note, applied_by)
      SELECT 'broker', 'broker_service', ${q.brokerId}, ${q.contractId}, p.employment_id, ${q.regionCode}, ${q.amount}, p.started_on, p.check_day,
        ${q.note}, ${q.by}
      FROM unnest(${q.placements.map((p) => p.employmentId)}::bigint[], ${q.placements.map((p) => p.startedOn)}::date[],
        ${q.placements.map((p) => p.checkDay)}::date[]) AS p(employment_id, started_on, check_day)
      ORDER BY p.employment_id
      ON CONFLICT (employment_id) WHERE employment_id IS NOT NULL AND status <> 'rejected' DO NOTHING
      RETURNING amount
    )
    SELECT count(*) AS n, sum(amount)::text AS amount FROM inserted`.execute(db);
  return { created: Number(rows[0]!.n), amount: Number(rows[0]!.amount ?? 0) };
}

/** The live (not rejected) payment of each given placement that has one. */
export async function brokerPayments(
  db: DbOrTx,
  employmentIds: readonly string[],
): Promise<Map<string, { id: string; status: string; amount: number }>> {
  if (employmentIds.length === 0) return new Map();
  const { rows } = await sql<{ employment_id: string; id: string; status: string; amount: string }>`
    SELECT employment_id::text AS employment_id, id::text AS id, status, amount::text AS amount
    FROM subsidy WHERE employment_id = ANY(${employmentIds}::bigint[]) AND status <> 'rejected'`.execute(db);
  return new Map(rows.map((r) => [r.employment_id, { id: r.id, status: r.status, amount: Number(r.amount) }]));
}

/** Per trip: the riders with a live (not rejected) transport subsidy drafted from it, their yuan, and of them paid. */
export async function tripSubsidyTotals(
  db: DbOrTx,
  tripIds: readonly string[],
): Promise<Map<string, { count: number; amount: number; paid: number }>> {
  if (tripIds.length === 0) return new Map();
  const { rows } = await sql<{ trip_id: string; n: number; amount: string; paid: string }>`
    SELECT trip_id::text AS trip_id, count(*)::int AS n, sum(amount)::text AS amount,
      coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0)::text AS paid
    FROM subsidy WHERE trip_id = ANY(${tripIds}::bigint[]) AND status <> 'rejected'
    GROUP BY trip_id`.execute(db);
  return new Map(rows.map((r) => [r.trip_id, { count: r.n, amount: Number(r.amount), paid: Number(r.paid) }]));
}

/**
 * The account of a laborer's subsidy not yet paid and not waiting in a bank batch (a line not
 * failed): the row's account before the change, or undefined when no such subsidy is in the region.
 */
export async function setBankAccount(
  db: DbOrTx,
  id: string,
  account: string,
  region: string,
  by: string,
): Promise<{ before: string | null } | undefined> {
  const { rows } = await sql<{ before: string | null }>`
    UPDATE subsidy s SET bank_account = ${account}, bank_account_changed_by = ${by}
      FROM (SELECT id, bank_account AS before FROM subsidy WHERE id = ${id} FOR UPDATE) old
     WHERE s.id = old.id AND s.recipient = 'laborer' AND s.status IN ('applied', 'approved') AND ${withinRegion('s.region_code', region)}
       AND NOT EXISTS (SELECT 1 FROM subsidy_payment_item i WHERE i.subsidy_id = s.id AND i.status = 'pending')
    RETURNING old.before`.execute(db);
  return rows[0];
}

/** Whether the subsidy has a line waiting for the bank's return in a batch. */
export async function inPendingBatch(db: DbOrTx, id: string): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM subsidy_payment_item WHERE subsidy_id = ${id} AND status = 'pending'`.execute(db);
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// The training subsidy of a training class (职业培训补贴, issue 20 item 5): each person who finished
// a class (modules/training) gets one training subsidy for the class's dates, in this ledger.

/**
 * One application (applied) per given person who finished the class, the class's dates as its
 * period. Exactly once: the unique index subsidy_training_class_once (one per class and person,
 * whatever its status) and the exclusion constraint subsidy_laborer_once (no second training
 * subsidy over an overlapping period, from another class or applied by hand) skip the rest
 * (ON CONFLICT DO NOTHING), as the trip's draft does; deleted cards are skipped too.
 */
export async function draftClassTrainingSubsidies(
  db: DbOrTx,
  q: { classId: string; from: string; to: string; amount: number; laborerIds: readonly string[]; note: string; by: string },
): Promise<{ created: number; amount: number }> {
  if (q.laborerIds.length === 0 || q.amount <= 0) return { created: 0, amount: 0 };
  const { rows } = await sql<{ n: string; amount: string | null }>`
    WITH inserted AS (
      INSERT INTO subsidy (recipient, kind, laborer_id, region_code, home_region_code, amount, period_from, period_to, note, applied_by, training_class_id)
      SELECT 'laborer', 'training', l.id, l.home_village_code, l.home_village_code, ${q.amount}, ${q.from}::date, ${q.to}::date,
        ${q.note}, ${q.by}, ${q.classId}
      FROM laborer l
      WHERE l.id = ANY(${q.laborerIds}::bigint[]) AND l.deleted_at IS NULL
      ORDER BY l.id
      ON CONFLICT DO NOTHING
      RETURNING amount
    )
    SELECT count(*) AS n, sum(amount)::text AS amount FROM inserted`.execute(db);
  return { created: Number(rows[0]!.n), amount: Number(rows[0]!.amount ?? 0) };
}

/** The class's training subsidies per person, whatever their status: what the roster shows beside each name. */
export async function classTrainingSubsidies(
  db: DbOrTx,
  classId: string,
): Promise<Map<string, { id: string; status: string; amount: number }>> {
  const { rows } = await sql<{ laborer_id: string; id: string; status: string; amount: string }>`
    SELECT laborer_id::text AS laborer_id, id::text AS id, status, amount::text AS amount
    FROM subsidy WHERE training_class_id = ${classId}`.execute(db);
  return new Map(rows.map((r) => [r.laborer_id, { id: r.id, status: r.status, amount: Number(r.amount) }]));
}

/** Per class: the persons with a live (not rejected) training subsidy drafted from it, and their yuan. */
export async function classSubsidyTotals(db: DbOrTx, classIds: readonly string[]): Promise<Map<string, { count: number; amount: number }>> {
  if (classIds.length === 0) return new Map();
  const { rows } = await sql<{ class_id: string; n: number; amount: string }>`
    SELECT training_class_id::text AS class_id, count(*)::int AS n, sum(amount)::text AS amount
    FROM subsidy WHERE training_class_id = ANY(${classIds}::bigint[]) AND status <> 'rejected'
    GROUP BY training_class_id`.execute(db);
  return new Map(rows.map((r) => [r.class_id, { count: r.n, amount: Number(r.amount) }]));
}

// The monthly pay of 公益性岗位 (issue 20 item 9): a person's month is one laborer subsidy of kind
// public_welfare whose period is that whole month (check subsidy_public_welfare_month), so
// subsidy_laborer_once pays a person's month at most once, however often it is drafted.

/**
 * One application (applied) per person given, for the month [from, to], of the amount given (the
 * public-welfare module computes it from the days worked). A person whose month already has a live
 * public-welfare subsidy is skipped by the exclusion constraint (ON CONFLICT DO NOTHING), as
 * draftTripSubsidies does; deleted cards are skipped too. Returns the subsidies made, by laborer.
 */
export async function draftPublicWelfarePay(
  db: DbOrTx,
  q: { from: string; to: string; lines: readonly { laborerId: string; amount: number }[]; note: string; by: string },
): Promise<{ laborerId: string; subsidyId: string; amount: number }[]> {
  if (q.lines.length === 0) return [];
  const { rows } = await sql<{ laborer_id: string; id: string; amount: string }>`
    INSERT INTO subsidy (recipient, kind, laborer_id, region_code, home_region_code, amount, period_from, period_to, note, applied_by)
    SELECT 'laborer', 'public_welfare', l.id, l.home_village_code, l.home_village_code, x.amount, ${q.from}::date, ${q.to}::date, ${q.note}, ${q.by}
    FROM unnest(${q.lines.map((l) => l.laborerId)}::bigint[], ${q.lines.map((l) => l.amount)}::numeric[]) AS x(laborer_id, amount)
    JOIN laborer l ON l.id = x.laborer_id
    WHERE l.deleted_at IS NULL AND x.amount > 0
    ORDER BY l.id
    ON CONFLICT DO NOTHING
    RETURNING laborer_id::text AS laborer_id, id::text AS id, amount::text AS amount`.execute(db);
  return rows.map((r) => ({ laborerId: r.laborer_id, subsidyId: r.id, amount: Number(r.amount) }));
}

/** The status of subsidies by id (a public-welfare month's draft: live unless rejected). */
export async function statusesOf(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: string; status: string }>`
    SELECT id::text AS id, status FROM subsidy WHERE id = ANY(${ids}::bigint[])`.execute(db);
  return new Map(rows.map((r) => [r.id, r.status]));
}
