import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { AccreditationCriterion, StandingAct, VisitResult } from '../../../../contracts/workshops.ts';

/**
 * SQL of the workshops' and bases' standing (认定、年审、摘牌) and of the visits to bases (巡诊),
 * migration 0058. The acts are read in (effective_on, id) order; standing.rules.ts reads them.
 */

export interface StandingActRow {
  id: string;
  act: StandingAct;
  effective_on: string;
  review_year: number | null;
  review_passed: boolean | null;
  findings: string | null;
  reason: string | null;
  document_no: string | null;
  decided_by_name: string | null;
  recorded_at: Date;
  criteria: { criterion: AccreditationCriterion; value: number; threshold: number | null; met: boolean | null }[];
}

/** The acts of one unit, oldest first, with the criteria of its accreditations. */
export async function actsOf(db: DbOrTx, employerId: string): Promise<StandingActRow[]> {
  const { rows } = await sql<StandingActRow>`
    SELECT w.id::text AS id, w.act, to_char(w.effective_on, 'YYYY-MM-DD') AS effective_on, w.review_year, w.review_passed,
           w.findings, w.reason, w.document_no, a.display_name AS decided_by_name, w.recorded_at,
           coalesce((SELECT jsonb_agg(jsonb_build_object('criterion', c.criterion, 'value', c.value, 'threshold', c.threshold, 'met', c.met)
                                ORDER BY c.criterion)
                       FROM workshop_standing_criterion c WHERE c.standing_id = w.id), '[]'::jsonb) AS criteria
      FROM workshop_standing w LEFT JOIN account a ON a.id = w.decided_by
     WHERE w.employer_id = ${employerId}
     ORDER BY w.effective_on, w.id`.execute(db);
  return rows;
}

/** One act at a time per unit: the order check and the insert see the same history. */
export async function lockUnit(tx: Tx, employerId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(74273358, ${Number(employerId) % 2_000_000_000}::int)`.execute(tx);
}

export async function insertAct(
  tx: Tx,
  act: {
    employerId: string;
    act: StandingAct;
    effectiveOn: string;
    reviewYear?: number;
    passed?: boolean;
    findings?: string | null;
    reason?: string;
    documentNo?: string | null;
    by: string;
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO workshop_standing (employer_id, act, effective_on, review_year, review_passed, findings, reason, document_no, decided_by)
    VALUES (${act.employerId}, ${act.act}, ${act.effectiveOn}::date, ${act.reviewYear ?? null}, ${act.passed ?? null},
            ${act.findings ?? null}, ${act.reason ?? null}, ${act.documentNo ?? null}, ${act.by})
    RETURNING id::text AS id`.execute(tx);
  return rows[0]!.id;
}

export async function insertCriteria(
  tx: Tx,
  standingId: string,
  criteria: { criterion: AccreditationCriterion; value: number; threshold: number | null; met: boolean | null }[],
): Promise<void> {
  await sql`INSERT INTO workshop_standing_criterion (standing_id, criterion, value, threshold, met)
    SELECT ${standingId}::bigint, c.criterion, c.value, c.threshold, c.met
      FROM jsonb_to_recordset(${JSON.stringify(criteria)}::jsonb) AS c(criterion text, value numeric, threshold numeric, met boolean)`.execute(
    tx,
  );
}

export async function insertVisit(
  tx: Tx,
  visit: {
    employerId: string;
    visitedOn: string;
    findings: string;
    by: string;
    checks: { employmentId: string; laborerId: string; result: VisitResult; note: string | null }[];
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO base_visit (employer_id, visited_on, visited_by, findings)
    VALUES (${visit.employerId}, ${visit.visitedOn}::date, ${visit.by}, ${visit.findings}) RETURNING id::text AS id`.execute(tx);
  const id = rows[0]!.id;
  if (visit.checks.length)
    await sql`INSERT INTO base_visit_check (visit_id, employment_id, laborer_id, result, note)
      SELECT ${id}::bigint, c."employmentId"::bigint, c."laborerId"::bigint, c.result, c.note
        FROM jsonb_to_recordset(${JSON.stringify(visit.checks)}::jsonb) AS c("employmentId" text, "laborerId" text, result text, note text)`.execute(
      tx,
    );
  return id;
}

export interface VisitRow {
  id: string;
  visited_on: string;
  visitor: string | null;
  findings: string;
  recorded_at: Date;
  checks: { laborerId: string; name: string; idNumberMasked: string; result: VisitResult; note: string | null }[];
}

/** A base's visits, newest first, each with its checks (names masked as everywhere in lists). */
export async function visitsOf(db: DbOrTx, employerId: string): Promise<VisitRow[]> {
  const { rows } = await sql<VisitRow>`
    SELECT b.id::text AS id, to_char(b.visited_on, 'YYYY-MM-DD') AS visited_on, a.display_name AS visitor, b.findings, b.recorded_at,
           coalesce((SELECT jsonb_agg(jsonb_build_object('laborerId', l.id::text, 'name', l.name, 'idNumberMasked', l.id_masked,
                                                         'result', c.result, 'note', c.note) ORDER BY c.employment_id)
                       FROM base_visit_check c JOIN laborer l ON l.id = c.laborer_id WHERE c.visit_id = b.id), '[]'::jsonb) AS checks
      FROM base_visit b LEFT JOIN account a ON a.id = b.visited_by
     WHERE b.employer_id = ${employerId}
     ORDER BY b.visited_on DESC, b.id DESC
     LIMIT 200`.execute(db);
  return rows;
}
