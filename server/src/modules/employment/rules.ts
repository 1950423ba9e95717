import { type Expression, type RawBuilder, sql, type SqlBool } from 'kysely';
import { chinaParts, monthsLaterMs } from '../../platform/time.ts';

/**
 * The employment module's rules, each written once (issue 16 item 3, issue 17 item 1): whether a
 * job is open on a day, and whether a placement was retained after N months. Other modules and the
 * generator use these builders through the module's public face (./index.ts) instead of restating
 * the conditions; the SQL functions of migration 0020 (the stored month mask) are the same rule,
 * held equal to these by test (retention.rules.test.ts).
 */

/** A day: a 'YYYY-MM-DD' string (bound as a parameter) or an SQL expression of type date. */
export type Day = string | Expression<unknown>;
const dayOf = (d: Day) => (typeof d === 'string' ? sql`${d}::date` : d);
const col = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

/**
 * DOMAIN.md "As of D": a job is open on D when it started on or before D and has no end or ends
 * on or after D (the end date is the last day worked). `alias` is the employment's alias.
 */
export const openOn = (alias: string, day: Day): RawBuilder<SqlBool> => {
  const d = dayOf(day);
  return sql<SqlBool>`(${col(alias, 'started_on')} <= ${d} AND (${col(alias, 'ended_on')} IS NULL OR ${col(alias, 'ended_on')} >= ${d}))`;
};

/** The job `alias` was worked on some day of [from, to] (both days included). */
export const workedIn = (alias: string, from: Day, to: Day): RawBuilder<SqlBool> =>
  sql<SqlBool>`(${col(alias, 'started_on')} <= ${dayOf(to)} AND (${col(alias, 'ended_on')} IS NULL OR ${col(alias, 'ended_on')} >= ${dayOf(from)}))`;

/**
 * The months of [from, to] the job `alias` was worked (docs/domain.md §9): its days in the window
 * times twelve over the window's days, so a job held through a twelve-month window counts twelve
 * months and one held half of it six. Fractional; 0 for a job outside the window.
 */
export const monthsWorkedIn = (alias: string, from: Day, to: Day): RawBuilder<number> => {
  const f = dayOf(from);
  const t = dayOf(to);
  return sql<number>`(greatest(0, least(coalesce(${col(alias, 'ended_on')}, ${t}), ${t}) - greatest(${col(alias, 'started_on')}, ${f}) + 1)::numeric * 12 / (${t} - ${f} + 1))`;
};

/**
 * Income from recorded work (docs/domain.md §9): the job's monthly wage times the months of
 * [from, to] it was worked. A job with no wage recorded earns nothing on record.
 */
export const earnedIn = (alias: string, from: Day, to: Day): RawBuilder<number> =>
  sql<number>`(coalesce(${col(alias, 'monthly_wage')}, 0) * ${monthsWorkedIn(alias, from, to)})`;

/**
 * The wage-days of the job `alias` in [from, to]: its monthly wage times its days in the window (0
 * outside it). earnedIn is this times twelve over the window's days; a sum of wage-days over a
 * household is exact (integers), so "income reaches the line" is decided without rounding
 * (households.repo.ts). `wageDaysOf` is the same rule in memory.
 */
export const wageDaysIn = (alias: string, from: Day, to: Day): RawBuilder<number> => {
  const f = dayOf(from);
  const t = dayOf(to);
  return sql<number>`(coalesce(${col(alias, 'monthly_wage')}, 0)::bigint * greatest(0, least(coalesce(${col(alias, 'ended_on')}, ${t}), ${t}) - greatest(${col(alias, 'started_on')}, ${f}) + 1))`;
};

/** wageDaysIn for a job held in memory, its days as day numbers (`end` null: no end). */
export const wageDaysOf = (job: { start: number; end: number | null; wage: number | null }, from: number, to: number): number => {
  const days = Math.min(job.end ?? to, to) - Math.max(job.start, from) + 1;
  return days > 0 ? (job.wage ?? 0) * days : 0;
};

/**
 * The same rule for a job held in memory (the generator's histories): days as ISO strings or as
 * instants of China midnight, compared alike.
 */
export const isOpenOn = <D extends string | number>(job: { start: D; end: D | null }, day: D): boolean =>
  job.start <= day && (job.end === null || job.end >= day);

/**
 * Whose retention is asked. DOMAIN.md "Retention after N months": for a region and for a broker the
 * placed laborer is retained when they have any job open N months after the placement (a job
 * change in between keeps them in work); for an employer, only a job with that employer counts.
 */
export type RetentionSubject = 'region' | 'broker' | 'employer';

/** The day a placement is looked at again: its start + N months (PostgreSQL's month arithmetic: the same day, or the month's last). */
export const checkDay = (alias: string, months: number): RawBuilder<string> =>
  sql<string>`(${col(alias, 'started_on')} + make_interval(months => ${months}::int))::date`;

/** A placement counts in the rate as of D once its check day has come (start + N months <= D). */
export const placedBy = (alias: string, months: number, asOf: Day): RawBuilder<SqlBool> =>
  sql<SqlBool>`${checkDay(alias, months)} <= ${dayOf(asOf)}`;

/**
 * Retained after N months: the placement `alias` (an employment row) is followed, on its check
 * day, by an open job of the same laborer — any job for a region or a broker, a job with the same
 * employer for an employer. This is the definition; the month mask below stores it for N = 1…12.
 */
export const retainedAfter = (alias: string, months: number, subject: RetentionSubject): RawBuilder<SqlBool> =>
  sql<SqlBool>`EXISTS (SELECT 1 FROM employment kept_job WHERE kept_job.laborer_id = ${col(alias, 'laborer_id')}${
    subject === 'employer' ? sql` AND kept_job.employer_id = ${col(alias, 'employer_id')}` : sql``
  } AND ${openOn('kept_job', checkDay(alias, months))})`;

/** The months the stored mask covers: bit N of employment.kept_months for N = 1…12 (migration 0020). */
export const KEPT_MONTHS_MAX = 12;

/**
 * The stored month mask of placement `alias` (migration 0020's kept_months, kept by a trigger;
 * computed on the spot where a row has none): bit N set when retainedAfter(alias, N, 'region').
 */
export const keptMask = (alias: string): RawBuilder<number> =>
  sql<number>`coalesce(${col(alias, 'kept_months')}, employment_kept_mask(${col(alias, 'laborer_id')}, ${col(alias, 'started_on')}))`;

/** Bit N of a month mask (keptMask): retained after N months. */
export const keptIn = (mask: Expression<number>, months: number): RawBuilder<SqlBool> => {
  if (!Number.isInteger(months) || months < 1 || months > KEPT_MONTHS_MAX)
    throw new RangeError(`kept months 1…${KEPT_MONTHS_MAX}: ${months}`);
  return sql<SqlBool>`(${mask} & ${1 << months}) <> 0`;
};

/**
 * retainedAfter(alias, n, 'region' | 'broker') read from the stored mask (keptMask), so that the
 * retention curve is one scan of a region's placements.
 */
export const keptAfter = (alias: string, months: number): RawBuilder<SqlBool> =>
  // A row with no employment (the NULL side of an outer join) is not retained, and is decided
  // before the mask: computing it would call employment_kept_mask(NULL, NULL) once per such row
  // (the broker table's unhired referrals: 1.6 s for the province).
  sql<SqlBool>`(${col(alias, 'laborer_id')} IS NOT NULL AND ${keptIn(keptMask(alias), months)})`;

/**
 * The mask for a writer that supplies it (the generator writes a laborer's whole history at once):
 * bit N when one of the laborer's jobs is open on start + N months. Jobs' days are instants of
 * China midnight; the months are added as PostgreSQL adds them (the same day, or the month's last).
 */
export function keptMonths(start: number, jobs: readonly { start: number; end: number | null }[]): number {
  let mask = 0;
  const { year, month, day } = chinaParts(start);
  for (let n = 1; n <= KEPT_MONTHS_MAX; n++) {
    const check = monthsLaterMs(year, month - 1, day, n);
    if (jobs.some((job) => isOpenOn(job, check))) mask |= 1 << n;
  }
  return mask;
}

/**
 * Who a laborer works for and how to reach them, as every list shows it (稳岗清单, the liaison
 * office's workers, the household page): the registered employer's name and contact phone, else
 * the workplace and contact written on the employment itself (a job found without a registered
 * employer). `e` is the employment's alias and `m` the LEFT JOINed employer's; one definition, so
 * no screen shows "—" where another shows the employer.
 */
export const employmentEmployer = (e = 'e', m = 'm') =>
  sql<string | null>`coalesce(${sql.ref(`${m}.name`)}, ${sql.ref(`${e}.workplace_name`)})`;
export const employmentContact = (e = 'e', m = 'm') =>
  sql<string | null>`coalesce(${sql.ref(`${m}.contact_phone`)}, ${sql.ref(`${e}.workplace_contact`)})`;

/** A confirmation's kind (employment_evidence.kind, contracts' EVIDENCE_KIND). */
export type EvidenceKind = 'follow_up' | 'employer' | 'social_insurance';

/**
 * Issue 21 item 3: the job `alias` was confirmed (by a follow-up, its employer or social insurance)
 * on some day of [from, to]; optionally by one kind only. A job with no confirmation is typed only.
 */
export const confirmedIn = (alias: string, from: Day, to: Day, kind?: EvidenceKind): RawBuilder<SqlBool> =>
  sql<SqlBool>`EXISTS (SELECT 1 FROM employment_evidence ev WHERE ev.employment_id = ${col(alias, 'id')}
    AND ev.evidenced_on BETWEEN ${dayOf(from)} AND ${dayOf(to)}${kind ? sql` AND ev.kind = ${kind}` : sql``})`;

/**
 * docs/domain.md §3 "New transfers this year": the person `laborerId` (a column reference) started
 * a job between 1 January (`yearStart`) and D, and had no job open on 1 January. Written once: the
 * statistics' straight figures and drill-down and the assessment's confirmed transfers use it.
 */
export const newTransferOf = (laborerId: string, yearStart: Day, asOf: Day): RawBuilder<SqlBool> =>
  sql<SqlBool>`(EXISTS (SELECT 1 FROM employment nt_job WHERE nt_job.laborer_id = ${sql.ref(laborerId)}
      AND nt_job.started_on BETWEEN ${dayOf(yearStart)} AND ${dayOf(asOf)})
    AND NOT EXISTS (SELECT 1 FROM employment jan1_job WHERE jan1_job.laborer_id = ${sql.ref(laborerId)} AND ${openOn('jan1_job', yearStart)}))`;
