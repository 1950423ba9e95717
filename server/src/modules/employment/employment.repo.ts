import { type RawBuilder, sql, type Expression, type SqlBool } from 'kysely';
import type { ExchangeEmployment } from '../../../../contracts/exchange.ts';
import type { DbOrTx } from '../../db/database.ts';
import { confirmedIn, earnedIn, employmentEmployer, monthsWorkedIn, newTransferOf, openOn, workedIn } from './rules.ts';
import { yearStart } from '../../platform/time.ts';
import type { TableRow } from '../../db/schema.ts';
import { withinRegion, withinRegionIfGiven } from '../../platform/access.ts';

/**
 * Employment records (就业记录), their follow-ups (回访) and re-employment cases (转岗服务).
 * Rows join the laborer (home village: the staff's scope) and name the place of work; the caller
 * passes its scope as one condition on l (laborer), e (employment) or f (follow-up).
 */

/** Whether the laborer whose id is `laborerId` (a column reference such as 'l.id') has an employment open on day D. */
export const hasOpenEmployment = (laborerId: string, day: string) =>
  sql<SqlBool>`EXISTS (SELECT 1 FROM employment oe WHERE oe.laborer_id = ${sql.ref(laborerId)} AND ${openOn('oe', day)})`;

/** Which of these laborers have an employment open on day D. */
export async function openOnDay(db: DbOrTx, laborerIds: string[], day: string): Promise<Set<string>> {
  if (!laborerIds.length) return new Set();
  const { rows } = await sql<{ laborer_id: string }>`SELECT DISTINCT oe.laborer_id::text AS laborer_id FROM employment oe
    WHERE oe.laborer_id = ANY(${laborerIds}::bigint[]) AND ${openOn('oe', day)}`.execute(db);
  return new Set(rows.map((r) => String(r.laborer_id)));
}

export async function jobSpansOf(db: DbOrTx, laborerIds: string[]) {
  if (!laborerIds.length) return [];
  const { rows } = await sql<{ laborer_id: string; started_on: string; ended_on: string | null; monthly_wage: number | null }>`
    SELECT e.laborer_id::text AS laborer_id, e.started_on::text AS started_on, e.ended_on::text AS ended_on, e.monthly_wage
      FROM employment e WHERE e.laborer_id = ANY(${laborerIds}::bigint[])`.execute(db);
  return rows;
}

/**
 * The jobs of these people worked on some day of [from, to] (docs/domain.md §9, the households'
 * income on record): where, with whom, the wage, the months of the window worked and what they
 * earned in it, and whether the job was open on `to`. Oldest first per person.
 */
export async function jobsWorkedIn(db: DbOrTx, laborerIds: string[], from: string, to: string) {
  if (!laborerIds.length) return [];
  const { rows } = await sql<{
    id: string;
    laborer_id: string;
    started_on: string;
    ended_on: string | null;
    employer: string | null;
    work_region_code: string;
    work_region_name: string;
    monthly_wage: number | null;
    months: string;
    earned: string;
    open: boolean;
  }>`SELECT e.id::text AS id, e.laborer_id::text AS laborer_id, e.started_on::text AS started_on, e.ended_on::text AS ended_on,
        ${employmentEmployer('e', 'm')} AS employer, e.work_region_code, w.name AS work_region_name, e.monthly_wage,
        ${monthsWorkedIn('e', from, to)} AS months, ${earnedIn('e', from, to)} AS earned, ${openOn('e', to)} AS open
      FROM employment e JOIN region w ON w.code = e.work_region_code LEFT JOIN employer m ON m.id = e.employer_id
     WHERE e.laborer_id = ANY(${laborerIds}::bigint[]) AND ${workedIn('e', from, to)}
     ORDER BY e.laborer_id, e.started_on`.execute(db);
  return rows.map((r) => ({ ...r, months: Number(r.months), earned: Number(r.earned) }));
}

/**
 * The jobs of these people started on or after `from`, oldest first per person: where a school
 * leaver went to work after finishing (modules/schooling, 两后生).
 */
export async function jobsStartedFrom(
  db: DbOrTx,
  laborerIds: string[],
  from: string,
): Promise<{ laborerId: string; employer: string | null; startedOn: string; endedOn: string | null }[]> {
  if (!laborerIds.length) return [];
  const { rows } = await sql<{ laborer_id: string; employer: string | null; started_on: string; ended_on: string | null }>`
    SELECT e.laborer_id::text AS laborer_id, ${employmentEmployer('e', 'm')} AS employer, e.started_on::text AS started_on, e.ended_on::text AS ended_on
      FROM employment e LEFT JOIN employer m ON m.id = e.employer_id
     WHERE e.laborer_id = ANY(${laborerIds}::bigint[]) AND e.started_on >= ${from}::date
     ORDER BY e.laborer_id, e.started_on, e.id`.execute(db);
  return rows.map((r) => ({ laborerId: r.laborer_id, employer: r.employer, startedOn: r.started_on, endedOn: r.ended_on }));
}

export interface LaborerBriefRow {
  laborer_id: string;
  laborer_name: string;
  sex: string;
  id_masked: string;
  phone_masked: string | null;
  home_village_code: string;
  village_name: string;
}
/** The laborer's brief (masked identifiers, home village) on l and its village region v. */
export const laborerColumns = sql`l.id AS laborer_id, l.name AS laborer_name, l.sex, l.id_masked, l.phone_masked, l.home_village_code, v.full_name AS village_name`;

export interface EmploymentRow extends LaborerBriefRow {
  id: string;
  employer_id: string | null;
  employer_name: string | null;
  employer_contact: string | null;
  workplace_name: string | null;
  workplace_contact: string | null;
  workplace_credit_code: string | null;
  referral_id: string | null;
  work_region_code: string;
  work_region_name: string;
  occupation_code: string | null;
  started_on: string;
  ended_on: string | null;
  end_reason: string | null;
  end_note: string | null;
  monthly_wage: number | null;
  social_insurance: boolean;
  channel: string;
  total?: string;
}
const employmentColumns = sql`e.id, e.employer_id, m.name AS employer_name, m.contact_phone AS employer_contact, e.workplace_name, e.workplace_contact, e.workplace_credit_code,
  e.referral_id, e.work_region_code, w.full_name AS work_region_name, e.occupation_code, e.started_on::text, e.ended_on::text, e.end_reason, e.end_note,
  e.monthly_wage, e.social_insurance, e.channel, ${laborerColumns}`;
const employmentJoins = sql`employment e JOIN laborer l ON l.id = e.laborer_id JOIN region v ON v.code = l.home_village_code
  JOIN region w ON w.code = e.work_region_code LEFT JOIN employer m ON m.id = e.employer_id`;

export type CardRow = Pick<TableRow<'laborer'>, 'id' | 'home_village_code' | 'birth_date' | 'deleted_at'>;

export async function card(db: DbOrTx, laborerId: string): Promise<CardRow | undefined> {
  const { rows } =
    await sql<CardRow>`SELECT id, home_village_code, birth_date::text, deleted_at FROM laborer WHERE id = ${laborerId}`.execute(db);
  return rows[0];
}

/** Records whose period meets a new open-ended one starting on `from`: an open one, or one ending on or after it. */
export async function overlapping(
  db: DbOrTx,
  laborerId: string,
  from: string,
): Promise<{ id: string; started_on: string; ended_on: string | null } | undefined> {
  const { rows } = await sql<{
    id: string;
    started_on: string;
    ended_on: string | null;
  }>`SELECT id, started_on::text, ended_on::text FROM employment
    WHERE laborer_id = ${laborerId} AND (ended_on IS NULL OR ended_on >= ${from}::date) ORDER BY started_on DESC LIMIT 1`.execute(db);
  return rows[0];
}

export async function regionName(db: DbOrTx, code: string): Promise<string | undefined> {
  const { rows } = await sql<{ full_name: string }>`SELECT full_name FROM region WHERE code = ${code}`.execute(db);
  return rows[0]?.full_name;
}

/**
 * Other records of the laborer whose period meets [from, to] (to null: open-ended). A correction
 * must not make two records of one person overlap.
 */
export async function overlappingOther(
  db: DbOrTx,
  laborerId: string,
  exceptId: string,
  from: string,
  to: string | null,
): Promise<{ id: string; started_on: string; ended_on: string | null } | undefined> {
  const { rows } = await sql<{ id: string; started_on: string; ended_on: string | null }>`SELECT id, started_on::text, ended_on::text
    FROM employment WHERE laborer_id = ${laborerId} AND id <> ${exceptId}
      AND started_on <= coalesce(${to}::date, 'infinity'::date) AND coalesce(ended_on, 'infinity'::date) >= ${from}::date
    ORDER BY started_on LIMIT 1`.execute(db);
  return rows[0];
}

/** A correction's new values, and the row of the employment ledger that keeps it. */
export async function correct(
  db: DbOrTx,
  id: string,
  c: {
    startedOn: string;
    endedOn: string | null;
    workRegionCode: string;
    monthlyWage: number | null;
    laborerId: string;
    by: string;
    reason: string;
    changes: Record<string, [unknown, unknown]>;
  },
): Promise<void> {
  await sql`UPDATE employment SET started_on = ${c.startedOn}, ended_on = ${c.endedOn}, work_region_code = ${c.workRegionCode},
      monthly_wage = ${c.monthlyWage}, updated_at = now() WHERE id = ${id}`.execute(db);
  await sql`INSERT INTO employment_correction (employment_id, laborer_id, corrected_by, reason, changes)
    VALUES (${id}, ${c.laborerId}, ${c.by}, ${c.reason}, ${JSON.stringify(c.changes)}::jsonb)`.execute(db);
}

export interface CorrectionRow {
  id: string;
  corrected_at: Date;
  username: string | null;
  display_name: string | null;
  reason: string;
  changes: Record<string, [unknown, unknown]>;
}

export async function corrections(db: DbOrTx, employmentId: string): Promise<CorrectionRow[]> {
  const { rows } = await sql<CorrectionRow>`SELECT c.id, c.corrected_at, a.username, a.display_name, c.reason, c.changes
    FROM employment_correction c LEFT JOIN account a ON a.id = c.corrected_by
    WHERE c.employment_id = ${employmentId} ORDER BY c.corrected_at DESC, c.id DESC`.execute(db);
  return rows;
}

/**
 * A corrected job's follow-ups not yet done follow its dates: due again N months after the new
 * start; those of an ended job cancelled when due after the last day, missed when due before it.
 */
export async function reschedule(
  db: DbOrTx,
  employmentId: string,
  dues: { months: number; dueOn: string }[],
  endedOn: string | null,
): Promise<void> {
  await sql`UPDATE follow_up f SET due_on = x.d FROM unnest(${dues.map((d) => d.months)}::smallint[], ${dues.map((d) => d.dueOn)}::date[]) AS x(m, d)
    WHERE f.employment_id = ${employmentId} AND f.months = x.m AND f.status <> 'done'`.execute(db);
  if (endedOn !== null)
    await sql`UPDATE follow_up SET status = CASE WHEN due_on > ${endedOn}::date THEN 'cancelled' ELSE 'missed' END
      WHERE employment_id = ${employmentId} AND status IN ('cancelled', 'missed')`.execute(db);
}

/**
 * The job an import row names again (its idempotency key): this card's job starting on this day at
 * this employer — the registered one, else the one with this credit code, else with this name.
 */
export async function sameJob(
  db: DbOrTx,
  k: { laborerId: string; startedOn: string; employerId: string | null; creditCode: string | null; workplaceName: string | null },
): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`SELECT id FROM employment
    WHERE laborer_id = ${k.laborerId} AND started_on = ${k.startedOn}::date
      AND employer_id IS NOT DISTINCT FROM ${k.employerId}::bigint
      AND (${k.employerId}::bigint IS NOT NULL OR workplace_credit_code IS NOT DISTINCT FROM ${k.creditCode}::text)
      AND (${k.employerId}::bigint IS NOT NULL OR ${k.creditCode}::text IS NOT NULL OR workplace_name IS NOT DISTINCT FROM ${k.workplaceName}::text)
    LIMIT 1`.execute(db);
  return rows[0]?.id === undefined ? undefined : String(rows[0].id);
}

export async function employerByCreditCode(db: DbOrTx, code: string): Promise<{ id: string; name: string } | undefined> {
  const { rows } = await sql<{ id: string; name: string }>`SELECT id, name FROM employer WHERE credit_code = ${code}`.execute(db);
  return rows[0];
}

export async function employerBrief(db: DbOrTx, id: string): Promise<{ id: string; name: string; region_code: string } | undefined> {
  const { rows } = await sql<{
    id: string;
    name: string;
    region_code: string;
  }>`SELECT id, name, region_code FROM employer WHERE id = ${id}`.execute(db);
  return rows[0];
}

/**
 * Who follows a new employment up (DOMAIN.md "Responsibility follows status"): the broker whose
 * referral it was; else the home county's liaison office in the city of work; else the home
 * village's information officer (NULL when the village has none: the township's list then).
 */
export async function responsibleFor(
  db: DbOrTx,
  e: { villageCode: string; workRegionCode: string; referralId: string | null },
): Promise<{ kind: 'village' | 'broker' | 'liaison'; account: string | null }> {
  const { rows } = await sql<{ broker: string | null; liaison: string | null; officer: string | null }>`SELECT
      (SELECT f.created_by FROM referral f JOIN account a ON a.id = f.created_by
        WHERE f.id = ${e.referralId}::bigint AND f.channel = 'broker' AND a.role = 'broker' AND a.status = 'active') AS broker,
      (SELECT id FROM account WHERE role = 'liaison_office' AND status = 'active' AND region_code = ${e.villageCode.slice(0, 6)}
        AND starts_with(${e.workRegionCode}::text, host_region_code) ORDER BY id LIMIT 1) AS liaison,
      (SELECT id FROM account WHERE role = 'village_officer' AND status = 'active' AND region_code = ${e.villageCode} ORDER BY id LIMIT 1) AS officer`.execute(
    db,
  );
  const r = rows[0]!;
  if (r.broker) return { kind: 'broker', account: String(r.broker) };
  if (r.liaison) return { kind: 'liaison', account: String(r.liaison) };
  return { kind: 'village', account: r.officer === null ? null : String(r.officer) };
}

export async function insert(
  db: DbOrTx,
  e: {
    laborerId: string;
    employerId: string | null;
    postingId: string | null;
    referralId: string | null;
    workplaceName: string | null;
    workplaceContact: string | null;
    workplaceCreditCode?: string | null;
    workRegionCode: string;
    occupationCode: string | null;
    startedOn: string;
    monthlyWage: number | null;
    socialInsurance: boolean;
    channel: string;
    by: string;
  },
): Promise<string | undefined> {
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO employment (laborer_id, employer_id, posting_id, referral_id, workplace_name, workplace_contact, workplace_credit_code,
      work_region_code, occupation_code, started_on, monthly_wage, social_insurance, channel, created_by)
    VALUES (${e.laborerId}, ${e.employerId}, ${e.postingId}, ${e.referralId}, ${e.workplaceName}, ${e.workplaceContact}, ${e.workplaceCreditCode ?? null}, ${e.workRegionCode},
      ${e.occupationCode}, ${e.startedOn}, ${e.monthlyWage}, ${e.socialInsurance}, ${e.channel}, ${e.by})
    ON CONFLICT (laborer_id) WHERE ended_on IS NULL DO NOTHING RETURNING id`.execute(db);
  return rows[0]?.id;
}

export async function insertFollowUps(
  db: DbOrTx,
  f: { employmentId: string; laborerId: string; dues: { months: number; dueOn: string }[]; kind: string; account: string | null },
): Promise<void> {
  await sql`INSERT INTO follow_up (employment_id, laborer_id, months, due_on, responsible_kind, responsible_account)
    SELECT ${f.employmentId}, ${f.laborerId}, m, d, ${f.kind}, ${f.account}::bigint
    FROM unnest(${f.dues.map((d) => d.months)}::smallint[], ${f.dues.map((d) => d.dueOn)}::date[]) AS x(m, d)`.execute(db);
}

export interface ListFilter {
  scope: Expression<SqlBool>;
  region?: string;
  laborer?: string;
  status?: 'open' | 'ended';
  limit: number;
  offset: number;
}

export async function list(db: DbOrTx, f: ListFilter): Promise<{ rows: EmploymentRow[]; total: number }> {
  const { rows } = await sql<EmploymentRow>`SELECT ${employmentColumns}, count(*) OVER () AS total FROM ${employmentJoins}
    WHERE ${f.scope} AND l.deleted_at IS NULL
      AND (${f.laborer ?? null}::bigint IS NULL OR e.laborer_id = ${f.laborer ?? null}::bigint)
      AND ${withinRegionIfGiven('l.home_village_code', f.region)}
      AND (${f.status ?? null}::text IS NULL OR (e.ended_on IS NULL) = (${f.status ?? null} = 'open'))
    ORDER BY e.started_on DESC, e.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}

export async function find(db: DbOrTx, id: string, scope: Expression<SqlBool>, forUpdate = false): Promise<EmploymentRow | undefined> {
  const { rows } = await sql<EmploymentRow>`SELECT ${employmentColumns} FROM ${employmentJoins}
    WHERE e.id = ${id} AND ${scope} ${forUpdate ? sql`FOR UPDATE OF e` : sql``}`.execute(db);
  return rows[0];
}

export async function end(
  db: DbOrTx,
  id: string,
  e: { endedOn: string; reason: string; note: string | null; by: string },
): Promise<boolean> {
  const { rows } =
    await sql`UPDATE employment SET ended_on = ${e.endedOn}, end_reason = ${e.reason}, end_note = ${e.note}, ended_by = ${e.by}, updated_at = now()
    WHERE id = ${id} AND ended_on IS NULL RETURNING id`.execute(db);
  return rows.length === 1;
}

/** An ended job's follow-ups still due: those after the last day are cancelled, those before it were missed. */
export async function settleFollowUps(db: DbOrTx, employmentId: string, endedOn: string): Promise<void> {
  await sql`UPDATE follow_up SET status = CASE WHEN due_on > ${endedOn}::date THEN 'cancelled' ELSE 'missed' END
    WHERE employment_id = ${employmentId} AND status = 'due'`.execute(db);
}

// ——— follow-ups ———

export interface FollowUpRow extends LaborerBriefRow {
  id: string;
  employment_id: string;
  workplace: string | null;
  work_region_name: string;
  started_on: string;
  months: number;
  due_on: string;
  responsible_kind: string;
  responsible_account: string | null;
  responsible_username: string | null;
  responsible_name: string | null;
  status: string;
  done_on: string | null;
  method: string | null;
  still_employed: boolean | null;
  problems: string | null;
  help_given: string | null;
  work_region_code: string;
  ended_on: string | null;
  total?: string;
}
const followUpColumns = sql`f.id, f.employment_id, coalesce(m.name, e.workplace_name) AS workplace, w.full_name AS work_region_name, e.started_on::text,
  f.months, f.due_on::text, f.responsible_kind, f.responsible_account, ra.username AS responsible_username, ra.display_name AS responsible_name,
  f.status, f.done_on::text, f.method, f.still_employed, f.problems, f.help_given, e.work_region_code, e.ended_on::text, ${laborerColumns}`;
const followUpJoins = sql`follow_up f JOIN employment e ON e.id = f.employment_id JOIN laborer l ON l.id = f.laborer_id
  JOIN region v ON v.code = l.home_village_code JOIN region w ON w.code = e.work_region_code LEFT JOIN employer m ON m.id = e.employer_id
  LEFT JOIN account ra ON ra.id = f.responsible_account`;

/**
 * A page's rows (card `l`, job `e`) joined to the card's village and the job's place by name (`v`,
 * `w`) and to the job's employer (`m`). OFFSET 0 keeps each lookup a nested loop by index: folded
 * back into joins, the planner hashes all 665,000 regions for the names of a county's villages.
 */
const placesOfRows = sql`JOIN LATERAL (SELECT v.full_name FROM region v WHERE v.code = l.home_village_code OFFSET 0) v ON true
  JOIN LATERAL (SELECT w.full_name FROM region w WHERE w.code = e.work_region_code OFFSET 0) w ON true
  LEFT JOIN employer m ON m.id = e.employer_id`;

export interface FollowUpFilter {
  scope: Expression<SqlBool>;
  region?: string;
  status?: 'due' | 'overdue' | 'done';
  mine?: string;
  laborer?: string;
  employment?: string;
  dueBy?: string;
  today: string;
  limit: number;
  offset: number;
  /**
   * A county or smaller region whose follow-ups lead the query (staff scope): due ones by their
   * cards' village (migration 0066's partial index), others card by card. Led by all follow-ups,
   * the planner reads the province's (1.2 million rows, 0.3–0.5 s) to keep a county's thousand; for
   * a city or the province that read is the cheaper way.
   */
  lead?: string;
}

export async function followUps(db: DbOrTx, f: FollowUpFilter): Promise<{ rows: FollowUpRow[]; total: number }> {
  const status =
    f.status === 'done'
      ? sql`f.status = 'done'`
      : f.status === 'overdue'
        ? sql`f.status = 'due' AND f.due_on < ${f.today}::date`
        : f.status === 'due'
          ? sql`f.status = 'due'`
          : sql`true`;
  const order = f.status === 'done' ? sql`f.done_on DESC, f.id DESC` : sql`f.due_on, f.id`;
  const ofFollowUp = sql`${status}
      AND (${f.mine ?? null}::bigint IS NULL OR f.responsible_account = ${f.mine ?? null}::bigint)
      AND (${f.laborer ?? null}::bigint IS NULL OR f.laborer_id = ${f.laborer ?? null}::bigint)
      AND (${f.employment ?? null}::bigint IS NULL OR f.employment_id = ${f.employment ?? null}::bigint)
      AND (${f.dueBy ?? null}::date IS NULL OR f.due_on <= ${f.dueBy ?? null}::date)`;
  const lookups = sql`JOIN employment e ON e.id = f.employment_id ${placesOfRows} LEFT JOIN account ra ON ra.id = f.responsible_account`;
  if (f.lead !== undefined && (f.status === 'due' || f.status === 'overdue')) {
    // A county's due follow-ups by their cards' village (migration 0066): the page is chosen among
    // them alone, and only its rows are joined to their cards, jobs and places (a county's 3,600
    // all joined first: 118 ms). The lead region lies in the actor's scope; the scope is checked
    // on the cards all the same.
    const { rows } = await sql<FollowUpRow>`WITH page AS (
        SELECT f.*, count(*) OVER () AS total FROM follow_up f
        WHERE ${ofFollowUp} AND NOT f.laborer_deleted AND ${withinRegion('f.home_village_code', f.lead)}
          AND ${withinRegionIfGiven('f.home_village_code', f.region)}
        ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset})
      SELECT ${followUpColumns}, f.total FROM page f JOIN laborer l ON l.id = f.laborer_id ${lookups}
      WHERE ${f.scope} AND l.deleted_at IS NULL
      ORDER BY ${order}`.execute(db);
    return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
  }
  // Led by the cards, each card's follow-ups by index (OFFSET 0: folded into a join, the planner
  // hashes the follow-ups of the province).
  const from =
    f.lead === undefined
      ? followUpJoins
      : sql`laborer l JOIN LATERAL (SELECT * FROM follow_up f WHERE f.laborer_id = l.id AND ${ofFollowUp} OFFSET 0) f ON true ${lookups}`;
  const { rows } = await sql<FollowUpRow>`SELECT ${followUpColumns}, count(*) OVER () AS total FROM ${from}
    WHERE ${f.scope} AND ${ofFollowUp} AND l.deleted_at IS NULL
      AND ${withinRegionIfGiven('l.home_village_code', f.region)}
    ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}

export async function findFollowUp(
  db: DbOrTx,
  id: string,
  scope: Expression<SqlBool>,
  forUpdate = false,
): Promise<FollowUpRow | undefined> {
  const { rows } = await sql<FollowUpRow>`SELECT ${followUpColumns} FROM ${followUpJoins}
    WHERE f.id = ${id} AND ${scope} ${forUpdate ? sql`FOR UPDATE OF f` : sql``}`.execute(db);
  return rows[0];
}

export async function recordFollowUp(
  db: DbOrTx,
  id: string,
  r: {
    doneOn: string;
    method: string;
    stillEmployed: boolean;
    problems: string | null;
    helpGiven: string | null;
    by: string;
  },
): Promise<boolean> {
  const { rows } =
    await sql`UPDATE follow_up SET status = 'done', done_on = ${r.doneOn}, method = ${r.method}, still_employed = ${r.stillEmployed},
      problems = ${r.problems}, help_given = ${r.helpGiven}, recorded_by = ${r.by}, recorded_at = now()
    WHERE id = ${id} AND status = 'due' RETURNING id`.execute(db);
  return rows.length === 1;
}

/**
 * Overdue follow-ups under a region, by child region and by the person whose list they are on:
 * the follow-ups of live cards by their cards' village (migration 0066), `scope` on
 * `f.home_village_code`. The children's names are looked up one by one: the planner, expecting
 * thousands of groups where there are a county's 15 townships, otherwise joined them to the whole
 * region table (665,000 rows, 220 ms against 40 ms for 新邵县 on the generated province).
 */
export async function overdueByRegion(db: DbOrTx, scope: Expression<SqlBool>, region: string, childLength: number, today: string) {
  const { rows } = await sql<{ region_code: string; region_name: string; overdue: string; due: string }>`
    SELECT * FROM (
      SELECT x.code AS region_code, (SELECT c.full_name FROM region c WHERE c.code = x.code) AS region_name, x.overdue, x.due FROM (
        SELECT left(f.home_village_code, ${childLength}) AS code, count(*) FILTER (WHERE f.due_on < ${today}::date) AS overdue, count(*) AS due
        FROM follow_up f
        WHERE f.status = 'due' AND NOT f.laborer_deleted AND f.due_on <= ${today}::date + 30 AND ${scope}
          AND ${withinRegion('f.home_village_code', region)}
        GROUP BY 1) x) y
    WHERE region_name IS NOT NULL ORDER BY overdue DESC, region_code`.execute(db);
  return rows;
}

export async function overdueByResponsible(db: DbOrTx, scope: Expression<SqlBool>, region: string, today: string, limit: number) {
  const { rows } = await sql<{
    kind: string;
    account: string | null;
    username: string | null;
    display_name: string | null;
    region_name: string;
    overdue: string;
    oldest: string;
  }>`
    SELECT x.kind, x.account, a.username, a.display_name, coalesce(r.full_name, '') AS region_name, x.overdue, x.oldest::text AS oldest FROM (
      SELECT f.responsible_kind AS kind, f.responsible_account AS account,
        CASE WHEN f.responsible_account IS NULL THEN left(min(f.home_village_code), 9) END AS township,
        count(*) AS overdue, min(f.due_on) AS oldest
      FROM follow_up f
      WHERE f.status = 'due' AND NOT f.laborer_deleted AND f.due_on < ${today}::date AND ${scope}
        AND ${withinRegion('f.home_village_code', region)}
      GROUP BY f.responsible_kind, f.responsible_account, CASE WHEN f.responsible_account IS NULL THEN left(f.home_village_code, 9) END) x
    LEFT JOIN account a ON a.id = x.account
    LEFT JOIN region r ON r.code = coalesce(x.township, CASE WHEN a.role = 'liaison_office' THEN a.host_region_code ELSE a.region_code END)
    ORDER BY x.overdue DESC, x.oldest LIMIT ${limit}`.execute(db);
  return rows;
}

// ——— re-employment cases ———

export interface CaseRow extends LaborerBriefRow {
  id: string;
  ended_employment_id: string;
  workplace: string | null;
  work_region_name: string;
  job_started_on: string;
  job_ended_on: string | null;
  job_end_reason: string | null;
  opened_on: string;
  returnee: boolean;
  unemployment_benefit: string;
  retraining: string | null;
  note: string | null;
  status: string;
  closed_on: string | null;
  close_reason: string | null;
  new_employment_id: string | null;
  total?: string;
}
const caseColumns = sql`c.id, c.ended_employment_id, coalesce(m.name, e.workplace_name) AS workplace, w.full_name AS work_region_name,
  e.started_on::text AS job_started_on, e.ended_on::text AS job_ended_on, e.end_reason AS job_end_reason, c.opened_on::text, c.returnee,
  c.unemployment_benefit, c.retraining, c.note, c.status, c.closed_on::text, c.close_reason, c.new_employment_id, ${laborerColumns}`;
const caseJoins = sql`reemployment_case c JOIN employment e ON e.id = c.ended_employment_id JOIN laborer l ON l.id = c.laborer_id
  JOIN region v ON v.code = l.home_village_code JOIN region w ON w.code = e.work_region_code LEFT JOIN employer m ON m.id = e.employer_id`;

export async function openCase(
  db: DbOrTx,
  c: { laborerId: string; employmentId: string; openedOn: string; returnee: boolean; by: string },
): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`INSERT INTO reemployment_case (laborer_id, ended_employment_id, opened_on, returnee, opened_by)
    VALUES (${c.laborerId}, ${c.employmentId}, ${c.openedOn}, ${c.returnee}, ${c.by})
    ON CONFLICT (laborer_id) WHERE status = 'open' DO NOTHING RETURNING id`.execute(db);
  return rows[0]?.id;
}

/** A new job closes the laborer's open case (the case ends "重新就业"). */
export async function closeCaseWithJob(
  db: DbOrTx,
  laborerId: string,
  employmentId: string,
  on: string,
  by: string,
): Promise<string | undefined> {
  const { rows } = await sql<{
    id: string;
  }>`UPDATE reemployment_case SET status = 'closed', closed_on = greatest(${on}::date, opened_on), close_reason = 'new_job',
      new_employment_id = ${employmentId}, closed_by = ${by}, updated_at = now()
    WHERE laborer_id = ${laborerId} AND status = 'open' RETURNING id`.execute(db);
  return rows[0]?.id;
}

export interface CaseFilter {
  scope: Expression<SqlBool>;
  region?: string;
  status?: string;
  laborer?: string;
  limit: number;
  offset: number;
  /** A county or smaller region whose cards lead a list of open cases (staff scope), as for follow-ups. */
  lead?: string;
}

export async function cases(db: DbOrTx, f: CaseFilter): Promise<{ rows: CaseRow[]; total: number }> {
  if (f.lead !== undefined && f.status === 'open') {
    // A county's open cases card by card (the open case's key is its card), the page chosen among
    // them, then joined to its rows' jobs and places: led by the province's open cases (about
    // 180,000 on the generated province), hashed against the county's cards, the workbench's count
    // took 160–182 ms for 新邵县; this way 64 ms (EXPLAIN ANALYZE).
    const { rows } = await sql<CaseRow>`WITH page AS (
        SELECT c.*, count(*) OVER () AS total FROM laborer l
          JOIN LATERAL (SELECT * FROM reemployment_case c WHERE c.laborer_id = l.id AND c.status = 'open'
            AND (${f.laborer ?? null}::bigint IS NULL OR c.laborer_id = ${f.laborer ?? null}::bigint) OFFSET 0) c ON true
        WHERE ${f.scope} AND l.deleted_at IS NULL AND ${withinRegion('l.home_village_code', f.lead)}
          AND ${withinRegionIfGiven('l.home_village_code', f.region)}
        ORDER BY c.opened_on DESC, c.id DESC LIMIT ${f.limit} OFFSET ${f.offset})
      SELECT ${caseColumns}, c.total FROM page c JOIN employment e ON e.id = c.ended_employment_id JOIN laborer l ON l.id = c.laborer_id
        ${placesOfRows}
      ORDER BY c.opened_on DESC, c.id DESC`.execute(db);
    return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
  }
  const { rows } = await sql<CaseRow>`SELECT ${caseColumns}, count(*) OVER () AS total FROM ${caseJoins}
    WHERE ${f.scope} AND l.deleted_at IS NULL
      AND (${f.status ?? null}::text IS NULL OR c.status = ${f.status ?? null})
      AND (${f.laborer ?? null}::bigint IS NULL OR c.laborer_id = ${f.laborer ?? null}::bigint)
      AND ${withinRegionIfGiven('l.home_village_code', f.region)}
    ORDER BY c.opened_on DESC, c.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}

export async function findCase(db: DbOrTx, id: string, scope: Expression<SqlBool>, forUpdate = false): Promise<CaseRow | undefined> {
  const { rows } =
    await sql<CaseRow>`SELECT ${caseColumns} FROM ${caseJoins} WHERE c.id = ${id} AND ${scope} ${forUpdate ? sql`FOR UPDATE OF c` : sql``}`.execute(
      db,
    );
  return rows[0];
}

export async function caseOfEmployment(db: DbOrTx, employmentId: string): Promise<CaseRow | undefined> {
  const { rows } = await sql<CaseRow>`SELECT ${caseColumns} FROM ${caseJoins} WHERE c.ended_employment_id = ${employmentId}`.execute(db);
  return rows[0];
}

export async function updateCase(
  db: DbOrTx,
  id: string,
  patch: { unemployment_benefit?: string; retraining?: string | null; note?: string | null },
): Promise<void> {
  await sql`UPDATE reemployment_case SET
      unemployment_benefit = coalesce(${patch.unemployment_benefit ?? null}, unemployment_benefit),
      retraining = CASE WHEN ${patch.retraining !== undefined} THEN ${patch.retraining ?? null} ELSE retraining END,
      note = CASE WHEN ${patch.note !== undefined} THEN ${patch.note ?? null} ELSE note END,
      updated_at = now()
    WHERE id = ${id}`.execute(db);
}

export async function closeCase(
  db: DbOrTx,
  id: string,
  c: { reason: string; note: string | null; on: string; by: string },
): Promise<boolean> {
  const { rows } =
    await sql`UPDATE reemployment_case SET status = 'closed', closed_on = greatest(${c.on}::date, opened_on), close_reason = ${c.reason},
      note = coalesce(${c.note}, note), closed_by = ${c.by}, updated_at = now()
    WHERE id = ${id} AND status = 'open' RETURNING id`.execute(db);
  return rows.length === 1;
}

/**
 * A merge of duplicate cards (registry/duplicates.service.ts): the retired card's employments and
 * their follow-ups become the survivor's (DOMAIN.md: the merged card's jobs are the survivor's).
 * The caller has checked that none overlaps a job of the survivor (overlapsBetween). Returns how
 * many employments moved and whether one of them is open.
 */
export async function carryToCard(db: DbOrTx, from: string, to: string): Promise<{ moved: number; open: boolean }> {
  const { rows } = await sql<{ id: string; open: boolean }>`UPDATE employment SET laborer_id = ${to}, updated_at = now()
    WHERE laborer_id = ${from} RETURNING id, ended_on IS NULL AS open`.execute(db);
  if (rows.length) await sql`UPDATE follow_up SET laborer_id = ${to} WHERE laborer_id = ${from}`.execute(db);
  return { moved: rows.length, open: rows.some((r) => r.open) };
}

/** Pairs of employments of two cards whose spans overlap (a merge would make one person work two jobs at once). */
export async function overlapsBetween(db: DbOrTx, a: string, b: string): Promise<{ a: string; b: string }[]> {
  const { rows } = await sql<{ a: string; b: string }>`SELECT x.id::text AS a, y.id::text AS b FROM employment x JOIN employment y
      ON y.laborer_id = ${b} AND daterange(x.started_on, x.ended_on, '[]') && daterange(y.started_on, y.ended_on, '[]')
    WHERE x.laborer_id = ${a} ORDER BY 1, 2`.execute(db);
  return rows;
}

/** The jobs of `ids` whose laborer's home lies in `region`, as the exchange feed gives them (docs/exchange.md). */
export async function forExchange(db: DbOrTx, ids: string[], region: string): Promise<Map<string, ExchangeEmployment>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<TableRow<'employment'>>`SELECT * FROM employment e
    WHERE e.id = ANY(${ids}::bigint[]) AND ${withinRegion('e.home_village_code', region)}`.execute(db);
  const text = (v: string | number | null) => (v === null ? null : String(v));
  return new Map(
    rows.map((r) => [
      String(r.id),
      {
        id: String(r.id),
        laborerId: String(r.laborer_id),
        homeVillageCode: r.home_village_code,
        employerId: text(r.employer_id),
        workplaceName: r.workplace_name,
        workplaceCreditCode: r.workplace_credit_code,
        workRegionCode: r.work_region_code,
        occupationCode: r.occupation_code,
        startedOn: r.started_on,
        endedOn: r.ended_on,
        endReason: r.end_reason,
        monthlyWage: r.monthly_wage,
        socialInsurance: r.social_insurance,
        channel: r.channel,
        laborerDeleted: r.laborer_deleted,
        updatedAt: new Date(r.updated_at).toISOString(),
      },
    ]),
  );
}

/**
 * The jobs at these employers that started on or before `day`, of laborers whose card is in
 * `region` (the home village the job carries) and not deleted: who, from where, when, through which
 * posting. The designated enterprises' table (modules/workshops) reads laborers received and reserved
 * posts filled from them.
 */
export async function jobsStartedAt(
  db: DbOrTx,
  employerIds: string[],
  region: string,
  day: string,
): Promise<{ employerId: string; postingId: string | null; laborerId: string; homeVillageCode: string; startedOn: string }[]> {
  if (!employerIds.length) return [];
  const { rows } = await sql<{
    employer_id: string;
    posting_id: string | null;
    laborer_id: string;
    home_village_code: string;
    started_on: string;
  }>`
    SELECT e.employer_id::text AS employer_id, e.posting_id::text AS posting_id, e.laborer_id::text AS laborer_id, e.home_village_code,
           to_char(e.started_on, 'YYYY-MM-DD') AS started_on
      FROM employment e
     WHERE e.employer_id = ANY(${[...new Set(employerIds)]}::bigint[]) AND e.started_on <= ${day}::date AND NOT e.laborer_deleted
       AND ${withinRegion('e.home_village_code', region)}
     ORDER BY e.id`.execute(db);
  return rows.map((r) => ({
    employerId: r.employer_id,
    postingId: r.posting_id,
    laborerId: r.laborer_id,
    homeVillageCode: r.home_village_code,
    startedOn: r.started_on,
  }));
}

// ——— evidence (issue 21 item 3) ———

export interface EvidenceRow {
  employment_id: string;
  kind: 'follow_up' | 'employer' | 'social_insurance';
  on: string;
}

/** A confirmation of a job; the same kind on the same day is kept once. */
export async function addEvidence(
  db: DbOrTx,
  e: { employmentId: string; kind: EvidenceRow['kind']; on: string; sourceId: string | null; by: string | null },
): Promise<boolean> {
  const { rows } = await sql`INSERT INTO employment_evidence (employment_id, kind, evidenced_on, source_id, recorded_by)
    VALUES (${e.employmentId}, ${e.kind}, ${e.on}, ${e.sourceId}, ${e.by})
    ON CONFLICT (employment_id, kind, evidenced_on) DO NOTHING RETURNING id`.execute(db);
  return rows.length === 1;
}

/**
 * Many confirmations of one kind and day at once (the social-insurance comparison's confirmed
 * jobs, issue 21 item 2): `rows` is a query giving (employment_id, source_id). Set-based, one
 * statement; a job already confirmed that way that day is kept once. Returns how many were added.
 */
export async function addEvidenceFrom(
  db: DbOrTx,
  e: { kind: EvidenceRow['kind']; on: string; by: string | null },
  rows: RawBuilder<unknown>,
): Promise<number> {
  const result = await sql`INSERT INTO employment_evidence (employment_id, kind, evidenced_on, source_id, recorded_by)
    SELECT r.employment_id, ${e.kind}, ${e.on}::date, r.source_id, ${e.by}::bigint FROM (${rows}) r (employment_id, source_id)
    -- In job order: the indexes (employment_id first) and the jobs' key the foreign key checks are met in order.
    ORDER BY r.employment_id
    ON CONFLICT (employment_id, kind, evidenced_on) DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The confirmations of some jobs, newest first. */
export async function evidenceOf(db: DbOrTx, employmentIds: readonly string[]): Promise<EvidenceRow[]> {
  if (!employmentIds.length) return [];
  const { rows } = await sql<EvidenceRow>`SELECT employment_id::text AS employment_id, kind, evidenced_on::text AS on
    FROM employment_evidence WHERE employment_id = ANY(${employmentIds}::bigint[]) ORDER BY evidenced_on DESC, id DESC`.execute(db);
  return rows;
}

/** Of a group of people, the employed on a day and how many had their job confirmed (issue 21 item 3). */
export interface ConfirmedEmployment {
  employed: number;
  confirmed: number;
  follow_up: number;
  employer: number;
  social_insurance: number;
}

/**
 * Issue 21 item 3, set-based: `people` is a query of (laborer_id, code) — whose figures, grouped
 * by which code (the statistics: a region's cards as of D, one code; the assessment: the
 * province's cards as of D by county). Per code: the people with a job open on `asOf` (the
 * summary's employed) and those whose open job was confirmed on a day of [from, asOf] — by any
 * kind and by each kind (a job confirmed two ways counts under both). One SQL for every code.
 */
export async function confirmedEmploymentBy(
  db: DbOrTx,
  q: { people: RawBuilder<unknown>; asOf: string; from: string },
): Promise<Map<string, ConfirmedEmployment>> {
  const { rows } = await sql<{ code: string } & Record<keyof ConfirmedEmployment, string>>`
    SELECT p.code, count(DISTINCT p.laborer_id) AS employed,
      count(DISTINCT p.laborer_id) FILTER (WHERE ${confirmedIn('e', q.from, q.asOf)}) AS confirmed,
      count(DISTINCT p.laborer_id) FILTER (WHERE ${confirmedIn('e', q.from, q.asOf, 'follow_up')}) AS follow_up,
      count(DISTINCT p.laborer_id) FILTER (WHERE ${confirmedIn('e', q.from, q.asOf, 'employer')}) AS employer,
      count(DISTINCT p.laborer_id) FILTER (WHERE ${confirmedIn('e', q.from, q.asOf, 'social_insurance')}) AS social_insurance
    FROM (${q.people}) p JOIN employment e ON e.laborer_id = p.laborer_id AND ${openOn('e', q.asOf)}
    GROUP BY p.code`.execute(db);
  return new Map(
    rows.map((r) => [
      r.code,
      {
        employed: Number(r.employed),
        confirmed: Number(r.confirmed),
        follow_up: Number(r.follow_up),
        employer: Number(r.employer),
        social_insurance: Number(r.social_insurance),
      },
    ]),
  );
}

/**
 * The same people's new transfers of `asOf`'s year (newTransferOf, docs/domain.md §3) and those of
 * them with a job of the year confirmed from its start to `asOf` (docs/domain.md §10), per code.
 * Driven by the year's jobs (joined first), so only their people are tested against the rule.
 */
export async function confirmedTransfersBy(
  db: DbOrTx,
  q: { people: RawBuilder<unknown>; asOf: string },
): Promise<Map<string, { newTransfers: number; confirmed: number }>> {
  const jan1 = yearStart(q.asOf);
  const { rows } = await sql<{ code: string; new_transfers: string; confirmed: string }>`
    SELECT p.code, count(DISTINCT p.laborer_id) AS new_transfers,
      count(DISTINCT p.laborer_id) FILTER (WHERE ${confirmedIn('s', sql`s.started_on`, q.asOf)}) AS confirmed
    FROM (${q.people}) p JOIN employment s ON s.laborer_id = p.laborer_id AND s.started_on BETWEEN ${jan1}::date AND ${q.asOf}::date
    WHERE ${newTransferOf('p.laborer_id', jan1, q.asOf)}
    GROUP BY p.code`.execute(db);
  return new Map(rows.map((r) => [r.code, { newTransfers: Number(r.new_transfers), confirmed: Number(r.confirmed) }]));
}

/**
 * Who is employed at an employer on a day (the jobs open there, DOMAIN.md's reading), one row per
 * job, masked: the roster a visit to a 就业扶贫基地 checks one by one (modules/workshops), and the
 * count an accreditation records.
 */
export async function employedAt(
  db: DbOrTx,
  employerId: string,
  day: string,
): Promise<{ employmentId: string; laborerId: string; name: string; idNumberMasked: string; villageName: string; startedOn: string }[]> {
  const { rows } = await sql<{
    employment_id: string;
    laborer_id: string;
    name: string;
    id_masked: string;
    village_name: string;
    started_on: string;
  }>`
    SELECT e.id::text AS employment_id, l.id::text AS laborer_id, l.name, l.id_masked, v.name AS village_name,
           to_char(e.started_on, 'YYYY-MM-DD') AS started_on
      FROM employment e JOIN laborer l ON l.id = e.laborer_id JOIN region v ON v.code = l.home_village_code
     WHERE e.employer_id = ${employerId} AND NOT e.laborer_deleted AND ${openOn('e', day)}
     ORDER BY e.started_on, e.id
     LIMIT 5000`.execute(db);
  return rows.map((r) => ({
    employmentId: r.employment_id,
    laborerId: r.laborer_id,
    name: r.name,
    idNumberMasked: r.id_masked,
    villageName: r.village_name,
    startedOn: r.started_on,
  }));
}
