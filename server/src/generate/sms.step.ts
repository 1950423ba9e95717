import { sql } from 'kysely';
import type { GeneratorStep } from './step.ts';
import { withSignature } from '../modules/sms/index.ts';
import { withinRegion } from '../platform/access.ts';

/**
 * 点对点短信 at the first article's shape: "1.7 million messages to 600,000 laborers in one city".
 * That is 2.83 messages per laborer over a city's campaigns. The province preset gives 邵阳市 (the
 * article's city) its campaigns at that rate, over its first counties up to ~60,000 laborers (of
 * the ~190,000 the preset holds there; the summary names them) so the step stays within seconds;
 * the demo preset a few campaigns in 新邵县. Each campaign pushes one featured posting; its messages are written by one
 * INSERT … SELECT over the laborer table (server-side, so the step stays within seconds), with
 * their fates: delivered for most, undeliverable or expired for some, skipped for numbers that
 * opted out (their opt-outs recorded) and cards without a phone. Deterministic (hashes of ids and
 * the seed), one transaction, a re-run adds nothing twice.
 */
const SCALE = {
  demo: {
    region: '430522',
    campaigns: 3,
    perLaborer: 1.6,
    base: 100_000_000,
    submitter: 'xinshao_admin',
    approver: 'shaoyang_admin',
    laborerBudget: Infinity,
  },
  // The province's 邵阳市 holds ~190,000 laborers: its campaigns cover the city's counties up to ~60,000 laborers, so the step stays within seconds.
  province: {
    region: '4305',
    campaigns: 6,
    perLaborer: 1_700_000 / 600_000,
    base: 200_000_000,
    submitter: 'shaoyang_admin',
    approver: 'hunan_admin',
    laborerBudget: 60_000,
  },
};
const NAMES = [
  '春节后返岗岗位推送',
  '粤港澳大湾区定点企业招工',
  '省内扶贫车间就近就业',
  '长沙经开区用工对接',
  '就业扶贫专岗推送',
  '秋季转移就业专项行动',
];
// Campaign days in the articles' years: 2019-2020.
const DAYS = ['2019-02-12', '2019-06-18', '2019-09-10', '2020-02-20', '2020-05-12', '2020-09-15'];

export const smsStep: GeneratorStep = {
  name: 'sms',
  description: '点对点短信：一个市的短信推送活动及每人一条的短信、送达回执结果与退订',
  async run(ctx) {
    const scale = SCALE[ctx.preset];
    const { rows: already } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM sms_campaign WHERE id >= ${scale.base} AND id < ${scale.base + 100_000_000}`.execute(ctx.db);
    if (Number(already[0]!.n) > 0) return `sms campaigns already generated (${already[0]!.n} campaigns)`;
    const { rows: acc } = await sql<{
      id: string;
      username: string;
    }>`SELECT id::text AS id, username FROM account WHERE username IN (${scale.submitter}, ${scale.approver})`.execute(ctx.db);
    const by = (u: string) => acc.find((a) => a.username === u)?.id ?? null;
    if (!by(scale.submitter) || !by(scale.approver)) return 'no staff accounts for the campaigns, so no SMS';
    const { rows: byCounty } = await sql<{
      county: string;
      name: string;
      n: string;
    }>`SELECT left(l.home_village_code, 6) AS county, min(r.name) AS name, count(*) AS n
      FROM laborer l JOIN region r ON r.code = left(l.home_village_code, 6)
      WHERE ${withinRegion('l.home_village_code', scale.region)} AND l.deleted_at IS NULL GROUP BY 1 ORDER BY 1`.execute(ctx.db);
    const laborers = byCounty.reduce((n, c) => n + Number(c.n), 0);
    if (!laborers) return 'no laborers in the region, so no SMS';
    // The counties the campaigns cover: all of the region, or the first ones up to the step's budget of laborers.
    const counties: typeof byCounty = [];
    let covered = 0;
    for (const c of byCounty) {
      if (counties.length && covered + Number(c.n) > scale.laborerBudget) break;
      counties.push(c);
      covered += Number(c.n);
    }
    const inArea = (column: string) =>
      sql.join(
        counties.map((c) => withinRegion(column, c.county)),
        sql` OR `,
      );
    // The featured posting of each campaign: open postings, well paid, food and housing first.
    const { rows: postings } = await sql<{ id: string; title: string; wage_min: number; wage_max: number; place: string }>`
      SELECT p.id::text AS id, p.title, p.wage_min, p.wage_max, coalesce(c.name, '') || coalesce(k.name, '') AS place
        FROM posting p LEFT JOIN region c ON c.code = left(p.work_region_code, 4) LEFT JOIN region k ON k.code = left(p.work_region_code, 6)
       WHERE p.status = 'open' ORDER BY (p.food AND p.housing) DESC, p.wage_max DESC, p.id LIMIT 50`.execute(ctx.db);
    if (!postings.length) return 'no postings to push, so no SMS';
    const rng = ctx.rng;
    // Each campaign reaches this share of the region's laborers, so the messages per laborer average the article's 2.83.
    const share = Math.min(1, scale.perLaborer / scale.campaigns);
    const threshold = Math.round(share * 10_000);
    const signature = ctx.config.sms.signature;

    return ctx.db.transaction().execute(async (tx) => {
      // About 1.5 % of numbers answered TD at some point: they are opted out, and skipped from then on.
      await sql`INSERT INTO sms_opt_out (phone_index, phone_masked, source, at)
        SELECT DISTINCT ON (phone_index) phone_index, phone_masked, 'reply', ${`${DAYS[0]}T20:00:00+08:00`}::timestamptz FROM laborer
         WHERE (${inArea('home_village_code')}) AND deleted_at IS NULL AND phone_index IS NOT NULL
           AND abs(hashint8(id + ${ctx.seed}::bigint)) % 1000 < 15
        ON CONFLICT (phone_index) DO NOTHING`.execute(tx);
      let messages = 0;
      for (let k = 0; k < scale.campaigns; k++) {
        const id = scale.base + k + 1;
        const day = DAYS[k % DAYS.length]!;
        const p = postings[rng.int(0, postings.length - 1)]!;
        const wage = p.wage_min === p.wage_max ? `${p.wage_min}元` : `${p.wage_min}-${p.wage_max}元`;
        const template = `{姓名}您好，${p.title}招工，月薪{月薪1}，工作地点{地点1}。回复TD退订`;
        await sql`INSERT INTO sms_campaign (id, name, region_code, filters, signature, template, status, created_by, created_at, submitted_by, submitted_at,
            decided_by, decided_at, finished_at, updated_at)
          VALUES (${id}, ${NAMES[k % NAMES.length]}, ${scale.region}, ${JSON.stringify({ region: scale.region, employmentStatus: 'unemployed' })}::jsonb, ${signature}, ${template}, 'done',
            ${by(scale.submitter)}, ${`${day}T09:00:00+08:00`}, ${by(scale.submitter)}, ${`${day}T09:30:00+08:00`}, ${by(scale.approver)}, ${`${day}T10:00:00+08:00`},
            ${`${day}T16:00:00+08:00`}, ${`${day}T16:00:00+08:00`})`.execute(tx);
        const prefix = withSignature(signature, '');
        const { numAffectedRows } = await sql`
          INSERT INTO sms_message (id, campaign_id, laborer_id, village_code, phone_index, phone_cipher, phone_masked, body, segments, posting_ids,
                                   status, reason, gateway_id, claimed_at, valid_until, sent_at, done_at)
          SELECT ${id}::bigint * 10000000 + row_number() OVER (ORDER BY l.id), ${id}, l.id, l.home_village_code,
                 l.phone_index, l.phone_cipher, l.phone_masked, m.body, CASE WHEN m.body = '' THEN 0 WHEN length(m.body) <= 70 THEN 1 ELSE ceil(length(m.body) / 67.0)::int END,
                 ARRAY[${p.id}::bigint], m.status, m.reason,
                 CASE WHEN m.status <> 'skipped' THEN upper(to_hex(${id}::bigint * 10000000 + l.id)) END,
                 CASE WHEN m.status <> 'skipped' THEN m.sent END, CASE WHEN m.status <> 'skipped' THEN m.sent + interval '1 hour' END,
                 CASE WHEN m.status <> 'skipped' THEN m.sent END, m.sent + interval '20 seconds'
            FROM laborer l
            LEFT JOIN sms_opt_out o ON o.phone_index = l.phone_index
            CROSS JOIN LATERAL (SELECT abs(hashint8(l.id * 31 + ${id + ctx.seed}::bigint)) % 1000 AS h) x
            CROSS JOIN LATERAL (SELECT
                CASE WHEN l.phone_index IS NULL OR o.phone_index IS NOT NULL THEN '' ELSE ${prefix} || l.name || ${`您好，${p.title}招工，月薪${wage}，工作地点${p.place}。回复TD退订`} END AS body,
                CASE WHEN l.phone_index IS NULL OR o.phone_index IS NOT NULL THEN 'skipped' WHEN x.h < 30 THEN 'failed' WHEN x.h < 40 THEN 'failed' ELSE 'delivered' END AS status,
                CASE WHEN l.phone_index IS NULL THEN 'no_phone' WHEN o.phone_index IS NOT NULL THEN 'opted_out' WHEN x.h < 30 THEN 'undeliverable' WHEN x.h < 40 THEN 'expired' END AS reason,
                ${`${day}T10:05:00+08:00`}::timestamptz + make_interval(secs => (x.h * 37) % 18000) AS sent) m
           WHERE (${inArea('l.home_village_code')}) AND l.deleted_at IS NULL
             AND abs(hashint8(l.id + ${id}::bigint)) % 10000 < ${threshold}`.execute(tx);
        messages += Number(numAffectedRows ?? 0);
        await sql`UPDATE sms_campaign c SET recipients = s.n, segments = s.seg FROM (
            SELECT count(*) FILTER (WHERE status <> 'skipped')::int AS n, coalesce(sum(segments), 0) AS seg FROM sms_message WHERE campaign_id = ${id}) s
          WHERE c.id = ${id}`.execute(tx);
        ctx.progress('campaigns', k + 1, scale.campaigns);
      }
      const { rows: reached } = await sql<{
        n: string;
      }>`SELECT count(DISTINCT laborer_id) AS n FROM sms_message WHERE campaign_id >= ${scale.base} AND campaign_id < ${scale.base + 100_000_000}`.execute(
        tx,
      );
      const city = ctx.preset === 'province' ? '邵阳市' : '新邵县';
      const area =
        counties.length < byCounty.length
          ? ` (${counties.map((c) => c.name).join('、')}: ${covered.toLocaleString('en')} of its ${laborers.toLocaleString('en')} laborers)`
          : '';
      return (
        `${scale.campaigns} campaigns in ${city}${area}, ${messages.toLocaleString('en')} messages to ${Number(reached[0]!.n).toLocaleString('en')} laborers ` +
        `(${(messages / Math.max(1, Number(reached[0]!.n))).toFixed(2)} each: the article's 1.7 M messages to 600,000 laborers in one city, at its rate per laborer, scaled to the preset)`
      );
    });
  },
};
