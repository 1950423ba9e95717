import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { SyncResult } from '../../../../contracts/field.ts';

/** SQL of field sync: the entries answered, under their idempotency keys (migration 0043). */

export type StoredResult = Omit<SyncResult, 'replayed'>;

/** The answer an account's entry got the first time, if it was answered. */
export async function answered(db: DbOrTx, accountId: string, key: string): Promise<StoredResult | undefined> {
  const row = await db
    .selectFrom('field_sync_entry')
    .select('result')
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? (row.result as StoredResult) : undefined;
}

/**
 * Claims the key for this entry, in the transaction that applies it. False when the key is taken:
 * answered before, or by a request sending the same entry at the same moment (the insert waits for
 * that one's transaction, then finds its row).
 */
export async function claim(db: DbOrTx, e: { accountId: string; key: string; kind: string; capturedAt: Date }): Promise<boolean> {
  const { rows } = await sql<{ key: string }>`
    INSERT INTO field_sync_entry (account_id, key, kind, status, result, captured_at)
    VALUES (${e.accountId}, ${e.key}, ${e.kind}, 'refused', '{}'::jsonb, ${e.capturedAt})
    ON CONFLICT (account_id, key) DO NOTHING
    RETURNING key`.execute(db);
  return rows.length > 0;
}

/** The entry's answer, kept for every later sending of the same key. */
export async function settle(db: DbOrTx, accountId: string, key: string, result: StoredResult) {
  await db
    .updateTable('field_sync_entry')
    .set({ status: result.status, result: JSON.stringify(result), laborer_id: result.laborerId ?? null })
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .execute();
}

/** Whether the account's entry `key` was answered with a conflict on this card (what a resolution resolves). */
export async function conflictOf(db: DbOrTx, accountId: string, key: string, laborerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('field_sync_entry')
    .select('key')
    .where('account_id', '=', accountId)
    .where('key', '=', key)
    .where('laborer_id', '=', laborerId)
    .where('status', '=', 'conflict')
    .executeTakeFirst();
  return Boolean(row);
}

/** The conflict is resolved: a second resolution of it finds nothing to resolve. Its stored answer stays. */
export async function markResolved(db: DbOrTx, accountId: string, key: string) {
  await db.updateTable('field_sync_entry').set({ status: 'resolved' }).where('account_id', '=', accountId).where('key', '=', key).execute();
}
