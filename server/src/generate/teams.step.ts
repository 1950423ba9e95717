import { sql } from 'kysely';
import { chinaDay, chinaDayStart } from '../platform/time.ts';
import type { GeneratorStep } from './step.ts';
import { GENERATION_NOW } from './constants.ts';
import { DEMO_COUNTIES, PROVINCE } from './places.ts';
import type { Rng } from './random.ts';
import { creditJobs } from './credit-jobs.ts';

/**
 * 招工小分队 at the first article's shape: "全市共组建了270支招工小分队，累计为企业新招聘员工20426人" —
 * 270 teams over the province preset's counties (a handful in each demo county), each for one
 * employer, with its staff, the villages it visited and its period. Hires are never invented: a
 * team is anchored on an existing hire (a hired referral with its employment record) where the
 * county has one, and the referrals of that employer's laborers in the team's villages within its
 * period — made by earlier steps, not yet credited to a team — are credited to it. Then each team
 * recruits from the jobs the employment histories hold: jobs of its villages' laborers that began
 * in its period and nobody was credited with become the team's hires (a referral dated a few days
 * before, at the team's employer), up to the article's 20,426 over the 270 teams.
 * Ids come from a fixed block per preset; one transaction; a re-run adds nothing twice.
 */
const SCALE = {
  // Hires: the article's 20,426 for the province; the demo in proportion to its laborers (30,000 of 1,518,662).
  demo: { teams: 9, hires: 400, areas: [...DEMO_COUNTIES] as string[], base: 100_000_000 },
  province: { teams: 270, hires: 20_426, areas: [PROVINCE], base: 200_000_000 },
};
const DAY = 86_400_000;
const dayMs = (iso: string) => chinaDayStart(iso).getTime();

interface Anchor {
  village: string;
  employer_id: string;
  employer_name: string;
  day: string;
}
interface TeamRow {
  id: number;
  name: string;
  employer_id: string;
  region_code: string;
  member_ids: string[];
  village_codes: string[];
  period_from: string;
  period_to: string;
  note: string;
}

export const teamsStep: GeneratorStep = {
  name: 'teams',
  description: '招工小分队：组建单位、服务企业、成员、走访村和工作期，记入小分队的推荐及录用',
  async run(ctx) {
    const scale = SCALE[ctx.preset];
    const { rows: already } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM recruitment_team WHERE id >= ${scale.base} AND id < ${scale.base + 100_000_000}`.execute(ctx.db);
    if (Number(already[0]!.n) > 0) return `teams already generated (${already[0]!.n} teams)`;
    const rng = ctx.rng;
    const inAreas = (column: string) =>
      sql.join(
        scale.areas.map((a) => sql`starts_with(${sql.ref(column)}, ${a})`),
        sql` OR `,
      );

    const { rows: villageRows } = await sql<{
      code: string;
    }>`SELECT code FROM region WHERE level = 5 AND (${inAreas('code')}) ORDER BY code`.execute(ctx.db);
    const villagesOf = new Map<string, string[]>();
    for (const { code } of villageRows)
      for (const key of [code.slice(0, 6), code.slice(0, 9)]) {
        const list = villagesOf.get(key) ?? [];
        list.push(code);
        villagesOf.set(key, list);
      }
    const counties = [...new Set(villageRows.map((v) => v.code.slice(0, 6)))];
    if (counties.length === 0) return "no villages in the preset's areas, so no teams";
    shuffle(rng, counties);
    const { rows: names } = await sql<{
      code: string;
      name: string;
    }>`SELECT code, name FROM region WHERE level IN (3, 4) AND (${inAreas('code')})`.execute(ctx.db);
    const nameOf = new Map(names.map((r) => [r.code, r.name]));

    // Existing hires (hired referrals with their employment records) not yet credited, by county.
    const { rows: hires } =
      await sql<Anchor>`SELECT l.home_village_code AS village, p.employer_id::text AS employer_id, e.name AS employer_name,
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
    const { rows: employers } = await sql<{ id: string; name: string }>`SELECT e.id::text AS id, e.name FROM employer e
      WHERE EXISTS (SELECT 1 FROM posting p WHERE p.employer_id = e.id) ORDER BY e.id LIMIT 500`.execute(ctx.db);
    if (employers.length === 0) return 'no employers, so no teams';
    // Staff of each county (its bureau, township operators, village officers), nearest first; the province's admins as a fallback.
    const { rows: staff } = await sql<{ id: string; region_code: string }>`SELECT id::text AS id, region_code FROM account
      WHERE role IN ('admin', 'township_operator', 'village_officer') AND status = 'active' ORDER BY length(region_code), id`.execute(
      ctx.db,
    );

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
      const hired = anchor
        ? anchors.filter((a) => a.employer_id === anchor.employer_id && a.village.startsWith(region)).map((a) => a.village)
        : [];
      const villages = new Set<string>(anchor ? [anchor.village] : []);
      for (const v of sample(rng, [...new Set(hired)], 4)) villages.add(v);
      // A team walks a township's villages, or forty to eighty of a county's (the article's 270 teams
      // made 20,426 hires, ~76 each: a dozen villages over a few months hold too few new jobs).
      const target = Math.min(pool.length, region.length === 9 ? pool.length : rng.int(40, 80));
      for (const v of sample(rng, pool, target)) if (villages.size < Math.max(target, villages.size)) villages.add(v);
      const from = anchor ? dayMs(anchor.day) - rng.int(0, 30) * DAY : dayMs('2024-01-01') + rng.int(0, 950) * DAY;
      const to = Math.min(from + rng.int(240, 450) * DAY, GENERATION_NOW + 60 * DAY);
      const n = (seq.get(region) ?? 0) + 1;
      seq.set(region, n);
      const near = staff.filter((s) => s.region_code.startsWith(region) || (region.startsWith(s.region_code) && s.region_code.length >= 6));
      const members = near.length
        ? sample(rng, near, Math.min(near.length, rng.int(2, 5)))
        : staff.filter((s) => region.startsWith(s.region_code)).slice(0, 1);
      if (members.length === 0) continue;
      teams.push({
        id: scale.base + i,
        name: `${nameOf.get(region) ?? region}第${n}招工小分队（${employer.name}）`.slice(0, 60),
        employer_id: employer.id,
        region_code: region,
        member_ids: members.map((m) => m.id),
        village_codes: [...villages].slice(0, 100).sort(),
        period_from: chinaDay(from),
        period_to: chinaDay(Math.max(to, from)),
        note: '送岗位进村入户，征询到户、预招到岗',
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
      const creditedBefore = Number(result.numAffectedRows ?? 0);

      // The teams' own recruits: jobs of their villages' laborers that began in their period, credited to nobody yet.
      const referrals: {
        id: number;
        laborer: string;
        posting: string;
        team: number;
        by: string;
        created: string;
        interviewed: string;
        hired: string;
      }[] = [];
      const adopted: { id: string; employer: string; posting: string; referral: number; region: string; occupation: string }[] = [];
      const taken = new Set<string>();
      let referralId = scale.base + 50_000_000;
      for (const [k, team] of teams.entries()) {
        const { rows: postingsOf } = await sql<{
          id: string;
          work_region_code: string;
          occupation_code: string;
        }>`SELECT id::text AS id, work_region_code, occupation_code
          FROM posting WHERE employer_id = ${team.employer_id} ORDER BY id LIMIT 20`.execute(tx);
        if (postingsOf.length === 0) continue;
        const { rows: jobs } = await sql<{
          id: string;
          laborer_id: string;
          started_on: string;
        }>`SELECT e.id::text AS id, e.laborer_id::text AS laborer_id,
            e.started_on::text AS started_on FROM employment e JOIN laborer l ON l.id = e.laborer_id
          WHERE l.home_village_code = ANY(${team.village_codes}::text[]) AND l.deleted_at IS NULL AND e.referral_id IS NULL
            AND e.channel IN ('self_found', 'assisted') AND e.started_on BETWEEN ${team.period_from}::date + 3 AND ${team.period_to}::date
          ORDER BY e.id`.execute(tx);
        // The article's total over the teams still to go: what a team could not find (a small
        // township's villages hold few new jobs) falls to the teams after it.
        const left = teams.length - k;
        const want = Math.round(((scale.hires - adopted.length) / left) * (0.5 + rng.next()));
        for (const job of sample(
          rng,
          jobs.filter((j) => !taken.has(j.id)),
          want,
        )) {
          taken.add(job.id);
          const posting = postingsOf[rng.int(0, postingsOf.length - 1)]!;
          const start = dayMs(job.started_on);
          const created = Math.max(dayMs(team.period_from), start - rng.int(3, 15) * DAY) + rng.int(9, 17) * 3_600_000;
          const id = referralId++;
          referrals.push({
            id,
            laborer: job.laborer_id,
            posting: posting.id,
            team: team.id,
            by: team.member_ids[rng.int(0, team.member_ids.length - 1)]!,
            created: new Date(created).toISOString(),
            interviewed: new Date(created + Math.max(1, Math.floor((start - created) / DAY / 2)) * DAY).toISOString(),
            hired: new Date(Math.max(created + 2 * DAY, start - DAY + 10 * 3_600_000)).toISOString(),
          });
          adopted.push({
            id: job.id,
            employer: team.employer_id,
            posting: posting.id,
            referral: id,
            region: posting.work_region_code,
            occupation: posting.occupation_code,
          });
        }
      }
      for (let i = 0; i < referrals.length; i += 5000) {
        const batch = referrals.slice(i, i + 5000);
        await sql`INSERT INTO referral (id, laborer_id, posting_id, channel, status, created_by, created_at, updated_by, updated_at, team_id) OVERRIDING SYSTEM VALUE
          SELECT id, laborer, posting, 'staff', 'hired', by, created, by, hired, team
          FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS r(id bigint, laborer bigint, posting bigint, team bigint, by bigint, created timestamptz,
            interviewed timestamptz, hired timestamptz)`.execute(tx);
        await sql`INSERT INTO referral_step (referral_id, status, at, by_account)
          SELECT id, s.status, s.at, by FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS r(id bigint, by bigint, created timestamptz,
            interviewed timestamptz, hired timestamptz)
          CROSS JOIN LATERAL (VALUES ('recommended', r.created), ('interviewed', r.interviewed), ('hired', r.hired)) AS s(status, at)`.execute(
          tx,
        );
      }
      await creditJobs(tx, adopted);
      ctx.progress('小分队录用', adopted.length, adopted.length);
      return creditedBefore + referrals.length;
    });
    const { rows: h } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM referral WHERE team_id >= ${scale.base} AND team_id < ${scale.base + 100_000_000} AND status = 'hired'`.execute(
      ctx.db,
    );
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
