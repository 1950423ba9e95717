import { sql } from 'kysely';
import { hashPassword } from '../modules/accounts/index.ts';
import { chinaDay, chinaDayStart } from '../platform/time.ts';
import { DEMO_PASSWORD } from './demo-accounts.ts';
import type { GeneratorStep } from './step.ts';
import { GENERATION_NOW } from './constants.ts';
import { DEMO_COUNTIES, PROVINCE } from './places.ts';
import type { Rng } from './random.ts';
import { creditJobs } from './credit-jobs.ts';

/**
 * 农村劳务经纪人 at the first article's shape: "全市已建立了一支3285人的农村劳务经纪人队伍，经劳务经纪人
 * 推荐或带动就业人数达到32000人以上" — 3,285 broker accounts over the province preset's townships, each
 * contracted (by the township, 协议管理) for a few villages of its township, and about 32,000 referrals
 * credited to them (channel 'broker'), of which a share ended in hires: jobs of the generated
 * employment histories that began while the contract ran (some since ended, so the 3- and 6-month
 * columns differ). The demo: a few dozen brokers in the
 * three demo counties, and longxipu_broker's contract for 大竹村 and a neighbouring village.
 * Ids come from a fixed block per preset (explicit ids, OVERRIDING SYSTEM VALUE), everything after
 * the accounts is one transaction: a re-run adds nothing twice, an interrupted one starts over.
 */
const SCALE = {
  // Drawn per contract; draws that hit a laborer already referred, or a contract ended before it
  // began, are dropped (~5 %), so the draw aims a little above the article's 32,000.
  demo: { brokers: 36, referrals: 380, areas: [...DEMO_COUNTIES] as string[], base: 100_000_000 },
  province: { brokers: 3_285, referrals: 33_600, areas: [PROVINCE], base: 200_000_000 },
};
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜谭陆汪范石廖贾夏邹孟熊秦邱江尹雷侯龙贺毛龚邵'.split(
    '',
  );
const GIVEN = '建明|健明|志强|国平|春生|海军|德华|秀英|桂兰|红梅|建国|玉华|永红|小军|满堂|长青|运来|庆丰|冬梅|新民'.split('|');
const DAY = 86_400_000;
const dayMs = (iso: string) => chinaDayStart(iso).getTime();

interface Contract {
  id: number;
  broker_id: string;
  village_codes: string[];
  township_code: string;
  county_code: string;
  valid_from: string;
  valid_to: string;
  ended_on: string | null;
  end_reason: string | null;
  note: string;
}

export const brokersStep: GeneratorStep = {
  name: 'brokers',
  description: '农村劳务经纪人（就业红娘）：账号、协议村与协议期、经纪人推荐及录用',
  async run(ctx) {
    const scale = SCALE[ctx.preset];
    const { rows: already } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM broker_contract WHERE id >= ${scale.base} AND id < ${scale.base + 100_000_000}`.execute(ctx.db);
    if (Number(already[0]!.n) > 0) return `brokers already generated (${already[0]!.n} contracts)`;
    const rng = ctx.rng;

    // Villages by township, in code order (deterministic), over the preset's areas.
    const { rows: villageRows } = await sql<{ code: string }>`SELECT code FROM region WHERE level = 5
      AND (${sql.join(
        scale.areas.map((a) => sql`starts_with(code, ${a})`),
        sql` OR `,
      )}) ORDER BY code`.execute(ctx.db);
    const byTownship = new Map<string, string[]>();
    for (const { code } of villageRows) {
      const list = byTownship.get(code.slice(0, 9)) ?? [];
      list.push(code);
      byTownship.set(code.slice(0, 9), list);
    }
    const townships = [...byTownship.keys()];
    shuffle(rng, townships);
    const { rows: names } = await sql<{
      code: string;
      name: string;
    }>`SELECT code, name FROM region WHERE code = ANY(${townships}::text[])`.execute(ctx.db);
    const townshipName = new Map(names.map((r) => [r.code, r.name]));

    // Broker accounts, round-robin over the shuffled townships; one shared hash (as accounts.step does).
    const hash = await hashPassword(DEMO_PASSWORD);
    const perTownship = new Map<string, number>();
    const accounts = Array.from({ length: scale.brokers }, (_, i) => {
      const township = townships[i % townships.length]!;
      const k = (perTownship.get(township) ?? 0) + 1;
      perTownship.set(township, k);
      const person = rng.pick(SURNAMES) + rng.pick(GIVEN);
      return {
        username: `br_${township}_${k}`,
        display_name: `${person}（${townshipName.get(township) ?? township}劳务经纪人）`.slice(0, 50),
        role: 'broker',
        region_code: township,
        password_hash: hash,
      };
    });
    for (let i = 0; i < accounts.length; i += 2000) {
      await sql`INSERT INTO account (username, display_name, role, region_code, password_hash)
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(accounts.slice(i, i + 2000))}::jsonb)
          AS r(username text, display_name text, role account_role, region_code text, password_hash text)
        ON CONFLICT (lower(username)) DO NOTHING`.execute(ctx.db);
    }
    const idOf = new Map<string, string>();
    const { rows: ids } = await sql<{ id: string; username: string }>`SELECT id, username FROM account
      WHERE username = ANY(${[...accounts.map((a) => a.username), 'longxipu_broker', ...townships.map((t) => `op_${t}`)]}::text[])`.execute(
      ctx.db,
    );
    for (const r of ids) idOf.set(r.username, String(r.id));
    ctx.progress('经纪人账号', accounts.length, accounts.length);

    // Contracts: 2–4 villages of the broker's township, three-year periods, some ended early.
    const contracts: Contract[] = [];
    let contractId = scale.base;
    for (const a of accounts) {
      const villages = byTownship.get(a.region_code)!;
      const picked = sample(rng, villages, Math.min(villages.length, rng.int(2, 4)));
      const start = rng.next() < 0.5 ? '2024-01-01' : '2025-01-01';
      const validTo = `${Number(start.slice(0, 4)) + 2}-12-31`;
      const ended = rng.next() < 0.08 ? chinaDay(dayMs('2025-06-01') + rng.int(0, 480) * DAY) : null;
      contracts.push({
        id: contractId++,
        broker_id: idOf.get(a.username)!,
        village_codes: picked.sort(),
        township_code: a.region_code,
        county_code: a.region_code.slice(0, 6),
        valid_from: start,
        valid_to: validTo,
        ended_on: ended,
        end_reason: ended ? rng.pick(['经纪人外出务工', '考核不合格', '本人申请解除']) : null,
        note: '乡镇人民政府购买服务，劳动保障服务站协议管理',
      });
    }
    if (ctx.preset === 'demo' && idOf.has('longxipu_broker')) {
      const longxipu = byTownship.get('430522107') ?? [];
      const neighbour = longxipu.find((v) => v !== '430522107212');
      contracts.push({
        id: contractId++,
        broker_id: idOf.get('longxipu_broker')!,
        village_codes: ['430522107212', ...(neighbour ? [neighbour] : [])].sort(),
        township_code: '430522107',
        county_code: '430522',
        valid_from: '2024-01-01',
        valid_to: '2027-12-31',
        ended_on: null,
        end_reason: null,
        note: '龙溪铺镇人民政府购买服务，劳动保障服务站协议管理（演示）',
      });
    }

    // Laborers of the contracted villages (the village index) and the open postings to refer them to.
    const allVillages = [...new Set(contracts.flatMap((c) => c.village_codes))];
    const { rows: seekers } = await sql<{
      v: string;
      ids: string[];
    }>`SELECT home_village_code AS v, array_agg(id ORDER BY id) AS ids FROM laborer
      WHERE home_village_code = ANY(${allVillages}::text[]) AND deleted_at IS NULL AND labor_capacity IN ('full', 'partial') GROUP BY 1`.execute(
      ctx.db,
    );
    const laborersOf = new Map(seekers.map((r) => [r.v, r.ids.map(String)]));
    // Hires are never invented: a hire credits a job the employment histories (laborers step) already
    // hold — one that began while the contract ran, not yet credited to anyone — and the referral is
    // dated a few days before it began. The job then names the posting's employer and place.
    const { rows: jobs } = await sql<{
      id: string;
      laborer_id: string;
      v: string;
      started_on: string;
    }>`SELECT e.id, e.laborer_id, l.home_village_code AS v,
        e.started_on::text AS started_on FROM employment e JOIN laborer l ON l.id = e.laborer_id
      WHERE l.home_village_code = ANY(${allVillages}::text[]) AND e.referral_id IS NULL AND e.started_on >= '2024-01-01'
        AND e.channel IN ('self_found', 'assisted') ORDER BY e.id`.execute(ctx.db);
    const jobsOf = new Map<string, { id: string; laborer: string; start: number }[]>();
    for (const j of jobs) {
      const list = jobsOf.get(j.v) ?? [];
      list.push({ id: String(j.id), laborer: String(j.laborer_id), start: dayMs(j.started_on) });
      jobsOf.set(j.v, list);
    }
    const { rows: postings } = await sql<{
      id: string;
      employer_id: string;
      work_region_code: string;
      occupation_code: string | null;
      wage_min: number;
    }>`
      SELECT id, employer_id, work_region_code, occupation_code, wage_min FROM posting WHERE status = 'open' ORDER BY id`.execute(ctx.db);
    if (postings.length === 0) return `${accounts.length} broker accounts; no open postings, so no contracts or referrals`;

    const used = new Set<string>();
    const referrals: object[] = [];
    const steps: object[] = [];
    const adopted: {
      id: string;
      employer: string;
      posting: string;
      referral: number;
      region: string;
      occupation: string | null;
      broker: string;
    }[] = [];
    let referralId = scale.base;
    let stepId = scale.base;
    const perBroker = scale.referrals / contracts.length;
    const at = (ms: number) => new Date(ms).toISOString();
    for (const c of contracts) {
      const pool = c.village_codes.flatMap((v) => laborersOf.get(v) ?? []);
      const n = Math.round(perBroker * (0.3 + rng.next() * 1.4));
      const from = dayMs(c.valid_from);
      const to = Math.min(dayMs(c.ended_on ?? '2999-12-31') - DAY, dayMs(c.valid_to), GENERATION_NOW - 3 * DAY);
      if (to <= from) continue;
      const staff = idOf.get(`op_${c.township_code}`) ?? c.broker_id;
      const startsInContract = c.village_codes
        .flatMap((v) => jobsOf.get(v) ?? [])
        .filter((j) => j.start >= from + 5 * DAY && j.start <= to);
      for (let k = 0; k < n && pool.length; k++) {
        const x = rng.next();
        let created = from + Math.floor(rng.next() * (to - from)) + rng.int(8, 18) * 3_600_000;
        const recent = GENERATION_NOW - created < 30 * DAY;
        let status = recent
          ? x < 0.6
            ? 'recommended'
            : 'interviewed'
          : x < 0.45
            ? 'hired'
            : x < 0.75
              ? 'not_hired'
              : x < 0.82
                ? 'withdrawn'
                : 'interviewed';
        let laborer = pool[rng.int(0, pool.length - 1)]!;
        let job: (typeof startsInContract)[number] | undefined;
        if (status === 'hired') {
          // A job of the contract's villages that began during the contract, its laborer not referred yet.
          while (startsInContract.length && !job) {
            const candidate = startsInContract.splice(rng.int(0, startsInContract.length - 1), 1)[0]!;
            if (!used.has(candidate.laborer)) job = candidate;
          }
          if (job) {
            laborer = job.laborer;
            created = Math.max(from, job.start - rng.int(4, 20) * DAY) + rng.int(8, 18) * 3_600_000;
          } else status = 'not_hired';
        }
        if (used.has(laborer)) continue;
        used.add(laborer);
        const posting = postings[rng.int(0, postings.length - 1)]!;
        const id = referralId++;
        let updated = created;
        steps.push({ id: stepId++, referral_id: id, status: 'recommended', at: at(created), by_account: c.broker_id });
        if (status !== 'recommended' && status !== 'withdrawn') {
          updated = job ? created + Math.max(1, Math.floor((job.start - created) / DAY / 2)) * DAY : created + rng.int(2, 6) * DAY;
          steps.push({ id: stepId++, referral_id: id, status: 'interviewed', at: at(updated), by_account: staff });
        }
        if (status === 'hired' || status === 'not_hired' || status === 'withdrawn') {
          updated = job ? Math.max(updated + 3_600_000, job.start - DAY + 10 * 3_600_000) : updated + rng.int(1, 10) * DAY;
          steps.push({ id: stepId++, referral_id: id, status, at: at(updated), by_account: status === 'withdrawn' ? c.broker_id : staff });
        }
        if (job) {
          adopted.push({
            id: job.id,
            employer: posting.employer_id,
            posting: posting.id,
            referral: id,
            region: posting.work_region_code,
            occupation: posting.occupation_code,
            broker: c.broker_id,
          });
        }
        referrals.push({
          id,
          laborer_id: laborer,
          posting_id: posting.id,
          status,
          created_by: c.broker_id,
          created_at: at(created),
          updated_by: status === 'recommended' ? c.broker_id : staff,
          updated_at: at(updated),
        });
      }
    }

    await ctx.db.transaction().execute(async (tx) => {
      await chunks(contracts, 2000, (batch) =>
        sql`INSERT INTO broker_contract (id, broker_id, village_codes, township_code, county_code, valid_from, valid_to, ended_on, end_reason, note)
        SELECT id, broker_id, village_codes, township_code, county_code, valid_from, valid_to, ended_on, end_reason, note
        FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS r(id bigint, broker_id bigint, village_codes text[], township_code text, county_code text,
          valid_from date, valid_to date, ended_on date, end_reason text, note text)`.execute(tx),
      );
      ctx.progress('经纪人协议', contracts.length, contracts.length);
      await chunks(referrals, 5000, (batch) =>
        sql`INSERT INTO referral (id, laborer_id, posting_id, channel, status, created_by, created_at, updated_by, updated_at)
        OVERRIDING SYSTEM VALUE
        SELECT id, laborer_id, posting_id, 'broker', status, created_by, created_at, updated_by, updated_at
        FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS r(id bigint, laborer_id bigint, posting_id bigint, status text, created_by bigint,
          created_at timestamptz, updated_by bigint, updated_at timestamptz)`.execute(tx),
      );
      await chunks(steps, 10000, (batch) =>
        sql`INSERT INTO referral_step (id, referral_id, status, at, by_account) OVERRIDING SYSTEM VALUE
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS r(id bigint, referral_id bigint, status text, at timestamptz, by_account bigint)`.execute(
          tx,
        ),
      );
      ctx.progress('经纪人推荐', referrals.length, referrals.length);
      // The credited jobs: through assistance (就业帮扶) at the posting's employer and place; the broker follows them up.
      await creditJobs(tx, adopted);
      ctx.progress('录用', adopted.length, adopted.length);
    });
    return `${accounts.length} broker accounts, ${contracts.length} contracts, ${referrals.length} broker referrals, ${adopted.length} hires`;
  },
};

async function chunks<T>(rows: T[], size: number, insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

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
