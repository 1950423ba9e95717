import { sql } from 'kysely';
import type { DbOrTx, Db } from '../db/database.ts';
import type { AuditContext } from './actor.ts';
import { canonicalJson, hmacSm3 } from './crypto.ts';

/**
 * The audit log: every write, every view of a personal record, every search over personal data
 * and every export. Rows are written inside the caller's transaction, as its last statement,
 * so the audit row commits or rolls back with the change it records.
 *
 * Rows are chained: hash = HMAC-SM3(key, canonical content || previous hash). A transaction-level
 * advisory lock serialises the read of the previous hash and the insert, so the chain has no forks.
 */
export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  result?: 'success' | 'failure' | 'denied';
  details?: Record<string, unknown> | null;
}

const CHAIN_LOCK = 7_427_331_002;
export const GENESIS_HASH = Buffer.alloc(32);

export interface AuditRowContent {
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  actor_region: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  result: string;
  details: unknown;
}

export function rowDigest(key: Buffer, row: AuditRowContent, prevHash: Buffer): Buffer {
  const content = canonicalJson([
    row.at.toISOString(),
    row.actor_id,
    row.actor_name,
    row.actor_role,
    row.actor_region,
    row.ip,
    row.action,
    row.entity,
    row.entity_id,
    row.result,
    row.details ?? null,
  ]);
  return hmacSm3(key, content, prevHash);
}

export interface AuditLog {
  record(tx: DbOrTx, context: AuditContext, entry: AuditEntry): Promise<void>;
  verify(db: Db, onProgress?: (checked: number, total: number) => void): Promise<VerifyResult>;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  reason: string | null;
}

export function createAuditLog(key: Buffer): AuditLog {
  return {
    async record(tx, context, entry) {
      // The chain lock is transaction-scoped: outside a transaction it would protect nothing.
      if (!tx.isTransaction) throw new Error('audit.record must run inside the transaction of the change it records');
      const actor = context.actor;
      // Round-trip details through JSON so that what is hashed is what jsonb stores.
      const details = entry.details ? JSON.parse(JSON.stringify(entry.details)) : null;
      const row: AuditRowContent = {
        at: new Date(),
        actor_id: actor?.id ?? null,
        actor_name: actor?.username ?? context.claimedUsername ?? null,
        actor_role: actor?.role ?? null,
        actor_region: actor?.regionCode ?? null,
        ip: context.ip,
        action: entry.action,
        entity: entry.entity,
        entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
        result: entry.result ?? 'success',
        details,
      };
      await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(tx);
      const last = await tx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = rowDigest(key, row, prevHash);
      await tx
        .insertInto('audit_log')
        .values({ ...row, result: row.result as 'success', details: details === null ? null : JSON.stringify(details), prev_hash: prevHash, hash })
        .execute();
    },

    async verify(db, onProgress) {
      const total = Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      let prevHash: Buffer = GENESIS_HASH;
      let checked = 0;
      let afterId = '0';
      const batch = 5000;
      for (;;) {
        const rows = await db
          .selectFrom('audit_log')
          .selectAll()
          .where('id', '>', afterId)
          .orderBy('id')
          .limit(batch)
          .execute();
        if (rows.length === 0) break;
        for (const row of rows) {
          if (!row.prev_hash.equals(prevHash)) {
            return { ok: false, checked, firstBrokenId: String(row.id), reason: '与上一条记录的链接断开（有记录被删除、插入或篡改）' };
          }
          const expected = rowDigest(key, { ...row, at: row.at, details: row.details }, prevHash);
          if (!expected.equals(row.hash)) {
            return { ok: false, checked, firstBrokenId: String(row.id), reason: '记录内容与其校验值不符（记录被篡改）' };
          }
          prevHash = row.hash;
          checked++;
        }
        afterId = String(rows[rows.length - 1].id);
        onProgress?.(checked, total);
      }
      return { ok: true, checked, firstBrokenId: null, reason: null };
    },
  };
}
