import { sql } from 'kysely';
import { jobTypeToOccupation } from '../../../contracts/occupations.ts';
import { creditCodeCheckChar } from '../modules/employers/index.ts';
import { isOpenOn } from '../modules/postings/index.ts';
import { chinaDay } from '../platform/time.ts';
import type { GeneratorContext, GeneratorStep } from './step.ts';
import { GENERATION_NOW } from './constants.ts';
import { Rng } from './random.ts';
import { ABROAD_PLACES } from './employment.model.ts';
import { ABROAD_AGE } from '../../../contracts/postings.ts';

/**
 * Employers and job postings at the articles' scale (精准对接's supply side):
 * the 110 designated receiving enterprises (定点接收单位) in the coastal cities, 长沙, 浙江 and 济南;
 * national employment-poverty-alleviation bases; poverty-alleviation workshops — 814 in 邵阳 with
 * 5,277 posts (the first article), more in 湘西 and the other home counties — and ordinary
 * employers; then at least 30,000 open postings over 广东 (深圳, 广州, 东莞, 佛山), 长沙, 浙江, 济南
 * and the home counties, plus closed and expired ones, as a real job board has.
 * Ids come from a fixed block per preset (re-runs insert nothing twice).
 */
interface Scale {
  designated: number;
  bases: number;
  /** Workshops per city (city code → count). */
  workshops: [string, number][];
  ordinary: number;
  /** Open postings to reach, and the share of extra closed or expired ones. */
  openPostings: number;
  /** Employers licensed for overseas labour cooperation, each posting jobs abroad. */
  agencies: number;
}

const PROVINCE_SCALE: Scale = {
  designated: 110,
  bases: 60,
  workshops: [
    ['4305', 814],
    ['4331', 420],
    ['4313', 160],
    ['4307', 140],
    ['4312', 120],
  ],
  ordinary: 1500,
  openPostings: 31_000,
  agencies: 12,
};
const DEMO_SCALE: Scale = {
  designated: 20,
  bases: 8,
  workshops: [
    ['430522', 60],
    ['433124', 40],
    ['433126', 25],
  ],
  ordinary: 120,
  openPostings: 3_000,
  agencies: 3,
};

/** Where designated enterprises and ordinary employers are: city code, weight. */
const HOST_CITIES: [string, number][] = [
  ['4403', 26],
  ['4401', 14],
  ['4419', 16],
  ['4406', 10], // 深圳 广州 东莞 佛山
  ['4301', 14], // 长沙
  ['3301', 5],
  ['3302', 5],
  ['3303', 3],
  ['3307', 3], // 杭州 宁波 温州 金华
  ['3701', 6], // 济南
];

/** Occupations these laborers take, by the words cadres use, weighted by what hosts post. */
export const FACTORY_JOBS: [string, number][] = [
  ['普工', 18],
  ['电子装配工', 16],
  ['缝纫工', 10],
  ['包装工', 6],
  ['质检员', 4],
  ['焊工', 4],
  ['叉车工', 2],
  ['电工', 2],
  ['仓管', 3],
];
export const SERVICE_JOBS: [string, number][] = [
  ['保洁员', 6],
  ['保安员', 6],
  ['家政服务员', 4],
  ['快递员', 5],
  ['餐厅服务员', 5],
  ['厨师', 3],
  ['养老护理员', 3],
  ['收银员', 2],
  ['装卸工', 3],
];
export const CONSTRUCTION_JOBS: [string, number][] = [
  ['泥工', 3],
  ['钢筋工', 2],
  ['木工', 2],
  ['油漆工', 1],
];
const WORKSHOP_PRODUCTS = ['箱包', '服装', '电子', '鞋业', '玩具', '竹木制品', '手工艺品', '假发', '农产品加工'];
const BRANDS = '华越鑫达恒信博远永盛宏图康达金辉瑞丰锦程天成德润宝利嘉禾汇通中联远航新程立信凯达正邦'.match(/.{2}/gu)!;
const SUFFIX: [string, string][] = [
  ['电子有限公司', '39'],
  ['科技有限公司', '39'],
  ['制衣有限公司', '18'],
  ['物业服务有限公司', '70'],
  ['物流有限公司', '59'],
  ['建设工程有限公司', '47'],
  ['餐饮管理有限公司', '62'],
  ['家政服务有限公司', '80'],
  ['鞋业有限公司', '19'],
  ['实业有限公司', '41'],
];
const SKILL_OF: Record<string, string> = {
  缝纫工: '缝纫',
  焊工: '电焊',
  电工: '电工',
  厨师: '烹饪',
  泥工: '砌筑',
  木工: '木工',
  钢筋工: '钢筋',
  油漆工: '油漆',
  电子装配工: '电子装配',
};
const CERT_OF: Record<string, string> = { 焊工: '焊工证', 电工: '电工证', 叉车工: '叉车证', 养老护理员: '养老护理员' };

const DAY = 86_400_000;

export const postingsStep: GeneratorStep = {
  name: 'postings',
  description: '用人单位（定点接收单位、就业扶贫基地、扶贫车间）与岗位供给清单',
  async run(ctx) {
    const scale = ctx.preset === 'demo' ? DEMO_SCALE : PROVINCE_SCALE;
    const base = ctx.preset === 'demo' ? 100_000_000 : 200_000_000;
    const { rows: already } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM posting WHERE id >= ${base} AND id < ${base + 100_000_000}`.execute(ctx.db);
    if (Number(already[0]!.n) > 0) return `postings already generated (${already[0]!.n})`;
    const rng = ctx.rng;

    const places = await placesOf(ctx, [...HOST_CITIES.map(([c]) => c), ...scale.workshops.map(([c]) => c), '43']);
    const hostCity = () => rng.weighted(HOST_CITIES);
    const employers: EmployerRow[] = [];
    let employerId = base;
    const creditCode = (county: string) => creditCodeIn(rng, county);
    const add = (kind: EmployerRow['kind'], region: string, name: string, industry: string, relocation: string | null = null) =>
      employers.push({
        id: employerId++,
        credit_code: creditCode(region),
        name,
        region_code: region,
        industry,
        kind,
        relocation_site: relocation,
        designated_on: kind === 'designated' ? DESIGNATED_ON : null,
      });

    for (let i = 0; i < scale.designated; i++) {
      const city = hostCity();
      const [suffix, industry] = rng.pick(SUFFIX.slice(0, 6));
      add('designated', rng.pick(places.counties(city)), `${places.cityName(city)}${rng.pick(BRANDS)}${suffix}`, industry);
    }
    for (let i = 0; i < scale.bases; i++) {
      const inHunan = rng.next() < 0.5;
      const city = inHunan ? rng.pick(places.hunanCities()) : hostCity();
      const [suffix, industry] = rng.pick(SUFFIX);
      add('base', rng.pick(places.counties(city)), `${places.cityName(city)}${rng.pick(BRANDS)}${suffix}（就业扶贫基地）`, industry);
    }
    for (const [area, count] of scale.workshops) {
      await places.loadVillages(area);
      const villages = places.villages(area);
      for (let i = 0; i < count; i++) {
        const village = rng.pick(villages);
        const product = rng.pick(WORKSHOP_PRODUCTS);
        const relocated = rng.next() < 0.2;
        add(
          'workshop',
          village.code,
          `${village.name}${product}扶贫车间`,
          product === '服装' ? '18' : product === '电子' ? '39' : product === '鞋业' || product === '箱包' ? '19' : '24',
          relocated ? `${village.name}易地扶贫搬迁安置点` : null,
        );
      }
    }
    for (let i = 0; i < scale.ordinary; i++) {
      const city = rng.next() < 0.8 ? hostCity() : rng.pick(places.hunanCities());
      const [suffix, industry] = rng.pick(SUFFIX);
      add('ordinary', rng.pick(places.counties(city)), `${places.cityName(city)}${rng.pick(BRANDS)}${rng.pick(BRANDS)}${suffix}`, industry);
    }
    // Names may repeat across the random draws; credit codes never do.
    await insertChunks(ctx, 'employer', employers, 2000);
    ctx.progress('用人单位', employers.length, employers.length);

    // Postings: each employer posts in proportion to its kind until the open target is met.
    const postings: PostingRow[] = [];
    let postingId = base;
    let open = 0;
    const perKind = { designated: 40, base: 14, workshop: 1, ordinary: 12 };
    const now = GENERATION_NOW;
    while (open < scale.openPostings) {
      for (const e of employers) {
        const n = Math.max(1, Math.round(perKind[e.kind] * (0.4 + rng.next() * 1.2)));
        for (let k = 0; k < n && open < scale.openPostings; k++) {
          const p = makePosting(rng, e, postingId++, now);
          postings.push(p);
          if (isOpenOn(p, chinaDay(now))) open++;
        }
        if (open >= scale.openPostings) break;
      }
    }
    let written = 0;
    for (let i = 0; i < postings.length; i += 2000) {
      await insertChunks(ctx, 'posting', postings.slice(i, i + 2000), 2000);
      written += Math.min(2000, postings.length - i);
      ctx.progress('岗位', written, postings.length);
    }
    const abroad = await abroadAgencies(ctx, scale.agencies, employerId, postingId, places.counties('4301'));
    for (const table of ['employer', 'posting'] as const) {
      await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), GREATEST((SELECT max(id) FROM ${sql.table(table)}), 1))`.execute(
        ctx.db,
      );
      await sql`ANALYZE ${sql.table(table)}`.execute(ctx.db);
    }
    const byKind: Record<string, number> = {};
    for (const e of employers) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    const kinds = Object.entries(byKind);
    return (
      `${employers.length} employers (${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}); ${postings.length} postings, ${open} open; ` +
      `${abroad.agencies} licensed agencies with ${abroad.postings} postings abroad`
    );
  },
};

interface EmployerRow {
  id: number;
  credit_code: string;
  name: string;
  region_code: string;
  industry: string;
  kind: 'designated' | 'base' | 'workshop' | 'ordinary';
  relocation_site: string | null;
  /** The day the province designated it a receiving enterprise (migration 0044). */
  designated_on: string | null;
}

/** The designations date from the programme's start (the second article counts 从去年10月, i.e. October 2016). */
const DESIGNATED_ON = '2016-10-01';

interface PostingRow {
  id: number;
  employer_id: number;
  title: string;
  occupation_code: string;
  work_region_code: string;
  headcount: number;
  filled: number;
  wage_min: number;
  wage_max: number;
  food: boolean;
  housing: boolean;
  age_min: number;
  age_max: number;
  min_education: string | null;
  skills: string[];
  certificates: string[];
  reserved_for_poor: boolean;
  valid_from: string;
  valid_to: string;
  status: 'open' | 'closed';
}

function makePosting(rng: Rng, e: EmployerRow, id: number, now: number): PostingRow {
  const hunan = e.region_code.startsWith('43');
  const workshop = e.kind === 'workshop';
  const jobs = workshop
    ? FACTORY_JOBS.filter(([j]) => j === '缝纫工' || j === '普工' || j === '包装工' || j === '电子装配工')
    : e.industry === '47'
      ? CONSTRUCTION_JOBS
      : ['70', '59', '62', '80'].includes(e.industry)
        ? SERVICE_JOBS
        : rng.next() < 0.8
          ? FACTORY_JOBS
          : SERVICE_JOBS;
  const word = rng.weighted(jobs);
  const code = jobTypeToOccupation(word) ?? '6';
  // Wages after the articles: coastal factories 4,000–6,500, 长沙 3,500–5,000, workshops 2,000–3,500.
  const [lo, hi] = workshop ? [2000, 3500] : hunan ? [3000, 5000] : [4000, 6500];
  const wageMin = Math.round((lo + rng.next() * (hi - lo) * 0.6) / 100) * 100;
  const wageMax = wageMin + Math.round((300 + rng.next() * 1700) / 100) * 100;
  // 邵阳's 814 workshops offer 5,277 posts: about 6.5 each.
  const headcount = workshop ? rng.int(3, 10) : e.kind === 'designated' ? rng.int(5, 60) : rng.int(1, 20);
  const startDaysAgo = rng.int(0, 120);
  const validFrom = now - startDaysAgo * DAY;
  // One in eight has lapsed or was closed: the supply list shows what is open today.
  const lapsed = rng.next() < 0.08;
  const validTo = lapsed ? now - rng.int(1, 60) * DAY : now + rng.int(60, 400) * DAY;
  const closed = !lapsed && rng.next() < 0.05;
  const far = !hunan;
  return {
    id,
    employer_id: e.id,
    title: word === '普工' ? (workshop ? '车间普工' : '生产线普工') : word,
    occupation_code: code,
    work_region_code: e.region_code,
    headcount,
    filled: rng.next() < 0.3 ? rng.int(0, headcount - 1) : 0,
    wage_min: wageMin,
    wage_max: wageMax,
    food: far ? rng.next() < 0.75 : rng.next() < 0.4,
    housing: far ? rng.next() < 0.7 : rng.next() < 0.15,
    age_min: rng.next() < 0.7 ? 18 : 16,
    age_max: rng.weighted([
      [45, 4],
      [50, 3],
      [55, 3],
      [60, 1],
    ]),
    min_education: rng.weighted([
      [null, 7],
      ['80', 1],
      ['70', 2],
      ['60', 0.5],
    ]) as string | null,
    skills: SKILL_OF[word] && rng.next() < 0.5 ? [SKILL_OF[word]!] : [],
    certificates: CERT_OF[word] && rng.next() < 0.6 ? [CERT_OF[word]!] : [],
    reserved_for_poor: workshop || rng.next() < (e.kind === 'designated' ? 0.35 : 0.08),
    valid_from: chinaDay(validFrom),
    valid_to: chinaDay(Math.max(validTo, validFrom)),
    status: closed ? 'closed' : 'open',
  };
}

/**
 * 对外劳务合作 (issue 20 item 10): licensed agencies in 长沙, each with a few postings abroad (ages
 * 18–40, board and lodging, where the platform's abroad-bound laborers are sent). Drawn from an
 * RNG of their own, so the rest of the province is generated as before.
 */
async function abroadAgencies(ctx: GeneratorContext, count: number, firstEmployer: number, firstPosting: number, changsha: string[]) {
  const rng = new Rng(ctx.seed ^ 0x0ab40ad);
  const { rows } = await sql<{
    code: string;
  }>`SELECT code FROM region WHERE code = ANY(${ABROAD_PLACES.map((p) => p.code)}::text[])`.execute(ctx.db);
  const known = new Set(rows.map((r) => r.code));
  const destinations = ABROAD_PLACES.filter((p) => known.has(p.code));
  if (!destinations.length || !changsha.length) return { agencies: 0, postings: 0 };
  const agencies = [];
  const postings = [];
  for (let i = 0; i < count; i++) {
    const region = rng.pick(changsha);
    agencies.push({
      id: firstEmployer + i,
      credit_code: creditCodeIn(rng, region),
      name: `湖南${rng.pick(BRANDS)}${rng.pick(BRANDS)}国际经济技术合作有限公司`,
      region_code: region,
      industry: '72',
      kind: 'ordinary',
      overseas_license_no: `MOFCOM-43-${String(2014 + rng.int(0, 8))}-${String(rng.int(100, 999))}`,
      overseas_license_valid_until: `${2027 + rng.int(0, 3)}-12-31`,
    });
    for (let k = rng.int(2, 5); k > 0; k--) {
      const place = rng.weighted(destinations.map((p) => [p, p.weight] as [typeof p, number]));
      const [title, occupation] = rng.pick(ABROAD_JOBS);
      const wageMin = rng.int(55, 90) * 100;
      const validFrom = GENERATION_NOW - rng.int(0, 90) * DAY;
      const headcount = rng.int(5, 40);
      postings.push({
        id: firstPosting + postings.length,
        employer_id: firstEmployer + i,
        title: `${place.country}${title}`,
        occupation_code: occupation,
        work_region_code: place.code,
        headcount,
        filled: rng.int(0, Math.floor(headcount / 2)),
        wage_min: wageMin,
        wage_max: wageMin + rng.int(10, 40) * 100,
        food: true,
        housing: true,
        age_min: ABROAD_AGE.min,
        age_max: rng.pick([35, 38, ABROAD_AGE.max]),
        min_education: '70',
        skills: [],
        certificates: [],
        reserved_for_poor: rng.next() < 0.3,
        valid_from: chinaDay(validFrom),
        valid_to: chinaDay(GENERATION_NOW + rng.int(60, 300) * DAY),
        status: 'open',
      });
    }
  }
  await insertChunks(ctx, 'employer', agencies, 2000);
  await insertChunks(ctx, 'posting', postings, 2000);
  return { agencies: agencies.length, postings: postings.length };
}

/** Jobs abroad and their occupation codes (2022 大典). */
const ABROAD_JOBS: [string, string][] = [
  ['钢筋工', '6-29-01-04'],
  ['焊工', '6-18-02-04'],
  ['水产品加工工', '6-01-05-01'],
  ['养老护理员', '4-10-01-05'],
  ['农艺工', '5-01-02-01'],
];

/** A valid GB 32100 code of a company registered in the county (random body, its check character). */
function creditCodeIn(rng: Rng, county: string) {
  const body = `91${county.slice(0, 6)}MA${alnum(rng, 7)}`;
  return body + creditCodeCheckChar(body);
}

function alnum(rng: Rng, n: number) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rng.next() * alphabet.length)];
  return s;
}

async function insertChunks(ctx: GeneratorContext, table: 'employer' | 'posting', rows: object[], size: number) {
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const columns = sql.join(Object.keys(chunk[0]!).map((c) => sql.ref(c)));
    // Listed columns only: the others (created_at, updated_at) take their defaults.
    await sql`INSERT INTO ${sql.table(table)} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(chunk)}::jsonb)
      ON CONFLICT DO NOTHING`.execute(ctx.db);
  }
}

/** Counties (or towns, where a city has no counties, like 东莞) and villages by area, with names. */
async function placesOf(ctx: GeneratorContext, areas: string[]) {
  const { rows } = await sql<{ code: string; name: string; level: number }>`SELECT code, name, level FROM region
    WHERE level <= 4 AND (${sql.join(
      areas.map((a) => sql`starts_with(code, ${a})`),
      sql` OR `,
    )})`.execute(ctx.db);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const villageCache = new Map<string, { code: string; name: string }[]>();
  return {
    cityName: (city: string) => byCode.get(city)?.name ?? city,
    hunanCities: () => rows.filter((r) => r.level === 2 && r.code.startsWith('43')).map((r) => r.code),
    counties(city: string): string[] {
      const counties = rows.filter((r) => r.level === 3 && r.code.startsWith(city) && !/^\d{4}7\d$/.test(r.code.slice(0, 6)));
      const list = counties.length ? counties : rows.filter((r) => r.level === 4 && r.code.startsWith(city));
      return list.map((r) => r.code);
    },
    villages(area: string) {
      let list = villageCache.get(area);
      if (!list) {
        list = [];
        villageCache.set(area, list);
      }
      return list;
    },
    async loadVillages(area: string) {
      const { rows: v } = await sql<{
        code: string;
        name: string;
      }>`SELECT code, name FROM region WHERE level = 5 AND starts_with(code, ${area})`.execute(ctx.db);
      villageCache.set(area, v);
    },
  };
}
