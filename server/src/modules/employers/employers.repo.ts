import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { EmployerTable } from '../../db/schema.ts';
import { withinRegion } from '../../platform/access.ts';

/** SQL of the employers (用人单位). Rows leave as camelCase records. */
export interface EmployerRecord {
  id: string;
  creditCode: string;
  name: string;
  regionCode: string;
  industry: string | null;
  kind: EmployerTable['kind'];
  relocationSite: string | null;
  contactName: string | null;
  contactPhone: string | null;
  address: string | null;
  /** The day it became a designated receiving enterprise (定点接收单位), 'YYYY-MM-DD', or null. */
  designatedOn: string | null;
  /** 对外劳务合作经营资格证书: its number and last valid day, or null (not licensed). */
  overseasLicenseNo: string | null;
  overseasLicenseValidUntil: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = [
  'id',
  'credit_code',
  'name',
  'region_code',
  'industry',
  'kind',
  'relocation_site',
  'contact_name',
  'contact_phone',
  'address',
  sql<string | null>`to_char(designated_on, 'YYYY-MM-DD')`.as('designated_on'),
  'overseas_license_no',
  sql<string | null>`to_char(overseas_license_valid_until, 'YYYY-MM-DD')`.as('overseas_license_valid_until'),
  'created_at',
  'updated_at',
] as const;

type Row = {
  id: string;
  credit_code: string;
  name: string;
  region_code: string;
  industry: string | null;
  kind: EmployerTable['kind'];
  relocation_site: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  address: string | null;
  designated_on: string | null;
  overseas_license_no: string | null;
  overseas_license_valid_until: string | null;
  created_at: Date;
  updated_at: Date;
};

const toRecord = (r: Row): EmployerRecord => ({
  id: String(r.id),
  creditCode: r.credit_code,
  name: r.name,
  regionCode: r.region_code,
  industry: r.industry,
  kind: r.kind,
  relocationSite: r.relocation_site,
  contactName: r.contact_name,
  contactPhone: r.contact_phone,
  address: r.address,
  designatedOn: r.designated_on,
  overseasLicenseNo: r.overseas_license_no,
  overseasLicenseValidUntil: r.overseas_license_valid_until,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The columns a create or an edit writes (camelCase in, snake_case here). */
export interface EmployerColumns {
  creditCode: string;
  name: string;
  regionCode: string;
  industry: string | null;
  kind: EmployerTable['kind'];
  relocationSite: string | null;
  contactName: string | null;
  contactPhone: string | null;
  address: string | null;
  designatedOn?: string | null;
  overseasLicenseNo?: string | null;
  overseasLicenseValidUntil?: string | null;
}

const toColumns = (c: Partial<EmployerColumns>) => {
  const out: Record<string, unknown> = {};
  const map: [keyof EmployerColumns, string][] = [
    ['creditCode', 'credit_code'],
    ['name', 'name'],
    ['regionCode', 'region_code'],
    ['industry', 'industry'],
    ['kind', 'kind'],
    ['relocationSite', 'relocation_site'],
    ['contactName', 'contact_name'],
    ['contactPhone', 'contact_phone'],
    ['address', 'address'],
    ['designatedOn', 'designated_on'],
    ['overseasLicenseNo', 'overseas_license_no'],
    ['overseasLicenseValidUntil', 'overseas_license_valid_until'],
  ];
  for (const [from, to] of map) if (c[from] !== undefined) out[to] = c[from];
  return out;
};

export async function findById(db: DbOrTx, id: string, forUpdate = false): Promise<EmployerRecord | undefined> {
  let query = db.selectFrom('employer').select(COLUMNS).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function findMany(db: DbOrTx, ids: string[]): Promise<EmployerRecord[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('employer')
    .select(COLUMNS)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return rows.map(toRecord);
}

export async function findByCreditCode(db: DbOrTx, creditCode: string): Promise<EmployerRecord | undefined> {
  const row = await db.selectFrom('employer').select(COLUMNS).where('credit_code', '=', creditCode).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function insert(db: DbOrTx, columns: EmployerColumns, createdBy: string | null): Promise<string> {
  const { id } = await db
    .insertInto('employer')
    .values({ ...(toColumns(columns) as Omit<EmployerTable, 'id' | 'created_at' | 'updated_at' | 'created_by'>), created_by: createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(id);
}

export async function update(db: DbOrTx, id: string, patch: Partial<EmployerColumns>): Promise<EmployerRecord> {
  const row = await db
    .updateTable('employer')
    .set({ ...toColumns(patch), updated_at: sql`now()` })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** The employer an employer account acts for (account.employer_id), or null. */
export async function employerIdOfAccount(db: DbOrTx, accountId: string): Promise<string | null> {
  const row = await db.selectFrom('account').select('employer_id').where('id', '=', accountId).executeTakeFirst();
  return row?.employer_id ? String(row.employer_id) : null;
}

export interface ListFilter {
  /** Restricts the list to one employer (an employer account sees only its own). */
  onlyId?: string;
  region?: string;
  kind?: string;
  industry?: string;
  /** A whole or partial credit code (upper-cased), or part of the name. */
  q?: { creditCode?: string; name: string };
  offset: number;
  limit: number;
}

export async function list(db: DbOrTx, f: ListFilter): Promise<{ rows: EmployerRecord[]; total: number }> {
  const where: Expression<SqlBool>[] = [];
  if (f.onlyId) where.push(sql<SqlBool>`e.id = ${f.onlyId}`);
  if (f.region) where.push(withinRegion('e.region_code', f.region));
  if (f.kind) where.push(sql<SqlBool>`e.kind = ${f.kind}`);
  if (f.industry) where.push(sql<SqlBool>`e.industry = ${f.industry}`);
  if (f.q) {
    const name = sql<SqlBool>`e.name LIKE ${'%' + f.q.name.replace(/[\\%_]/g, (m) => '\\' + m) + '%'}`;
    where.push(f.q.creditCode ? sql<SqlBool>`(e.credit_code LIKE ${f.q.creditCode + '%'} OR ${name})` : name);
  }
  const condition = where.length ? sql.join(where, sql` AND `) : sql`true`;
  const { rows } = await sql<Row & { total: string }>`
    SELECT e.id, e.credit_code, e.name, e.region_code, e.industry, e.kind, e.relocation_site, e.contact_name, e.contact_phone,
           e.address, to_char(e.designated_on, 'YYYY-MM-DD') AS designated_on, e.overseas_license_no,
           to_char(e.overseas_license_valid_until, 'YYYY-MM-DD') AS overseas_license_valid_until, e.created_at, e.updated_at, count(*) OVER () AS total
      FROM employer e
     WHERE ${condition}
     ORDER BY e.region_code, e.name, e.id
     LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  let total = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && f.offset > 0) {
    total = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM employer e WHERE ${condition}`.execute(db)).rows[0].n);
  }
  return { rows: rows.map(toRecord), total };
}

/** A workshop's planned posts (modules/workshops), returning the number before. */
export async function setPosts(db: DbOrTx, id: string, posts: number): Promise<number | null> {
  const { rows } = await sql<{ before: number | null }>`
    UPDATE employer m SET posts_planned = ${posts}, updated_at = now() FROM (SELECT id, posts_planned AS before FROM employer WHERE id = ${id} FOR UPDATE) o
    WHERE m.id = o.id RETURNING o.before`.execute(db);
  return rows[0]?.before ?? null;
}

export interface DesignatedEmployer {
  id: string;
  name: string;
  kind: EmployerTable['kind'];
  regionCode: string;
  designatedOn: string;
}

/**
 * The designated receiving enterprises (定点接收单位) on a day: designated on or before it. Where they
 * are does not matter — the province designates them for its laborers, and most are in the input
 * regions (深圳, 广州, 长沙 …) — so there is no region condition.
 */
export async function designatedOn(db: DbOrTx, day: string): Promise<DesignatedEmployer[]> {
  const { rows } = await sql<{ id: string; name: string; kind: EmployerTable['kind']; region_code: string; designated_on: string }>`
    SELECT id::text AS id, name, kind, region_code, to_char(designated_on, 'YYYY-MM-DD') AS designated_on
      FROM employer WHERE designated_on <= ${day}::date ORDER BY designated_on, id`.execute(db);
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, regionCode: r.region_code, designatedOn: r.designated_on }));
}
