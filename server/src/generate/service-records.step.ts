import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../db/database.ts';
import { chinaDay } from '../platform/time.ts';
import type { GeneratorStep } from './generator.ts';
import { GENERATION_NOW, PROVINCE_LABORERS } from './laborers.step.ts';
import { DEMO_COUNTIES, PROVINCE } from './places.ts';
import type { Rng } from './random.ts';

/**
 * Services (服务记录) at the second article's shape: from 2017-01-01 to 2017-06-30 the province gave
 * its poor laborers 175,573 person-times of career guidance, 173,693 of job introduction, 166,376
 * of vocational training and 32,510 of entrepreneurship service; lighter volumes in the other
 * half-years since the platform opened in the second half of 2016 (the campaign's peak was 2017).
 * The demo preset scales by its laborers (30,000 of the province's 1,518,662). The other half-years
 * together hold about a seventh of 2017's first half: the province preset's whole generation must
 * stay within its five minutes, and 2017's campaign is the figure the articles report.
 *
 * Set-based and exact: the preset's M cards are numbered (laborerPool), and N person-times of a
 * kind in a half-year are the cards numbered (i · stride + offset) mod M for i < N — a stride
 * coprime with M makes them N distinct cards, and the count exactly N. One INSERT … SELECT over generate_series.
 * Ids come from a fixed block per preset; a re-run adds nothing.
 */

/** The generated province's "today" (China time): nothing is dated after it. */
export const GENERATION_DAY = chinaDay(GENERATION_NOW);

/** Half-years since the platform opened, with their volume relative to 2017's first half. */
export const HALVES: { from: string; to: string; weight: number }[] = [
  { from: '2016-07-01', to: '2016-12-31', weight: 0.04 },
  { from: '2017-01-01', to: '2017-06-30', weight: 1 },
  { from: '2017-07-01', to: '2017-12-31', weight: 0.02 },
  ...[2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025].flatMap((y) => [
    { from: `${y}-01-01`, to: `${y}-06-30`, weight: 0.003 },
    { from: `${y}-07-01`, to: `${y}-12-31`, weight: 0.003 },
  ]),
  // The current year: what the console shows first ("this year"), a little more than the years before.
  { from: '2026-01-01', to: '2026-06-30', weight: 0.02 },
  { from: '2026-07-01', to: '2026-12-31', weight: 0.02 },
].map((h) => ({ ...h, to: h.to < GENERATION_DAY ? h.to : GENERATION_DAY }));

/** The article's province figures for 2017-01-01 … 2017-06-30 (person-times). */
export const SERVICE_SHAPE: [string, number][] = [
  ['guidance', 175_573],
  ['introduction', 173_693],
  ['training', 166_376],
  ['entrepreneurship', 32_510],
  // Not in the article's table: policy explanations given one by one, a tenth of the entrepreneurship services.
  ['policy_support', 3_251],
];

export const areasOf = (preset: 'demo' | 'province'): string[] => (preset === 'demo' ? [...DEMO_COUNTIES] : [PROVINCE]);
export const inAreas = (column: string, areas: string[]): RawBuilder<unknown> =>
  sql`(${sql.join(
    areas.map((a) => sql`starts_with(${sql.ref(column)}, ${a})`),
    sql` OR `,
  )})`;
export const idBase = (preset: 'demo' | 'province') => (preset === 'demo' ? 100_000_000 : 200_000_000);
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

const PRIMES = [1_000_003, 1_299_709, 2_750_159, 15_485_863, 32_452_843, 49_979_687, 67_867_967, 86_028_121];
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
/** A stride coprime with m, so i ↦ (i · stride + offset) mod m visits m distinct numbers. */
export function strideFor(m: number, rng: Rng): number {
  const start = rng.int(0, PRIMES.length - 1);
  for (let k = 0; k < PRIMES.length; k++) {
    const p = PRIMES[(start + k) % PRIMES.length]!;
    if (gcd(p % m || m, m) === 1 || m === 1) return p;
  }
  return 1;
}

/**
 * The preset's cards to draw from, numbered 0 … total − 1, as the view or table gen_pool (laborer_id,
 * village, created_at), and the join that finds card number `n`. The generator writes a preset's
 * cards as one dense block of ids, so card n is simply id first + n, found by the primary key;
 * otherwise (cards deleted or added by hand inside the block) they are numbered by registration in
 * a temporary table. A draw dated before a card was registered is moved to its registration day.
 */
export interface LaborerPool {
  total: number;
  join: (n: RawBuilder<unknown>) => RawBuilder<unknown>;
}
export async function laborerPool(tx: Tx, preset: 'demo' | 'province', areas: string[]): Promise<LaborerPool> {
  // Sorts, windows and hash joins over the province's cards stay in memory.
  await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
  const base = idBase(preset);
  const { rows: block } = await sql<{ first: string | null; last: string | null; n: string; live: string }>`
    SELECT min(id) AS first, max(id) AS last, count(*) AS n, count(*) FILTER (WHERE deleted_at IS NULL) AS live
    FROM laborer WHERE id >= ${base} AND id < ${base + 100_000_000}`.execute(tx);
  const b = block[0]!;
  await sql`DROP VIEW IF EXISTS gen_pool`.execute(tx);
  const dense = b.first !== null && Number(b.last) - Number(b.first) + 1 === Number(b.n) && b.n === b.live;
  if (dense) {
    const first = Number(b.first);
    await sql`CREATE TEMP VIEW gen_pool AS SELECT id AS laborer_id, home_village_code AS village, created_at FROM laborer`.execute(tx);
    return { total: Number(b.n), join: (n) => sql`JOIN gen_pool p ON p.laborer_id = ${first}::bigint + ${n}` };
  }
  await sql`CREATE TEMP TABLE gen_pool ON COMMIT DROP AS
    SELECT (row_number() OVER (ORDER BY created_at, id) - 1)::bigint AS n, id AS laborer_id, home_village_code AS village, created_at
    FROM laborer WHERE deleted_at IS NULL AND ${inAreas('home_village_code', areas)}`.execute(tx);
  await sql`ANALYZE gen_pool`.execute(tx);
  const { rows } = await sql<{ total: string }>`SELECT count(*) AS total FROM gen_pool`.execute(tx);
  return { total: Number(rows[0]!.total), join: (n) => sql`JOIN gen_pool p ON p.n = ${n}` };
}

/** The China day the drawn card (p) was registered. */
export const createdDay = sql`(p.created_at AT TIME ZONE 'Asia/Shanghai')::date`;
/**
 * A draw's day inside its half-year, not before the card was registered: draws of cards registered
 * after the half-year are left out by the caller (`createdDay <= s.day0 + s.days - 1`), so no
 * record is ever dated before its card (issue 16: 139 guidance person-times as of 2016-12-31 where
 * the people registered then had 103).
 */
export const drawnDay = (offset: RawBuilder<unknown>) =>
  sql`least(greatest(s.day0 + (${offset} % s.days)::int, ${createdDay}), s.day0 + s.days - 1)`;

/**
 * A bulk load into a table: its foreign keys, exclusion constraints and secondary indexes are
 * dropped for the load and made again after it, in the same transaction (definitions read from the
 * catalogue, as the region loader does), so the rows are checked once as a set instead of a
 * trigger and an index probe per row. No other transaction ever sees the table without them: the
 * ALTER TABLE lock holds until the commit, and a load that breaks one rolls back whole.
 */
export async function bulkLoad<T>(
  tx: Tx,
  table: 'service_record' | 'subsidy',
  work: () => Promise<T>,
  onPhase?: (name: string) => void,
): Promise<T> {
  const { rows: constraints } = await sql<{ name: string; def: string }>`SELECT conname AS name, pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE conrelid = ${table}::regclass AND contype IN ('f', 'x') ORDER BY conname`.execute(tx);
  const { rows: indexes } = await sql<{ name: string; def: string }>`SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indrelid = ${table}::regclass AND NOT x.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
    ORDER BY i.relname`.execute(tx);
  for (const c of constraints) await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.id(c.name)}`.execute(tx);
  for (const i of indexes) await sql`DROP INDEX ${sql.id(i.name)}`.execute(tx);
  const result = await work();
  onPhase?.('load');
  for (const i of indexes) await sql.raw(i.def).execute(tx);
  onPhase?.('indexes');
  for (const c of constraints) await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.id(c.name)} ${sql.raw(c.def)}`.execute(tx);
  onPhase?.('constraints');
  return result;
}

export interface DrawSpec {
  id: number;
  kind: string;
  n: number;
  m: number;
  stride: number;
  off: number;
  day0: string;
  days: number;
  salt: number;
}

const COURSES = [
  '缝纫工（初级）',
  '电工（初级）',
  '焊工（初级）',
  '家政服务员',
  '养老护理员',
  '中式烹调师',
  '电子装配工',
  '叉车司机',
  '育婴员',
  '农村实用技术（种养殖）',
  '电子商务',
  '保安员',
];
const CERTIFICATES = ['专项职业能力证书', '职业技能等级证书（五级/初级工）', '培训合格证书'];
const GUIDANCE = ['就业意愿登记与职业规划', '外出务工政策与权益保护宣讲', '求职技巧与岗位选择指导', '返乡人员就业指导'];
const INTRODUCTION = ['推介定点接收单位岗位', '推介扶贫车间就近就业岗位', '推介省外劳务协作岗位', '推介县内公益性岗位'];
const ENTREPRENEURSHIP = ['创业培训（SYB）', '创业担保贷款政策咨询', '创业项目推介', '返乡创业指导'];
const POLICY = ['就业扶贫政策宣传', '补贴申领政策解读'];
const arr = (items: string[]) => sql`ARRAY[${sql.join(items)}]::text[]`;
const pickFrom = (items: string[], salt: number) => sql`(${arr(items)})[1 + ((g.i * ${salt} + s.salt) % ${items.length})]`;

export const serviceRecordsStep: GeneratorStep = {
  name: 'service-records',
  description: '服务记录：职业指导、职业介绍、职业培训、创业服务、政策扶持（第二篇报道的人次规模）',
  async run(ctx) {
    const base = idBase(ctx.preset);
    const { rows: already } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM service_record WHERE id >= ${base} AND id < ${base + 100_000_000}`.execute(ctx.db);
    if (Number(already[0]!.n) > 0) return `service records already generated (${already[0]!.n})`;
    const areas = areasOf(ctx.preset);
    const rng = ctx.rng;
    const phases: string[] = [];
    let mark = performance.now();
    const phase = (name: string) => {
      const now = performance.now();
      phases.push(`${name} ${((now - mark) / 1000).toFixed(1)} s`);
      mark = now;
    };
    return ctx.db.transaction().execute(async (tx) => {
      const pool = await laborerPool(tx, ctx.preset, areas);
      phase('pool');
      if (pool.total === 0) return "no laborer cards in the preset's areas, so no services";
      const scale = pool.total / PROVINCE_LABORERS;
      const specs: DrawSpec[] = [];
      let next = base;
      HALVES.forEach((h, _hi) => {
        for (const [kind, figure] of SERVICE_SHAPE) {
          const n = Math.round(figure * h.weight * scale);
          if (n === 0) continue;
          const m = pool.total;
          specs.push({
            id: next,
            kind,
            n,
            m,
            stride: strideFor(m, rng),
            off: rng.int(0, m - 1),
            day0: h.from,
            days: daysBetween(h.from, h.to),
            salt: rng.int(0, 1_000_000),
          });
          next += n;
        }
      });
      // The generated cards never move and are never deleted, and no service is drawn before its card:
      // each counts in the card's village (written here, so migration 0029's trigger has nothing to look up).
      const result = await bulkLoad(
        tx,
        'service_record',
        () =>
          sql`
        INSERT INTO service_record (id, laborer_id, region_code, counted, kind, served_on, provider, content, course, hours, certificate, created_at)
        SELECT s.id + g.i, p.laborer_id, p.village, true, s.kind, ${drawnDay(sql`(g.i * 7919 + s.salt)`)},
          CASE s.kind WHEN 'training' THEN '县职业技能培训学校' WHEN 'entrepreneurship' THEN '县创业服务中心' ELSE '县公共就业服务中心' END,
          CASE s.kind WHEN 'guidance' THEN ${pickFrom(GUIDANCE, 3)} WHEN 'introduction' THEN ${pickFrom(INTRODUCTION, 5)}
            WHEN 'entrepreneurship' THEN ${pickFrom(ENTREPRENEURSHIP, 7)} WHEN 'policy_support' THEN ${pickFrom(POLICY, 11)} END,
          CASE WHEN s.kind = 'training' THEN ${pickFrom(COURSES, 13)} END,
          CASE WHEN s.kind = 'training' THEN (ARRAY[16, 24, 40, 56, 80, 120])[1 + ((g.i * 17 + s.salt) % 6)] END,
          CASE WHEN s.kind = 'training' AND (g.i * 31 + s.salt) % 10 < 6 THEN ${pickFrom(CERTIFICATES, 19)} END,
          ${drawnDay(sql`(g.i * 7919 + s.salt)`)}::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '10 hours'
        FROM jsonb_to_recordset(${JSON.stringify(specs)}::jsonb)
          AS s(id bigint, kind text, n int, m bigint, stride bigint, off bigint, day0 date, days int, salt bigint)
        CROSS JOIN LATERAL generate_series(0::bigint, s.n - 1) AS g(i)
        ${pool.join(sql`(g.i::bigint * s.stride + s.off) % s.m`)}
        WHERE ${createdDay} <= s.day0 + s.days - 1`.execute(tx),
        phase,
      );
      const written = Number(result.numAffectedRows ?? 0);
      ctx.progress('服务记录', written, written);
      await sql`SELECT setval(pg_get_serial_sequence('service_record', 'id'), GREATEST((SELECT max(id) FROM service_record), 1))`.execute(
        tx,
      );
      const h1 = SERVICE_SHAPE.map(([kind, figure]) => `${kind} ${Math.round(figure * scale).toLocaleString('en')}`).join(', ');
      return `${written.toLocaleString('en')} service records over ${HALVES.length} half-years (2017 H1 person-times: ${h1}); ${phases.join(', ')}`;
    });
  },
};
