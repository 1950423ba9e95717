import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { TableRow } from '../../db/schema.ts';
import type { Actor } from '../../platform/actor.ts';
import { withinRegion, withinRegionIfGiven, regionScope } from '../../platform/access.ts';

/** Referrals to an employer's own postings (a condition on the referral `f` alone, so a list can page before it joins). */
export const toEmployer = (employerId: string): Expression<SqlBool> =>
  sql<SqlBool>`f.posting_id IN (SELECT own.id FROM posting own WHERE own.employer_id = ${employerId})`;
/** A broker's own referrals: those credited to them (the broker table's rule, modules/brokers). */
export const byBroker = (accountId: string): Expression<SqlBool> => sql<SqlBool>`(f.created_by = ${accountId} AND f.channel = 'broker')`;
/**
 * Referrals of the laborers in the actor's region: the card's home village as copied onto the
 * referral (migration 0063, kept equal to the card's by triggers), so the scope is a range on the
 * referral itself rather than on the 1.5 M cards of a province.
 */
export const ofLaborersInScope = (actor: Actor): Expression<SqlBool> => regionScope(actor, 'f.home_village_code');

/**
 * Referrals, their steps and the employment records a hire opens. A referral's rows join the
 * laborer (home village: the staff's scope) and the posting (employer: an employer account's
 * scope); these reads are the referral list's own. Writes to other domains' rows go through the
 * owners, in the caller's transaction: the card through the registry's service, a hire's opening
 * through postings' repository (takeOpening).
 */

export interface ReferralRow {
  id: string;
  status: string;
  channel: string;
  laborer_id: string;
  laborer_name: string;
  sex: string;
  id_masked: string;
  phone_masked: string | null;
  home_village_code: string;
  village_name: string;
  posting_id: string;
  posting_title: string;
  employer_id: string;
  employer_name: string;
  work_region_code: string;
  occupation_code: string;
  wage_min: number;
  wage_max: number;
  created_by_username: string | null;
  created_by_name: string | null;
  team_id: string | null;
  override_condition: string | null;
  override_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const columns = sql`f.id, f.status, f.channel, f.laborer_id, l.name AS laborer_name, l.sex, l.id_masked, l.phone_masked,
  l.home_village_code, r.full_name AS village_name, f.posting_id, p.title AS posting_title, p.employer_id, e.name AS employer_name,
  p.work_region_code, p.occupation_code, p.wage_min, p.wage_max, a.username AS created_by_username, a.display_name AS created_by_name,
  f.team_id, f.override_condition, f.override_reason, f.created_at, f.updated_at`;
const joins = sql`referral f JOIN laborer l ON l.id = f.laborer_id JOIN region r ON r.code = l.home_village_code
  JOIN posting p ON p.id = f.posting_id JOIN employer e ON e.id = p.employer_id LEFT JOIN account a ON a.id = f.created_by`;

/** The statuses of the pipeline (batch proposals, dismissed and superseded ones are matching's). */
const PIPELINE = ['recommended', 'interviewed', 'hired', 'not_hired', 'withdrawn'];

export interface ListFilter {
  /** The caller's scope: a condition on the referral f. */
  scope: Expression<SqlBool>;
  posting?: string;
  laborer?: string;
  status?: string;
  region?: string;
  limit: number;
  offset: number;
}

const listCondition = (f: Omit<ListFilter, 'limit' | 'offset'>) => sql<SqlBool>`${f.scope}
  AND f.status = ANY(${f.status ? [f.status] : PIPELINE}::text[])
  AND (${f.posting ?? null}::bigint IS NULL OR f.posting_id = ${f.posting ?? null}::bigint)
  AND (${f.laborer ?? null}::bigint IS NULL OR f.laborer_id = ${f.laborer ?? null}::bigint)
  AND ${withinRegionIfGiven('f.home_village_code', f.region)}`;

/**
 * A page of the list in its order: the page's referrals are chosen on the referral alone, then
 * only they are joined with the card, village, posting, employer and author. (Joined before the
 * LIMIT, with the scope on the card, a county's page read every card of the province: 0.9 s.)
 */
export async function listPage(db: DbOrTx, f: ListFilter): Promise<ReferralRow[]> {
  const { rows } = await sql<ReferralRow>`WITH page AS (
      SELECT f.id FROM referral f WHERE ${listCondition(f)} ORDER BY f.updated_at DESC, f.id DESC LIMIT ${f.limit} OFFSET ${f.offset})
    SELECT ${columns} FROM page JOIN ${joins} ON f.id = page.id ORDER BY f.updated_at DESC, f.id DESC`.execute(db);
  return rows;
}

/** The list's total for a filter. */
export async function count(db: DbOrTx, f: Omit<ListFilter, 'limit' | 'offset'>): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM referral f WHERE ${listCondition(f)}`.execute(db);
  return rows[0]!.n;
}

/** A page and the list's total (a short page is the last one and needs no count; past the end: none, total 0). */
export async function list(db: DbOrTx, f: ListFilter): Promise<{ rows: ReferralRow[]; total: number }> {
  const rows = await listPage(db, f);
  const total = rows.length === 0 ? 0 : rows.length < f.limit ? f.offset + rows.length : await count(db, f);
  return { rows, total };
}

export async function findById(db: DbOrTx, id: string, scope: Expression<SqlBool>, forUpdate = false): Promise<ReferralRow | undefined> {
  const { rows } = await sql<ReferralRow>`SELECT ${columns} FROM ${joins}
    WHERE f.id = ${id} AND ${scope} ${forUpdate ? sql`FOR UPDATE OF f` : sql``}`.execute(db);
  return rows[0];
}

/** A new referral, or undefined when the pair already has an open one (the partial unique index). */
export async function insert(
  db: DbOrTx,
  r: {
    laborerId: string;
    postingId: string;
    channel: string;
    status: string;
    by: string;
    teamId?: string | null;
    override?: { condition: string; reason: string } | null;
  },
): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`INSERT INTO referral (laborer_id, posting_id, channel, status, created_by, updated_by, team_id,
      override_condition, override_reason)
    VALUES (${r.laborerId}, ${r.postingId}, ${r.channel}, ${r.status}, ${r.by}, ${r.by}, ${r.teamId ?? null},
      ${r.override?.condition ?? null}, ${r.override?.reason ?? null})
    ON CONFLICT (laborer_id, posting_id) WHERE status IN ('proposed', 'recommended', 'interviewed') DO NOTHING
    RETURNING id`.execute(db);
  return rows[0]?.id;
}

export async function openReferralOf(
  db: DbOrTx,
  laborerId: string,
  postingId: string,
): Promise<{ id: string; status: string } | undefined> {
  const { rows } = await sql<{ id: string; status: string }>`SELECT id, status FROM referral
    WHERE laborer_id = ${laborerId} AND posting_id = ${postingId} AND status IN ('proposed', 'recommended', 'interviewed')`.execute(db);
  return rows[0];
}

export async function setStatus(db: DbOrTx, id: string, status: string, by: string): Promise<void> {
  await sql`UPDATE referral SET status = ${status}, updated_by = ${by}, updated_at = now() WHERE id = ${id}`.execute(db);
}

export async function insertStep(db: DbOrTx, referralId: string, status: string, by: string, note: string | null): Promise<void> {
  await sql`INSERT INTO referral_step (referral_id, status, by_account, note) VALUES (${referralId}, ${status}, ${by}, ${note})`.execute(
    db,
  );
}

export interface StepRow {
  status: string;
  at: Date;
  note: string | null;
  username: string | null;
  display_name: string | null;
}

export async function steps(db: DbOrTx, referralId: string): Promise<StepRow[]> {
  const { rows } = await sql<StepRow>`SELECT s.status, s.at, s.note, a.username, a.display_name
    FROM referral_step s LEFT JOIN account a ON a.id = s.by_account WHERE s.referral_id = ${referralId} ORDER BY s.at, s.id`.execute(db);
  return rows;
}

/** The laborer and posting a new referral names: the card's home village (scope) and the posting's state. */
export async function laborerHome(db: DbOrTx, id: string): Promise<{ home_village_code: string } | undefined> {
  const { rows } = await sql<{ home_village_code: string }>`SELECT home_village_code FROM laborer
    WHERE id = ${id} AND deleted_at IS NULL`.execute(db);
  return rows[0];
}

export type PostingStateRow = Pick<
  TableRow<'posting'>,
  'id' | 'employer_id' | 'title' | 'status' | 'valid_from' | 'valid_to' | 'headcount' | 'filled' | 'work_region_code'
>;

export async function postingState(db: DbOrTx, id: string): Promise<PostingStateRow | undefined> {
  const { rows } =
    await sql<PostingStateRow>`SELECT id, employer_id, title, status, valid_from::text, valid_to::text, headcount, filled, work_region_code
    FROM posting WHERE id = ${id}`.execute(db);
  return rows[0];
}

export type EmploymentRow = Pick<
  TableRow<'employment'>,
  'id' | 'started_on' | 'ended_on' | 'monthly_wage' | 'work_region_code' | 'channel'
>;

export async function openEmploymentOf(db: DbOrTx, laborerId: string): Promise<EmploymentRow | undefined> {
  const { rows } = await sql<EmploymentRow>`SELECT id, started_on::text, ended_on::text, monthly_wage, work_region_code, channel
    FROM employment WHERE laborer_id = ${laborerId} AND ended_on IS NULL`.execute(db);
  return rows[0];
}

export async function employmentOfReferral(db: DbOrTx, referralId: string): Promise<EmploymentRow | undefined> {
  const { rows } = await sql<EmploymentRow>`SELECT id, started_on::text, ended_on::text, monthly_wage, work_region_code, channel
    FROM employment WHERE referral_id = ${referralId}`.execute(db);
  return rows[0];
}

// A batch run's suggestions (modules/matching) are referrals: proposed, then recommended or dismissed.

/** Earlier proposals for the region's laborers give way to the new run's. */
export async function supersedeProposals(db: DbOrTx, regionCode: string): Promise<number> {
  const result = await sql`UPDATE referral f SET status = 'superseded', updated_at = now() FROM laborer l
    WHERE f.laborer_id = l.id AND f.status = 'proposed' AND ${withinRegion('l.home_village_code', regionCode)}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface NewSuggestion {
  laborerId: number;
  postingId: number;
  score: number;
  reasons: string[];
}

export async function insertSuggestions(db: DbOrTx, runId: string, by: string, items: NewSuggestion[]): Promise<number> {
  if (items.length === 0) return 0;
  // A laborer already put forward for the posting keeps that referral; the proposal is not repeated.
  const result =
    await sql`INSERT INTO referral (laborer_id, posting_id, channel, status, score, reasons, match_run_id, created_by, updated_by)
    SELECT u.laborer_id, u.posting_id, 'batch', 'proposed', u.score, ARRAY(SELECT jsonb_array_elements_text(u.reasons)), ${runId}, ${by}, ${by}
    FROM jsonb_to_recordset(${JSON.stringify(items.map((i) => ({ laborer_id: i.laborerId, posting_id: i.postingId, score: i.score, reasons: i.reasons })))}::jsonb)
      AS u(laborer_id bigint, posting_id bigint, score real, reasons jsonb)
    ON CONFLICT (laborer_id, posting_id) WHERE status IN ('proposed', 'recommended', 'interviewed') DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export async function setSuggestionStatus(db: DbOrTx, id: string, status: 'recommended' | 'dismissed', by: string): Promise<void> {
  await sql`UPDATE referral SET status = ${status}, updated_by = ${by}, updated_at = now() WHERE id = ${id}`.execute(db);
}
