import { sql } from 'kysely';
import type { GeneratorStep } from './step.ts';
import { GENERATION_DAY, HALVES, idBase, PROVINCE_LABORERS } from './constants.ts';
import { bulkLoad, createdDay, daysBetween, drawnDay, laborerPool, strideFor, type DrawSpec } from './draws.ts';
import { areasOf, inAreas } from './places.ts';

/**
 * Subsidies (补贴) at the second article's shape: from 2017-01-01 to 2017-06-30, 43,078 persons
 * received a vocational-training subsidy, 33,122 a social-insurance subsidy, 6,567 a job subsidy
 * and 115,068 policy support — lighter in the other half-years, scaled by laborers for the demo
 * (the same draw as the services step: N distinct cards, exactly). Subsidies that require work
 * are drawn from employment records instead, each for the part of the half-year the record
 * covers, so none is for a period the laborer was not employed; one-time job and transport
 * subsidies follow new jobs (assisted ones; out-of-province ones). Workshops get site, logistics,
 * employment and social-insurance subsidies (邵阳 had put 5.5 million yuan into its 814 workshops:
 * about 6,750 yuan each) for a year they were accredited through. The retention subsidy is left to the platform's own draft (稳岗补贴测算):
 * every eligible laborer of past years shows there as not yet applied for.
 * Past half-years are paid; the current one is partly approved or still applied, so the approval
 * queue has work. Ids from a fixed block per preset; one transaction; a re-run adds nothing.
 */
const SHAPE = { training: 43_078, policy_support: 115_068, social_insurance: 33_122, job: 6_567 };
const WORK_SAMPLE_PER_MILLE_MIN = 20;

export const subsidiesStep: GeneratorStep = {
  name: 'subsidies',
  description: '补贴：职业培训、社会保险、岗位、政策扶持等个人补贴和扶贫车间补贴（申请、审批、发放）',
  async run(ctx) {
    const base = idBase(ctx.preset);
    const { rows: already } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM subsidy WHERE id >= ${base} AND id < ${base + 100_000_000}`.execute(ctx.db);
    if (Number(already[0]!.n) > 0) return `subsidies already generated (${already[0]!.n})`;
    const areas = areasOf(ctx.preset);
    const rng = ctx.rng;
    const current = HALVES.length - 1;

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
      if (pool.total === 0) return "no laborer cards in the preset's areas, so no subsidies";
      const scale = pool.total / PROVINCE_LABORERS;
      // Who approves and pays: the laborer's (or the workshop's) county admin, when the preset made one.
      await sql`CREATE TEMP TABLE gen_admin ON COMMIT DROP AS
        SELECT substr(username, 7) AS county, id FROM account WHERE role = 'admin' AND username ~ '^admin_\\d{6}$'`.execute(tx);
      let next = base;
      const counts: Record<string, number> = {};
      const add = (kind: string, n: number) => (counts[kind] = (counts[kind] ?? 0) + n);
      // Status by half-year: paid in the past; in the current one 60 % paid, 25 % approved, 15 % applied.
      const status = sql.raw(
        `CASE WHEN s.h < ${current} OR (g.i * 13 + s.salt) % 20 < 12 THEN 'paid' WHEN (g.i * 13 + s.salt) % 20 < 17 THEN 'approved' ELSE 'applied' END`,
      );

      await bulkLoad(
        tx,
        'subsidy',
        async () => {
          // 1. Training and policy support: drawn from the cards, like services.
          const specs: (DrawSpec & { h: number; amount0: number; amount_step: number; span: number })[] = [];
          HALVES.forEach((h, hi) => {
            for (const [kind, figure, amount0, amount_step, span] of [
              ['training', SHAPE.training, 600, 100, 30],
              ['policy_support', SHAPE.policy_support, 200, 100, 0],
            ] as const) {
              const m = pool.total;
              const n = Math.min(m, Math.round(figure * h.weight * scale));
              if (n === 0) continue;
              specs.push({
                id: next,
                h: hi,
                kind,
                n,
                m,
                stride: strideFor(m, rng),
                off: rng.int(0, m - 1),
                day0: h.from,
                days: daysBetween(h.from, h.to),
                salt: rng.int(0, 1_000_000),
                amount0,
                amount_step,
                span,
              });
              next += n;
            }
          });
          const cards = await sql<{ kind: string; n: string }>`
          WITH drawn AS (
            SELECT s.id + g.i AS id, s.h, s.kind, p.laborer_id, p.village, s.amount0 + s.amount_step * ((g.i * 7 + s.salt) % 10) AS amount,
              -- training: a course of about a month inside the half-year; policy support: the half-year.
              -- Never before the card was registered (applied on the period's first day): a card registered
              -- late in the half-year gets the rest of it.
              greatest(${createdDay}, CASE WHEN s.span > 0 THEN least(${drawnDay(sql`(g.i * 7919 + s.salt)`)}, s.day0 + s.days - 1 - s.span) ELSE s.day0 END) AS period_from,
              CASE WHEN s.span > 0 THEN least(greatest(${createdDay}, least(${drawnDay(sql`(g.i * 7919 + s.salt)`)}, s.day0 + s.days - 1 - s.span)) + s.span, s.day0 + s.days - 1)
                ELSE s.day0 + s.days - 1 END AS period_to,
              ${drawnDay(sql`(g.i * 104729 + s.salt)`)} AS paid_on, ${status} AS status
            FROM jsonb_to_recordset(${JSON.stringify(specs)}::jsonb)
              AS s(id bigint, h int, kind text, n int, m bigint, stride bigint, off bigint, day0 date, days int, salt bigint, amount0 int, amount_step int, span int)
            CROSS JOIN LATERAL generate_series(0::bigint, s.n - 1) AS g(i)
            ${pool.join(sql`(g.i::bigint * s.stride + s.off) % s.m`)}
            -- A card registered after the half-year gets nothing in it (no record before its card).
            WHERE ${createdDay} <= s.day0 + s.days - 1
          ),
          inserted AS (
            INSERT INTO subsidy (id, recipient, kind, laborer_id, region_code, home_region_code, counted, amount, period_from, period_to, status, note,
              applied_at, approved_by, approved_at, paid_by, paid_at, paid_on)
            SELECT d.id, 'laborer', d.kind, d.laborer_id, d.village, d.village, true, d.amount, d.period_from, d.period_to, d.status, NULL,
              -- Applied for no later than approved: the first of the period's start and the payment day.
              (least(d.period_from, d.paid_on, ${GENERATION_DAY}::date)::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '9 hours',
              CASE WHEN d.status <> 'applied' THEN a.id END, CASE WHEN d.status <> 'applied' THEN (least(d.paid_on, ${GENERATION_DAY}::date)::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '10 hours' END,
              CASE WHEN d.status = 'paid' THEN a.id END, CASE WHEN d.status = 'paid' THEN (least(d.paid_on, ${GENERATION_DAY}::date)::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '15 hours' END,
              CASE WHEN d.status = 'paid' THEN least(d.paid_on, ${GENERATION_DAY}::date) END
            FROM drawn d
            LEFT JOIN gen_admin a ON a.county = substr(d.village, 1, 6)
            RETURNING kind
          )
          SELECT kind, count(*) AS n FROM inserted GROUP BY kind`.execute(tx);
          for (const r of cards.rows) add(r.kind, Number(r.n));
          phase('cards');
          // The cards' subsidies are written in one statement: the phase is done when it returns.
          const written = Object.values(counts).reduce((a, b) => a + b, 0);
          ctx.progress('个人补贴', written, written);

          // 2. Social insurance and job subsidies: drawn from employment records overlapping each half-year
          // (a sample of the records, large enough for the draw), each for the days the record covers.
          // The preset's employment records: those of its cards (the block of generated ids), found without reading the cards.
          const ofPreset = sql`e.laborer_id >= ${base} AND e.laborer_id < ${base + 100_000_000}`;
          // One pass over the records: the planner's row estimate sets the sampling rate (a rate, not a count).
          const { rows: emp } = await sql<{
            n: string;
          }>`SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = 'employment'::regclass`.execute(tx);
          const records =
            Number(emp[0]!.n) || Number((await sql<{ n: string }>`SELECT count(*) AS n FROM employment`.execute(tx)).rows[0]!.n);
          if (records > 0) {
            const needed = (SHAPE.social_insurance + SHAPE.job) * scale;
            const perMille = Math.min(1000, Math.max(WORK_SAMPLE_PER_MILLE_MIN, Math.ceil(((4 * needed) / records) * 1000)));
            // Each half-year samples in proportion to its volume (at least 5 ‰), so the long-open records a
            // half-year shares with the others do not multiply the work.
            const halves = HALVES.map((h, i) => ({
              h: i,
              f: h.from,
              t: h.to,
              th: Math.min(1000, Math.max(5, Math.ceil(perMille * h.weight * 1.5))),
            }));
            const sampleWork = sql`(e.id * 2654435761) % 1000 < ${Math.min(1000, Math.ceil(perMille * 1.5))}`;
            const sampleStarts = sql`(e.started_on >= ${HALVES[0]!.from}::date AND e.started_on <= ${GENERATION_DAY}::date
            AND ((e.id * 40503) % 1000 < 30 OR (e.id * 40503) % 1000 BETWEEN 500 AND 519))`;
            await sql`CREATE TEMP TABLE gen_emp ON COMMIT DROP AS
            SELECT e.id, e.laborer_id, e.started_on, e.ended_on, e.channel, e.work_region_code FROM employment e
            WHERE ${ofPreset} AND (${sampleWork} OR ${sampleStarts})`.execute(tx);
            await sql`CREATE TEMP TABLE gen_work ON COMMIT DROP AS
            SELECT hv.h, (row_number() OVER (PARTITION BY hv.h ORDER BY (e.id * 2654435761) % 4294967291, e.id) - 1)::bigint AS n,
              e.laborer_id, greatest(e.started_on, hv.f) AS f, least(coalesce(e.ended_on, hv.t), hv.t) AS t
            FROM gen_emp e
            JOIN jsonb_to_recordset(${JSON.stringify(halves)}::jsonb) AS hv(h int, f date, t date, th int)
              ON e.started_on <= hv.t AND coalesce(e.ended_on, hv.t) >= hv.f AND (e.id * 2654435761) % 1000 < hv.th
            WHERE ${sampleWork}`.execute(tx);
            await sql`CREATE INDEX ON gen_work (h, n)`.execute(tx);
            const { rows: sizes } = await sql<{ h: number; m: string }>`SELECT h, count(*) AS m FROM gen_work GROUP BY h`.execute(tx);
            const sizeOf = new Map(sizes.map((r) => [Number(r.h), Number(r.m)]));
            const workSpecs: {
              id: number;
              h: number;
              kind: string;
              n: number;
              draw: number;
              m: number;
              stride: number;
              off: number;
              salt: number;
              per_month: number;
            }[] = [];
            HALVES.forEach((h, hi) => {
              const m = sizeOf.get(hi) ?? 0;
              if (m === 0) return;
              for (const [kind, figure, perMonth] of [
                ['social_insurance', SHAPE.social_insurance, 220],
                ['job', SHAPE.job, 300],
              ] as const) {
                // A laborer with two records in a half-year may be drawn twice: their periods never overlap.
                const n = Math.min(m, Math.round(figure * h.weight * scale));
                if (n === 0) continue;
                // Drawn with a margin, then the first n distinct laborers kept (two records of one laborer may fall in one half-year).
                const draw = Math.min(m, Math.ceil(n * 1.1) + 5);
                workSpecs.push({
                  id: next,
                  h: hi,
                  kind,
                  n,
                  draw,
                  m,
                  stride: strideFor(m, rng),
                  off: rng.int(0, m - 1),
                  salt: rng.int(0, 1_000_000),
                  per_month: perMonth,
                });
                next += draw;
              }
            });
            const work = await sql<{ kind: string; n: string }>`
            WITH raw AS (
              SELECT s.id + g.i AS id, g.i, s.n, s.h, s.kind, w.laborer_id, w.f, w.t,
                greatest(1, round((w.t - w.f + 1) / 30.0)) * s.per_month AS amount,
                w.f + ((g.i * 7919 + s.salt) % greatest(w.t - w.f + 1, 1))::int AS paid_on, ${status} AS status
              FROM jsonb_to_recordset(${JSON.stringify(workSpecs)}::jsonb)
                AS s(id bigint, h int, kind text, n int, draw int, m bigint, stride bigint, off bigint, salt bigint, per_month int)
              CROSS JOIN LATERAL generate_series(0::bigint, s.draw - 1) AS g(i)
              JOIN gen_work w ON w.h = s.h AND w.n = (g.i::bigint * s.stride + s.off) % s.m
            ),
            distinct_laborers AS (SELECT DISTINCT ON (h, kind, laborer_id) * FROM raw ORDER BY h, kind, laborer_id, i),
            drawn AS (
              SELECT x.*, l.home_village_code AS village
              FROM (SELECT d.*, row_number() OVER (PARTITION BY h, kind ORDER BY i) AS k FROM distinct_laborers d) x
              JOIN laborer l ON l.id = x.laborer_id AND l.deleted_at IS NULL
              -- Not for work before the card was registered (a card first collected while at work).
              WHERE x.k <= x.n AND x.f >= (l.created_at AT TIME ZONE 'Asia/Shanghai')::date
            ),
            inserted AS (
              INSERT INTO subsidy (id, recipient, kind, laborer_id, region_code, home_region_code, counted, amount, period_from, period_to, status,
                applied_at, approved_by, approved_at, paid_by, paid_at, paid_on)
              SELECT d.id, 'laborer', d.kind, d.laborer_id, d.village, d.village, true, d.amount, d.f, d.t, d.status,
                (least(d.f, d.paid_on, ${GENERATION_DAY}::date)::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '9 hours',
                CASE WHEN d.status <> 'applied' THEN a.id END, CASE WHEN d.status <> 'applied' THEN (least(d.paid_on, ${GENERATION_DAY}::date)::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '10 hours' END,
                CASE WHEN d.status = 'paid' THEN a.id END, CASE WHEN d.status = 'paid' THEN (least(d.paid_on, ${GENERATION_DAY}::date)::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '15 hours' END,
                CASE WHEN d.status = 'paid' THEN least(d.paid_on, ${GENERATION_DAY}::date) END
              FROM drawn d
                LEFT JOIN gen_admin a ON a.county = substr(d.village, 1, 6)
              ON CONFLICT DO NOTHING
              RETURNING kind
            )
            SELECT kind, count(*) AS n FROM inserted GROUP BY kind`.execute(tx);
            for (const r of work.rows) add(r.kind, Number(r.n));
            phase('work');

            // 3. One-time job subsidies for 3 % of the assisted new jobs, transport for 2 % of those out of the province.
            const firsts = await sql<{ kind: string; n: string }>`
            WITH rolled AS MATERIALIZED (
              SELECT e.id, e.laborer_id, e.started_on, e.channel, e.work_region_code, (e.id * 40503) % 1000 AS roll
              FROM gen_emp e WHERE ${sampleStarts}
            ),
            starts AS (
              SELECT r.*, l.home_village_code AS village FROM rolled r JOIN laborer l ON l.id = r.laborer_id AND l.deleted_at IS NULL
                AND r.started_on >= (l.created_at AT TIME ZONE 'Asia/Shanghai')::date
            ),
            chosen AS (
              SELECT DISTINCT ON (laborer_id, kind, started_on) * FROM (
                SELECT s.*, 'one_time_job' AS kind, 1000 AS amount FROM starts s WHERE s.channel = 'assisted' AND s.roll < 30
                UNION ALL
                SELECT s.*, 'transport', 200 + 100 * (s.roll % 5) FROM starts s WHERE NOT starts_with(s.work_region_code, '43') AND s.roll >= 500 AND s.roll < 520
              ) u ORDER BY laborer_id, kind, started_on, id
            ),
            inserted AS (
              INSERT INTO subsidy (id, recipient, kind, laborer_id, region_code, home_region_code, counted, amount, period_from, period_to, status,
                applied_at, approved_by, approved_at, paid_by, paid_at, paid_on)
              SELECT ${next} + row_number() OVER (ORDER BY c.id, c.kind), 'laborer', c.kind, c.laborer_id, c.village, c.village, true, c.amount, c.started_on, c.started_on,
                CASE WHEN c.started_on + 30 <= ${GENERATION_DAY}::date THEN 'paid' ELSE 'applied' END,
                (c.started_on::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '9 hours',
                CASE WHEN c.started_on + 30 <= ${GENERATION_DAY}::date THEN a.id END,
                CASE WHEN c.started_on + 30 <= ${GENERATION_DAY}::date THEN ((c.started_on + 20)::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '10 hours' END,
                CASE WHEN c.started_on + 30 <= ${GENERATION_DAY}::date THEN a.id END,
                CASE WHEN c.started_on + 30 <= ${GENERATION_DAY}::date THEN ((c.started_on + 30)::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '10 hours' END,
                CASE WHEN c.started_on + 30 <= ${GENERATION_DAY}::date THEN c.started_on + 30 END
              FROM chosen c LEFT JOIN gen_admin a ON a.county = substr(c.village, 1, 6)
              ON CONFLICT DO NOTHING
              RETURNING kind
            )
            SELECT kind, count(*) AS n FROM inserted GROUP BY kind`.execute(tx);
            for (const r of firsts.rows) add(r.kind, Number(r.n));
            phase('new jobs');
            next += records + 1;
          }

          // 4. Workshops and bases of the preset's areas: a site subsidy each, then logistics, employment and social insurance for some,
          // for the first whole year after its accreditation, and only when it was not removed before that year ended (the ledger
          // refuses a workshop subsidy for a period the workshop was not accredited through, issue 20 item 8).
          const shops = await sql<{ kind: string; n: string }>`
          WITH standing AS (
            SELECT employer_id, min(effective_on) FILTER (WHERE act = 'accreditation') AS accredited_on,
                   min(effective_on) FILTER (WHERE act = 'removal') AS removed_on
            FROM workshop_standing GROUP BY employer_id
          ),
          w AS (
            SELECT m.id, m.region_code, (m.id * 2654435761) % 1000 AS roll, extract(year FROM st.accredited_on)::int + 1 AS year
            FROM employer m JOIN standing st ON st.employer_id = m.id
            WHERE m.kind IN ('workshop', 'base') AND ${inAreas('m.region_code', areas)} AND st.accredited_on IS NOT NULL
              AND extract(year FROM st.accredited_on)::int + 1 < extract(year FROM ${GENERATION_DAY}::date)::int
              AND (st.removed_on IS NULL OR st.removed_on > make_date(extract(year FROM st.accredited_on)::int + 1, 12, 31))
          ),
          chosen AS (
            SELECT w.*, 'site' AS kind, 3000 + 500 * (w.roll % 16) AS amount FROM w
            UNION ALL SELECT w.*, 'logistics', 1000 + 200 * (w.roll % 6) FROM w WHERE w.roll < 300
            UNION ALL SELECT w.*, 'employment', 2000 + 500 * (w.roll % 5) FROM w WHERE w.roll >= 300 AND w.roll < 700
            UNION ALL SELECT w.*, 'social_insurance', 1500 + 300 * (w.roll % 4) FROM w WHERE w.roll >= 800
          ),
          inserted AS (
            INSERT INTO subsidy (id, recipient, kind, employer_id, region_code, amount, period_from, period_to, status,
              applied_at, approved_by, approved_at, paid_by, paid_at, paid_on)
            SELECT ${next} + row_number() OVER (ORDER BY c.id, c.kind), 'employer', c.kind, c.id, c.region_code, c.amount,
              make_date(c.year, 1, 1), make_date(c.year, 12, 31), 'paid',
              make_date(c.year + 1, 1, 10)::timestamp AT TIME ZONE 'Asia/Shanghai', a.id, make_date(c.year + 1, 2, 1)::timestamp AT TIME ZONE 'Asia/Shanghai',
              a.id, make_date(c.year + 1, 3, 1)::timestamp AT TIME ZONE 'Asia/Shanghai', make_date(c.year + 1, 3, 1)
            FROM chosen c LEFT JOIN gen_admin a ON a.county = substr(c.region_code, 1, 6)
            ON CONFLICT DO NOTHING
            RETURNING kind
          )
          SELECT kind, count(*) AS n FROM inserted GROUP BY kind`.execute(tx);
          const { rows: shopCount } = await sql<{
            n: string;
          }>`SELECT count(*) AS n FROM employer m WHERE m.kind IN ('workshop', 'base') AND ${inAreas('m.region_code', areas)}`.execute(tx);
          next += Number(shopCount[0]!.n) * 4 + 1;
          for (const r of shops.rows) add(`workshop ${r.kind}`, Number(r.n));
          phase('workshops');
        },
        phase,
      );
      await sql`SELECT setval(pg_get_serial_sequence('subsidy', 'id'), GREATEST((SELECT max(id) FROM subsidy), 1))`.execute(tx);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      ctx.progress('补贴', total, total);
      const h1 = Object.entries(SHAPE)
        .map(([k, v]) => `${k} ${Math.round(v * scale).toLocaleString('en')}`)
        .join(', ');
      return `${total.toLocaleString('en')} subsidies (${Object.entries(counts)
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ')}); 2017 H1 persons: ${h1}; ${phases.join(', ')}`;
    });
  },
};
