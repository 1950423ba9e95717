import { sql } from 'kysely';
import { chinaToday, addDays } from '../platform/time.ts';
import type { GeneratorStep } from './step.ts';
import type { Rng } from './random.ts';
import { withinRegion } from '../platform/access.ts';

/**
 * Liaison offices (驻外劳务对接服务中心): 花垣县's laborers at work in 深圳 and the problems its office
 * there recorded ("核实已就业人员基础信息，解决已就业人员工作、生活中的实际困难" — the second article).
 *
 * Employment rows: other steps (referrals, fairs) may open employments; when no 花垣县 laborer has an
 * open one in 深圳 yet, a few are opened on 深圳 postings (channel 'assisted'), each taking one of
 * the posting's openings. Only cards already marked employed in the ledger (and willing to work
 * out of the province) are chosen, and only those without an open employment, so the registry's
 * ledger needs no new version and the one-open-employment rule holds.
 *
 * Cases: for every liaison office account whose office (home county, host city) has workers and no
 * cases yet, about one worker in four gets a case, most of them closed with the help given.
 * Deterministic for the seed (given the same database), idempotent: a second run adds nothing.
 */
const HOME_COUNTY = '433124'; // 花垣县
const HOST_CITY = '4403'; // 深圳市
const FIRST_START = '2024-01-01';

const CASES: Record<string, { weight: number; descriptions: string[]; help: string[] }> = {
  wage_arrears: {
    weight: 3,
    descriptions: ['工厂拖欠两个月工资未发', '加班费未按规定计发', '离职后最后一个月工资迟迟未结清'],
    help: ['联系当地劳动保障监察大队，工资已全部追回', '与企业人事部门协商，约定月底前补发，已到账', '协助申请劳动仲裁，已调解结案'],
  },
  labor_dispute: {
    weight: 2,
    descriptions: ['企业未签订书面劳动合同', '调岗后工资降低，双方有争议', '试用期被辞退，未给说法'],
    help: ['陪同与企业协商，已补签劳动合同', '联系街道劳动争议调解中心调解，达成一致', '讲解劳动合同法相关规定，企业已改正'],
  },
  work_injury: {
    weight: 1,
    descriptions: ['车间作业时手部受伤', '上班途中发生交通事故受伤'],
    help: ['协助企业申报工伤认定，医疗费用已由工伤保险支付', '到医院看望，协调企业垫付医疗费并申报工伤'],
  },
  hardship: {
    weight: 2,
    descriptions: ['子女随迁就读需要协调学位', '家中老人生病，经济困难', '租房困难，希望安排集体宿舍'],
    help: ['联系当地教育部门，子女已入学', '协助申请县里临时救助，已发放', '与企业协调，已安排入住员工宿舍'],
  },
  return_home: {
    weight: 1,
    descriptions: ['春节后想回县里就近就业', '家中需要照顾，打算返乡'],
    help: ['联系县人社局，推荐到县内扶贫车间就业', '办理离职手续并协助返乡，已告知县里就业帮扶政策'],
  },
  other: { weight: 1, descriptions: ['咨询社保关系转移接续'], help: ['讲解社保转移接续办理流程，已协助在网上申请'] },
};

/** k distinct items of a list, chosen by the generator (partial Fisher–Yates). */
function sample<T>(rng: Rng, items: readonly T[], k: number): T[] {
  const copy = [...items];
  const n = Math.min(k, copy.length);
  for (let i = 0; i < n; i++) {
    const j = rng.int(i, copy.length - 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

export const liaisonStep: GeneratorStep = {
  name: 'liaison',
  description: '驻外劳务对接服务中心：花垣县在深圳务工人员的就业记录及问题与帮扶记录',
  async run(ctx) {
    const today = chinaToday();
    const target = ctx.preset === 'demo' ? 40 : 120;
    let opened = 0;
    let cases = 0;

    await ctx.db.transaction().execute(async (tx) => {
      const { rows: existing } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM employment e JOIN laborer l ON l.id = e.laborer_id
        WHERE e.ended_on IS NULL AND ${withinRegion('e.work_region_code', HOST_CITY)} AND ${withinRegion('l.home_village_code', HOME_COUNTY)}`.execute(
        tx,
      );
      if (existing[0]!.n > 0) return;
      const { rows: laborers } = await sql<{ id: string }>`SELECT l.id FROM laborer l
        WHERE ${withinRegion('l.home_village_code', HOME_COUNTY)} AND l.deleted_at IS NULL AND l.employment_status = 'employed'
          AND l.willingness = 'out_of_province' AND NOT EXISTS (SELECT 1 FROM employment e WHERE e.laborer_id = l.id AND e.ended_on IS NULL)
        ORDER BY l.id LIMIT 2000`.execute(tx);
      const { rows: postings } = await sql<{
        id: string;
        employer_id: string;
        occupation_code: string;
        work_region_code: string;
        wage_min: number;
        wage_max: number;
      }>`
        SELECT id, employer_id, occupation_code, work_region_code, wage_min, wage_max FROM posting
        WHERE ${withinRegion('work_region_code', HOST_CITY)} AND status = 'open' AND filled < headcount ORDER BY id LIMIT 2000`.execute(tx);
      const chosen = sample(ctx.rng, laborers, Math.min(target, postings.length));
      const places = sample(ctx.rng, postings, chosen.length);
      if (chosen.length === 0) return;
      const cols = {
        laborer: [] as string[],
        employer: [] as string[],
        posting: [] as string[],
        region: [] as string[],
        occupation: [] as string[],
        started: [] as string[],
        wage: [] as number[],
      };
      chosen.forEach((l, i) => {
        const p = places[i]!;
        const started = addDays(FIRST_START, ctx.rng.int(0, 700));
        cols.laborer.push(l.id);
        cols.employer.push(p.employer_id);
        cols.posting.push(p.id);
        cols.region.push(p.work_region_code);
        cols.occupation.push(p.occupation_code);
        cols.started.push(started > today ? today : started);
        cols.wage.push(p.wage_min + Math.floor(ctx.rng.int(0, Math.max(0, p.wage_max - p.wage_min)) / 100) * 100);
      });
      const inserted = await sql<{
        posting_id: string;
      }>`INSERT INTO employment (laborer_id, employer_id, posting_id, work_region_code, occupation_code,
          started_on, monthly_wage, social_insurance, channel)
        SELECT laborer, employer, posting, region, occupation, started, wage, true, 'assisted'
        FROM unnest(${cols.laborer}::bigint[], ${cols.employer}::bigint[], ${cols.posting}::bigint[], ${cols.region}::text[], ${cols.occupation}::text[],
          ${cols.started}::date[], ${cols.wage}::int[]) AS x(laborer, employer, posting, region, occupation, started, wage)
        ON CONFLICT (laborer_id) WHERE ended_on IS NULL DO NOTHING RETURNING posting_id`.execute(tx);
      opened = inserted.rows.length;
      // Each hire takes one of its posting's openings (as a referral's hire does); updated_at tells the market.
      await sql`UPDATE posting SET filled = filled + 1, updated_at = now()
        WHERE id = ANY(${inserted.rows.map((r) => r.posting_id)}::bigint[]) AND filled < headcount`.execute(tx);
    });

    const { rows: offices } = await sql<{
      id: string;
      region_code: string;
      host_region_code: string;
    }>`SELECT id, region_code, host_region_code
      FROM account WHERE role = 'liaison_office' ORDER BY id`.execute(ctx.db);
    const seen = new Set<string>();
    const kinds = Object.entries(CASES).map(([kind, c]) => [kind, c.weight] as const);
    for (const office of offices) {
      const pair = `${office.region_code}/${office.host_region_code}`;
      if (seen.has(pair)) continue; // one office, several accounts: the first records its cases
      seen.add(pair);
      await ctx.db.transaction().execute(async (tx) => {
        const { rows: any } = await sql`SELECT 1 FROM liaison_case WHERE home_region_code = ${office.region_code}
          AND host_region_code = ${office.host_region_code} LIMIT 1`.execute(tx);
        if (any.length) return;
        const { rows: workers } = await sql<{
          laborer_id: string;
          employment_id: string;
          started_on: string;
        }>`SELECT e.laborer_id, e.id AS employment_id,
            e.started_on::text AS started_on FROM employment e JOIN laborer l ON l.id = e.laborer_id
          WHERE e.ended_on IS NULL AND l.deleted_at IS NULL AND ${withinRegion('e.work_region_code', office.host_region_code)}
            AND ${withinRegion('l.home_village_code', office.region_code)} ORDER BY e.laborer_id LIMIT 5000`.execute(tx);
        const rng = ctx.rng.fork(pair);
        const picked = sample(rng, workers, Math.max(Math.min(3, workers.length), Math.round(workers.length / 4)));
        const c = {
          laborer: [] as string[],
          employment: [] as string[],
          reported: [] as string[],
          kind: [] as string[],
          description: [] as string[],
          help: [] as (string | null)[],
          status: [] as string[],
          closed: [] as (string | null)[],
        };
        for (const w of picked) {
          const kind = rng.weighted(kinds);
          const spec = CASES[kind]!;
          const span = Math.max(0, Math.round((Date.parse(today) - Date.parse(w.started_on)) / 86_400_000));
          const reported = addDays(w.started_on, rng.int(Math.min(20, span), span));
          const closedOn = addDays(reported, rng.int(1, 30));
          const closed = rng.next() < 0.65 && closedOn <= today;
          c.laborer.push(w.laborer_id);
          c.employment.push(w.employment_id);
          c.reported.push(reported);
          c.kind.push(kind);
          c.description.push(rng.pick(spec.descriptions));
          c.help.push(closed ? rng.pick(spec.help) : rng.next() < 0.5 ? '已登记，正在与企业联系' : null);
          c.status.push(closed ? 'closed' : 'open');
          c.closed.push(closed ? closedOn : null);
        }
        if (!picked.length) return;
        const result = await sql`INSERT INTO liaison_case (laborer_id, office_account_id, home_region_code, host_region_code, employment_id,
            reported_on, kind, description, help_given, status, closed_on, updated_by)
          SELECT laborer, ${office.id}, ${office.region_code}, ${office.host_region_code}, employment, reported, kind, description, help, status, closed, ${office.id}
          FROM unnest(${c.laborer}::bigint[], ${c.employment}::bigint[], ${c.reported}::date[], ${c.kind}::text[], ${c.description}::text[],
            ${c.help}::text[], ${c.status}::text[], ${c.closed}::date[]) AS x(laborer, employment, reported, kind, description, help, status, closed)`.execute(
          tx,
        );
        cases += Number(result.numAffectedRows ?? 0);
      });
    }
    ctx.progress('驻外服务', 1, 1);
    return (
      `${opened} employments of 花垣县 laborers in 深圳 opened; ${cases} liaison cases added` +
      (offices.length ? '' : ' (no liaison office account yet: cases skipped)')
    );
  },
};
