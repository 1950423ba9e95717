import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';

/** Teams organised in a region (`t`, the team in every team query). */
export const organisedIn = (regionCode: string): Expression<SqlBool> => withinRegion('t.region_code', regionCode);
/** Teams that visit a village. */
export const visiting = (villageCode: string): Expression<SqlBool> => sql<SqlBool>`t.village_codes @> ARRAY[${villageCode}]::text[]`;

/**
 * SQL of the recruitment teams (招工小分队) and their results. A team's referrals are those
 * carrying its team_id (referral_team_idx); its hires those of them in status 'hired' — a hire
 * always has its employment row (the referrals module opens both in one transaction).
 */

export interface TeamRow {
  id: string;
  name: string;
  employer_id: string;
  employer_name: string;
  region_code: string;
  region_name: string;
  member_ids: string[];
  members: { id: string; username: string; display_name: string }[];
  village_codes: string[];
  village_names: string[];
  period_from: string;
  period_to: string;
  note: string | null;
  referrals: number;
  hires: number;
  created_by: string | null;
  created_at: Date;
}

const TEAM_SELECT = sql`
  SELECT t.id, t.name, t.employer_id, e.name AS employer_name, t.region_code, rg.name AS region_name, t.member_ids,
    coalesce((SELECT json_agg(json_build_object('id', a.id::text, 'username', a.username, 'display_name', a.display_name) ORDER BY u.n)
      FROM unnest(t.member_ids) WITH ORDINALITY AS u(id, n) JOIN account a ON a.id = u.id), '[]') AS members,
    t.village_codes,
    ARRAY(SELECT coalesce(v.name, u.code) FROM unnest(t.village_codes) WITH ORDINALITY AS u(code, n)
          LEFT JOIN region v ON v.code = u.code ORDER BY u.n) AS village_names,
    to_char(t.period_from, 'YYYY-MM-DD') AS period_from, to_char(t.period_to, 'YYYY-MM-DD') AS period_to, t.note,
    (SELECT count(*)::int FROM referral f WHERE f.team_id = t.id) AS referrals,
    (SELECT count(*)::int FROM referral f WHERE f.team_id = t.id AND f.status = 'hired') AS hires,
    cb.username AS created_by, t.created_at
  FROM recruitment_team t
  JOIN employer e ON e.id = t.employer_id
  JOIN region rg ON rg.code = t.region_code
  LEFT JOIN account cb ON cb.id = t.created_by`;

export async function findEmployer(db: DbOrTx, id: string): Promise<{ id: string; name: string } | undefined> {
  const { rows } = await sql<{ id: string; name: string }>`SELECT id, name FROM employer WHERE id = ${id}`.execute(db);
  return rows[0] && { id: String(rows[0].id), name: rows[0].name };
}

export async function regionExists(db: DbOrTx, code: string): Promise<boolean> {
  const { rows } = await sql`SELECT 1 FROM region WHERE code = ${code}`.execute(db);
  return rows.length > 0;
}

export async function villagesAmong(db: DbOrTx, codes: string[]): Promise<Set<string>> {
  const { rows } = await sql<{ code: string }>`SELECT code FROM region WHERE code = ANY(${codes}::text[]) AND length(code) = 12`.execute(
    db,
  );
  return new Set(rows.map((r) => r.code));
}

export async function accountsAmong(
  db: DbOrTx,
  ids: string[],
): Promise<{ id: string; role: string; region_code: string; status: string }[]> {
  const { rows } = await sql<{ id: string; role: string; region_code: string; status: string }>`
    SELECT id::text AS id, role::text AS role, region_code, status FROM account WHERE id = ANY(${ids}::bigint[])`.execute(db);
  return rows;
}

export async function insertTeam(
  db: DbOrTx,
  t: {
    name: string;
    employerId: string;
    regionCode: string;
    memberIds: string[];
    villageCodes: string[];
    periodFrom: string;
    periodTo: string;
    note: string | null;
    by: string;
  },
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO recruitment_team (name, employer_id, region_code, member_ids, village_codes, period_from, period_to, note, created_by)
    VALUES (${t.name}, ${t.employerId}, ${t.regionCode}, ${t.memberIds}::bigint[], ${t.villageCodes}::text[], ${t.periodFrom}, ${t.periodTo}, ${t.note}, ${t.by})
    RETURNING id`.execute(db);
  return String(rows[0]!.id);
}

export async function findTeam(db: DbOrTx, id: string, scope: Expression<SqlBool>): Promise<TeamRow | undefined> {
  const { rows } = await sql<TeamRow>`${TEAM_SELECT} WHERE t.id = ${id} AND ${scope}`.execute(db);
  return rows[0];
}

/** What a new referral needs of the team it is credited to. */
export async function teamForReferral(
  db: DbOrTx,
  id: string,
): Promise<{ id: string; name: string; employer_id: string; region_code: string } | undefined> {
  const { rows } = await sql<{ id: string; name: string; employer_id: string; region_code: string }>`
    SELECT id, name, employer_id::text AS employer_id, region_code FROM recruitment_team WHERE id = ${id}`.execute(db);
  return rows[0];
}

const periodOverlaps = (from?: string, to?: string): Expression<SqlBool>[] => [
  ...(from ? [sql<SqlBool>`t.period_to >= ${from}::date`] : []),
  ...(to ? [sql<SqlBool>`t.period_from <= ${to}::date`] : []),
];

export async function listTeams(
  db: DbOrTx,
  q: {
    scope: Expression<SqlBool>;
    region?: Expression<SqlBool>;
    from?: string;
    to?: string;
    limit: number;
    offset: number;
  },
): Promise<{ rows: TeamRow[]; total: number }> {
  const where = sql.join([q.scope, ...(q.region ? [q.region] : []), ...periodOverlaps(q.from, q.to)], sql` AND `);
  const [{ rows }, { rows: count }] = await Promise.all([
    sql<TeamRow>`${TEAM_SELECT} WHERE ${where} ORDER BY t.period_from DESC, t.id DESC LIMIT ${q.limit} OFFSET ${q.offset}`.execute(db),
    sql<{ n: string }>`SELECT count(*) AS n FROM recruitment_team t WHERE ${where}`.execute(db),
  ]);
  return { rows, total: Number(count[0]!.n) };
}

export interface ResultRow {
  team_id: string;
  name: string;
  employer_name: string;
  region_code: string;
  region_name: string;
  period_from: string;
  period_to: string;
  villages: number;
  referrals: number;
  hires: number;
}

/** One row per team of the region whose period overlaps [from, to]; counts in one aggregation over referral_team_idx. */
export async function results(db: DbOrTx, region: Expression<SqlBool>, from?: string, to?: string): Promise<ResultRow[]> {
  const where = sql.join([region, ...periodOverlaps(from, to)], sql` AND `);
  const { rows } = await sql<ResultRow>`
    WITH teams AS (SELECT t.* FROM recruitment_team t WHERE ${where}),
    credited AS (
      SELECT f.team_id, count(*)::int AS referrals, count(*) FILTER (WHERE f.status = 'hired')::int AS hires
      FROM referral f WHERE f.team_id IN (SELECT id FROM teams) GROUP BY f.team_id
    )
    SELECT t.id::text AS team_id, t.name, e.name AS employer_name, t.region_code, rg.name AS region_name,
      to_char(t.period_from, 'YYYY-MM-DD') AS period_from, to_char(t.period_to, 'YYYY-MM-DD') AS period_to,
      cardinality(t.village_codes) AS villages, coalesce(c.referrals, 0) AS referrals, coalesce(c.hires, 0) AS hires
    FROM teams t JOIN employer e ON e.id = t.employer_id JOIN region rg ON rg.code = t.region_code
    LEFT JOIN credited c ON c.team_id = t.id
    ORDER BY t.region_code, t.period_from, t.id`.execute(db);
  return rows;
}
