import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { TableRow } from '../../db/schema.ts';
import { withinRegion } from '../../platform/access.ts';

/** SQL of the laborer's mobile page: sign-in codes, sessions, the own card, applications, wishes. */

export async function codeRequests(db: DbOrTx, phoneIndex: Buffer, dayStart: Date) {
  const { rows } = await sql<{ minute: string; hour: string; day: string }>`
    SELECT count(*) FILTER (WHERE created_at > now() - interval '1 minute') AS minute,
           count(*) FILTER (WHERE created_at > now() - interval '1 hour') AS hour,
           count(*) FILTER (WHERE created_at >= ${dayStart}) AS day
      FROM mobile_code WHERE phone_index = ${phoneIndex} AND created_at > now() - interval '1 day'`.execute(db);
  return { minute: Number(rows[0]!.minute), hour: Number(rows[0]!.hour), day: Number(rows[0]!.day) };
}

/** Code requests from one client address in the last hour and day, and from everyone in the last hour. */
export async function codeRequestsFrom(db: DbOrTx, ip: string) {
  const { rows } = await sql<{ hour: string; day: string; overall: string }>`
    SELECT (SELECT count(*) FROM mobile_code WHERE requested_ip = ${ip} AND created_at > now() - interval '1 hour') AS hour,
           (SELECT count(*) FROM mobile_code WHERE requested_ip = ${ip} AND created_at > now() - interval '1 day') AS day,
           (SELECT count(*) FROM mobile_code WHERE created_at > now() - interval '1 hour') AS overall`.execute(db);
  return { hour: Number(rows[0]!.hour), day: Number(rows[0]!.day), overall: Number(rows[0]!.overall) };
}

/**
 * Serializes the code requests of one client address and of one number until the transaction ends,
 * so parallel requests cannot all pass a limit they together exceed. Always taken address first.
 */
export async function lockCodeRequests(db: DbOrTx, ip: string, phoneIndex: Buffer): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${'mobile-ip:' + ip}, 0))`.execute(db);
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${'mobile-phone:' + phoneIndex.toString('hex')}, 0))`.execute(db);
}

export async function insertCode(db: DbOrTx, phoneIndex: Buffer, codeHash: Buffer, ttlSeconds: number, ip: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`INSERT INTO mobile_code (phone_index, code_hash, expires_at, requested_ip)
    VALUES (${phoneIndex}, ${codeHash}, now() + make_interval(secs => ${ttlSeconds}), ${ip}) RETURNING id::text AS id`.execute(db);
  return rows[0]!.id;
}

export interface CodeRow extends Pick<TableRow<'mobile_code'>, 'id' | 'code_hash' | 'attempts'> {
  expired: boolean;
  used: boolean;
}

/** Today's codes of a number, newest first, locked: a code is spent by exactly one sign-in. */
export async function recentCodes(db: DbOrTx, phoneIndex: Buffer): Promise<CodeRow[]> {
  const { rows } =
    await sql<CodeRow>`SELECT id::text AS id, code_hash, expires_at <= now() AS expired, used_at IS NOT NULL AS used, attempts
    FROM mobile_code WHERE phone_index = ${phoneIndex} AND created_at > now() - interval '1 day' ORDER BY id DESC LIMIT 20 FOR UPDATE`.execute(
      db,
    );
  return rows;
}

export async function spendCode(db: DbOrTx, id: string): Promise<boolean> {
  const { rows } =
    await sql`UPDATE mobile_code SET used_at = now() WHERE id = ${id} AND used_at IS NULL AND expires_at > now() RETURNING id`.execute(db);
  return rows.length > 0;
}

/**
 * A wrong code counts against every code of the number still in force (a guess is tried against
 * all of them); too many wrong guesses spend them: six digits are not to be tried through.
 */
export async function countFailedAttempt(db: DbOrTx, ids: string[], max: number): Promise<void> {
  if (ids.length === 0) return;
  await sql`UPDATE mobile_code SET attempts = attempts + 1, used_at = CASE WHEN attempts + 1 >= ${max} THEN coalesce(used_at, now()) ELSE used_at END
    WHERE id = ANY(${ids}::bigint[])`.execute(db);
}

/** A wrong sign-in code, by number and client address. */
export async function insertLoginFailure(db: DbOrTx, phoneIndex: Buffer, ip: string): Promise<void> {
  await sql`INSERT INTO mobile_login_failure (phone_index, ip) VALUES (${phoneIndex}, ${ip})`.execute(db);
}

/** Wrong sign-in codes in the last hour for this number and from this client address. */
export async function recentLoginFailures(db: DbOrTx, phoneIndex: Buffer, ip: string) {
  const { rows } = await sql<{ phone: string; ip: string }>`
    SELECT (SELECT count(*) FROM mobile_login_failure WHERE phone_index = ${phoneIndex} AND created_at > now() - interval '1 hour') AS phone,
           (SELECT count(*) FROM mobile_login_failure WHERE ip = ${ip} AND created_at > now() - interval '1 hour') AS ip`.execute(db);
  return { phone: Number(rows[0]!.phone), ip: Number(rows[0]!.ip) };
}

/** Rows only the limits read, kept a day: swept with idle sessions (tasks/session-sweeper.ts). */
export async function deleteOldLoginFailures(db: DbOrTx): Promise<number> {
  const r = await sql`DELETE FROM mobile_login_failure WHERE created_at < now() - interval '1 day'`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export async function insertSession(db: DbOrTx, tokenHash: Buffer, laborerId: string, days: number): Promise<void> {
  await sql`INSERT INTO mobile_session (token_hash, laborer_id, expires_at) VALUES (${tokenHash}, ${laborerId}, now() + make_interval(days => ${days}))`.execute(
    db,
  );
}

export async function findSession(
  db: DbOrTx,
  tokenHash: Buffer,
): Promise<{ laborer_id: string; name: string; home_village_code: string } | undefined> {
  const { rows } = await sql<{ laborer_id: string; name: string; home_village_code: string }>`
    UPDATE mobile_session s SET last_seen_at = now() FROM laborer l
     WHERE s.token_hash = ${tokenHash} AND s.expires_at > now() AND l.id = s.laborer_id AND l.deleted_at IS NULL
    RETURNING s.laborer_id::text AS laborer_id, l.name, l.home_village_code`.execute(db);
  return rows[0];
}

export async function deleteSession(db: DbOrTx, tokenHash: Buffer): Promise<void> {
  await sql`DELETE FROM mobile_session WHERE token_hash = ${tokenHash}`.execute(db);
}

export interface OwnCardRow
  extends Pick<
    TableRow<'laborer'>,
    | 'id'
    | 'name'
    | 'id_masked'
    | 'phone_masked'
    | 'phone_index'
    | 'sex'
    | 'birth_date'
    | 'education'
    | 'employment_status'
    | 'skills'
    | 'willingness'
    | 'wanted_job_types'
    | 'expected_wage'
    | 'home_village_code'
  > {
  village: string;
}

export async function ownCard(db: DbOrTx, laborerId: string): Promise<OwnCardRow | undefined> {
  const { rows } =
    await sql<OwnCardRow>`SELECT l.id::text AS id, l.name, l.id_masked, l.phone_masked, l.phone_index, l.sex, l.birth_date::text AS birth_date,
      r.full_name AS village, l.education, l.employment_status, l.skills, l.willingness, l.wanted_job_types, l.expected_wage, l.home_village_code
    FROM laborer l JOIN region r ON r.code = l.home_village_code WHERE l.id = ${laborerId} AND l.deleted_at IS NULL`.execute(db);
  return rows[0];
}

export async function openApplications(db: DbOrTx, laborerId: string): Promise<Set<string>> {
  const { rows } = await sql<{ posting_id: string }>`SELECT posting_id::text AS posting_id FROM referral
    WHERE laborer_id = ${laborerId} AND status IN ('recommended', 'interviewed', 'hired')`.execute(db);
  return new Set(rows.map((r) => r.posting_id));
}

export async function applications(db: DbOrTx, laborerId: string) {
  const { rows } = await sql<{ id: string; posting_id: string; title: string; employer_name: string; status: string; created_at: Date }>`
    SELECT f.id::text AS id, f.posting_id::text AS posting_id, p.title, e.name AS employer_name, f.status, f.created_at
      FROM referral f JOIN posting p ON p.id = f.posting_id JOIN employer e ON e.id = p.employer_id
     WHERE f.laborer_id = ${laborerId} AND f.status IN ('recommended', 'interviewed', 'hired', 'not_hired', 'withdrawn')
     ORDER BY f.created_at DESC LIMIT 50`.execute(db);
  return rows;
}

/** The postings a message named (the short link), when the message is this laborer's. */
export async function messagePostings(db: DbOrTx, messageId: string, laborerId: string): Promise<string[] | null> {
  const { rows } = await sql<{
    posting_ids: string[];
  }>`SELECT posting_ids::text[] AS posting_ids FROM sms_message WHERE id = ${messageId} AND laborer_id = ${laborerId}`.execute(db);
  return rows[0] ? rows[0].posting_ids : null;
}

export interface WishRow {
  id: string;
  laborer_id: string;
  name: string;
  village_name: string;
  changes: { willingness: string; wantedJobTypes: string[]; expectedWage: number | null };
  willingness: string;
  wanted_job_types: string[];
  expected_wage: number | null;
  status: string;
  created_at: Date;
  village_code: string;
  total?: string;
}

export async function pendingWish(
  db: DbOrTx,
  laborerId: string,
): Promise<{ id: string; changes: WishRow['changes']; created_at: Date } | undefined> {
  const { rows } = await sql<{
    id: string;
    changes: WishRow['changes'];
    created_at: Date;
  }>`SELECT id::text AS id, changes, created_at FROM laborer_wish_request
    WHERE laborer_id = ${laborerId} AND status = 'pending'`.execute(db);
  return rows[0];
}

/** The pending request of a card, created or replaced by the new wishes. */
export async function upsertWish(db: DbOrTx, laborerId: string, village: string, changes: WishRow['changes']): Promise<string> {
  const { rows } = await sql<{
    id: string;
  }>`INSERT INTO laborer_wish_request (laborer_id, village_code, changes) VALUES (${laborerId}, ${village}, ${JSON.stringify(changes)}::jsonb)
    ON CONFLICT (laborer_id) WHERE status = 'pending' DO UPDATE SET changes = excluded.changes, created_at = now() RETURNING id::text AS id`.execute(
    db,
  );
  return rows[0]!.id;
}

const WISH_SELECT = sql`SELECT w.id::text AS id, w.laborer_id::text AS laborer_id, l.name, r.full_name AS village_name, w.changes, l.willingness,
    l.wanted_job_types, l.expected_wage, w.status, w.created_at, w.village_code
  FROM laborer_wish_request w JOIN laborer l ON l.id = w.laborer_id JOIN region r ON r.code = w.village_code`;

export async function listWishes(db: DbOrTx, regionCode: string, limit: number, offset: number) {
  const { rows } = await sql<WishRow>`${WISH_SELECT}
     WHERE w.status = 'pending' AND ${withinRegion('w.village_code', regionCode)}
     ORDER BY w.id LIMIT ${limit} OFFSET ${offset}`.execute(db);
  const { rows: n } = await sql<{ n: string }>`SELECT count(*) AS n FROM laborer_wish_request w
     WHERE w.status = 'pending' AND ${withinRegion('w.village_code', regionCode)}`.execute(db);
  return { rows, total: Number(n[0]!.n) };
}

export async function findWish(db: DbOrTx, id: string): Promise<WishRow | undefined> {
  const { rows } = await sql<WishRow>`${WISH_SELECT} WHERE w.id = ${id} FOR UPDATE OF w`.execute(db);
  return rows[0];
}

export async function decideWish(db: DbOrTx, id: string, status: 'confirmed' | 'rejected', by: string, note: string | null): Promise<void> {
  await sql`UPDATE laborer_wish_request SET status = ${status}, decided_by = ${by}, decided_at = now(), note = ${note} WHERE id = ${id}`.execute(
    db,
  );
}
