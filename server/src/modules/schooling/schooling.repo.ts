import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';

/**
 * SQL of school enrolments (两后生, issue 20 item 4). `s` is the enrolment in every query; its
 * region_code is the laborer's home village on enrolment, the record's region scope.
 */

export interface EnrolmentRow {
  id: string;
  laborer_id: string;
  name: string;
  id_masked: string;
  region_code: string;
  village_name: string;
  school_name: string;
  school_kind: 'technician_college' | 'technical_school' | 'vocational_school';
  school_region_code: string;
  school_region_name: string;
  programme: string;
  started_on: string;
  finished_on: string | null;
  note: string | null;
}

const SELECT = sql`
  SELECT s.id::text AS id, s.laborer_id::text AS laborer_id, l.name, l.id_masked, s.region_code, v.name AS village_name,
    s.school_name, s.school_kind, s.school_region_code, sr.name AS school_region_name, s.programme,
    to_char(s.started_on, 'YYYY-MM-DD') AS started_on, to_char(s.finished_on, 'YYYY-MM-DD') AS finished_on, s.note
  FROM school_enrolment s
  JOIN laborer l ON l.id = s.laborer_id
  JOIN region v ON v.code = s.region_code
  JOIN region sr ON sr.code = s.school_region_code`;

/** The card an enrolment is for: its home village, and whether it is deleted. */
export async function findLaborer(db: DbOrTx, id: string): Promise<{ id: string; homeVillageCode: string; deleted: boolean } | undefined> {
  const { rows } = await sql<{ id: string; home_village_code: string; deleted: boolean }>`
    SELECT id::text AS id, home_village_code, deleted_at IS NOT NULL AS deleted FROM laborer WHERE id = ${id}`.execute(db);
  const r = rows[0];
  return r && { id: r.id, homeVillageCode: r.home_village_code, deleted: r.deleted };
}

/** The new enrolment's id, or undefined when the same one (person, school, programme, start) is on record. */
export async function insert(
  db: DbOrTx,
  e: {
    laborerId: string;
    regionCode: string;
    schoolName: string;
    schoolKind: string;
    schoolRegionCode: string;
    programme: string;
    startedOn: string;
    finishedOn: string | null;
    note: string | null;
    by: string;
  },
): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO school_enrolment (laborer_id, region_code, school_name, school_kind, school_region_code, programme, started_on, finished_on, note, created_by)
    VALUES (${e.laborerId}, ${e.regionCode}, ${e.schoolName}, ${e.schoolKind}, ${e.schoolRegionCode}, ${e.programme}, ${e.startedOn},
      ${e.finishedOn}, ${e.note}, ${e.by})
    ON CONFLICT (laborer_id, school_name, programme, started_on) DO NOTHING
    RETURNING id::text AS id`.execute(db);
  return rows[0]?.id;
}

export async function find(db: DbOrTx, id: string, region: string, forUpdate = false): Promise<EnrolmentRow | undefined> {
  const lock = forUpdate ? sql`FOR UPDATE OF s` : sql``;
  const { rows } = await sql<EnrolmentRow>`${SELECT} WHERE s.id = ${id} AND ${withinRegion('s.region_code', region)} ${lock}`.execute(db);
  return rows[0];
}

export async function finish(db: DbOrTx, id: string, finishedOn: string): Promise<void> {
  await sql`UPDATE school_enrolment SET finished_on = ${finishedOn}, updated_at = now() WHERE id = ${id}`.execute(db);
}

export async function list(
  db: DbOrTx,
  q: { region: string; from?: string; to?: string; laborer?: string; limit: number; offset: number },
): Promise<{ rows: EnrolmentRow[]; total: number }> {
  const where: Expression<SqlBool>[] = [withinRegion('s.region_code', q.region)];
  if (q.from) where.push(sql<SqlBool>`s.started_on >= ${q.from}::date`);
  if (q.to) where.push(sql<SqlBool>`s.started_on <= ${q.to}::date`);
  if (q.laborer) where.push(sql<SqlBool>`s.laborer_id = ${q.laborer}`);
  const cond = sql.join(where, sql` AND `);
  const [{ rows }, { rows: count }] = await Promise.all([
    sql<EnrolmentRow>`${SELECT} WHERE ${cond} ORDER BY s.started_on DESC, s.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db),
    sql<{ n: string }>`SELECT count(*) AS n FROM school_enrolment s WHERE ${cond}`.execute(db),
  ]);
  return { rows, total: Number(count[0]!.n) };
}

/**
 * 招收贫困家庭学生 of a cooperation agreement: laborers whose home (on enrolment) lies in the
 * output region, enrolled in the period in a school of the input region — each person once.
 */
export async function studentsEnrolled(db: DbOrTx, outputRegion: string, inputRegion: string, from: string, to: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(DISTINCT s.laborer_id) AS n FROM school_enrolment s
     WHERE ${withinRegion('s.region_code', outputRegion)} AND ${withinRegion('s.school_region_code', inputRegion)}
       AND s.started_on BETWEEN ${from}::date AND ${to}::date`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
