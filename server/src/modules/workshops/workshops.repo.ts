import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbOrTx } from '../../db/database.ts';
import { withinRegion } from '../../platform/access.ts';

/**
 * SQL of the workshop and base registry (扶贫车间, 就业扶贫基地): employers of those kinds with the
 * posts they develop (employer.posts_planned), the poor laborers employed — open employments at
 * the employer, counted, never typed — and the subsidies received (paid subsidies to the employer).
 */

export interface WorkshopRow {
  id: string;
  name: string;
  kind: 'workshop' | 'base';
  region_code: string;
  region_name: string;
  relocation_site: string | null;
  posts_planned: number | null;
  employed: number;
  subsidies: string;
  contact_name: string | null;
  contact_phone: string | null;
  standing: 'none' | 'accredited' | 'removed';
}

/** `today`: the day the standing is read for (its last accreditation or removal by then, standing.rules.ts). */
const workshopSelect = (today: string) => sql`
  SELECT m.id::text AS id, m.name, m.kind, m.region_code, rg.name AS region_name, m.relocation_site, m.posts_planned,
    (SELECT count(*)::int FROM employment e WHERE e.employer_id = m.id AND e.ended_on IS NULL) AS employed,
    (SELECT coalesce(sum(s.amount), 0)::text FROM subsidy s WHERE s.employer_id = m.id AND s.status = 'paid') AS subsidies,
    m.contact_name, m.contact_phone,
    coalesce((SELECT CASE w.act WHEN 'accreditation' THEN 'accredited' ELSE 'removed' END FROM workshop_standing w
               WHERE w.employer_id = m.id AND w.act <> 'review' AND w.effective_on <= ${today}::date
               ORDER BY w.effective_on DESC, w.id DESC LIMIT 1), 'none') AS standing
  FROM employer m JOIN region rg ON rg.code = m.region_code`;

export async function listWorkshops(
  db: DbOrTx,
  q: {
    region: string;
    kind?: 'workshop' | 'base';
    q?: string;
    relocation?: boolean;
    limit: number;
    offset: number;
    today: string;
  },
): Promise<{ rows: WorkshopRow[]; total: number }> {
  const where: Expression<SqlBool>[] = [
    withinRegion('m.region_code', q.region),
    q.kind ? sql<SqlBool>`m.kind = ${q.kind}` : sql<SqlBool>`m.kind IN ('workshop', 'base')`,
  ];
  if (q.q)
    where.push(
      sql<SqlBool>`(m.name LIKE ${'%' + q.q.replace(/[\\%_]/g, (c) => '\\' + c) + '%'} OR m.relocation_site LIKE ${'%' + q.q.replace(/[\\%_]/g, (c) => '\\' + c) + '%'})`,
    );
  if (q.relocation !== undefined)
    where.push(q.relocation ? sql<SqlBool>`m.relocation_site IS NOT NULL` : sql<SqlBool>`m.relocation_site IS NULL`);
  const condition = sql.join(where, sql` AND `);
  const [{ rows }, { rows: count }] = await Promise.all([
    sql<WorkshopRow>`${workshopSelect(q.today)} WHERE ${condition} ORDER BY m.region_code, m.id LIMIT ${q.limit} OFFSET ${q.offset}`.execute(
      db,
    ),
    sql<{ n: string }>`SELECT count(*) AS n FROM employer m WHERE ${condition}`.execute(db),
  ]);
  return { rows, total: Number(count[0]!.n) };
}

export async function findWorkshop(db: DbOrTx, id: string, today: string): Promise<WorkshopRow | undefined> {
  const { rows } = await sql<WorkshopRow>`${workshopSelect(today)} WHERE m.id = ${id} AND m.kind IN ('workshop', 'base')`.execute(db);
  return rows[0];
}

export async function employees(
  db: DbOrTx,
  employerId: string,
): Promise<
  { laborer_id: string; name: string; id_masked: string; village_name: string; started_on: string; monthly_wage: number | null }[]
> {
  const { rows } = await sql<{
    laborer_id: string;
    name: string;
    id_masked: string;
    village_name: string;
    started_on: string;
    monthly_wage: number | null;
  }>`
    SELECT l.id::text AS laborer_id, l.name, l.id_masked, v.name AS village_name, e.started_on, e.monthly_wage
    FROM employment e JOIN laborer l ON l.id = e.laborer_id JOIN region v ON v.code = l.home_village_code
    WHERE e.employer_id = ${employerId} AND e.ended_on IS NULL ORDER BY e.started_on, l.id LIMIT 1000`.execute(db);
  return rows;
}

export async function subsidiesOf(
  db: DbOrTx,
  employerId: string,
): Promise<
  {
    id: string;
    kind: string;
    amount: string;
    period_from: string;
    period_to: string;
    status: string;
    paid_on: string | null;
    laborer_name: string | null;
  }[]
> {
  const { rows } = await sql<{
    id: string;
    kind: string;
    amount: string;
    period_from: string;
    period_to: string;
    status: string;
    paid_on: string | null;
    laborer_name: string | null;
  }>`
    SELECT s.id::text AS id, s.kind, s.amount::text AS amount, s.period_from, s.period_to, s.status, s.paid_on, l.name AS laborer_name
    FROM subsidy s LEFT JOIN laborer l ON l.id = s.laborer_id
    WHERE s.employer_id = ${employerId} ORDER BY s.period_from DESC, s.id DESC LIMIT 500`.execute(db);
  return rows;
}

export interface Totals {
  workshops: number;
  bases: number;
  relocation: number;
  posts: number;
  employed: number;
  subsidies: number;
}

/**
 * Per child region of `region` (and the region's totals): workshops, bases, those at relocation
 * sites, posts, poor laborers employed there now, subsidies paid to them. Three aggregations over
 * the region's workshops and bases (a few thousand in a province), joined by employer.
 */
export async function summary(
  db: DbOrTx,
  region: string,
  childLength: number | null,
): Promise<{ code: string; name: string; totals: Totals }[]> {
  const group = childLength ? sql`substr(w.region_code, 1, ${childLength})` : sql`${region}::text`;
  const { rows } = await sql<{
    code: string;
    name: string;
    workshops: string;
    bases: string;
    relocation: string;
    posts: string;
    employed: string;
    subsidies: string;
  }>`
    WITH w AS (
      SELECT m.id, m.kind, m.region_code, m.relocation_site, m.posts_planned FROM employer m
      WHERE ${withinRegion('m.region_code', region)} AND m.kind IN ('workshop', 'base')
    ),
    e AS (SELECT employer_id, count(*) AS n FROM employment WHERE ended_on IS NULL AND employer_id IN (SELECT id FROM w) GROUP BY employer_id),
    s AS (SELECT employer_id, sum(amount) AS amount FROM subsidy WHERE status = 'paid' AND employer_id IN (SELECT id FROM w) GROUP BY employer_id),
    g AS (
      SELECT ${group} AS code,
        count(*) FILTER (WHERE w.kind = 'workshop') AS workshops, count(*) FILTER (WHERE w.kind = 'base') AS bases,
        count(*) FILTER (WHERE w.relocation_site IS NOT NULL) AS relocation, coalesce(sum(w.posts_planned), 0) AS posts,
        coalesce(sum(e.n), 0) AS employed, coalesce(sum(s.amount), 0) AS subsidies
      FROM w LEFT JOIN e ON e.employer_id = w.id LEFT JOIN s ON s.employer_id = w.id
      GROUP BY 1
    )
    SELECT g.code, coalesce(r.name, g.code) AS name, g.workshops::text, g.bases::text, g.relocation::text, g.posts::text, g.employed::text, g.subsidies::text
    FROM g LEFT JOIN region r ON r.code = g.code ORDER BY g.code`.execute(db);
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    totals: {
      workshops: Number(r.workshops),
      bases: Number(r.bases),
      relocation: Number(r.relocation),
      posts: Number(r.posts),
      employed: Number(r.employed),
      subsidies: Number(r.subsidies),
    },
  }));
}

export async function regionName(db: DbOrTx, code: string): Promise<string | undefined> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM region WHERE code = ${code}`.execute(db);
  return rows[0]?.name;
}
