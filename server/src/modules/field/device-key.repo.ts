import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';

/** SQL of the phone's device key: which generation of an account's key is current (migration 0047). */

/** The account's current generation, marked released now (a first release makes generation 1). */
export async function release(db: DbOrTx, accountId: string): Promise<number> {
  const { rows } = await sql<{ generation: number }>`
    INSERT INTO field_device_key (account_id, released_at) VALUES (${accountId}, now())
    ON CONFLICT (account_id) DO UPDATE SET released_at = now()
    RETURNING generation`.execute(db);
  return rows[0]!.generation;
}

/** The account's current generation, locked until the transaction ends; 1 when none was ever released. */
export async function current(db: DbOrTx, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('field_device_key')
    .select('generation')
    .where('account_id', '=', accountId)
    .forShare()
    .executeTakeFirst();
  return row?.generation ?? 1;
}

/** Moves the account to a new generation; the new generation. */
export async function rotate(db: DbOrTx, accountId: string): Promise<number> {
  const { rows } = await sql<{ generation: number }>`
    INSERT INTO field_device_key (account_id, generation, rotated_at) VALUES (${accountId}, 2, now())
    ON CONFLICT (account_id) DO UPDATE SET generation = field_device_key.generation + 1, rotated_at = now(), released_at = NULL
    RETURNING generation`.execute(db);
  return rows[0]!.generation;
}
