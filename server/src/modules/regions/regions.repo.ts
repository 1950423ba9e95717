import { ABROAD_CODE } from './abroad.ts';
import { sql } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';

export interface RegionRecord {
  code: string;
  parentCode: string | null;
  level: number;
  name: string;
  fullName: string;
  childCount: number;
}

const columns = ['code', 'parent_code', 'level', 'name', 'full_name', 'child_count'] as const;
type Row = { code: string; parent_code: string | null; level: number; name: string; full_name: string; child_count: number };
const toRecord = (r: Row): RegionRecord => ({
  code: r.code,
  parentCode: r.parent_code,
  level: r.level,
  name: r.name,
  fullName: r.full_name,
  childCount: r.child_count,
});

export async function findByCode(db: DbOrTx, code: string): Promise<RegionRecord | undefined> {
  const row = await db.selectFrom('region').select(columns).where('code', '=', code).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function findMany(db: DbOrTx, codes: string[]): Promise<RegionRecord[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('region')
    .select(columns)
    .where('code', 'in', [...new Set(codes)])
    .orderBy('code')
    .execute();
  return rows.map(toRecord);
}

export async function findChildren(db: DbOrTx, parentCode: string | null): Promise<RegionRecord[]> {
  let query = db.selectFrom('region').select(columns);
  query = parentCode === null ? query.where('parent_code', 'is', null) : query.where('parent_code', '=', parentCode);
  // China's divisions in code order (the statistical order); the 249 places abroad by pinyin, so 日本 is found under R.
  const rows = await (parentCode === ABROAD_CODE ? query.orderBy('pinyin').orderBy('code') : query.orderBy('code')).execute();
  return rows.map(toRecord);
}

export interface RegionSearch {
  q: string;
  level?: number;
  within?: string;
  /** Regions under this code rank first: a 新邵县 user typing xsx means 新邵县. */
  preferWithin?: string;
  limit: number;
}

/**
 * Search by Chinese name (exact, prefix, then infix), full pinyin prefix (xinshao) or
 * pinyin initials prefix (xsx). Upper levels first, so 新邵县 comes before the villages named after it.
 */
export async function search(db: DbOrTx, s: RegionSearch): Promise<RegionRecord[]> {
  const latin = /^[a-z]+$/i.test(s.q);
  const q = s.q.toLowerCase();
  const escaped = q.replace(/[\\%_]/g, (c) => '\\' + c);
  let query = db.selectFrom('region').select(columns);
  if (latin) {
    query = query
      .where((eb) => eb.or([eb('pinyin', 'like', `${escaped}%`), eb('initials', 'like', `${escaped}%`)]))
      .orderBy(sql`(initials = ${q} or pinyin = ${q})`, 'desc');
  } else {
    query = query
      .where('name', 'like', `%${escaped}%`)
      .orderBy(sql`(name = ${s.q})`, 'desc')
      .orderBy(sql`starts_with(name, ${s.q})`, 'desc');
  }
  if (s.preferWithin) query = query.orderBy(sql`starts_with(code, ${s.preferWithin})`, 'desc');
  if (s.level) query = query.where('level', '=', s.level);
  if (s.within) query = query.where(withinRegion('code', s.within));
  const rows = await query.orderBy('level').orderBy('code').limit(s.limit).execute();
  return rows.map(toRecord);
}

export async function count(db: DbOrTx): Promise<number> {
  const row = await db
    .selectFrom('region')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
