import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { regionScope, withinRegion } from '../../platform/access.ts';
import { compareIds } from '../../platform/ids.ts';

/** SQL of likely duplicates (疑似重复) and of the pairs staff kept apart. */

export interface DuplicateCandidate {
  rule: 'name_birth' | 'phone';
  /** Card ids, in no particular order. */
  ids: string[];
  /** The group's first village code: the order the list shows groups in. */
  village: string;
}

/**
 * Groups of live cards under the scope (and region) that share a name and birth date within one
 * township, or a phone. The scoped cards are read once through the village index (a range on
 * home_village_code, bounded by the caller's region: a county reads its own ~15-20k cards, never
 * the province) and grouped twice in memory.
 */
export async function candidates(db: DbOrTx, actor: Actor, region: string): Promise<DuplicateCandidate[]> {
  const scope = regionScope(actor, 'l.home_village_code');
  const { rows } = await sql<DuplicateCandidate>`
    WITH s AS MATERIALIZED (
      SELECT l.id, l.name, l.birth_date, l.phone_index, l.home_village_code
        FROM laborer l
       WHERE ${scope}
         AND ${withinRegion('l.home_village_code', region)}
         AND l.deleted_at IS NULL
    )
    SELECT 'name_birth' AS rule, array_agg(id::text) AS ids, min(home_village_code) AS village
      FROM s GROUP BY left(home_village_code, 9), name, birth_date HAVING count(*) > 1
    UNION ALL
    SELECT 'phone' AS rule, array_agg(id::text) AS ids, min(home_village_code) AS village
      FROM s WHERE phone_index IS NOT NULL GROUP BY phone_index HAVING count(*) > 1`.execute(db);
  return rows;
}

/** The dismissed pairs among these cards, as "smaller-larger" keys. */
export async function dismissedPairs(db: DbOrTx, ids: string[]): Promise<Set<string>> {
  if (ids.length < 2) return new Set();
  const { rows } = await sql<{ a: string; b: string }>`
    SELECT laborer_id::text AS a, other_id::text AS b FROM laborer_duplicate_dismissal
     WHERE laborer_id = ANY(${ids}::bigint[]) AND other_id = ANY(${ids}::bigint[])`.execute(db);
  return new Set(rows.map((r) => pairKey(r.a, r.b)));
}

export const pairKey = (a: string, b: string) => (compareIds(a, b) < 0 ? `${a}-${b}` : `${b}-${a}`);

export async function dismiss(db: DbOrTx, a: string, b: string, by: string, reason: string | null): Promise<boolean> {
  const [first, second] = [a, b].sort(compareIds);
  const result = await db
    .insertInto('laborer_duplicate_dismissal')
    .values({ laborer_id: first, other_id: second, dismissed_by: by, reason })
    .onConflict((oc) => oc.columns(['laborer_id', 'other_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function pendingTransferOf(db: DbOrTx, laborerId: string) {
  return db
    .selectFrom('laborer_transfer_request')
    .select('id')
    .where('laborer_id', '=', laborerId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export async function findPhoneSecret(db: DbOrTx, id: string) {
  return db.selectFrom('laborer').select(['phone_index', 'phone_cipher', 'phone_masked']).where('id', '=', id).executeTakeFirstOrThrow();
}

/** What a merge carried away from the retired card, written into the retired card's merge version. */
export async function recordCarried(db: DbOrTx, laborerId: string, version: number, carried: Record<string, [unknown, unknown]>) {
  await sql`UPDATE laborer_version SET changes = changes || ${JSON.stringify(carried)}::jsonb
    WHERE laborer_id = ${laborerId} AND version = ${version}`.execute(db);
}
