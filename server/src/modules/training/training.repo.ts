import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { regionScope, withinRegion } from '../../platform/access.ts';

/**
 * SQL of training classes (职业培训班): the class (`c` in every class query), its roster
 * (training_enrolment `e`) and the counts the list shows, in one aggregation over the roster. A
 * person is on a class's roster once (its primary key); the training records and subsidies written
 * when it finishes are the service-records' and subsidies' modules', through their public faces.
 */

/** The classes an actor sees and works: those organised in their region. */
export const classesInScope = (actor: Actor): Expression<SqlBool> => regionScope(actor, 'c.region_code');

export interface ClassRecord {
  id: string;
  regionCode: string;
  regionName: string;
  institution: string;
  course: string;
  occupationCode: string;
  hours: number;
  startsOn: string;
  endsOn: string;
  subsidyPerPerson: number;
  status: 'open' | 'finished';
  enrolled: number;
  completed: number;
  notCompleted: number;
  certified: number;
  finishedAt: Date | null;
  finishedBy: string | null;
  createdBy: string | null;
  createdAt: Date;
}

type ClassRow = {
  id: string;
  region_code: string;
  region_name: string;
  institution: string;
  course: string;
  occupation_code: string;
  hours: string;
  starts_on: string;
  ends_on: string;
  subsidy_per_person: number;
  status: 'open' | 'finished';
  enrolled: number;
  completed: number;
  not_completed: number;
  certified: number;
  finished_at: Date | null;
  finished_by: string | null;
  created_by: string | null;
  created_at: Date;
};

const CLASS_SELECT = sql`
  SELECT c.id::text AS id, c.region_code, rg.name AS region_name, c.institution, c.course, c.occupation_code, c.hours::text AS hours,
    c.starts_on, c.ends_on, c.subsidy_per_person, c.status, c.finished_at, fa.display_name AS finished_by, ca.display_name AS created_by,
    c.created_at, coalesce(r.enrolled, 0) AS enrolled, coalesce(r.completed, 0) AS completed, coalesce(r.not_completed, 0) AS not_completed,
    coalesce(r.certified, 0) AS certified
  FROM training_class c
  JOIN region rg ON rg.code = c.region_code
  LEFT JOIN account fa ON fa.id = c.finished_by
  LEFT JOIN account ca ON ca.id = c.created_by
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS enrolled, count(*) FILTER (WHERE e.result = 'completed')::int AS completed,
      count(*) FILTER (WHERE e.result = 'not_completed')::int AS not_completed, count(e.certificate_no)::int AS certified
    FROM training_enrolment e WHERE e.class_id = c.id
  ) r ON true`;

const toRecord = (r: ClassRow): ClassRecord => ({
  id: r.id,
  regionCode: r.region_code,
  regionName: r.region_name,
  institution: r.institution,
  course: r.course,
  occupationCode: r.occupation_code,
  hours: Number(r.hours),
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  subsidyPerPerson: r.subsidy_per_person,
  status: r.status,
  enrolled: r.enrolled,
  completed: r.completed,
  notCompleted: r.not_completed,
  certified: r.certified,
  finishedAt: r.finished_at,
  finishedBy: r.finished_by,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export async function insertClass(
  db: DbOrTx,
  c: {
    regionCode: string;
    institution: string;
    course: string;
    occupationCode: string;
    hours: number;
    startsOn: string;
    endsOn: string;
    subsidyPerPerson: number;
    by: string;
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO training_class (region_code, institution, course, occupation_code, hours, starts_on, ends_on, subsidy_per_person, created_by)
    VALUES (${c.regionCode}, ${c.institution}, ${c.course}, ${c.occupationCode}, ${c.hours}, ${c.startsOn}, ${c.endsOn}, ${c.subsidyPerPerson}, ${c.by})
    RETURNING id::text AS id`.execute(db);
  return rows[0]!.id;
}

/** The class in the scope; `lock` takes the class row for the rest of the transaction (finishing, roster changes). */
export async function findClass(db: DbOrTx, id: string, scope: Expression<SqlBool>, lock = false): Promise<ClassRecord | undefined> {
  if (lock) {
    const { rows } = await sql`SELECT 1 FROM training_class c WHERE c.id = ${id} AND ${scope} FOR UPDATE`.execute(db);
    if (!rows[0]) return undefined;
  }
  const { rows } = await sql<ClassRow>`${CLASS_SELECT} WHERE c.id = ${id} AND ${scope}`.execute(db);
  return rows[0] && toRecord(rows[0]);
}

export async function listClasses(
  db: DbOrTx,
  q: { scope: Expression<SqlBool>; region?: string; status?: string; limit: number; offset: number },
): Promise<{ rows: ClassRecord[]; total: number }> {
  const where = [q.scope];
  if (q.region) where.push(withinRegion('c.region_code', q.region));
  if (q.status) where.push(sql<SqlBool>`c.status = ${q.status}`);
  const condition = sql.join(where, sql` AND `);
  const [{ rows }, { rows: count }] = await Promise.all([
    sql<ClassRow>`${CLASS_SELECT} WHERE ${condition} ORDER BY c.starts_on DESC, c.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db),
    sql<{ n: string }>`SELECT count(*) AS n FROM training_class c WHERE ${condition}`.execute(db),
  ]);
  return { rows: rows.map(toRecord), total: Number(count[0]!.n) };
}

export interface TraineeRow {
  laborer_id: string;
  name: string;
  id_masked: string;
  phone_masked: string | null;
  home_village_code: string;
  village_name: string;
  hours_attended: string;
  result: 'completed' | 'not_completed' | null;
  certificate_kind: 'skill_level' | 'special_ability' | 'training' | null;
  certificate_no: string | null;
}

export async function rosterOf(db: DbOrTx, classId: string): Promise<TraineeRow[]> {
  const { rows } = await sql<TraineeRow>`
    SELECT e.laborer_id::text AS laborer_id, l.name, l.id_masked, l.phone_masked, l.home_village_code, v.name AS village_name,
      e.hours_attended::text AS hours_attended, e.result, e.certificate_kind, e.certificate_no
    FROM training_enrolment e
    JOIN laborer l ON l.id = e.laborer_id
    JOIN region v ON v.code = l.home_village_code
    WHERE e.class_id = ${classId}
    ORDER BY l.home_village_code, l.name, e.laborer_id`.execute(db);
  return rows;
}

/** Of the ids, the live cards whose home village lies in the class's region (and so in the organiser's). */
export async function enrollable(db: DbOrTx, ids: readonly string[], regionCode: string): Promise<Set<string>> {
  const { rows } = await sql<{ id: string }>`
    SELECT l.id::text AS id FROM laborer l
    WHERE l.id = ANY(${ids}::bigint[]) AND l.deleted_at IS NULL AND ${withinRegion('l.home_village_code', regionCode)}`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/** Of the ids, those already on the class's roster. */
export async function onRoster(db: DbOrTx, classId: string, ids: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT laborer_id::text AS id FROM training_enrolment WHERE class_id = ${classId} AND laborer_id = ANY(${ids}::bigint[]) ORDER BY 1`.execute(
    db,
  );
  return rows.map((r) => r.id);
}

export async function enrol(db: DbOrTx, classId: string, ids: readonly string[], by: string): Promise<void> {
  await sql`INSERT INTO training_enrolment (class_id, laborer_id, enrolled_by)
    SELECT ${classId}, id, ${by} FROM unnest(${ids}::bigint[]) AS id`.execute(db);
}

export async function setHours(db: DbOrTx, classId: string, entries: readonly { laborerId: string; hours: number }[]): Promise<void> {
  await sql`UPDATE training_enrolment e SET hours_attended = x.hours
    FROM unnest(${entries.map((e) => e.laborerId)}::bigint[], ${entries.map((e) => e.hours)}::numeric[]) AS x(laborer_id, hours)
    WHERE e.class_id = ${classId} AND e.laborer_id = x.laborer_id`.execute(db);
}

/**
 * Finishing: every person on the roster judged once against the attendance rule (hours attended at
 * least `requiredHours`), the class marked finished. Only an open class is judged: finishing again
 * keeps the first judgement.
 */
export async function finish(db: DbOrTx, classId: string, requiredHours: number, by: string): Promise<void> {
  await sql`UPDATE training_enrolment e SET result = CASE WHEN e.hours_attended >= ${requiredHours}::numeric THEN 'completed' ELSE 'not_completed' END
    FROM training_class c WHERE c.id = e.class_id AND c.id = ${classId} AND c.status = 'open'`.execute(db);
  await sql`UPDATE training_class SET status = 'finished', finished_at = now(), finished_by = ${by}
    WHERE id = ${classId} AND status = 'open'`.execute(db);
}

export async function certificateHolder(
  db: DbOrTx,
  kind: string,
  number: string,
): Promise<{ class_id: string; laborer_id: string } | undefined> {
  const { rows } = await sql<{ class_id: string; laborer_id: string }>`
    SELECT class_id::text AS class_id, laborer_id::text AS laborer_id FROM training_enrolment
    WHERE certificate_kind = ${kind} AND certificate_no = ${number}`.execute(db);
  return rows[0];
}

export async function setCertificate(db: DbOrTx, classId: string, laborerId: string, kind: string, number: string): Promise<void> {
  await sql`UPDATE training_enrolment SET certificate_kind = ${kind}, certificate_no = ${number}, certified_at = now()
    WHERE class_id = ${classId} AND laborer_id = ${laborerId}`.execute(db);
}

export async function regionName(db: DbOrTx, code: string): Promise<string | undefined> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM region WHERE code = ${code}`.execute(db);
  return rows[0]?.name;
}
