import { sql } from 'kysely';
import type { GeneratorStep } from './step.ts';

/**
 * 两后生 (issue 20 item 4): the school leavers of 湘西 sent to 济南's technical schools under the
 * 济南–湘西 agreement (the first article counts 155 such students; the agreement commits 200). Young
 * laborers of 湘西's villages (16–20 when the school year began) are enrolled in one of three 济南
 * schools in September 2017, 2018 or 2019 for three years; one in ten left before finishing. The
 * laborers are picked by a hash of their id, so the step is deterministic for a given database, and
 * it adds nothing when generated enrolments exist.
 */
const SCALE = { demo: 40, province: 155 };

const SCHOOLS = [
  ['山东技师学院', 'technician_college', '370112'],
  ['济南技师学院', 'technician_college', '370102'],
  ['济南市高级技工学校', 'technical_school', '370104'],
] as const;
const PROGRAMMES = ['数控加工', '汽车维修', '电气自动化设备安装与维修', '中式烹调', '计算机应用与维修'];

export const schoolingStep: GeneratorStep = {
  name: 'schooling',
  description: '两后生：湘西的初高中毕业生到济南的技工、技师学校就读（济南—湘西协议）',
  async run(ctx) {
    const { rows: existing } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM school_enrolment WHERE created_by IS NULL`.execute(
      ctx.db,
    );
    if (existing[0]!.n > 0) return `${existing[0]!.n} enrolments already generated`;
    const { rows } = await sql<{ n: number }>`
      WITH young AS (
        SELECT l.id, l.home_village_code, y.year,
               row_number() OVER (ORDER BY md5(l.id::text || ${ctx.seed}::text)) AS k
          FROM laborer l
          CROSS JOIN LATERAL (SELECT 2017 + (abs(hashtext(l.id::text)) % 3) AS year) y
         WHERE l.home_village_code LIKE '4331%' AND l.deleted_at IS NULL
           AND l.birth_date BETWEEN make_date(y.year - 20, 9, 2) AND make_date(y.year - 16, 9, 1)
      ),
      picked AS (SELECT * FROM young WHERE k <= ${SCALE[ctx.preset]})
      INSERT INTO school_enrolment (laborer_id, region_code, school_name, school_kind, school_region_code, programme, started_on, finished_on, note)
      SELECT p.id, p.home_village_code, (${sql.val(SCHOOLS.map((s) => s[0]))}::text[])[(1 + p.k % 3)::int], (${sql.val(SCHOOLS.map((s) => s[1]))}::text[])[(1 + p.k % 3)::int],
             (${sql.val(SCHOOLS.map((s) => s[2]))}::text[])[(1 + p.k % 3)::int], (${sql.val(PROGRAMMES)}::text[])[(1 + p.k % ${PROGRAMMES.length})::int],
             make_date(p.year, 9, 1), CASE WHEN p.k % 10 = 0 THEN NULL ELSE make_date(p.year + 3, 6, 30) END,
             CASE WHEN p.k % 10 = 0 THEN '中途退学' END
        FROM picked p
      ON CONFLICT DO NOTHING
      RETURNING 1`.execute(ctx.db);
    return `${rows.length} 两后生 enrolled in 济南's technical schools`;
  },
};
