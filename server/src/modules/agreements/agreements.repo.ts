import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { AgreementCommitmentTable, TableRow } from '../../db/schema.ts';
import { withinRegion } from '../../platform/access.ts';

/** SQL of the cooperation agreements (劳务协作协议) and of their progress. Rows leave as camelCase records. */
export type CommitmentKindCode = AgreementCommitmentTable['kind'];

export interface AgreementRecord {
  id: string;
  title: string;
  outputRegionCode: string;
  inputRegionCode: string;
  signedOn: string | null;
  validFrom: string;
  validTo: string;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CommitmentRecord {
  kind: CommitmentKindCode;
  target: number | null;
}

export type AgreementColumns = Omit<AgreementRecord, 'id' | 'createdAt' | 'updatedAt'>;

const COLUMNS = [
  'id',
  'title',
  'output_region_code',
  'input_region_code',
  'signed_on',
  'valid_from',
  'valid_to',
  'notes',
  'created_at',
  'updated_at',
] as const;

type Row = Omit<TableRow<'cooperation_agreement'>, 'created_by'>;

const toRecord = (r: Row): AgreementRecord => ({
  id: String(r.id),
  title: r.title,
  outputRegionCode: r.output_region_code,
  inputRegionCode: r.input_region_code,
  signedOn: r.signed_on,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toColumns = (c: Partial<AgreementColumns>) => {
  const out: Record<string, unknown> = {};
  const map: [keyof AgreementColumns, string][] = [
    ['title', 'title'],
    ['outputRegionCode', 'output_region_code'],
    ['inputRegionCode', 'input_region_code'],
    ['signedOn', 'signed_on'],
    ['validFrom', 'valid_from'],
    ['validTo', 'valid_to'],
    ['notes', 'notes'],
  ];
  for (const [from, to] of map) if (c[from] !== undefined) out[to] = c[from];
  return out;
};

/**
 * Region `code` and the region in `column` overlap: one lies in the other's subtree. An agreement
 * of 湘西州 4331 touches 花垣县 433124 (the county is inside it) and 湖南省 43 (it is inside the province).
 */
export function touchesRegion(column: string, code: string): Expression<SqlBool> {
  return sql<SqlBool>`(${withinRegion(column, code)} OR left(${code}::text, length(${sql.ref(column)})) = ${sql.ref(column)})`;
}

export async function findById(db: DbOrTx, id: string, forUpdate = false): Promise<AgreementRecord | undefined> {
  let query = db.selectFrom('cooperation_agreement').select(COLUMNS).where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function insert(db: DbOrTx, columns: AgreementColumns, createdBy: string | null): Promise<string> {
  const { id } = await db
    .insertInto('cooperation_agreement')
    .values({
      title: columns.title,
      output_region_code: columns.outputRegionCode,
      input_region_code: columns.inputRegionCode,
      signed_on: columns.signedOn,
      valid_from: columns.validFrom,
      valid_to: columns.validTo,
      notes: columns.notes,
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(id);
}

export async function update(db: DbOrTx, id: string, patch: Partial<AgreementColumns>): Promise<AgreementRecord> {
  const row = await db
    .updateTable('cooperation_agreement')
    .set({ ...toColumns(patch), updated_at: sql`now()` })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** Replaces an agreement's commitments with these. */
export async function replaceCommitments(db: DbOrTx, agreementId: string, commitments: CommitmentRecord[]): Promise<void> {
  await db.deleteFrom('agreement_commitment').where('agreement_id', '=', agreementId).execute();
  if (!commitments.length) return;
  await db
    .insertInto('agreement_commitment')
    .values(commitments.map((c) => ({ agreement_id: agreementId, kind: c.kind, target: c.target })))
    .execute();
}

const KIND_ORDER: CommitmentKindCode[] = ['posts', 'hires', 'students', 'fairs', 'trained'];

export async function commitmentsOf(db: DbOrTx, ids: string[]): Promise<Map<string, CommitmentRecord[]>> {
  const out = new Map<string, CommitmentRecord[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('agreement_commitment')
    .select(['agreement_id', 'kind', 'target'])
    .where('agreement_id', 'in', ids)
    .execute();
  for (const r of rows) out.get(String(r.agreement_id))?.push({ kind: r.kind, target: r.target });
  for (const list of out.values()) list.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  return out;
}

export interface ListFilter {
  /**
   * The regions whose agreements the caller may read (an agreement touching any of them on either
   * side); null for all (province admins).
   */
  visibleRegions: string[] | null;
  region?: string;
  activeOn?: string;
}

export async function list(db: DbOrTx, f: ListFilter): Promise<AgreementRecord[]> {
  const where: Expression<SqlBool>[] = [];
  const touches = (code: string) =>
    sql<SqlBool>`(${touchesRegion('a.output_region_code', code)} OR ${touchesRegion('a.input_region_code', code)})`;
  if (f.visibleRegions)
    where.push(f.visibleRegions.length ? sql<SqlBool>`(${sql.join(f.visibleRegions.map(touches), sql` OR `)})` : sql<SqlBool>`false`);
  if (f.region) where.push(touches(f.region));
  if (f.activeOn) where.push(sql<SqlBool>`(a.valid_from <= ${f.activeOn}::date AND a.valid_to >= ${f.activeOn}::date)`);
  const condition = where.length ? sql.join(where, sql` AND `) : sql`true`;
  const { rows } = await sql<Row>`
    SELECT a.id, a.title, a.output_region_code, a.input_region_code, a.signed_on, a.valid_from, a.valid_to, a.notes, a.created_at, a.updated_at
      FROM cooperation_agreement a
     WHERE ${condition}
     ORDER BY a.valid_to DESC, a.valid_from DESC, a.id DESC`.execute(db);
  return rows.map(toRecord);
}

/** The instants that bound a period of China Standard Time days [from, to] (both inclusive). */
const periodStart = (from: string) => sql`(${from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
const periodEnd = (to: string) => sql`((${to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;

/** 提供岗位: the places (headcount) of postings whose place of work lies in the input region, published in the period. */
export async function postsProvided(db: DbOrTx, inputRegion: string, from: string, to: string): Promise<number> {
  const { rows } = await sql<{ n: string | null }>`
    SELECT coalesce(sum(p.headcount), 0) AS n
      FROM posting p
     WHERE ${withinRegion('p.work_region_code', inputRegion)}
       AND p.created_at >= ${periodStart(from)} AND p.created_at < ${periodEnd(to)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * 转移就业人数: laborers from the output region hired through a referral to a posting in the input
 * region during the period (each person once). The hire's date is its 'hired' step (0006_referrals);
 * a referral without steps (batch suggestions accepted before the pipeline) dates from its last update.
 * The laborer's home is the referral's copy of the card's (0063, kept by trigger): its index finds the
 * output region's referrals, where a join to the cards read every hire of the input region first
 * (a city's agreement in the generated province: 116 → 46 ms).
 */
export async function hiresMade(db: DbOrTx, outputRegion: string, inputRegion: string, from: string, to: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(DISTINCT r.laborer_id) AS n
      FROM referral r
      JOIN posting p ON p.id = r.posting_id
      LEFT JOIN LATERAL (SELECT max(s.at) AS at FROM referral_step s WHERE s.referral_id = r.id AND s.status = 'hired') h ON true
     WHERE r.status = 'hired'
       AND ${withinRegion('r.home_village_code', outputRegion)}
       AND ${withinRegion('p.work_region_code', inputRegion)}
       AND coalesce(h.at, r.updated_at) >= ${periodStart(from)} AND coalesce(h.at, r.updated_at) < ${periodEnd(to)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export interface AgreementPair {
  outputRegionCode: string;
  inputRegionCode: string;
}

/**
 * The (output, input) region pairs of the agreements in force on a date ('YYYY-MM-DD', CST), each
 * pair once. The matching engine's agreement signal: a laborer whose home lies in an output region
 * and a posting whose place of work lies in the paired input region (containment by code prefix).
 */
export async function activeAgreementPairs(db: DbOrTx, onDate: string): Promise<AgreementPair[]> {
  const { rows } = await sql<{ output_region_code: string; input_region_code: string }>`
    SELECT DISTINCT output_region_code, input_region_code
      FROM cooperation_agreement
     WHERE valid_from <= ${onDate}::date AND valid_to >= ${onDate}::date
     ORDER BY output_region_code, input_region_code`.execute(db);
  return rows.map((r) => ({ outputRegionCode: r.output_region_code, inputRegionCode: r.input_region_code }));
}

/** An agreement with the same regions, period and title (the generator's idempotence). */
export async function findSame(
  db: DbOrTx,
  c: Pick<AgreementColumns, 'title' | 'outputRegionCode' | 'inputRegionCode' | 'validFrom'>,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('cooperation_agreement')
    .select('id')
    .where('title', '=', c.title)
    .where('output_region_code', '=', c.outputRegionCode)
    .where('input_region_code', '=', c.inputRegionCode)
    .where('valid_from', '=', c.validFrom)
    .executeTakeFirst();
  return row ? String(row.id) : undefined;
}
