import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { withinRegion, regionScope } from '../../platform/access.ts';
import { employmentContact, employmentEmployer } from '../employment/index.ts';

/**
 * The liaison office's reads and its cases. The office's workers are one condition over two
 * region ranges — the open employment's work place in the host city (employment_work_region_idx)
 * and the card's home village in the home county — so nothing outside that pair is ever read.
 */

/** The office: its home county (account.region_code) and host city (account.host_region_code). */
export interface Office {
  homeRegionCode: string;
  hostRegionCode: string;
}

export interface WorkerRow {
  laborer_id: string;
  name: string;
  sex: string;
  id_masked: string;
  phone_masked: string | null;
  home_village_code: string;
  village_name: string;
  employment_id: string;
  employer_id: string | null;
  employer_name: string | null;
  employer_contact: string | null;
  posting_id: string | null;
  posting_title: string | null;
  work_region_code: string;
  work_region_name: string;
  occupation_code: string | null;
  started_on: string;
  monthly_wage: number | null;
  channel: string;
  open_cases: number;
  total?: string;
}

/** Workers of the office: laborers of the home county with an open employment in the host city. */
const officeWorkers = (office: Office) => sql<SqlBool>`e.ended_on IS NULL AND l.deleted_at IS NULL
  AND ${withinRegion('e.work_region_code', office.hostRegionCode)} AND ${withinRegion('l.home_village_code', office.homeRegionCode)}`;

const workerColumns = (office: Office) => sql`l.id AS laborer_id, l.name, l.sex, l.id_masked, l.phone_masked, l.home_village_code,
  v.full_name AS village_name, e.id AS employment_id, e.employer_id, ${employmentEmployer('e', 'em')} AS employer_name,
  ${employmentContact('e', 'em')} AS employer_contact, e.posting_id, p.title AS posting_title,
  e.work_region_code, w.full_name AS work_region_name, e.occupation_code, e.started_on::text AS started_on, e.monthly_wage, e.channel,
  (SELECT count(*) FROM liaison_case c WHERE c.laborer_id = l.id AND c.status = 'open'
     AND c.home_region_code = ${office.homeRegionCode} AND c.host_region_code = ${office.hostRegionCode})::int AS open_cases`;
const workerJoins = sql`employment e JOIN laborer l ON l.id = e.laborer_id JOIN region v ON v.code = l.home_village_code
  JOIN region w ON w.code = e.work_region_code LEFT JOIN employer em ON em.id = e.employer_id LEFT JOIN posting p ON p.id = e.posting_id`;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => '\\' + m);

export async function listWorkers(
  db: DbOrTx,
  office: Office,
  f: { q?: string; limit: number; offset: number },
): Promise<{ rows: WorkerRow[]; total: number }> {
  const q = f.q?.trim();
  const search = q
    ? sql<SqlBool>`(l.name LIKE ${'%' + likeEscape(q) + '%'} OR l.name_pinyin LIKE ${likeEscape(q.toLowerCase()) + '%'}
        OR l.name_initials LIKE ${likeEscape(q.toLowerCase()) + '%'} OR ${employmentEmployer('e', 'em')} LIKE ${'%' + likeEscape(q) + '%'})`
    : sql<SqlBool>`true`;
  const { rows } = await sql<WorkerRow>`SELECT ${workerColumns(office)}, count(*) OVER () AS total FROM ${workerJoins}
    WHERE ${officeWorkers(office)} AND ${search}
    ORDER BY e.started_on DESC, l.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}

/** One worker of the office, or undefined outside its scope (not of the county, not working in the city, ended). */
export async function findWorker(db: DbOrTx, office: Office, laborerId: string): Promise<WorkerRow | undefined> {
  const { rows } = await sql<WorkerRow>`SELECT ${workerColumns(office)} FROM ${workerJoins}
    WHERE e.laborer_id = ${laborerId} AND ${officeWorkers(office)}`.execute(db);
  return rows[0];
}

export interface CaseRow {
  id: string;
  laborer_id: string;
  laborer_name: string;
  village_name: string;
  home_village_code: string;
  home_region_code: string;
  host_region_code: string;
  host_region_name: string;
  username: string;
  display_name: string;
  reported_on: string;
  kind: string;
  description: string;
  help_given: string | null;
  status: string;
  closed_on: string | null;
  employer_name: string | null;
  updated_at: Date;
  total?: string;
}

const caseColumns = sql`c.id, c.laborer_id, l.name AS laborer_name, v.full_name AS village_name, l.home_village_code, c.home_region_code,
  c.host_region_code, h.name AS host_region_name, a.username, a.display_name, c.reported_on::text AS reported_on, c.kind, c.description,
  c.help_given, c.status, c.closed_on::text AS closed_on, ${employmentEmployer('e', 'em')} AS employer_name, c.updated_at`;
const caseJoins = sql`liaison_case c JOIN laborer l ON l.id = c.laborer_id JOIN region v ON v.code = l.home_village_code
  JOIN region h ON h.code = c.host_region_code JOIN account a ON a.id = c.office_account_id
  LEFT JOIN employment e ON e.id = c.employment_id LEFT JOIN employer em ON em.id = e.employer_id`;

/** The cases an office recorded (its home county and host city), whether or not the worker is still there. */
/** Cases of the laborers in the actor's region (`l`, the laborer every case query joins). */
export const casesOfLaborersInScope = (actor: Actor): Expression<SqlBool> => regionScope(actor, 'l.home_village_code');

export const officeCases = (office: Office) =>
  sql<SqlBool>`(c.home_region_code = ${office.homeRegionCode} AND c.host_region_code = ${office.hostRegionCode})`;

export async function listCases(
  db: DbOrTx,
  scope: Expression<SqlBool>,
  f: { status?: string; kind?: string; laborer?: string; limit: number; offset: number },
): Promise<{ rows: CaseRow[]; total: number }> {
  const { rows } = await sql<CaseRow>`SELECT ${caseColumns}, count(*) OVER () AS total FROM ${caseJoins}
    WHERE ${scope}
      AND (${f.status ?? null}::text IS NULL OR c.status = ${f.status ?? null})
      AND (${f.kind ?? null}::text IS NULL OR c.kind = ${f.kind ?? null})
      AND (${f.laborer ?? null}::bigint IS NULL OR c.laborer_id = ${f.laborer ?? null}::bigint)
    ORDER BY (c.status = 'open') DESC, c.reported_on DESC, c.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}

export async function findCase(db: DbOrTx, id: string, scope: Expression<SqlBool>, forUpdate = false): Promise<CaseRow | undefined> {
  const { rows } = await sql<CaseRow>`SELECT ${caseColumns} FROM ${caseJoins} WHERE c.id = ${id} AND ${scope}
    ${forUpdate ? sql`FOR UPDATE OF c` : sql``}`.execute(db);
  return rows[0];
}

export async function insertCase(
  db: DbOrTx,
  c: {
    laborerId: string;
    officeAccountId: string;
    office: Office;
    employmentId: string;
    reportedOn: string;
    kind: string;
    description: string;
    helpGiven: string | null;
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`INSERT INTO liaison_case (laborer_id, office_account_id, home_region_code, host_region_code,
      employment_id, reported_on, kind, description, help_given, updated_by)
    VALUES (${c.laborerId}, ${c.officeAccountId}, ${c.office.homeRegionCode}, ${c.office.hostRegionCode}, ${c.employmentId},
      ${c.reportedOn}::date, ${c.kind}, ${c.description}, ${c.helpGiven}, ${c.officeAccountId})
    RETURNING id`.execute(db);
  return rows[0]!.id;
}

export async function updateCase(
  db: DbOrTx,
  id: string,
  by: string,
  c: {
    kind: string;
    description: string;
    helpGiven: string | null;
    status: string;
    closedOn: string | null;
  },
): Promise<void> {
  await sql`UPDATE liaison_case SET kind = ${c.kind}, description = ${c.description}, help_given = ${c.helpGiven}, status = ${c.status},
      closed_on = ${c.closedOn}::date, updated_by = ${by}, updated_at = now()
    WHERE id = ${id}`.execute(db);
}

export interface OfficePostingRow {
  id: string;
  title: string;
  employer_id: string;
  employer_name: string;
  occupation_code: string;
  work_region_code: string;
  work_region_name: string;
  headcount: number;
  filled: number;
  wage_min: number;
  wage_max: number;
  valid_from: string;
  valid_to: string;
  status: string;
  hires: number;
  username: string;
  display_name: string;
  created_at: Date;
  total?: string;
}

/** The postings the office's accounts (same home county and host city) published. */
export async function listOfficePostings(
  db: DbOrTx,
  office: Office,
  f: { limit: number; offset: number },
): Promise<{ rows: OfficePostingRow[]; total: number }> {
  const { rows } = await sql<OfficePostingRow>`SELECT p.id, p.title, p.employer_id, em.name AS employer_name, p.occupation_code,
      p.work_region_code, w.full_name AS work_region_name, p.headcount, p.filled, p.wage_min, p.wage_max, p.valid_from::text AS valid_from,
      p.valid_to::text AS valid_to, p.status, (SELECT count(*) FROM employment x WHERE x.posting_id = p.id)::int AS hires,
      a.username, a.display_name, p.created_at, count(*) OVER () AS total
    FROM account a JOIN posting p ON p.created_by = a.id JOIN employer em ON em.id = p.employer_id JOIN region w ON w.code = p.work_region_code
    WHERE a.role = 'liaison_office' AND a.region_code = ${office.homeRegionCode} AND a.host_region_code = ${office.hostRegionCode}
    ORDER BY p.created_at DESC, p.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  return { rows, total: rows.length ? Number(rows[0]!.total) : 0 };
}
