import { sql } from 'kysely';
import type { Db, DbOrTx } from '../../db/database.ts';
import type { TableRow } from '../../db/schema.ts';
import { withinRegion } from '../../platform/access.ts';

/** SQL of the data exchange: the client systems, and the change feed (migration 0041, docs/exchange.md). */

export type ClientRow = TableRow<'exchange_client'>;

const CLIENT_SELECT = sql`SELECT c.* FROM exchange_client c`;

export async function insertClient(
  db: DbOrTx,
  c: { name: string; keyId: string; secretHash: Buffer; regionCode: string; kinds: string[]; note: string | null; createdBy: string },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`INSERT INTO exchange_client (name, key_id, secret_hash, region_code, kinds, note, created_by)
    VALUES (${c.name}, ${c.keyId}, ${c.secretHash}, ${c.regionCode}, ${c.kinds}::text[], ${c.note}, ${c.createdBy}) RETURNING id`.execute(
    db,
  );
  return String(rows[0]!.id);
}

/** The clients whose region lies in `region`, newest first. */
export async function listClients(db: DbOrTx, region: string): Promise<ClientRow[]> {
  const { rows } = await sql<ClientRow>`${CLIENT_SELECT} WHERE ${withinRegion('c.region_code', region)} ORDER BY c.id DESC`.execute(db);
  return rows;
}

export async function findClient(db: DbOrTx, id: string, region: string): Promise<ClientRow | undefined> {
  const { rows } = await sql<ClientRow>`${CLIENT_SELECT} WHERE c.id = ${id} AND ${withinRegion('c.region_code', region)}`.execute(db);
  return rows[0];
}

export async function findClientByKeyId(db: DbOrTx, keyId: string): Promise<TableRow<'exchange_client'> | undefined> {
  const { rows } = await sql<TableRow<'exchange_client'>>`SELECT * FROM exchange_client WHERE key_id = ${keyId}`.execute(db);
  return rows[0];
}

export async function revokeClient(db: DbOrTx, id: string, by: string): Promise<boolean> {
  const r = await sql`UPDATE exchange_client SET revoked_at = now(), revoked_by = ${by} WHERE id = ${id} AND revoked_at IS NULL`.execute(
    db,
  );
  return Number(r.numAffectedRows ?? 0) === 1;
}

export async function markRead(db: DbOrTx, id: string, cursor: string): Promise<void> {
  await sql`UPDATE exchange_client SET last_read_at = now(), last_cursor = ${cursor}::bigint WHERE id = ${id}`.execute(db);
}

const LINK_LOCK = 7_427_331_041;

/**
 * Gives the committed pending changes the next positions, in batches of `limit`, one linker at a
 * time (the transaction-level advisory lock). Each batch's positions become visible together at
 * its commit, after every earlier batch's: a reader sees positions 1..N and never a gap that fills
 * later. A change whose transaction commits late is simply linked late, at a higher position.
 */
export async function link(db: Db, limit = 5000, more: () => boolean = () => true): Promise<number> {
  let linked = 0;
  for (;;) {
    const n = await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${LINK_LOCK})`.execute(tx);
      // A new statement, so its snapshot sees the previous linker's commit.
      const { rows } = await sql<{ n: string }>`WITH batch AS (
            SELECT id FROM exchange_change_pending ORDER BY id LIMIT ${limit}),
          moved AS (
            DELETE FROM exchange_change_pending p USING batch b WHERE p.id = b.id
            RETURNING p.id, p.kind, p.record_id, p.operation, p.regions, p.changed_at),
          top AS (SELECT coalesce(max(position), 0) AS position FROM exchange_change),
          linked AS (
            INSERT INTO exchange_change (position, kind, record_id, operation, regions, changed_at)
            SELECT top.position + row_number() OVER (ORDER BY m.id), m.kind, m.record_id, m.operation, m.regions, m.changed_at
            FROM moved m, top
            RETURNING 1)
        SELECT count(*) AS n FROM linked`.execute(tx);
      return Number(rows[0]!.n);
    });
    linked += n;
    // `more` lets a stopping linker end between batches instead of after a whole backlog.
    if (n < limit || !more()) return linked;
  }
}

export type ChangeRow = Pick<TableRow<'exchange_change'>, 'position' | 'kind' | 'record_id' | 'operation' | 'changed_at'>;

/**
 * The changes after `after` a client may read: of its kinds, touching its region, in position
 * order, at most `limit`, looking at most `window` positions ahead (so a county's client in a
 * province's feed reads a bounded range per request). `top` is the highest position visible to the
 * same statement: nothing at or below it can appear later.
 */
export async function changesAfter(
  db: DbOrTx,
  q: { after: string; limit: number; window: number; kinds: string[]; region: string },
): Promise<{ rows: ChangeRow[]; top: string }> {
  const { rows } = await sql<ChangeRow & { top: string }>`WITH top AS (SELECT coalesce(max(position), 0) AS top FROM exchange_change),
      page AS (
        SELECT c.position, c.kind, c.record_id, c.operation, c.changed_at FROM exchange_change c
        WHERE c.position > ${q.after}::bigint AND c.position <= ${q.after}::bigint + ${q.window}
          AND c.kind = ANY(${q.kinds}::text[])
          AND EXISTS (SELECT 1 FROM unnest(c.regions) AS r(code) WHERE ${withinRegion('r.code', q.region)})
        ORDER BY c.position LIMIT ${q.limit})
    SELECT top.top, page.* FROM top LEFT JOIN page ON true ORDER BY page.position`.execute(db);
  const top = String(rows[0]?.top ?? '0');
  return { rows: rows.filter((r) => r.position !== null).map(({ top: _top, ...r }) => r), top };
}
