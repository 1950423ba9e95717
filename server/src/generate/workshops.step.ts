import { sql } from 'kysely';
import { creditCodeCheckChar } from '../modules/employers/index.ts';
import type { GeneratorStep } from './step.ts';
import { GENERATION_DAY, idBase, PROVINCE_LABORERS } from './constants.ts';
import { ACCREDITATION_THRESHOLDS } from '../../../contracts/workshops.ts';
import { addDays } from '../platform/time.ts';
import { areasOf, inAreas } from './places.ts';
import type { Rng } from './random.ts';

/**
 * 扶贫车间 and 就业扶贫基地 at the first article's shape: "全市共建成就业扶贫车间814家、就业扶贫基地67
 * 家，开发扶贫岗位5277个，共吸纳贫困劳动力就业12118人" — for 邵阳, and for every other city of the
 * preset in proportion to its laborers. The postings step already made 邵阳's 814 workshops and
 * some elsewhere; this step adds the workshops and bases a city still lacks, gives each its posts
 * (扶贫岗位, bases about three times a workshop's) so the city's total is its share of 5,277, and
 * links open in-county employments without a registered employer (work region in the workshop's
 * county, the laborer's home county too) to the county's workshops and bases, round robin, until
 * the city's share of 12,118 poor laborers employed is reached or the county has no more — the
 * one place the generator writes to employment records it did not make. Set-based; deterministic
 * for the seed; a re-run changes nothing (the posts are set once).
 */
const SHAOYANG = '4305';
const SHAPE = { workshops: 814, bases: 67, posts: 5277, employed: 12_118 };
const PRODUCTS = ['箱包', '服装', '电子', '鞋业', '玩具', '竹木制品', '手工艺品', '假发', '农产品加工', '茶叶加工'];
const INDUSTRY: Record<string, string> = {
  箱包: '19',
  服装: '18',
  电子: '39',
  鞋业: '19',
  玩具: '24',
  竹木制品: '20',
  手工艺品: '24',
  假发: '19',
  农产品加工: '13',
  茶叶加工: '15',
};

interface Unit {
  id: number;
  kind: 'workshop' | 'base';
  region_code: string;
}

export const workshopsStep: GeneratorStep = {
  name: 'workshops',
  description: '扶贫车间与就业扶贫基地：按邵阳的规模补足各市车间和基地、扶贫岗位，关联县内就业人员',
  async run(ctx) {
    const areas = areasOf(ctx.preset);
    const base = idBase(ctx.preset);
    const { rows: done } = await sql<{ n: string }>`SELECT count(*) AS n FROM employer m
      WHERE m.kind IN ('workshop', 'base') AND m.posts_planned IS NOT NULL AND m.id >= ${base} AND m.id < ${base + 100_000_000}`.execute(
      ctx.db,
    );
    if (Number(done[0]!.n) > 0) return `workshops already generated (${done[0]!.n} with posts)`;
    const rng = ctx.rng;

    return ctx.db.transaction().execute(async (tx) => {
      await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
      // Laborers per city of the preset; 邵阳's whole count when the preset holds it, else its expected share of the province.
      const { rows: cities } = await sql<{
        city: string;
        laborers: string;
      }>`SELECT substr(home_village_code, 1, 4) AS city, count(*) AS laborers
        FROM laborer WHERE deleted_at IS NULL AND ${inAreas('home_village_code', areas)} GROUP BY 1 ORDER BY 1`.execute(tx);
      if (cities.length === 0) return "no laborer cards in the preset's areas, so no workshops";
      const { rows: villages } = await sql<{ code: string; name: string; county_name: string }>`SELECT v.code, v.name, c.name AS county_name
        FROM region v JOIN region c ON c.code = substr(v.code, 1, 6) WHERE v.level = 5 AND ${inAreas('v.code', areas)} ORDER BY v.code`.execute(
        tx,
      );
      const shaoyangWhole = ctx.preset === 'province';
      let reference = Number(cities.find((c) => c.city === SHAOYANG)?.laborers ?? 0);
      if (!shaoyangWhole || reference === 0) {
        const { rows } = await sql<{
          city: string;
          all: string;
        }>`SELECT count(*) FILTER (WHERE starts_with(code, ${SHAOYANG})) AS city, count(*) AS all
          FROM region WHERE level = 5 AND starts_with(code, '43')`.execute(tx);
        reference = (PROVINCE_LABORERS * Number(rows[0]!.city)) / Math.max(1, Number(rows[0]!.all));
      }

      const { rows: existing } = await sql<Unit>`SELECT id::int AS id, kind, region_code FROM employer m
        WHERE m.kind IN ('workshop', 'base') AND ${inAreas('m.region_code', areas)} ORDER BY id`.execute(tx);
      const { rows: placedRows } = await sql<{ county: string; n: string }>`SELECT substr(m.region_code, 1, 6) AS county, count(*) AS n
        FROM employment e JOIN employer m ON m.id = e.employer_id
        WHERE e.ended_on IS NULL AND m.kind IN ('workshop', 'base') AND ${inAreas('m.region_code', areas)} GROUP BY 1`.execute(tx);
      const placed = new Map(placedRows.map((r) => [r.county, Number(r.n)]));
      const { rows: top } = await sql<{
        max: string | null;
      }>`SELECT max(id) AS max FROM employer WHERE id >= ${base} AND id < ${base + 100_000_000}`.execute(tx);
      let nextId = Math.max(base + 90_000_000, Number(top[0]!.max ?? 0) + 1);
      const newEmployers: {
        id: number;
        credit_code: string;
        name: string;
        region_code: string;
        industry: string;
        kind: string;
        relocation_site: string | null;
      }[] = [];
      const posts: { id: number; posts: number }[] = [];
      const targets: { county: string; want: number }[] = [];
      let totals = { workshops: 0, bases: 0, posts: 0, wanted: 0 };

      for (const { city, laborers } of cities) {
        const ratio = Number(laborers) / reference;
        const want = {
          workshops: Math.round(SHAPE.workshops * ratio),
          bases: Math.round(SHAPE.bases * ratio),
          posts: Math.round(SHAPE.posts * ratio),
          employed: Math.round(SHAPE.employed * ratio),
        };
        const cityVillages = villages.filter((v) => v.code.startsWith(city));
        if (cityVillages.length === 0) continue;
        const units = existing.filter((u) => u.region_code.startsWith(city));
        const have = { workshop: units.filter((u) => u.kind === 'workshop').length, base: units.filter((u) => u.kind === 'base').length };
        for (const [kind, count] of [
          ['workshop', want.workshops - have.workshop],
          ['base', want.bases - have.base],
        ] as const) {
          for (let i = 0; i < count; i++) {
            const village = rng.pick(cityVillages);
            const product = rng.pick(PRODUCTS);
            const region = kind === 'workshop' ? village.code : village.code.slice(0, 6);
            const body = `91${region.slice(0, 6)}MA${alnum(rng, 7)}`;
            const row = {
              id: nextId++,
              credit_code: body + creditCodeCheckChar(body),
              region_code: region,
              industry: INDUSTRY[product]!,
              kind,
              name: kind === 'workshop' ? `${village.name}${product}扶贫车间` : `${village.county_name}${product}就业扶贫基地`,
              relocation_site: kind === 'workshop' && rng.next() < 0.2 ? `${village.name}易地扶贫搬迁安置点` : null,
            };
            newEmployers.push(row);
            units.push({ id: row.id, kind, region_code: region });
          }
        }
        // Posts: the city's share of 5,277 over its units, a base weighing three workshops; largest remainders make it exact.
        const weights = units.map((u) => (u.kind === 'base' ? 3 : 1) * (0.5 + rng.next()));
        const sum = weights.reduce((a, b) => a + b, 0);
        const exact = weights.map((w) => (w / sum) * want.posts);
        const counts = exact.map(Math.floor);
        let missing = want.posts - counts.reduce((a, b) => a + b, 0);
        for (const [, i] of exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]))
          if (missing-- > 0) counts[i]!++;
        for (const [i, u] of units.entries()) posts.push({ id: u.id, posts: counts[i]! });
        // Laborers employed: the city's share of 12,118, over its counties by their units.
        const byCounty = new Map<string, number>();
        for (const u of units) byCounty.set(u.region_code.slice(0, 6), (byCounty.get(u.region_code.slice(0, 6)) ?? 0) + 1);
        // Apportioned by largest remainders, so the city's counties add up to its share exactly; those
        // the earlier steps already placed there (hires through referrals) count towards it.
        const shares = [...byCounty].map(([county, n]) => ({ county, exact: (want.employed * n) / units.length }));
        const whole = shares.map((x) => Math.floor(x.exact));
        let left = want.employed - whole.reduce((a, b) => a + b, 0);
        for (const [, i] of shares.map((x, i) => [x.exact - Math.floor(x.exact), i] as const).sort((a, b) => b[0] - a[0]))
          if (left-- > 0) whole[i]!++;
        for (const [i, x] of shares.entries())
          targets.push({ county: x.county, want: Math.max(0, whole[i]! - (placed.get(x.county) ?? 0)) });
        totals = {
          workshops: totals.workshops + units.filter((u) => u.kind === 'workshop').length,
          bases: totals.bases + units.filter((u) => u.kind === 'base').length,
          posts: totals.posts + want.posts,
          wanted: totals.wanted + want.employed,
        };
      }

      for (let i = 0; i < newEmployers.length; i += 2000) {
        await sql`INSERT INTO employer (id, credit_code, name, region_code, industry, kind, relocation_site)
          SELECT id, credit_code, name, region_code, industry, kind, relocation_site
          FROM jsonb_to_recordset(${JSON.stringify(newEmployers.slice(i, i + 2000))}::jsonb)
            AS r(id bigint, credit_code text, name text, region_code text, industry text, kind text, relocation_site text)
          ON CONFLICT DO NOTHING`.execute(tx);
      }
      await sql`UPDATE employer m SET posts_planned = p.posts FROM jsonb_to_recordset(${JSON.stringify(posts)}::jsonb) AS p(id bigint, posts int)
        WHERE m.id = p.id AND m.posts_planned IS NULL`.execute(tx);
      ctx.progress('扶贫车间', newEmployers.length, newEmployers.length);

      // Link open in-county employments without an employer to the county's workshops and bases, round robin.
      const linked = await sql`
        WITH units AS (
          SELECT m.id, substr(m.region_code, 1, 6) AS county,
            row_number() OVER (PARTITION BY substr(m.region_code, 1, 6) ORDER BY m.id) - 1 AS k
          FROM employer m WHERE m.kind IN ('workshop', 'base') AND ${inAreas('m.region_code', areas)}
        ),
        sizes AS (SELECT county, count(*) AS n FROM units GROUP BY county),
        targets AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(targets)}::jsonb) AS t(county text, want int)),
        candidates AS (
          SELECT e.id, substr(e.work_region_code, 1, 6) AS county,
            row_number() OVER (PARTITION BY substr(e.work_region_code, 1, 6) ORDER BY (e.id * 2654435761 + ${ctx.seed}) % 4294967291, e.id) - 1 AS r
          FROM employment e JOIN laborer l ON l.id = e.laborer_id
          WHERE e.ended_on IS NULL AND e.employer_id IS NULL AND substr(e.work_region_code, 1, 6) = substr(l.home_village_code, 1, 6)
            AND substr(e.work_region_code, 1, 6) IN (SELECT county FROM targets)
        ),
        picked AS (
          SELECT c.id, u.id AS employer_id FROM candidates c
          JOIN targets t ON t.county = c.county AND c.r < t.want
          JOIN sizes s ON s.county = c.county
          JOIN units u ON u.county = c.county AND u.k = c.r % s.n
        )
        UPDATE employment e SET employer_id = p.employer_id FROM picked p WHERE e.id = p.id`.execute(tx);
      const employed = Number(linked.numAffectedRows ?? 0);
      await sql`SELECT setval(pg_get_serial_sequence('employer', 'id'), GREATEST((SELECT max(id) FROM employer), 1))`.execute(tx);
      await sql`ANALYZE employer`.execute(tx);
      return (
        `${totals.workshops} workshops and ${totals.bases} bases (${newEmployers.length} added), ${totals.posts.toLocaleString('en')} posts; ` +
        `${employed.toLocaleString('en')} open in-county employments linked to them (shape ${totals.wanted.toLocaleString('en')})`
      );
    });
  },
};

function alnum(rng: Rng, n: number): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[rng.int(0, chars.length - 1)];
  return s;
}

/**
 * The standing of the workshops and bases (issue 20 item 8): the first article counts 814
 * workshops and 67 bases "建成" in 邵阳 — in standing, with the county's 认定 — so every unit with
 * poor laborers at work is accredited, on the day its third (or last, when fewer) job there began
 * plus a few weeks, with the criteria the service would record: the poor laborers open there that
 * day counted from the employment records, a workforce that puts their share at 35–90 % (the share
 * criterion met), a site and contracts. Then one review a year (in the first quarter of the next
 * year) while accredited: about 1 in 25 fails with its findings, and half of the failed are removed
 * (摘牌) one to four months later. A unit with no job at all is built but not (yet) accredited.
 * Acts are written in day order, as the service requires. Deterministic for the seed; a re-run
 * adds nothing. The subsidies step (next) pays a workshop's subsidies only for a year it was
 * accredited through, as the ledger now requires.
 */
const FINDINGS = [
  '吸纳贫困劳动力人数低于认定标准，用工台账不全',
  '停产超过三个月，在岗贫困劳动力大幅减少',
  '未按时发放务工人员工资',
  '未与部分务工人员签订劳动合同或务工协议',
  '生产场所变更未报备，安全生产条件不达标',
];
const REMOVAL_REASONS = ['年审不合格，限期整改未到位', '停产歇业', '企业注销', '吸纳贫困劳动力人数长期达不到认定标准'];
const LAST_REVIEW_YEAR = Number(GENERATION_DAY.slice(0, 4)) - 1;

export const workshopStandingStep: GeneratorStep = {
  name: 'workshop-standing',
  description: '扶贫车间与就业扶贫基地的认定、年审和摘牌：有贫困劳动力在岗的车间、基地均已认定，逐年年审，少数未通过并摘牌',
  async run(ctx) {
    const areas = areasOf(ctx.preset);
    const { rows: done } = await sql<{ n: string }>`SELECT count(*) AS n FROM workshop_standing s JOIN employer m ON m.id = s.employer_id
      WHERE ${inAreas('m.region_code', areas)}`.execute(ctx.db);
    if (Number(done[0]!.n) > 0) return `standing already generated (${done[0]!.n} acts)`;
    const rng = ctx.rng;
    return ctx.db.transaction().execute(async (tx) => {
      const { rows: units } = await sql<{ id: string; kind: 'workshop' | 'base' }>`SELECT m.id::text AS id, m.kind FROM employer m
        WHERE m.kind IN ('workshop', 'base') AND ${inAreas('m.region_code', areas)} ORDER BY m.id`.execute(tx);
      const { rows: jobs } = await sql<{ employer_id: string; started_on: string; ended_on: string | null }>`
        SELECT e.employer_id::text AS employer_id, to_char(e.started_on, 'YYYY-MM-DD') AS started_on, to_char(e.ended_on, 'YYYY-MM-DD') AS ended_on
          FROM employment e JOIN employer m ON m.id = e.employer_id
         WHERE m.kind IN ('workshop', 'base') AND ${inAreas('m.region_code', areas)} AND NOT e.laborer_deleted
         ORDER BY e.employer_id, e.started_on, e.id`.execute(tx);
      const byUnit = new Map<string, { started_on: string; ended_on: string | null }[]>();
      for (const j of jobs) {
        const list = byUnit.get(j.employer_id) ?? [];
        list.push(j);
        byUnit.set(j.employer_id, list);
      }
      const acts: {
        employer_id: string;
        act: string;
        effective_on: string;
        review_year: number | null;
        review_passed: boolean | null;
        findings: string | null;
        reason: string | null;
        document_no: string | null;
        criteria: { criterion: string; value: number; threshold: number | null; met: boolean | null }[] | null;
      }[] = [];
      const counts = { accredited: 0, reviews: 0, failed: 0, removed: 0, unaccredited: 0 };
      for (const unit of units) {
        const list = byUnit.get(unit.id) ?? [];
        const third = list[Math.min(3, list.length) - 1];
        const day = third ? maxDay(addDays(third.started_on, rng.int(7, 60)), '2016-06-01') : null;
        const open = day ? list.filter((j) => j.started_on <= day && (j.ended_on === null || j.ended_on >= day)).length : 0;
        if (!day || day > GENERATION_DAY || open === 0) {
          counts.unaccredited++;
          continue;
        }
        const rule = ACCREDITATION_THRESHOLDS[unit.kind];
        const workforce = Math.max(open, Math.ceil(open / (0.35 + rng.next() * 0.55)));
        const share = Math.round((open * 1000) / workforce) / 10;
        acts.push({
          employer_id: unit.id,
          act: 'accreditation',
          effective_on: day,
          review_year: null,
          review_passed: null,
          findings: null,
          reason: null,
          document_no: `${day.slice(0, 4)}年第${rng.int(1, 40)}批`,
          criteria: [
            { criterion: 'poor_employed', value: open, threshold: rule.poorEmployed, met: open >= rule.poorEmployed },
            { criterion: 'poor_share', value: share, threshold: rule.poorShare, met: share >= rule.poorShare },
            { criterion: 'workforce', value: workforce, threshold: null, met: null },
            { criterion: 'site', value: 1, threshold: null, met: true },
            { criterion: 'labor_contracts', value: 1, threshold: null, met: true },
          ],
        });
        counts.accredited++;
        for (let year = Number(day.slice(0, 4)); year <= LAST_REVIEW_YEAR; year++) {
          const reviewedOn = maxDay(`${year + 1}-0${rng.int(1, 3)}-${String(rng.int(10, 28)).padStart(2, '0')}`, day);
          if (reviewedOn > GENERATION_DAY) break;
          const passed = rng.next() >= 0.04;
          acts.push({
            employer_id: unit.id,
            act: 'review',
            effective_on: reviewedOn,
            review_year: year,
            review_passed: passed,
            findings: passed ? null : rng.pick(FINDINGS),
            reason: null,
            document_no: null,
            criteria: null,
          });
          counts.reviews++;
          if (passed) continue;
          counts.failed++;
          if (rng.next() < 0.5) continue;
          const removedOn = addDays(reviewedOn, rng.int(30, 120));
          if (removedOn > GENERATION_DAY) break;
          acts.push({
            employer_id: unit.id,
            act: 'removal',
            effective_on: removedOn,
            review_year: null,
            review_passed: null,
            findings: null,
            reason: rng.pick(REMOVAL_REASONS),
            document_no: null,
            criteria: null,
          });
          counts.removed++;
          break;
        }
      }
      for (let i = 0; i < acts.length; i += 5000) {
        await sql`
          WITH a AS (
            SELECT * FROM jsonb_to_recordset(${JSON.stringify(acts.slice(i, i + 5000).map((a, k) => ({ ...a, n: i + k })))}::jsonb)
              AS a(employer_id bigint, act text, effective_on date, review_year smallint, review_passed boolean, findings text, reason text,
                   document_no text, criteria jsonb, n bigint)
          ),
          inserted AS (
            INSERT INTO workshop_standing (employer_id, act, effective_on, review_year, review_passed, findings, reason, document_no, recorded_at)
            SELECT employer_id, act, effective_on, review_year, review_passed, findings, reason, document_no,
                   (effective_on::timestamp + interval '10 hours') AT TIME ZONE 'Asia/Shanghai'
              FROM a ORDER BY n
            RETURNING id, employer_id, act, effective_on
          )
          INSERT INTO workshop_standing_criterion (standing_id, criterion, value, threshold, met)
          SELECT i.id, c.criterion, c.value, c.threshold, c.met
            FROM inserted i JOIN a ON a.employer_id = i.employer_id AND a.act = 'accreditation' AND i.act = 'accreditation'
            CROSS JOIN LATERAL jsonb_to_recordset(a.criteria) AS c(criterion text, value numeric, threshold numeric, met boolean)`.execute(
          tx,
        );
      }
      ctx.progress('认定与年审', acts.length, acts.length);
      return (
        `${counts.accredited} workshops and bases accredited (${counts.unaccredited} with no poor laborer at work, not accredited), ` +
        `${counts.reviews} yearly reviews (${counts.failed} failed), ${counts.removed} removed`
      );
    });
  },
};

const maxDay = (a: string, b: string) => (a > b ? a : b);
