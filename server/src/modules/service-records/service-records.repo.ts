import { sql, type Expression, type SqlBool } from 'kysely';
import type { ExchangeServiceRecord } from '../../../../contracts/exchange.ts';
import type { ServiceKind, ServiceKindCounts } from '../../../../contracts/service-records.ts';
import type { DbOrTx } from '../../db/database.ts';
import type { TableRow } from '../../db/schema.ts';
import { withinRegion } from '../../platform/access.ts';

/**
 * SQL of the service records (服务记录). A row is one person-time; its region_code is the laborer's
 * home village when served, so "this region and below in a period" is one range on
 * service_record_region_idx (region_code, served_on).
 */

export const SERVICE_KINDS: readonly ServiceKind[] = ['guidance', 'introduction', 'training', 'entrepreneurship', 'policy_support'];
export const zeroCounts = (): ServiceKindCounts => ({ guidance: 0, introduction: 0, training: 0, entrepreneurship: 0, policy_support: 0 });

/** The child level's code length under a region code of the given length. */
export const childLength = (code: string): number | null => (({ 2: 4, 4: 6, 6: 9, 9: 12 }) as Record<number, number>)[code.length] ?? null;

export interface LaborerRef extends Pick<TableRow<'laborer'>, 'id' | 'home_village_code' | 'name'> {
  deleted: boolean;
}

export async function findLaborer(db: DbOrTx, id: string): Promise<LaborerRef | undefined> {
  const { rows } =
    await sql<LaborerRef>`SELECT id::text AS id, home_village_code, name, deleted_at IS NOT NULL AS deleted FROM laborer WHERE id = ${id}`.execute(
      db,
    );
  return rows[0];
}

export async function findPosting(db: DbOrTx, id: string): Promise<{ id: string; title: string } | undefined> {
  const { rows } = await sql<{ id: string; title: string }>`SELECT id::text AS id, title FROM posting WHERE id = ${id}`.execute(db);
  return rows[0];
}

export async function insertRecord(
  db: DbOrTx,
  r: {
    laborerId: string;
    regionCode: string;
    kind: ServiceKind;
    servedOn: string;
    provider: string | null;
    content: string | null;
    postingId: string | null;
    course: string | null;
    hours: number | null;
    certificate: string | null;
    by: string;
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO service_record (laborer_id, region_code, kind, served_on, provider, content, posting_id, course, hours, certificate, recorded_by)
    VALUES (${r.laborerId}, ${r.regionCode}, ${r.kind}, ${r.servedOn}, ${r.provider}, ${r.content}, ${r.postingId}, ${r.course}, ${r.hours}, ${r.certificate}, ${r.by})
    RETURNING id::text AS id`.execute(db);
  return rows[0]!.id;
}

export interface RecordRow {
  id: string;
  laborer_id: string;
  laborer_name: string;
  id_masked: string;
  village_code: string;
  village_name: string;
  kind: ServiceKind;
  served_on: string;
  provider: string | null;
  content: string | null;
  posting_id: string | null;
  posting_title: string | null;
  course: string | null;
  hours: string | null;
  certificate: string | null;
  recorded_by: string | null;
  created_at: Date;
}

const RECORD_SELECT = sql`
  SELECT s.id::text AS id, s.laborer_id::text AS laborer_id, l.name AS laborer_name, l.id_masked, s.region_code AS village_code,
    v.name AS village_name, s.kind, s.served_on, s.provider, s.content, s.posting_id::text AS posting_id, p.title AS posting_title,
    s.course, s.hours::text AS hours, s.certificate, a.display_name AS recorded_by, s.created_at
  FROM service_record s
  JOIN laborer l ON l.id = s.laborer_id
  JOIN region v ON v.code = s.region_code
  LEFT JOIN posting p ON p.id = s.posting_id
  LEFT JOIN account a ON a.id = s.recorded_by`;

export async function findRecord(db: DbOrTx, id: string): Promise<RecordRow | undefined> {
  const { rows } = await sql<RecordRow>`${RECORD_SELECT} WHERE s.id = ${id}`.execute(db);
  return rows[0];
}

export interface RecordFilter {
  region: string;
  laborerId?: string;
  kind?: ServiceKind;
  from?: string;
  to?: string;
}

function recordCondition(q: RecordFilter) {
  const where: Expression<SqlBool>[] = [withinRegion('s.region_code', q.region)];
  if (q.laborerId) where.push(sql<SqlBool>`s.laborer_id = ${q.laborerId}`);
  if (q.kind) where.push(sql<SqlBool>`s.kind = ${q.kind}`);
  if (q.from) where.push(sql<SqlBool>`s.served_on >= ${q.from}::date`);
  if (q.to) where.push(sql<SqlBool>`s.served_on <= ${q.to}::date`);
  return sql.join(where, sql` AND `);
}

/** A page of the list, in the list's order (the export reads every page of it). */
export async function recordsPage(db: DbOrTx, q: RecordFilter & { limit: number; offset: number }): Promise<RecordRow[]> {
  const { rows } = await sql<RecordRow>`${RECORD_SELECT} WHERE ${recordCondition(q)}
    ORDER BY s.served_on DESC, s.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db);
  return rows;
}

export async function listRecords(
  db: DbOrTx,
  q: RecordFilter & { limit: number; offset: number },
): Promise<{ rows: RecordRow[]; total: number }> {
  const [rows, { rows: count }] = await Promise.all([
    recordsPage(db, q),
    sql<{ n: string }>`SELECT count(*) AS n FROM service_record s WHERE ${recordCondition(q)}`.execute(db),
  ]);
  return { rows, total: Number(count[0]!.n) };
}

const toCounts = (rows: { kind: string; n: string | number }[]): ServiceKindCounts => {
  const counts = zeroCounts();
  for (const r of rows) if (r.kind in counts) counts[r.kind as ServiceKind] = Number(r.n);
  return counts;
};

/**
 * Person-times (人次) per kind for a region and everything below it, services given in [from, to]
 * (both inclusive). Issue 8's summary reads guidance, introduction, training and entrepreneurship
 * from here (DOMAIN.md "services: person-times per kind of service in the period"). The period
 * counts read only services given while the person's card was registered, in its village then
 * (`counted` and region_code, migration 0029; docs/domain-notes-asof.md §3).
 */
export async function personTimes(db: DbOrTx, regionPrefix: string, from: string, to: string): Promise<ServiceKindCounts> {
  const { rows } = await sql<{ kind: string; n: string }>`
    SELECT kind, count(*) AS n FROM service_record s
    WHERE s.counted AND ${withinRegion('s.region_code', regionPrefix)} AND s.served_on BETWEEN ${from}::date AND ${to}::date
    GROUP BY kind`.execute(db);
  return toCounts(rows);
}

/** Distinct laborers served per kind in the period. */
export async function personsServed(db: DbOrTx, regionPrefix: string, from: string, to: string): Promise<ServiceKindCounts> {
  const { rows } = await sql<{ kind: string; n: string }>`
    SELECT kind, count(DISTINCT laborer_id) AS n FROM service_record s
    WHERE s.counted AND ${withinRegion('s.region_code', regionPrefix)} AND s.served_on BETWEEN ${from}::date AND ${to}::date
    GROUP BY kind`.execute(db);
  return toCounts(rows);
}

export async function personTimesByMonth(
  db: DbOrTx,
  regionPrefix: string,
  from: string,
  to: string,
): Promise<{ month: string; counts: ServiceKindCounts }[]> {
  const { rows } = await sql<{ month: string; kind: string; n: string }>`
    SELECT to_char(served_on, 'YYYY-MM') AS month, kind, count(*) AS n FROM service_record s
    WHERE s.counted AND ${withinRegion('s.region_code', regionPrefix)} AND s.served_on BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1, 2 ORDER BY 1`.execute(db);
  const months = new Map<string, { kind: string; n: string }[]>();
  for (const r of rows) months.set(r.month, [...(months.get(r.month) ?? []), r]);
  return [...months].map(([month, list]) => ({ month, counts: toCounts(list) }));
}

export async function personTimesByChild(
  db: DbOrTx,
  regionPrefix: string,
  from: string,
  to: string,
): Promise<{ code: string; name: string; counts: ServiceKindCounts }[]> {
  const length = childLength(regionPrefix);
  if (!length) return [];
  const { rows } = await sql<{ code: string; name: string; kind: string; n: string }>`
    SELECT c.code, c.name, t.kind, t.n FROM (
      SELECT substr(region_code, 1, ${length}) AS code, kind, count(*) AS n FROM service_record s
      WHERE s.counted AND ${withinRegion('s.region_code', regionPrefix)} AND s.served_on BETWEEN ${from}::date AND ${to}::date
      GROUP BY 1, 2
    ) t JOIN region c ON c.code = t.code ORDER BY c.code`.execute(db);
  const children = new Map<string, { name: string; list: { kind: string; n: string }[] }>();
  for (const r of rows) {
    const entry = children.get(r.code) ?? { name: r.name, list: [] };
    entry.list.push(r);
    children.set(r.code, entry);
  }
  return [...children].map(([code, { name, list }]) => ({ code, name, counts: toCounts(list) }));
}

export async function regionName(db: DbOrTx, code: string): Promise<string | undefined> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM region WHERE code = ${code}`.execute(db);
  return rows[0]?.name;
}

/**
 * A merge of duplicate cards: the retired card's services become the survivor's; each keeps its
 * day, and its village follows the person's card on that day (migration 0029's trigger).
 */
export async function carryToCard(db: DbOrTx, from: string, to: string): Promise<number> {
  // Both cards on one training class's roster (migration 0057): the survivor's record keeps the
  // class, the retired card's stays a record of its own, so one class holds one record per person.
  await sql`UPDATE service_record SET training_class_id = NULL WHERE laborer_id = ${from} AND training_class_id IN
    (SELECT training_class_id FROM service_record WHERE laborer_id = ${to} AND training_class_id IS NOT NULL)`.execute(db);
  const r = await sql`UPDATE service_record SET laborer_id = ${to} WHERE laborer_id = ${from}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** The service records of `ids` in `region`, as the exchange feed gives them (docs/exchange.md). */
export async function forExchange(db: DbOrTx, ids: string[], region: string): Promise<Map<string, ExchangeServiceRecord>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<TableRow<'service_record'>>`SELECT * FROM service_record s
    WHERE s.id = ANY(${ids}::bigint[]) AND ${withinRegion('s.region_code', region)}`.execute(db);
  return new Map(
    rows.map((r) => [
      String(r.id),
      {
        id: String(r.id),
        laborerId: String(r.laborer_id),
        regionCode: r.region_code,
        kind: r.kind,
        servedOn: r.served_on,
        provider: r.provider,
        content: r.content,
        postingId: r.posting_id === null ? null : String(r.posting_id),
        course: r.course,
        hours: r.hours === null ? null : Number(r.hours),
        certificate: r.certificate,
        createdAt: new Date(r.created_at).toISOString(),
      },
    ]),
  );
}

/**
 * The training service records (职业培训) of a finished training class (modules/training, issue 20
 * item 5): one per person who finished, as insertRecord writes a training record by hand — kind
 * training, the course, the hours the person attended, the institution as provider — dated the
 * class's last day and tied to the class. Once per (class, person): the unique index
 * service_record_training_class_once skips the rest (ON CONFLICT DO NOTHING); deleted cards are skipped.
 */
export async function insertClassTraining(
  db: DbOrTx,
  r: {
    classId: string;
    servedOn: string;
    provider: string;
    course: string;
    content: string;
    by: string;
    people: readonly { laborerId: string; hours: number; certificate: string | null }[];
  },
): Promise<number> {
  if (r.people.length === 0) return 0;
  const result = await sql`
    INSERT INTO service_record (laborer_id, region_code, kind, served_on, provider, content, course, hours, certificate, recorded_by, training_class_id)
    SELECT l.id, l.home_village_code, 'training', ${r.servedOn}::date, ${r.provider}, ${r.content}, ${r.course}, p.hours, p.certificate, ${r.by}, ${r.classId}
    FROM unnest(${r.people.map((p) => p.laborerId)}::bigint[], ${r.people.map((p) => p.hours)}::numeric[], ${r.people.map((p) => p.certificate)}::text[])
      AS p(laborer_id, hours, certificate)
    JOIN laborer l ON l.id = p.laborer_id AND l.deleted_at IS NULL
    ORDER BY l.id
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** A certificate issued after the class finished: written on the person's training record of that class. */
export async function setClassTrainingCertificate(db: DbOrTx, classId: string, laborerId: string, certificate: string): Promise<number> {
  const result = await sql`UPDATE service_record SET certificate = ${certificate}
    WHERE training_class_id = ${classId} AND laborer_id = ${laborerId}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
