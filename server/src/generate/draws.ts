import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../db/database.ts';
import { idBase } from './constants.ts';
import { inAreas } from './places.ts';
import type { Rng } from './random.ts';

/**
 * Set-based draws shared by the service-records and subsidies steps: the preset's cards numbered
 * 0 … M − 1 (laborerPool), N of them drawn as (i · stride + offset) mod M with a stride coprime
 * with M (strideFor), each on a day inside its half-year (drawnDay), loaded in bulk (bulkLoad).
 */

export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

const PRIMES = [1_000_003, 1_299_709, 2_750_159, 15_485_863, 32_452_843, 49_979_687, 67_867_967, 86_028_121];
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
/** A stride coprime with m, so i ↦ (i · stride + offset) mod m visits m distinct numbers. */
export function strideFor(m: number, rng: Rng): number {
  const start = rng.int(0, PRIMES.length - 1);
  for (let k = 0; k < PRIMES.length; k++) {
    const p = PRIMES[(start + k) % PRIMES.length]!;
    if (gcd(p % m || m, m) === 1 || m === 1) return p;
  }
  return 1;
}

/**
 * The preset's cards to draw from, numbered 0 … total − 1, as the view or table gen_pool (laborer_id,
 * village, created_at), and the join that finds card number `n`. The generator writes a preset's
 * cards as one dense block of ids, so card n is simply id first + n, found by the primary key;
 * otherwise (cards deleted or added by hand inside the block) they are numbered by registration in
 * a temporary table. A draw dated before a card was registered is moved to its registration day.
 */
export interface LaborerPool {
  total: number;
  join: (n: RawBuilder<unknown>) => RawBuilder<unknown>;
}
export async function laborerPool(tx: Tx, preset: 'demo' | 'province', areas: string[]): Promise<LaborerPool> {
  // Sorts, windows and hash joins over the province's cards stay in memory.
  await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
  const base = idBase(preset);
  const { rows: block } = await sql<{ first: string | null; last: string | null; n: string; live: string }>`
    SELECT min(id) AS first, max(id) AS last, count(*) AS n, count(*) FILTER (WHERE deleted_at IS NULL) AS live
    FROM laborer WHERE id >= ${base} AND id < ${base + 100_000_000}`.execute(tx);
  const b = block[0]!;
  await sql`DROP VIEW IF EXISTS gen_pool`.execute(tx);
  const dense = b.first !== null && Number(b.last) - Number(b.first) + 1 === Number(b.n) && b.n === b.live;
  if (dense) {
    const first = Number(b.first);
    await sql`CREATE TEMP VIEW gen_pool AS SELECT id AS laborer_id, home_village_code AS village, created_at FROM laborer`.execute(tx);
    return { total: Number(b.n), join: (n) => sql`JOIN gen_pool p ON p.laborer_id = ${first}::bigint + ${n}` };
  }
  await sql`CREATE TEMP TABLE gen_pool ON COMMIT DROP AS
    SELECT (row_number() OVER (ORDER BY created_at, id) - 1)::bigint AS n, id AS laborer_id, home_village_code AS village, created_at
    FROM laborer WHERE deleted_at IS NULL AND ${inAreas('home_village_code', areas)}`.execute(tx);
  await sql`ANALYZE gen_pool`.execute(tx);
  const { rows } = await sql<{ total: string }>`SELECT count(*) AS total FROM gen_pool`.execute(tx);
  return { total: Number(rows[0]!.total), join: (n) => sql`JOIN gen_pool p ON p.n = ${n}` };
}

/** The China day the drawn card (p) was registered. */
export const createdDay = sql`(p.created_at AT TIME ZONE 'Asia/Shanghai')::date`;
/**
 * A draw's day inside its half-year, not before the card was registered: draws of cards registered
 * after the half-year are left out by the caller (`createdDay <= s.day0 + s.days - 1`), so no
 * record is ever dated before its card (issue 16: 139 guidance person-times as of 2016-12-31 where
 * the people registered then had 103).
 */
export const drawnDay = (offset: RawBuilder<unknown>) =>
  sql`least(greatest(s.day0 + (${offset} % s.days)::int, ${createdDay}), s.day0 + s.days - 1)`;

/**
 * A bulk load into a table: its foreign keys, exclusion constraints and secondary indexes are
 * dropped for the load and made again after it, in the same transaction (definitions read from the
 * catalogue, as the region loader does), so the rows are checked once as a set instead of a
 * trigger and an index probe per row. No other transaction ever sees the table without them: the
 * ALTER TABLE lock holds until the commit, and a load that breaks one rolls back whole.
 */
export async function bulkLoad<T>(
  tx: Tx,
  table: 'service_record' | 'subsidy',
  work: () => Promise<T>,
  onPhase?: (name: string) => void,
): Promise<T> {
  const { rows: constraints } = await sql<{ name: string; def: string }>`SELECT conname AS name, pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE conrelid = ${table}::regclass AND contype IN ('f', 'x') ORDER BY conname`.execute(tx);
  const { rows: indexes } = await sql<{ name: string; def: string }>`SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indrelid = ${table}::regclass AND NOT x.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
    ORDER BY i.relname`.execute(tx);
  for (const c of constraints) await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.id(c.name)}`.execute(tx);
  for (const i of indexes) await sql`DROP INDEX ${sql.id(i.name)}`.execute(tx);
  const result = await work();
  onPhase?.('load');
  for (const i of indexes) await sql.raw(i.def).execute(tx);
  onPhase?.('indexes');
  for (const c of constraints) await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.id(c.name)} ${sql.raw(c.def)}`.execute(tx);
  onPhase?.('constraints');
  return result;
}

export interface DrawSpec {
  id: number;
  kind: string;
  n: number;
  m: number;
  stride: number;
  off: number;
  day0: string;
  days: number;
  salt: number;
}
