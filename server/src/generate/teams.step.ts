import { sql } from 'kysely';
import type { GeneratorStep } from './generator.ts';
import { GENERATION_NOW } from './laborers.step.ts';
import { DEMO_COUNTIES, PROVINCE } from './places.ts';
import type { Rng } from './random.ts';

/**
 * 招工小分队 at the first article's shape: "全市共组建了270支招工小分队，累计为企业新招聘员工20426人" —
 * 270 teams over the province preset's counties (a handful in each demo county), each for one
 * employer, with its staff, the villages it visited and its period. Hires are never invented: a
 * team is anchored on an existing hire (a hired referral with its employment record) where the
 * county has one, and the referrals of that employer's laborers in the team's villages within its
 * period — made by earlier steps, not yet credited to a team — are credited to it.
 * Ids come from a fixed block per preset; one transaction; a re-run adds nothing twice.
 */
const SCALE = {
  demo: { teams: 9, areas: [...DEMO_COUNTIES] as string[], base: 100_000_000 },
  province: { teams: 270, areas: [PROVINCE], base: 200_000_000 },
};
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const dayMs = (iso: string) => Date.parse(`${iso}T00:00:00+08:00`);

interface Anchor { village: string; employer_id: string; employer_name: string; day: string }
interface TeamRow { id: number; name: string; employer_id: string; region_code: string; member_ids: string[]; village_codes: string[]; period_from: string; period_to: string; note: string }

export const teamsStep: GeneratorStep = {
  name: 'teams',
  description: '招工小分队：组建单位、服务企业、成员、走访村和工作期，记入小分队的推荐及录用',
  async run(ctx) {
    const scale = SCALE[ctx.preset];
    const { rows: already } = await sql<{ n: string }>`SELECT count(*) AS n FROM recruitment_team WHERE id >= ${scale.base} AND id < ${scale.base + 100_000_000}`.execute(ctx.db);
    if (Number(already[0]!.n) > 0) return `teams already generated (${already[0]!.n} teams)`;
    const rng = ctx.rng;
    const inAreas = (column: string) => sql.join(scale.areas.map((a) => sql`starts_with(${sql.ref(column)}, ${a})`), sql` OR `);

    const { rows: villageRows } = await sql<{ code: string }>`SELECT code FROM region WHERE level = 5 AND (${inAreas('code')}) ORDER BY code`.execute(ctx.db);
    const villagesOf = new Map<string, string[]>();
    for (const { code } of villageRows) for (const key of [code.slice(0, 6), code.slice(0, 9)]) {
      const list = villagesOf.get(key) ?? [];
      list.push(code);
      villagesOf.set(key, list);
    }
    const counties = [...new Set(villageRows.map((v) => v.code.slice(0, 6)))];
    if (counties.length === 0) return 'no villages in the preset\'s areas, so no teams';
    shuffle(rng, counties);
    const { rows: names } = await sql<{ code: string; name: string }>`SELECT code, name FROM region WHERE level IN (3, 4) AND (${inAreas('code')})`.execute(ctx.db);
    const nameOf = new Map(names.map((r) => [r.code, r.name]));

    // Existing hires (hired referrals with their employment records) not yet credited, by county.
    const { rows: hires } = await sql<Anchor>`SELECT l.home_village_code AS village, p.employer_id::text AS employer_id, e.name AS employer_name,
        to_char(f.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
      FROM referral f JOIN employment em ON em.referral_id = f.id JOIN laborer l ON l.id = f.laborer_id
      JOIN posting p ON p.id = f.posting_id JOIN employer e ON e.id = p.employer_id
      WHERE f.status = 'hired' AND f.team_id IS NULL AND (${inAreas('l.home_village_code')}) ORDER BY f.id`.execute(ctx.db);
    const anchorsOf = new Map<string, Anchor[]>();
    for (const h of hires) {
      const list = anchorsOf.get(h.village.slice(0, 6)) ?? [];
      list.push(h);
      anchorsOf.set(h.village.slice(0, 6), list);
    }
    // Counties with hires first: the article's teams are the ones that produced hires.
    counties.sort((a, b) => Number(anchorsOf.has(b)) - Number(anchorsOf.has(a)));
    const { rows: employers } = await sql<{ id: string; name: string }>`SELECT id::text AS id, name FROM employer ORDER BY id LIMIT 500`.execute(ctx.db);
    if (employers.length === 0) return 'no employers, so no teams';
    // Staff of each county (its bureau, township operators, village officers), nearest first; the province's admins as a fallback.
    const { rows: staff } = await sql<{ id: string; region_code: string }>`SELECT id::text AS id, region_code FROM account
      WHERE role IN ('admin', 'township_operator', 'village_officer') AND status = 'active' ORDER BY length(region_code), id`.execute(ctx.db);

    const teams: TeamRow[] = [];
    const seq = new Map<string, number>();
    for (let i = 0; i < scale.teams; i++) {
      const county = counties[i % counties.length]!;
      const anchors = anchorsOf.get(county) ?? [];
      const anchor = anchors.length ? anchors[rng.int(0, anchors.length - 1)]! : undefined;
      const employer = anchor ? { id: anchor.employer_id, name: anchor.employer_name } : employers[rng.int(0, employers.length - 1)]!;
      // Half the teams are a township's (the anchor's, or a random one), the others the county bureau's.
      const township = (anchor?.village ?? rng.pick(villagesOf.get(county)!)).slice(0, 9);
      const region = rng.next() < 0.5 ? township : county;
      const pool = villagesOf.get(region)!;
      const hired = anchor ? anchors.filter((a) => a.employer_id === anchor.employer_id && a.village.startsWith(region)).map((a) => a.village) : [];
      const villages = new Set<string>(anchor ? [anchor.village] : []);
      for (const v of sample(rng, [...new Set(hired)], 4)) villages.add(v);
      const target = Math.min(pool.length, rng.int(3, 8));
      for (const v of sample(rng, pool, target)) if (villages.size < Math.max(target, villages.size)) villages.add(v);
      const from = anchor ? dayMs(anchor.day) - rng.int(0, 30) * DAY : dayMs('2024-01-01') + rng.int(0, 950) * DAY;
      const to = Math.min(from + rng.int(30, 90) * DAY, GENERATION_NOW + 60 * DAY);
      const n = (seq.get(region) ?? 0) + 1;
      seq.set(region, n);
      const near = staff.filter((s) => s.region_code.startsWith(region) || (region.startsWith(s.region_code) && s.region_code.length >= 6));
      const members = near.length ? sample(rng, near, Math.min(near.length, rng.int(2, 5))) : staff.filter((s) => region.startsWith(s.region_code)).slice(0, 1);
      if (members.length === 0) continue;
      teams.push({
        id: scale.base + i, name: `${nameOf.get(region) ?? region}第${n}招工小分队（${employer.name}）`.slice(0, 60), employer_id: employer.id, region_code: region,
        member_ids: members.map((m) => m.id), village_codes: [...villages].slice(0, 100).sort(),
        period_from: isoDay(from), period_to: isoDay(Math.max(to, from)), note: '送岗位进村入户，征询到户、预招到岗',
      });
    }

    const credited = await ctx.db.transaction().execute(async (tx) => {
      for (let i = 0; i < teams.length; i += 1000) {
        await sql`INSERT INTO recruitment_team (id, name, employer_id, region_code, member_ids, village_codes, period_from, period_to, note)
          SELECT id, name, employer_id, region_code, member_ids, village_codes, period_from, period_to, note
          FROM jsonb_to_recordset(${JSON.stringify(teams.slice(i, i + 1000))}::jsonb) AS r(id bigint, name text, employer_id bigint, region_code text,
            member_ids bigint[], village_codes text[], period_from date, period_to date, note text)`.execute(tx);
      }
      ctx.progress('招工小分队', teams.length, teams.length);
      // Credit each uncredited pipeline referral to the first team (lowest id) whose employer, villages and period it fits.
      const result = await sql`UPDATE referral f SET team_id = m.team_id FROM (
          SELECT DISTINCT ON (f2.id) f2.id, t.id AS team_id
          FROM recruitment_team t
          JOIN laborer l ON l.home_village_code = ANY(t.village_codes)
          JOIN referral f2 ON f2.laborer_id = l.id AND f2.team_id IS NULL
            AND f2.status IN ('recommended', 'interviewed', 'hired', 'not_hired', 'withdrawn')
            AND (f2.created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN t.period_from AND t.period_to
          JOIN posting p ON p.id = f2.posting_id AND p.employer_id = t.employer_id
          WHERE t.id >= ${scale.base} AND t.id < ${scale.base + 100_000_000}
          ORDER BY f2.id, t.id
        ) m WHERE f.id = m.id`.execute(tx);
      return Number(result.numAffectedRows ?? 0);
    });
    const { rows: h } = await sql<{ n: string }>`SELECT count(*) AS n FROM referral WHERE team_id >= ${scale.base} AND team_id < ${scale.base + 100_000_000} AND status = 'hired'`.execute(ctx.db);
    return `${teams.length} recruitment teams, ${credited} referrals credited to them, ${h[0]!.n} of them hires`;
  },
};

function shuffle<T>(rng: Rng, items: T[]) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

function sample<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const copy = [...items];
  shuffle(rng, copy);
  return copy.slice(0, n);
}
