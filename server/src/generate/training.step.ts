import { sql } from 'kysely';
import type { GeneratorStep } from './step.ts';
import { idBase } from './constants.ts';
import { areasOf, inAreas } from './places.ts';

/**
 * Training classes (职业培训班, issue 20 item 5) behind the generated training person-times. The
 * service-records step gives the province the second article's 166,376 person-times of vocational
 * training in 2017's first half (and lighter volumes in the other half-years), scaled to the
 * preset; the first article counts 邵阳's 45,981 人次 the same way, person by person. Those people
 * were trained in classes: this step groups each county's generated training records of one
 * course and number of hours in one quarter into rolling classes (滚动开班) of at most 50, given by
 * the county's 职业技能培训学校 — the class runs from the first to the last day its people were
 * served, so each record lies inside its class — and puts the people on its roster: hours attended
 * the course's hours, 结业, the certificate their record names with a number of the class, the
 * record tied to its class. A person with two records of the same course, hours and quarter stays
 * on one roster; the other record remains a record of its own. The classes are finished and draft
 * nothing: the generated training subsidies (subsidies step, 43,078 persons) are not tied to a
 * class. Set-based; deterministic (no draws); a re-run adds nothing.
 */

/** The generated courses (service-records.step.ts) and their occupation in the 2022 大典 (a group where no one occupation fits). */
export const COURSE_OCCUPATIONS: Record<string, string> = {
  '缝纫工（初级）': '6-05-01-03',
  '电工（初级）': '6-31-01-03',
  '焊工（初级）': '6-18-02-04',
  家政服务员: '4-10-01-06',
  养老护理员: '4-10-01-05',
  中式烹调师: '4-03-02-01',
  电子装配工: '6-25-04-07',
  叉车司机: '6-30',
  育婴员: '4-10-01',
  '农村实用技术（种养殖）': '5-01',
  电子商务: '4-01-06-01',
  保安员: '4-07-05-01',
};
const CLASS_SIZE = 50;

export const trainingStep: GeneratorStep = {
  name: 'training',
  description: '职业培训班：按县、培训项目、课时和季度把生成的职业培训记录编成培训班，花名册、结业和证书',
  async run(ctx) {
    const base = idBase(ctx.preset);
    const { rows: done } = await sql<{ n: string }>`SELECT count(*) AS n FROM training_class
      WHERE id >= ${base} AND id < ${base + 100_000_000}`.execute(ctx.db);
    if (Number(done[0]!.n) > 0) return `training classes already generated (${done[0]!.n})`;
    const areas = areasOf(ctx.preset);
    const occupations = JSON.stringify(COURSE_OCCUPATIONS);

    return ctx.db.transaction().execute(async (tx) => {
      await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
      // The generated training records without a class, one per person, course, hours and quarter, numbered into classes.
      await sql`CREATE TEMP TABLE gen_trainee ON COMMIT DROP AS
        WITH recs AS (
          SELECT s.id, s.laborer_id, substr(s.region_code, 1, 6) AS county, s.course, s.hours, s.certificate, s.served_on,
            date_trunc('quarter', s.served_on)::date AS quarter
          FROM service_record s
          WHERE s.kind = 'training' AND s.training_class_id IS NULL AND s.id >= ${base} AND s.id < ${base + 100_000_000}
            AND ${inAreas('s.region_code', areas)} AND ${sql`(${occupations}::jsonb ? s.course)`}
        ),
        firsts AS (
          SELECT DISTINCT ON (county, course, hours, quarter, laborer_id) * FROM recs
          ORDER BY county, course, hours, quarter, laborer_id, id
        )
        SELECT f.*, (row_number() OVER (PARTITION BY county, course, hours, quarter ORDER BY served_on, id) - 1) / ${CLASS_SIZE} AS k
        FROM firsts f`.execute(tx);
      await sql`CREATE TEMP TABLE gen_class ON COMMIT DROP AS
        SELECT ${base}::bigint + row_number() OVER (ORDER BY county, quarter, course, hours, k) - 1 AS id, county, course, hours, quarter, k,
          min(served_on) AS starts_on, max(served_on) AS ends_on, count(*) AS n
        FROM gen_trainee GROUP BY county, course, hours, quarter, k`.execute(tx);
      const classes = await sql`
        INSERT INTO training_class (id, region_code, institution, course, occupation_code, hours, starts_on, ends_on, subsidy_per_person,
          status, finished_at, created_at)
        SELECT c.id, c.county, r.name || '职业技能培训学校', c.course, ${occupations}::jsonb ->> c.course, c.hours, c.starts_on, c.ends_on, 0,
          'finished', c.ends_on::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '17 hours', c.starts_on::timestamp AT TIME ZONE 'Asia/Shanghai'
        FROM gen_class c JOIN region r ON r.code = c.county
        ORDER BY c.id`.execute(tx);
      const enrolled = await sql`
        INSERT INTO training_enrolment (class_id, laborer_id, hours_attended, result, certificate_kind, certificate_no, certified_at, enrolled_at)
        SELECT c.id, t.laborer_id, t.hours, 'completed',
          CASE WHEN t.certificate LIKE '专项%' THEN 'special_ability' WHEN t.certificate LIKE '职业技能等级%' THEN 'skill_level'
            WHEN t.certificate IS NOT NULL THEN 'training' END,
          CASE WHEN t.certificate IS NOT NULL THEN 'PX' || c.id || '-' || lpad(t.rn::text, 3, '0') END,
          CASE WHEN t.certificate IS NOT NULL THEN c.ends_on::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '17 hours' END,
          c.starts_on::timestamp AT TIME ZONE 'Asia/Shanghai'
        FROM (SELECT g.*, row_number() OVER (PARTITION BY county, course, hours, quarter, k ORDER BY laborer_id) AS rn FROM gen_trainee g) t
        JOIN gen_class c USING (county, course, hours, quarter, k)`.execute(tx);
      const linked = await sql`UPDATE service_record s SET training_class_id = c.id
        FROM gen_trainee t JOIN gen_class c USING (county, course, hours, quarter, k) WHERE s.id = t.id`.execute(tx);
      await sql`SELECT setval(pg_get_serial_sequence('training_class', 'id'), GREATEST((SELECT max(id) FROM training_class), 1))`.execute(
        tx,
      );
      const n = Number(classes.numAffectedRows ?? 0);
      const people = Number(enrolled.numAffectedRows ?? 0);
      ctx.progress('培训班', n, n);
      return `${n.toLocaleString('en')} training classes, ${people.toLocaleString('en')} on their rosters (${(people / Math.max(n, 1)).toFixed(1)} a class), ${Number(linked.numAffectedRows ?? 0).toLocaleString('en')} training records tied to their class`;
    });
  },
};
