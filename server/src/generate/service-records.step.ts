import { sql } from 'kysely';
import type { GeneratorStep } from './step.ts';
import { HALVES, idBase, PROVINCE_LABORERS } from './constants.ts';
import { bulkLoad, createdDay, daysBetween, drawnDay, laborerPool, strideFor, type DrawSpec } from './draws.ts';
import { areasOf } from './places.ts';

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

/** The article's province figures for 2017-01-01 … 2017-06-30 (person-times). */
export const SERVICE_SHAPE: [string, number][] = [
  ['guidance', 175_573],
  ['introduction', 173_693],
  ['training', 166_376],
  ['entrepreneurship', 32_510],
  // Not in the article's table: policy explanations given one by one, a tenth of the entrepreneurship services.
  ['policy_support', 3_251],
];

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
