import { jobTypeToOccupation } from '../../../contracts/occupations.ts';
import { keptMonths } from '../modules/employment/index.ts';
import { Rng } from './random.ts';
import { chinaDay, chinaDayStart, chinaMidnightMs, chinaParts, chinaTimestamp, monthsLaterMs } from '../platform/time.ts';

/** Public-welfare posts (公益性岗位: cleaning, roads, forest keeping) as the generator codes them: 4-09 水利、环境和公共设施管理服务人员. */
export const PUBLIC_WELFARE_OCCUPATION = '4-09';

/**
 * Employment histories that tell the same story as the card's ledger: every span the card says
 * 'employed' is one employment record (sometimes a short first job, then another), placed after
 * the laborer's willingness at the time, so that the province as of 2017-06-30 follows the second
 * article's table: 28.1 % of the employed in their home county, 19.2 % elsewhere in Hunan, 52.7 %
 * out of the province; 69.4 % self-found (自主就业), 29.7 % through assistance (就业帮扶); average
 * wage 2,554 yuan. Each record gets its follow-ups (after 1, 3, 6 and 12 months) as far as they
 * fell due, and each ending its re-employment case (转岗服务). Pure and deterministic.
 */

export interface EmploymentPlaces {
  /** Hunan's counties: code → county and city name (places of work in the province). */
  counties: Record<string, { name: string; city: string }>;
  /** Places of work out of the province, weighted (after where Hunan's migrant workers go). */
  outside: { code: string; city: string; weight: number }[];
  /** Places of work abroad that the region tree holds (none: the abroad-bound work out of the province). */
  abroad?: { code: string; country: string; weight: number }[];
}

/** Out-of-province destinations: the Pearl River Delta first, then the Yangtze delta, Fujian, the north. */
export const OUTSIDE_PLACES: { code: string; city: string; weight: number }[] = [
  { code: '440306', city: '深圳', weight: 9 },
  { code: '440307', city: '深圳', weight: 8 },
  { code: '440309', city: '深圳', weight: 6 },
  { code: '440305', city: '深圳', weight: 3 },
  { code: '440304', city: '深圳', weight: 2 },
  { code: '440303', city: '深圳', weight: 2 },
  { code: '441900', city: '东莞', weight: 16 },
  { code: '440111', city: '广州', weight: 5 },
  { code: '440113', city: '广州', weight: 4 },
  { code: '440106', city: '广州', weight: 2 },
  { code: '440606', city: '佛山', weight: 4 },
  { code: '440604', city: '佛山', weight: 2 },
  { code: '441302', city: '惠州', weight: 3 },
  { code: '330782', city: '义乌', weight: 5 },
  { code: '330212', city: '宁波', weight: 3 },
  { code: '330302', city: '温州', weight: 3 },
  { code: '350582', city: '晋江', weight: 4 },
  { code: '350206', city: '厦门', weight: 2 },
  { code: '320505', city: '苏州', weight: 3 },
  { code: '320506', city: '苏州', weight: 2 },
  { code: '310115', city: '上海', weight: 4 },
  { code: '110105', city: '北京', weight: 2 },
  { code: '370102', city: '济南', weight: 2 },
  { code: '420106', city: '武汉', weight: 2 },
];

export interface LaborerTimeline {
  laborerId: number;
  villageCode: string;
  birth: string;
  jobTypes: string[];
  caring: string;
  /** Officer of the home village: the follow-ups' responsible person. */
  officerId: string | null;
  /** The card's states: [from ms, employment status, willingness], oldest first. */
  states: [number, string, string][];
}

export interface EmploymentRows {
  employments: string;
  followUps: string;
  cases: string;
  employmentCount: number;
}

const DAY = 86_400_000;
/**
 * Follow-ups and re-employment cases are generated from here on only: the province's ~2 million
 * employment records since 2016 would carry ~7 million follow-ups, more than the five-minute
 * generation budget holds; the recent ones are what the task lists, the overdue list and the
 * risk list work on. (Records typed in the platform get all four follow-ups, whatever the date.)
 */
export const TRACKING_FROM = Date.parse('2024-07-01T00:00:00+08:00');
const nul = '\\N';
/** The same day n months later (clamped to the month's end), in China time. */
export function addMonths(ms: number, n: number): number {
  const d = chinaParts(ms);
  return monthsLaterMs(d.year, d.month - 1, d.day, n);
}

const PLACE_BY_WILL: Record<string, [string, number][]> = {
  in_county: [
    ['county', 53],
    ['province', 12],
    ['outside', 35],
  ],
  in_province: [
    ['county', 6],
    ['province', 70],
    ['outside', 24],
  ],
  out_of_province: [
    ['county', 3],
    ['province', 5],
    ['outside', 92],
  ],
  stay_home: [
    ['county', 45],
    ['province', 10],
    ['outside', 45],
  ],
  // Of those who would work abroad, a third do (对外劳务输出, issue 20 item 10); the rest work out of the province.
  abroad: [
    ['county', 3],
    ['province', 7],
    ['outside', 57],
    ['abroad', 33],
  ],
};

/** Work abroad: where Hunan's licensed agencies send workers (places under 境外, regions module abroad.ts). */
export const ABROAD_PLACES: { code: string; country: string; weight: number }[] = [
  { code: '990392', country: '日本', weight: 5 },
  { code: '990702', country: '新加坡', weight: 3 },
  { code: '990458', country: '马来西亚', weight: 2 },
  { code: '990784', country: '阿联酋', weight: 2 },
  { code: '990682', country: '沙特阿拉伯', weight: 2 },
  { code: '990643', country: '俄罗斯', weight: 1 },
  { code: '990276', country: '德国', weight: 1 },
];
const BASE_WAGE = { county: 2_290, province: 2_770, outside: 3_110, abroad: 6_200 } as const;
const INSURED = { county: 0.22, province: 0.4, outside: 0.48, abroad: 0.3 } as const;
const FIRMS = [
  '鑫达',
  '宏图',
  '华强',
  '恒通',
  '永盛',
  '富源',
  '兴旺',
  '嘉和',
  '金辉',
  '瑞丰',
  '长盛',
  '天成',
  '新世纪',
  '南方',
  '中联',
  '顺发',
];
const TRADES = [
  '电子',
  '制衣',
  '鞋业',
  '玩具',
  '塑胶',
  '五金',
  '物流',
  '建筑工程',
  '家政服务',
  '餐饮管理',
  '物业管理',
  '食品',
  '箱包',
  '印刷',
];
const LOCAL = ['种养殖合作社', '扶贫车间', '建筑队', '农家乐', '商贸部', '竹木加工厂', '茶叶加工厂'];
const END_REASONS: [string, number][] = [
  ['resigned', 35],
  ['contract_ended', 20],
  ['returned_home', 15],
  ['family', 12],
  ['dismissed', 6],
  ['business_closed', 5],
  ['health', 4],
  ['other', 3],
];
const METHODS: [string, number][] = [
  ['phone', 60],
  ['wechat', 20],
  ['visit', 15],
  ['employer', 5],
];
const PROBLEMS: [string, string][] = [
  ['工资有拖欠', '联系用人单位协调，工资已补发'],
  ['劳动强度大，想换岗位', '推荐同厂其他岗位'],
  ['住宿条件差', '协调企业调整宿舍'],
  ['子女上学问题', '联系流入地教育部门咨询入学'],
  ['想家，有返乡打算', '电话谈心，告知家中情况'],
  ['社保未缴纳', '督促企业依法参保'],
];

export const EMPLOYMENT_COPY_COLUMNS =
  'id, laborer_id, work_region_code, occupation_code, started_on, ended_on, end_reason, monthly_wage, social_insurance, channel, ' +
  'workplace_name, workplace_contact, created_by, created_at, updated_at, home_village_code, laborer_deleted, kept_months';
export const FOLLOW_UP_COPY_COLUMNS =
  'id, employment_id, laborer_id, months, due_on, responsible_kind, responsible_account, status, done_on, method, still_employed, problems, help_given, recorded_by, recorded_at, home_village_code, laborer_deleted';
export const CASE_COPY_COLUMNS =
  'id, laborer_id, ended_employment_id, opened_on, returnee, unemployment_benefit, status, closed_on, close_reason, new_employment_id, opened_by, closed_by, updated_at';

interface Job {
  id: number;
  start: number;
  end: number | null;
}

export function generateEmployments(t: LaborerTimeline, places: EmploymentPlaces, nowMs: number, seed: number): EmploymentRows {
  const rng = new Rng((seed ^ Math.imul(t.laborerId, 0x9e3779b1)) >>> 0);
  const county = t.villageCode.slice(0, 6);
  const sixteen = chinaDayStart(`${Number(t.birth.slice(0, 4)) + 16}${t.birth.slice(4)}`).getTime();
  const officer = t.officerId ?? nul;
  const today = chinaMidnightMs(nowMs);
  let employments = '';
  let followUps = '';
  let cases = '';
  const jobs: Job[] = [];
  /** Each job's COPY line but its last column, kept_months, known once the later jobs are. */
  const lines: string[] = [];
  let k = 0;
  let lastEnd = -Infinity;

  // The employed spans of the ledger, each [start, end or null].
  const spans: [number, number | null, string][] = [];
  t.states.forEach(([from, status, willingness], i) => {
    const prevEmployed = i > 0 && t.states[i - 1]![1] === 'employed';
    if (status === 'employed' && !prevEmployed) {
      // The card was first collected while at work: the job began some months before.
      const start = i === 0 ? from - rng.int(30, 1000) * DAY : from - rng.int(0, 40) * DAY;
      spans.push([start, null, willingness]);
    } else if (status !== 'employed' && prevEmployed) {
      spans[spans.length - 1]![1] = from - rng.int(0, 25) * DAY;
    }
  });

  for (const [spanStart, spanEnd, willingness] of spans) {
    const start = chinaMidnightMs(Math.max(spanStart, sixteen, lastEnd + DAY));
    const end = spanEnd === null ? null : chinaMidnightMs(Math.max(spanEnd, start));
    if (start > today) continue;
    // A short first job now and then (the retention risk list looks for short tenures).
    const pieces: [number, number | null][] = [];
    if (rng.next() < 0.14 && (end ?? today) - start > 150 * DAY) {
      const firstEnd = start + rng.int(20, 80) * DAY;
      pieces.push([start, firstEnd], [firstEnd + DAY, end]);
    } else pieces.push([start, end]);
    const place = rng.weighted(PLACE_BY_WILL[willingness] ?? PLACE_BY_WILL.in_county!) as Place;
    for (const [from, to] of pieces) {
      if (k >= 8) break;
      const id = t.laborerId * 8 + k++;
      const where = pieceWhere(rng, place, county, t.villageCode, places);
      const channel =
        place === 'county' && rng.next() < 0.014
          ? 'public_welfare'
          : rng.weighted([
              ['self_found', 694],
              ['assisted', 297],
              ['entrepreneurship', 9],
            ] as [string, number][]);
      const year = chinaParts(from).year;
      const wage = Math.round((BASE_WAGE[place] * 1.05 ** (year - 2017) * (0.8 + rng.next() * 0.4)) / 50) * 50;
      const insured = rng.next() < INSURED[place];
      const occupation = channel === 'public_welfare' ? PUBLIC_WELFARE_OCCUPATION : (jobTypeToOccupation(t.jobTypes[0]) ?? null);
      const reason = to === null ? null : rng.weighted(END_REASONS);
      const created = chinaTimestamp(Math.max(from, sixteen) + 10 * 3600_000);
      const contact = `0${rng.int(10, 999)}-${rng.int(2_000_000, 8_999_999)}`;
      lines.push(
        `${id}\t${t.laborerId}\t${where.code}\t${occupation ?? nul}\t${chinaDay(from)}\t${to === null ? nul : chinaDay(to)}\t${reason ?? nul}\t${wage}\t${insured ? 't' : 'f'}\t${channel}\t` +
          `${channel === 'public_welfare' ? `${where.name}公益性岗位` : where.workplace}\t${contact}\t${officer}\t${created}\t${created}\t${t.villageCode}\tf`,
      );
      jobs.push({ id, start: from, end: to });
      lastEnd = to ?? Infinity;
      followUps += followUpRows(rng, id, t.laborerId, t.villageCode, from, to, today, officer);
    }
  }

  jobs.forEach((job, i) => {
    employments += `${lines[i]}\t${keptMonths(job.start, jobs)}\n`;
  });

  // A case for each ending: closed by the next job, else open (recent) or closed as not seeking.
  jobs.forEach((job, i) => {
    if (job.end === null || job.end >= today || job.end < TRACKING_FROM) return;
    const next = jobs[i + 1];
    const opened = Math.min(job.end + rng.int(1, 10) * DAY, today);
    const returnee = rng.next() < 0.3;
    const benefit = rng.next() < 0.12 ? 'granted' : rng.next() < 0.2 ? 'not_eligible' : 'not_assessed';
    let status = 'open';
    let closed: number | null = null;
    let reason: string | null = null;
    if (next && next.start >= opened) [status, closed, reason] = ['closed', next.start, 'new_job'];
    else if (next) [status, closed, reason] = ['closed', opened, 'new_job'];
    else if (today - opened > 540 * DAY)
      [status, closed, reason] = ['closed', opened + rng.int(90, 360) * DAY, rng.next() < 0.7 ? 'not_seeking' : 'moved_away'];
    cases +=
      `${job.id}\t${t.laborerId}\t${job.id}\t${chinaDay(opened)}\t${returnee ? 't' : 'f'}\t${benefit}\t${status}\t${closed === null ? nul : chinaDay(closed)}\t${reason ?? nul}\t` +
      `${reason === 'new_job' ? next!.id : nul}\t${officer}\t${closed === null ? nul : officer}\t${chinaTimestamp((closed ?? opened) + 10 * 3600_000)}\n`;
  });
  return { employments, followUps, cases, employmentCount: jobs.length };
}

type Place = 'county' | 'province' | 'outside' | 'abroad';

function pieceWhere(rng: Rng, place: Place, county: string, village: string, places: EmploymentPlaces) {
  if (place === 'county') {
    const c = places.counties[county];
    const name = c?.name ?? '本县';
    return { code: rng.next() < 0.6 ? village.slice(0, 9) : county, name, workplace: `${name}${rng.pick(FIRMS)}${rng.pick(LOCAL)}` };
  }
  if (place === 'province') {
    const codes = Object.keys(places.counties).filter((c) => c !== county);
    // Changsha's counties take the largest share of work in the province.
    const changsha = codes.filter((c) => c.startsWith('4301'));
    const code = changsha.length && rng.next() < 0.4 ? rng.pick(changsha) : rng.pick(codes);
    const c = places.counties[code]!;
    return { code, name: c.name, workplace: `${c.city.replace(/市$|土家族苗族自治州$/, '')}${rng.pick(FIRMS)}${rng.pick(TRADES)}有限公司` };
  }
  if (place === 'abroad' && places.abroad?.length) {
    const a = rng.weighted(places.abroad.map((p) => [p, p.weight] as [typeof p, number]));
    return {
      code: a.code,
      name: a.country,
      workplace: `${a.country}${rng.pick(FIRMS)}${rng.pick(TRADES)}${a.code === '990392' ? '株式会社' : '有限公司'}`,
    };
  }
  const o = rng.weighted(places.outside.map((p) => [p, p.weight] as [typeof p, number]));
  return { code: o.code, name: o.city, workplace: `${o.city}${rng.pick(FIRMS)}${rng.pick(TRADES)}有限公司` };
}

function followUpRows(
  rng: Rng,
  employmentId: number,
  laborerId: number,
  villageCode: string,
  from: number,
  to: number | null,
  today: number,
  officer: string,
): string {
  let rows = '';
  let reportedEnd = false;
  [1, 3, 6, 12].forEach((months, i) => {
    const due = addMonths(from, months);
    if (due < TRACKING_FROM) return;
    const id = employmentId * 4 + i;
    const line = (status: string, done: number | null, method: string | null, still: boolean | null, problem: [string, string] | null) =>
      `${id}\t${employmentId}\t${laborerId}\t${months}\t${chinaDay(due)}\tvillage\t${officer}\t${status}\t${done === null ? nul : chinaDay(done)}\t${method ?? nul}\t` +
      `${still === null ? nul : still ? 't' : 'f'}\t${problem?.[0] ?? nul}\t${problem?.[1] ?? nul}\t${done === null ? nul : officer}\t${done === null ? nul : chinaTimestamp(done + 15 * 3600_000)}\t` +
      `${villageCode}\tf\n`;
    if (to !== null && due > to) {
      // The first follow-up after the job ended found the laborer no longer at work (now and then).
      if (!reportedEnd && due <= today && due - to < 60 * DAY && rng.next() < 0.5) {
        reportedEnd = true;
        rows += line('done', Math.min(due + rng.int(0, 10) * DAY, today), rng.weighted(METHODS), false, null);
      }
      return;
    }
    if (due > today) {
      rows += line('due', null, null, null, null);
      return;
    }
    const age = today - due;
    if (rng.next() < (age > 60 * DAY ? 0.93 : 0.7)) {
      rows += line(
        'done',
        Math.min(due + rng.int(0, 12) * DAY, today),
        rng.weighted(METHODS),
        true,
        rng.next() < 0.07 ? rng.pick(PROBLEMS) : null,
      );
    } else rows += line(to === null ? 'due' : 'missed', null, null, null, null);
  });
  return rows;
}
