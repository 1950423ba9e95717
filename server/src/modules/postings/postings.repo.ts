import { sql, type Expression, type Insertable, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { PostingTable } from '../../db/schema.ts';
import { withinRegion } from '../../platform/access.ts';
import { openOn } from './open-on.ts';

/** SQL of the job postings (岗位). Rows leave as camelCase records; validity dates as 'YYYY-MM-DD'. */
export interface PostingRecord {
  id: string;
  employerId: string;
  title: string;
  occupationCode: string;
  workRegionCode: string;
  headcount: number;
  filled: number;
  wageMin: number;
  wageMax: number;
  food: boolean;
  housing: boolean;
  ageMin: number;
  ageMax: number;
  minEducation: string | null;
  skills: string[];
  certificates: string[];
  reservedForPoor: boolean;
  validFrom: string;
  validTo: string;
  status: 'open' | 'closed';
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The columns a create or an edit writes. */
export type PostingColumns = Omit<PostingRecord, 'id' | 'createdAt' | 'updatedAt'>;

const COLUMNS = [
  'id',
  'employer_id',
  'title',
  'occupation_code',
  'work_region_code',
  'headcount',
  'filled',
  'wage_min',
  'wage_max',
  'food',
  'housing',
  'age_min',
  'age_max',
  'min_education',
  'skills',
  'certificates',
  'reserved_for_poor',
  'valid_from',
  'valid_to',
  'status',
  'description',
  'created_at',
  'updated_at',
] as const;

const FIELD_COLUMNS: [keyof PostingColumns, keyof PostingTable][] = [
  ['employerId', 'employer_id'],
  ['title', 'title'],
  ['occupationCode', 'occupation_code'],
  ['workRegionCode', 'work_region_code'],
  ['headcount', 'headcount'],
  ['filled', 'filled'],
  ['wageMin', 'wage_min'],
  ['wageMax', 'wage_max'],
  ['food', 'food'],
  ['housing', 'housing'],
  ['ageMin', 'age_min'],
  ['ageMax', 'age_max'],
  ['minEducation', 'min_education'],
  ['skills', 'skills'],
  ['certificates', 'certificates'],
  ['reservedForPoor', 'reserved_for_poor'],
  ['validFrom', 'valid_from'],
  ['validTo', 'valid_to'],
  ['status', 'status'],
  ['description', 'description'],
];

type Row = Record<(typeof COLUMNS)[number], unknown>;

const toRecord = (r: Row): PostingRecord => ({
  id: String(r.id),
  employerId: String(r.employer_id),
  title: r.title as string,
  occupationCode: r.occupation_code as string,
  workRegionCode: r.work_region_code as string,
  headcount: r.headcount as number,
  filled: r.filled as number,
  wageMin: r.wage_min as number,
  wageMax: r.wage_max as number,
  food: r.food as boolean,
  housing: r.housing as boolean,
  ageMin: r.age_min as number,
  ageMax: r.age_max as number,
  minEducation: r.min_education as string | null,
  skills: r.skills as string[],
  certificates: r.certificates as string[],
  reservedForPoor: r.reserved_for_poor as boolean,
  validFrom: r.valid_from as string,
  validTo: r.valid_to as string,
  status: r.status as 'open' | 'closed',
  description: r.description as string | null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

const toColumns = (c: Partial<PostingColumns>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [from, to] of FIELD_COLUMNS) if (c[from] !== undefined) out[to] = c[from];
  return out;
};

export async function findById(db: DbOrTx, id: string, forUpdate = false): Promise<PostingRecord | undefined> {
  let query = db.selectFrom('posting').select(COLUMNS).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toRecord(row as Row) : undefined;
}

export async function insert(
  db: DbOrTx,
  columns: PostingColumns,
  createdBy: string | null,
  externalRef: string | null = null,
): Promise<string> {
  const { id } = await db
    .insertInto('posting')
    .values({ ...(toColumns(columns) as unknown as Insertable<PostingTable>), created_by: createdBy, external_ref: externalRef })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(id);
}

/**
 * A posting an import row names again (its idempotency key): the employer's posting with this
 * external reference, or, when the row has none, with this title starting on this day.
 */
export async function findImported(
  db: DbOrTx,
  employerId: string,
  externalRef: string | null,
  title: string,
  validFrom: string,
): Promise<string | undefined> {
  let query = db.selectFrom('posting').select('id').where('employer_id', '=', employerId);
  query = externalRef
    ? query.where('external_ref', '=', externalRef)
    : query.where('title', '=', title).where('valid_from', '=', validFrom);
  const row = await query.limit(1).executeTakeFirst();
  return row ? String(row.id) : undefined;
}

export async function update(db: DbOrTx, id: string, patch: Partial<PostingColumns>): Promise<PostingRecord> {
  const row = await db
    .updateTable('posting')
    .set({ ...toColumns(patch), updated_at: sql`now()` })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRecord(row as Row);
}

/** Open postings per employer on a date. */
export async function openPostingCounts(db: DbOrTx, employerIds: string[], today: string): Promise<Map<string, number>> {
  if (!employerIds.length) return new Map();
  const { rows } = await sql<{ employer_id: string; n: string }>`
    SELECT p.employer_id, count(*) AS n FROM posting p
     WHERE p.employer_id = ANY(${[...new Set(employerIds)]}::bigint[]) AND ${openOn('p', today)}
     GROUP BY p.employer_id`.execute(db);
  return new Map(rows.map((r) => [String(r.employer_id), Number(r.n)]));
}

/**
 * The posts reserved for poor laborers (就业扶贫专岗) these employers had published by a day: every
 * reserved posting whose validity began on or before it, closed or filled since or not — a past
 * day's answer must not move when a posting closes later.
 */
export async function reservedPostsBy(
  db: DbOrTx,
  employerIds: string[],
  day: string,
): Promise<{ id: string; employerId: string; headcount: number }[]> {
  if (!employerIds.length) return [];
  const { rows } = await sql<{ id: string; employer_id: string; headcount: number }>`
    SELECT p.id::text AS id, p.employer_id::text AS employer_id, p.headcount FROM posting p
     WHERE p.employer_id = ANY(${[...new Set(employerIds)]}::bigint[]) AND p.reserved_for_poor AND p.valid_from <= ${day}::date
     ORDER BY p.id`.execute(db);
  return rows.map((r) => ({ id: r.id, employerId: r.employer_id, headcount: r.headcount }));
}

export interface ListFilter {
  /** An employer account: its own postings only. */
  onlyEmployerId?: string;
  /** Work region and everything below it. */
  region?: string;
  employerId?: string;
  /** A 大典 code: that occupation or group and everything inside it. */
  occupation?: string;
  status?: 'open' | 'closed';
  /** The job supply list on this date (openOn). */
  openOn?: string;
  reservedForPoor?: boolean;
  /** The range reaches this wage: wage_max ≥ it. */
  wageAtLeast?: number;
  q?: string;
  sort: 'updatedAt' | 'wageMax' | 'validTo';
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export async function list(db: DbOrTx, f: ListFilter): Promise<{ rows: PostingRecord[]; total: number }> {
  const where: Expression<SqlBool>[] = [];
  if (f.onlyEmployerId) where.push(sql<SqlBool>`p.employer_id = ${f.onlyEmployerId}`);
  if (f.employerId) where.push(sql<SqlBool>`p.employer_id = ${f.employerId}`);
  if (f.region) where.push(withinRegion('p.work_region_code', f.region));
  // Codes have whole segments ('6-05', '6-05-01'): the code itself or anything under "code-".
  if (f.occupation) where.push(sql<SqlBool>`(p.occupation_code = ${f.occupation} OR p.occupation_code LIKE ${f.occupation + '-%'})`);
  if (f.status) where.push(sql<SqlBool>`p.status = ${f.status}`);
  if (f.openOn) where.push(openOn('p', f.openOn));
  if (f.reservedForPoor !== undefined) where.push(sql<SqlBool>`p.reserved_for_poor = ${f.reservedForPoor}`);
  if (f.wageAtLeast !== undefined) where.push(sql<SqlBool>`p.wage_max >= ${f.wageAtLeast}`);
  if (f.q) where.push(sql<SqlBool>`p.title LIKE ${'%' + f.q.replace(/[\\%_]/g, (m) => '\\' + m) + '%'}`);
  const condition = where.length ? sql.join(where, sql` AND `) : sql`true`;
  const direction = sql.raw(f.order === 'asc' ? 'ASC' : 'DESC');
  const orderBy = { updatedAt: sql`p.updated_at`, wageMax: sql`p.wage_max`, validTo: sql`p.valid_to` }[f.sort];
  const columns = sql.raw(COLUMNS.map((c) => `p.${c}`).join(', '));
  // The page by its index, then the count by itself: count(*) OVER () fetched and sorted every
  // matching posting to number them (a county admin's first page of the province's 35,582: 36 ms,
  // 0.4 + 9 ms so). A page that is not full tells the count itself.
  const { rows } = await sql<Row>`
    SELECT ${columns}
      FROM posting p
     WHERE ${condition}
     ORDER BY ${orderBy} ${direction}, p.id ${direction}
     LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  const total =
    rows.length < f.limit && (rows.length > 0 || f.offset === 0)
      ? f.offset + rows.length
      : Number((await sql<{ n: string }>`SELECT count(*) AS n FROM posting p WHERE ${condition}`.execute(db)).rows[0]!.n);
  return { rows: rows.map(toRecord), total };
}

/** Posting titles by id, for the audit log's rows about postings. */
export async function titlesOf(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter((id) => /^[1-9][0-9]{0,17}$/.test(id));
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('posting').select(['id', 'title']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [String(r.id), r.title]));
}

/**
 * A hire takes one opening: the counter moves only while one is left (row-locked by the UPDATE,
 * so two hires racing for the last place cannot both get it). Stamps updated_at, which tells the
 * matching market the supply list changed.
 */
export async function takeOpening(db: DbOrTx, postingId: string): Promise<boolean> {
  const result = await sql`UPDATE posting SET filled = filled + 1, updated_at = now()
    WHERE id = ${postingId} AND filled < headcount`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}
