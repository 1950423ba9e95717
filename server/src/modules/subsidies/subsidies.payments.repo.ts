import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';

/**
 * SQL of the bank batches (补贴代发, issue 21 item 6). The database keeps a subsidy in one batch
 * only unless the bank failed it there (unique index subsidy_payment_item_once), and the paid
 * status itself goes through subsidies.repo.ts's pay (approved → paid, once).
 */

export interface BatchRow {
  id: string;
  county_code: string;
  county_name: string;
  month: string;
  status: 'open' | 'closed';
  created_at: Date;
}
export interface ItemRow {
  seq: number;
  subsidy_id: string;
  name: string;
  village_name: string;
  bank_account: string;
  kind: string;
  amount: string;
  status: 'pending' | 'paid' | 'failed';
  bank_date: string | null;
  fail_reason: string | null;
}

export async function countyName(db: DbOrTx, code: string): Promise<string | undefined> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM region WHERE code = ${code} AND length(code) = 6`.execute(db);
  return rows[0]?.name;
}

/**
 * A batch and its subsidies, in one statement: the county's approved laborer subsidies with an
 * account, in no batch but a failed line, approved by the month's end — and whose account the
 * batch's creator did not give or correct (four eyes: another approver batches those).
 */
export async function createBatch(
  db: DbOrTx,
  b: { county: string; month: string; monthEnd: string; by: string },
): Promise<{ id: string; count: number }> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO subsidy_payment_batch (county_code, month, created_by) VALUES (${b.county}, ${b.month}, ${b.by}) RETURNING id::text AS id`.execute(
    db,
  );
  const id = rows[0]!.id;
  const inserted = await sql`
    INSERT INTO subsidy_payment_item (batch_id, seq, subsidy_id, bank_account, amount)
    SELECT ${id}::bigint, row_number() OVER (ORDER BY s.id), s.id, s.bank_account, s.amount
    FROM subsidy s
    WHERE s.status = 'approved' AND s.recipient = 'laborer' AND s.bank_account IS NOT NULL
      AND ${withinRegion('s.region_code', b.county)}
      AND (s.approved_at AT TIME ZONE 'Asia/Shanghai')::date <= ${b.monthEnd}::date
      AND NOT EXISTS (SELECT 1 FROM subsidy_payment_item i WHERE i.subsidy_id = s.id AND i.status <> 'failed')
      AND s.bank_account_changed_by IS DISTINCT FROM ${b.by}::bigint
    ORDER BY s.id`.execute(db);
  return { id, count: Number(inserted.numAffectedRows ?? 0) };
}

/** Approved laborer subsidies of the county, by the month's end, unbatched, that have no account to pay to. */
export async function countWithoutAccount(db: DbOrTx, county: string, monthEnd: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM subsidy s
    WHERE s.status = 'approved' AND s.recipient = 'laborer' AND s.bank_account IS NULL AND ${withinRegion('s.region_code', county)}
      AND (s.approved_at AT TIME ZONE 'Asia/Shanghai')::date <= ${monthEnd}::date`.execute(db);
  return Number(rows[0]!.n);
}

/** Approved, unbatched laborer subsidies of the county, by the month's end, whose account `by` gave or corrected: left for another approver. */
export async function countChangedBy(db: DbOrTx, county: string, monthEnd: string, by: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM subsidy s
    WHERE s.status = 'approved' AND s.recipient = 'laborer' AND s.bank_account IS NOT NULL AND s.bank_account_changed_by = ${by}::bigint
      AND ${withinRegion('s.region_code', county)} AND (s.approved_at AT TIME ZONE 'Asia/Shanghai')::date <= ${monthEnd}::date
      AND NOT EXISTS (SELECT 1 FROM subsidy_payment_item i WHERE i.subsidy_id = s.id AND i.status <> 'failed')`.execute(db);
  return Number(rows[0]!.n);
}

export async function findBatch(db: DbOrTx, id: string, lock = false): Promise<BatchRow | undefined> {
  const { rows } = await sql<BatchRow>`
    SELECT b.id::text AS id, b.county_code, r.name AS county_name, b.month, b.status, b.created_at
    FROM subsidy_payment_batch b JOIN region r ON r.code = b.county_code
    WHERE b.id = ${id} ${lock ? sql`FOR UPDATE OF b` : sql``}`.execute(db);
  return rows[0];
}

export async function itemsOf(db: DbOrTx, batchId: string): Promise<ItemRow[]> {
  const { rows } = await sql<ItemRow>`
    SELECT i.seq, i.subsidy_id::text AS subsidy_id, l.name, coalesce(v.name, '') AS village_name, i.bank_account, s.kind,
      i.amount::text AS amount, i.status, i.bank_date::text AS bank_date, i.fail_reason
    FROM subsidy_payment_item i
    JOIN subsidy s ON s.id = i.subsidy_id
    JOIN laborer l ON l.id = s.laborer_id
    LEFT JOIN region v ON v.code = s.home_region_code
    WHERE i.batch_id = ${batchId} ORDER BY i.seq`.execute(db);
  return rows;
}

/** A pending line's outcome; false when it was no longer pending (returned before). */
export async function settleItem(
  db: DbOrTx,
  batchId: string,
  subsidyId: string,
  outcome: { status: 'paid' | 'failed'; bankDate: string; reason: string | null },
): Promise<boolean> {
  const r =
    await sql`UPDATE subsidy_payment_item SET status = ${outcome.status}, bank_date = ${outcome.bankDate}, fail_reason = ${outcome.reason}
    WHERE batch_id = ${batchId} AND subsidy_id = ${subsidyId} AND status = 'pending'`.execute(db);
  return Number(r.numAffectedRows ?? 0) === 1;
}

/** Closed once the bank returned every line. */
export async function closeIfReturned(db: DbOrTx, batchId: string): Promise<void> {
  await sql`UPDATE subsidy_payment_batch b SET status = 'closed', returned_at = now()
    WHERE b.id = ${batchId} AND b.status = 'open'
      AND NOT EXISTS (SELECT 1 FROM subsidy_payment_item i WHERE i.batch_id = b.id AND i.status = 'pending')`.execute(db);
}

export interface BatchSummaryRow extends BatchRow {
  count: string;
  amount: string;
  paid: string;
  failed: string;
  pending: string;
  total: string;
}

/** The batches of the counties within `region` (optionally one county), newest first, with their lines' counts. */
export async function listBatches(
  db: DbOrTx,
  q: { region: string; county?: string; limit: number; offset: number },
): Promise<BatchSummaryRow[]> {
  const { rows } = await sql<BatchSummaryRow>`
    SELECT b.id::text AS id, b.county_code, r.name AS county_name, b.month, b.status, b.created_at,
      count(i.seq)::text AS count, coalesce(sum(i.amount), 0)::text AS amount,
      count(*) FILTER (WHERE i.status = 'paid')::text AS paid, count(*) FILTER (WHERE i.status = 'failed')::text AS failed,
      count(*) FILTER (WHERE i.status = 'pending')::text AS pending, count(*) OVER ()::text AS total
    FROM subsidy_payment_batch b JOIN region r ON r.code = b.county_code
    LEFT JOIN subsidy_payment_item i ON i.batch_id = b.id
    WHERE ${withinRegion('b.county_code', q.region)} ${q.county ? sql`AND b.county_code = ${q.county}` : sql``}
    GROUP BY b.id, r.name
    ORDER BY b.created_at DESC, b.id DESC
    LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  return rows;
}
