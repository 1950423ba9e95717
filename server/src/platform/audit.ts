import { sql } from 'kysely';
import type { DbOrTx, Db } from '../db/database.ts';
import type { AuditContext } from './actor.ts';
import { canonicalJson, hmacSm3 } from './crypto.ts';

/**
 * The audit log: every write, every view of a personal record, every search over personal data
 * and every export. Rows are written inside the caller's transaction, as its last statement,
 * so the audit row commits or rolls back with the change it records.
 *
 * Rows are chained: hash = HMAC-SM3(key, canonical content || previous hash). Writing a row takes
 * no lock (issue 14: one global lock queued every request behind the others' audit rows): the row
 * and a pending marker are appended in one statement, and one linker (`link`, run by
 * tasks/audit-linker.ts every few hundred milliseconds on the background connections) chains the
 * committed pending rows in order under a transaction-level advisory lock, so the chain has no
 * forks. `verify` checks the chain, and reports the rows still pending and any row that is neither
 * linked nor pending (its marker removed behind the application's back).
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
  /** Link the committed pending rows into the chain; returns how many were linked. */
  link(db: Db, limit?: number): Promise<number>;
  verify(db: Db, onProgress?: (checked: number, total: number) => void): Promise<VerifyResult>;
}

export interface VerifyResult {
  ok: boolean;
  /** Rows of the chain checked. */
  checked: number;
  /** Rows written and not linked yet (the linker takes them shortly). */
  pending: number;
  firstBrokenId: string | null;
  reason: string | null;
}

interface StoredRow extends AuditRowContent {
  id: string;
}

const digestOfStored = (key: Buffer, row: StoredRow, prevHash: Buffer) =>
  rowDigest(key, { ...row, at: row.at, details: row.details }, prevHash);

export function createAuditLog(key: Buffer): AuditLog {
  const log: AuditLog = {
    async record(tx, context, entry) {
      // The row commits or rolls back with the change it records.
      if (!tx.isTransaction) throw new Error('audit.record must run inside the transaction of the change it records');
      const actor = context.actor;
      const details = entry.details ? JSON.stringify(entry.details) : null;
      const entityId = entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId);
      // One statement: the row and its pending marker. No lock: the linker orders the chain.
      await sql`WITH a AS (
          INSERT INTO audit_log (at, actor_id, actor_name, actor_role, actor_region, ip, action, entity, entity_id, result, details)
          VALUES (${new Date()}, ${actor?.id ?? null}, ${actor?.username ?? context.claimedUsername ?? null}, ${actor?.role ?? null},
                  ${actor?.regionCode ?? null}, ${context.ip}, ${entry.action}, ${entry.entity}, ${entityId}, ${entry.result ?? 'success'}, ${details}::jsonb)
          RETURNING id)
        INSERT INTO audit_pending (audit_id) SELECT id FROM a`.execute(tx);
    },

    async link(db, limit = 2000) {
      let linked = 0;
      for (;;) {
        const n = await db.transaction().execute(async (tx) => {
          await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(tx);
          const { rows } =
            await sql<StoredRow>`SELECT a.id, a.at, a.actor_id, a.actor_name, a.actor_role, a.actor_region, a.ip, a.action, a.entity, a.entity_id, a.result, a.details
            FROM audit_pending p JOIN audit_log a ON a.id = p.audit_id ORDER BY p.audit_id LIMIT ${limit}`.execute(tx);
          if (rows.length === 0) return 0;
          const last = (await sql<{ seq: string; hash: Buffer }>`SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1`.execute(tx))
            .rows[0];
          let prev = last?.hash ?? GENESIS_HASH;
          let seq = BigInt(last?.seq ?? 0);
          const seqs: string[] = [];
          const ids: string[] = [];
          const prevs: Buffer[] = [];
          const hashes: Buffer[] = [];
          for (const row of rows) {
            const hash = digestOfStored(key, row, prev);
            seq += 1n;
            seqs.push(String(seq));
            ids.push(String(row.id));
            prevs.push(prev);
            hashes.push(hash);
            prev = hash;
          }
          await sql`INSERT INTO audit_chain (seq, audit_id, prev_hash, hash)
            SELECT * FROM unnest(${seqs}::bigint[], ${ids}::bigint[], ${prevs}::bytea[], ${hashes}::bytea[])`.execute(tx);
          await sql`DELETE FROM audit_pending WHERE audit_id = ANY(${ids}::bigint[])`.execute(tx);
          return rows.length;
        });
        linked += n;
        if (n < limit) return linked;
      }
    },

    async verify(db, onProgress) {
      // What is committed now is linked first, so the answer covers it; rows still in flight stay pending.
      await log.link(db);
      const total = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_chain`.execute(db)).rows[0]!.n);
      let prevHash: Buffer = GENESIS_HASH;
      let checked = 0;
      let afterSeq = '0';
      const batch = 5000;
      const pendingNow = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_pending`.execute(db)).rows[0]!.n);
      for (;;) {
        const { rows } = await sql<StoredRow & { seq: string; audit_id: string; prev_hash: Buffer; hash: Buffer; present: boolean }>`
          SELECT c.seq, c.audit_id, c.prev_hash, c.hash, a.id IS NOT NULL AS present,
                 a.id, a.at, a.actor_id, a.actor_name, a.actor_role, a.actor_region, a.ip, a.action, a.entity, a.entity_id, a.result, a.details
          FROM audit_chain c LEFT JOIN audit_log a ON a.id = c.audit_id
          WHERE c.seq > ${afterSeq} ORDER BY c.seq LIMIT ${batch}`.execute(db);
        if (rows.length === 0) break;
        for (const row of rows) {
          const broken = (reason: string) => ({ ok: false, checked, pending: 0, firstBrokenId: String(row.audit_id), reason });
          if (!row.present) return { ...broken('链上的记录已不存在（有记录被删除）'), pending: await pendingNow() };
          if (!row.prev_hash.equals(prevHash))
            return { ...broken('与上一条记录的链接断开（有记录被删除、插入或篡改）'), pending: await pendingNow() };
          if (!digestOfStored(key, row, prevHash).equals(row.hash))
            return { ...broken('记录内容与其校验值不符（记录被篡改）'), pending: await pendingNow() };
          prevHash = row.hash;
          checked++;
        }
        afterSeq = String(rows[rows.length - 1]!.seq);
        onProgress?.(checked, total);
      }
      // A row neither linked nor pending lost its marker behind the application's back.
      const orphan = (
        await sql<{ id: string | null }>`SELECT min(a.id) AS id FROM audit_log a
        WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id)
          AND NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.audit_id = a.id)`.execute(db)
      ).rows[0]?.id;
      const pending = await pendingNow();
      if (orphan)
        return {
          ok: false,
          checked,
          pending,
          firstBrokenId: String(orphan),
          reason: '有审计记录既未入链也不在待入链队列中（入链标记被删除）',
        };
      return { ok: true, checked, pending, firstBrokenId: null, reason: null };
    },
  };
  return log;
}
