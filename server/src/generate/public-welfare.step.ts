import { sql } from 'kysely';
import { PAID_DAYS_PER_MONTH } from '../../../contracts/public-welfare.ts';
import { addDays, addMonths } from '../platform/time.ts';
import { GENERATION_DAY } from './constants.ts';
import { areasOf, inAreas } from './places.ts';
import type { GeneratorStep } from './step.ts';

/**
 * 公益性岗位 from the employment histories: the laborers step already gives 1.4 % of the jobs in
 * the home county to the channel public_welfare (employment.model.ts) — the articles print no
 * figure of their own for these posts, so the generated jobs are the proportion, and every one of
 * them gets its post and holding (the employment record stays the truth of who held a post when).
 * One post per township with such jobs, employed by the township's government, with a monthly
 * standard of 600–1,000 yuan and a headcount of the holders at work now plus a place or two; the
 * days worked of the last three complete months for those at work through them, and each month's
 * pay in the subsidy ledger (public_welfare): paid for the two earlier months, applied for the last.
 * Deterministic (everything follows from the codes and ids); idempotent: when generated posts exist
 * in the preset's areas, nothing is added.
 */
const POST_NAMES = ['村道保洁员', '护林员', '河道保洁员', '公共设施管护员', '农村留守人员看护员'];
const STANDARDS = [600, 700, 800, 900, 1000];

export const publicWelfareStep: GeneratorStep = {
  name: 'public-welfare',
  description: '公益性岗位：按公益性岗位就业记录设岗（每乡镇一个）、安置在岗人员，近三个月出勤及月补贴',
  async run(ctx) {
    const areas = areasOf(ctx.preset);
    return ctx.db.transaction().execute(async (tx) => {
      const { rows: existing } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM public_welfare_post
        WHERE created_by IS NULL AND ${inAreas('region_code', areas)}`.execute(tx);
      if (existing[0]!.n > 0) return '已有公益性岗位数据，未新增';
      // The jobs of the channel, grouped by the holder's home township: one post each.
      await sql`CREATE TEMP TABLE gen_welfare_job ON COMMIT DROP AS
        SELECT e.id AS employment_id, e.laborer_id, e.started_on, e.ended_on, e.created_at, left(l.home_village_code, 9) AS township,
          l.home_village_code AS village
        FROM employment e JOIN laborer l ON l.id = e.laborer_id
        WHERE e.channel = 'public_welfare' AND l.deleted_at IS NULL AND ${inAreas('l.home_village_code', areas)}
          AND NOT EXISTS (SELECT 1 FROM public_welfare_holding h WHERE h.employment_id = e.id)`.execute(tx);
      const { rows: posts } = await sql<{ id: string; township: string }>`
        INSERT INTO public_welfare_post (name, employer_name, region_code, monthly_pay, headcount, duties, created_at)
        SELECT (${POST_NAMES}::text[])[1 + (t.code::bigint % ${POST_NAMES.length})],
          r.name || CASE WHEN r.name ~ '(镇|乡)$' THEN '人民政府' ELSE '' END,
          t.code, (${STANDARDS}::int[])[1 + (t.code::bigint / 7 % ${STANDARDS.length})],
          t.open + 1 + (t.code::bigint % 2)::int, '生成数据', t.first
        FROM (SELECT township AS code, count(*) FILTER (WHERE ended_on IS NULL)::int AS open, min(created_at) AS first
              FROM gen_welfare_job GROUP BY township) t
        JOIN region r ON r.code = t.code
        ORDER BY t.code
        RETURNING id::text AS id, region_code AS township`.execute(tx);
      if (posts.length === 0) return '没有公益性岗位就业记录，未新增';
      const holdings = await sql`INSERT INTO public_welfare_holding (post_id, laborer_id, employment_id, assigned_at, exited_at)
        SELECT p.id, j.laborer_id, j.employment_id, j.created_at,
          CASE WHEN j.ended_on IS NOT NULL THEN (j.ended_on::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '17 hours' END
        FROM gen_welfare_job j JOIN public_welfare_post p ON p.region_code = j.township AND p.created_by IS NULL
        ORDER BY j.employment_id`.execute(tx);
      // The last three complete months before the generated "today", for those at work through each.
      const first = addMonths(`${GENERATION_DAY.slice(0, 7)}-01`, -3);
      const months = [0, 1, 2].map((i) => addMonths(first, i));
      let attendance = 0;
      let pay = 0;
      for (const [i, start] of months.entries()) {
        const end = addDays(addMonths(start, 1), -1);
        const month = start.slice(0, 7);
        const last = i === months.length - 1;
        // Paid ten days after the month for the earlier months; the last month's pay waits for approval.
        const applied = addDays(end, 3) < GENERATION_DAY ? addDays(end, 3) : GENERATION_DAY;
        const paid = addDays(end, 10);
        const inserted = await sql<{ n: number }>`
          WITH worked AS (
            SELECT h.id AS holding_id, h.laborer_id, j.village, 18 + ((h.id + ${i}) % 5)::int AS days, p.monthly_pay
            FROM public_welfare_holding h
            JOIN gen_welfare_job j ON j.employment_id = h.employment_id
            JOIN public_welfare_post p ON p.id = h.post_id
            WHERE j.started_on <= ${start}::date AND (j.ended_on IS NULL OR j.ended_on >= ${end}::date)
              -- Only months after the card was registered (nothing is paid to a person before that).
              AND (SELECT min(v.valid_from) FROM laborer_version v WHERE v.laborer_id = h.laborer_id) < ${start}::date
          ), priced AS (
            SELECT *, least(monthly_pay, round(monthly_pay * days / ${PAID_DAYS_PER_MONTH}, 2)) AS amount FROM worked
          ), admins AS (
            SELECT substr(username, 7) AS county, id FROM account WHERE role = 'admin' AND username ~ '^admin_\\d{6}$'
          ), drafted AS (
            INSERT INTO subsidy (recipient, kind, laborer_id, region_code, home_region_code, amount, period_from, period_to, status, note,
              applied_at, approved_by, approved_at, paid_by, paid_at, paid_on)
            SELECT 'laborer', 'public_welfare', w.laborer_id, w.village, w.village, w.amount, ${start}::date, ${end}::date,
              ${last ? 'applied' : 'paid'}, ${`公益性岗位 ${month} 月补贴（按出勤）`},
              (${applied}::date::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '9 hours',
              ${last ? sql`NULL` : sql`a.id`}, ${last ? sql`NULL` : sql`(${addDays(end, 5)}::date::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '10 hours'`},
              ${last ? sql`NULL` : sql`a.id`}, ${last ? sql`NULL` : sql`(${paid}::date::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '15 hours'`},
              ${last ? sql`NULL` : sql`${paid}::date`}
            FROM priced w LEFT JOIN admins a ON a.county = substr(w.village, 1, 6)
            ORDER BY w.laborer_id
            ON CONFLICT DO NOTHING
            RETURNING id, laborer_id, amount
          ), recorded AS (
            INSERT INTO public_welfare_attendance (holding_id, month, days_worked, pay, subsidy_id, recorded_at)
            SELECT w.holding_id, ${month}, w.days, w.amount, d.id, (${applied}::date::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '8 hours'
            FROM priced w LEFT JOIN drafted d ON d.laborer_id = w.laborer_id
            RETURNING pay
          )
          SELECT count(*)::int AS n, coalesce(sum(pay), 0)::float8 AS pay FROM recorded`.execute(tx);
        attendance += inserted.rows[0]!.n;
        pay += Number((inserted.rows[0] as { pay?: number }).pay ?? 0);
      }
      return `新增公益性岗位${posts.length}个，在岗及曾在岗人员${Number(holdings.numAffectedRows ?? 0)}人，近三个月出勤${attendance}人次，月补贴${Math.round(pay)}元`;
    });
  },
};
