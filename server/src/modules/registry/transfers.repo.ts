import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { TableRow } from '../../db/schema.ts';

/** SQL of transfer requests (迁移申请). */

export interface TransferRow extends TableRow<'laborer_transfer_request'> {
  /** The card's village now. */
  card_village_code: string;
  card_deleted: boolean;
  card_name: string;
  card_id_masked: string;
  requester_username: string;
  requester_display_name: string;
  requester_region_code: string;
  decider_username: string | null;
  decider_display_name: string | null;
}

const SELECT = sql`
  SELECT r.id::text AS id, r.laborer_id::text AS laborer_id, r.id_masked, r.from_village_code, r.to_village_code, r.reason, r.status,
         r.requested_by::text AS requested_by, r.requested_at, r.decided_by::text AS decided_by, r.decided_at, r.decision_reason,
         l.home_village_code AS card_village_code, l.deleted_at IS NOT NULL AS card_deleted, l.name AS card_name, l.id_masked AS card_id_masked,
         q.username AS requester_username, q.display_name AS requester_display_name, q.region_code AS requester_region_code,
         d.username AS decider_username, d.display_name AS decider_display_name
    FROM laborer_transfer_request r
    JOIN laborer l ON l.id = r.laborer_id
    JOIN account q ON q.id = r.requested_by
    LEFT JOIN account d ON d.id = r.decided_by`;

export async function findPending(db: DbOrTx, laborerId: string) {
  return db
    .selectFrom('laborer_transfer_request')
    .select('id')
    .where('laborer_id', '=', laborerId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export async function insert(
  db: DbOrTx,
  request: {
    laborer_id: string;
    id_masked: string;
    from_village_code: string;
    to_village_code: string;
    reason: string;
    requested_by: string;
  },
): Promise<string> {
  const { id } = await db.insertInto('laborer_transfer_request').values(request).returning('id').executeTakeFirstOrThrow();
  return String(id);
}

export async function find(db: DbOrTx, id: string, forUpdate = false): Promise<TransferRow | undefined> {
  const { rows } = await sql<TransferRow>`${SELECT} WHERE r.id = ${id} ${forUpdate ? sql`FOR UPDATE OF r` : sql``}`.execute(db);
  return rows[0];
}

export async function decide(
  db: DbOrTx,
  id: string,
  decision: { status: 'approved' | 'rejected'; by: string; reason: string | null; fromVillage: string },
) {
  await db
    .updateTable('laborer_transfer_request')
    .set({
      status: decision.status,
      decided_by: decision.by,
      decided_at: sql<Date>`now()` as unknown as Date,
      decision_reason: decision.reason,
      from_village_code: decision.fromVillage,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Incoming: requests for cards the caller's scope holds (pending ones by the card's village now,
 * decided ones by the village the card was in when decided). Outgoing: requests to villages in
 * the caller's scope. Requests are few next to cards; the scope conditions are still ranges on
 * indexed columns.
 */
export async function list(
  db: DbOrTx,
  f: { direction: 'incoming' | 'outgoing'; scope: (column: string) => Expression<SqlBool>; status?: string; offset: number; limit: number },
): Promise<{ rows: TransferRow[]; total: number }> {
  const where =
    f.direction === 'incoming'
      ? sql`((r.status = 'pending' AND ${f.scope('l.home_village_code')}) OR (r.status <> 'pending' AND ${f.scope('r.from_village_code')}))`
      : sql`${f.scope('r.to_village_code')}`;
  const status = f.status ? sql` AND r.status = ${f.status}` : sql``;
  const { rows } = await sql<TransferRow & { total: string }>`
    SELECT t.*, count(*) OVER () AS total FROM (${SELECT} WHERE ${where}${status}) t
     ORDER BY (t.status = 'pending') DESC, t.requested_at DESC, t.id::bigint DESC
     LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  let total = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && f.offset > 0) {
    total = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM (${SELECT} WHERE ${where}${status}) t`.execute(db)).rows[0].n);
  }
  return { rows, total };
}
