import { hmacSm3, sm4Encrypt } from '../platform/crypto.ts';
import { namePinyin } from '../platform/pinyin.ts';
import { chinaDay, chinaQuarter, chinaTimestamp } from '../platform/time.ts';
import { idCheckChar, maskIdNumber } from '../modules/registry/index.ts';
import { maskPhone } from '../modules/registry/index.ts';
import { Rng } from './random.ts';
import { generateEmployments, type EmploymentPlaces } from './employment.model.ts';

/**
 * The shape of a village's poor laborers, after the articles: education mostly junior high or
 * below, many with caring constraints (so work near home), 两后生 school leavers, returnees,
 * about half employed by mid-2017, and a quarterly update cycle since 2016 (动态管理台账).
 * Pure and deterministic: the same village, seed and ids give the same rows.
 */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
// Given names by sex: the card's sex comes from the ID number, and a 金花 registered as 男 is a
// defect a village officer would see at once.
const GIVEN_MALE =
  '伟|强|磊|军|洋|勇|杰|涛|明|超|平|刚|华|辉|文|建国|建华|志强|志明|小军|国平|国华|德华|永强|晓东|宏伟|新民|海军|春生|长青'.split('|');
const GIVEN_FEMALE =
  '芳|娜|秀英|敏|静|丽|艳|娟|秀兰|霞|桂英|红|玉兰|海燕|春梅|冬梅|小红|永红|金花|银花|翠花|凤英|淑珍|秀云|桂芳|桂兰|玉梅|玉珍|红梅|晓燕|丽华|美玲'.split(
    '|',
  );
const SKILLS = ['缝纫', '电焊', '砌筑', '烹饪', '驾驶', '电工', '家政', '种植', '养殖', '木工', '电子装配', '美容美发', '油漆', '钢筋'];
const CERTIFICATES = ['焊工证', '电工证', '中式烹调师', '育婴员', '保育员', '叉车证', '养老护理员'];
export const JOB_TYPES = [
  '普工',
  '缝纫工',
  '保洁员',
  '保安员',
  '家政服务员',
  '快递员',
  '建筑工',
  '电子装配工',
  '厨师',
  '餐厅服务员',
  '搬运工',
  '养老护理员',
];

const EDUCATION: [string, number][] = [
  ['99', 6],
  ['80', 24],
  ['70', 46],
  ['60', 9],
  ['41', 3],
  ['44', 3],
  ['47', 3],
  ['30', 4],
  ['20', 2],
];
const CAPACITY: [string, number][] = [
  ['full', 82],
  ['partial', 13],
  ['lost', 3],
  ['none', 2],
];
const HEALTH: [string, number][] = [
  ['healthy', 80],
  ['chronic', 11],
  ['serious', 3],
  ['disabled', 6],
];
const WILLINGNESS: [string, number][] = [
  ['in_county', 28],
  ['in_province', 19],
  ['out_of_province', 41],
  ['stay_home', 10],
  ['abroad', 2],
];
const CARING: [string, number][] = [
  ['none', 52],
  ['elders', 17],
  ['children', 21],
  ['both', 10],
];
const POVERTY: [string, number][] = [
  ['registered', 72],
  ['lifted', 23],
  ['monitored', 5],
];

/** The platform's data begins in 2016: cards were collected from the first quarter on. */
export const HISTORY_START = Date.parse('2016-01-01T00:00:00+08:00');
const QUARTER_MS = 91.3 * 86_400_000;

export interface Keys {
  identifierKey: Buffer;
  identifierIndexKey: Buffer;
}

export interface VillageJob {
  villageCode: string;
  count: number;
  firstId: number;
  seed: number;
  officerId: string | null;
  /** This village's first laborer's index among its county's laborers (ID numbers stay unique). */
  countyOffset: number;
  /** The generation's "now": versions and confirmations stop here. */
  nowMs: number;
}

/** Birth dates 1956-01-01 … 2000-12-31: ages 16–60 when collection began in 2016. */
const BIRTH_FIRST = Date.parse('1956-01-01T00:00:00+08:00');
const BIRTH_DAYS = Math.round((Date.parse('2001-01-01T00:00:00+08:00') - BIRTH_FIRST) / 86_400_000);
const BIRTH_STRIDE = 7919; // prime, coprime with BIRTH_DAYS: k → (k·stride) mod days is a bijection per block

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const hex = (b: Buffer) => `\\\\x${b.toString('hex')}`;
const arr = (items: string[]) => `{${items.join(',')}}`;
const nul = '\\N';

const pinyinCache = new Map<string, { pinyin: string; initials: string }>();
const pinyinOf = (text: string) => {
  let p = pinyinCache.get(text);
  if (!p) {
    p = namePinyin(text);
    pinyinCache.set(text, p);
  }
  return p;
};

export interface VillageRows {
  laborers: string;
  versions: string;
  confirmations: string;
  versionCount: number;
  employments: string;
  followUps: string;
  cases: string;
  employmentCount: number;
}

/** A village's cards and ledger; with `places`, also their employment histories (employment.model.ts). */
export function generateVillage(job: VillageJob, keys: Keys, places?: EmploymentPlaces): VillageRows {
  const rng = new Rng(job.seed);
  const county = job.villageCode.slice(0, 6);
  const quarterStart = quarterStartMs(job.nowMs);
  let laborers = '';
  let versions = '';
  let confirmations = '';
  let versionCount = 0;
  let employments = '';
  let followUps = '';
  let cases = '';
  let employmentCount = 0;
  let household = 0;
  let inHousehold = 0;
  let householdSize = 0;
  for (let i = 0; i < job.count; i++) {
    const id = job.firstId + i;
    if (inHousehold >= householdSize) {
      household++;
      inHousehold = 0;
      householdSize = Math.min(
        job.count - i,
        rng.weighted([
          [1, 25],
          [2, 45],
          [3, 22],
          [4, 8],
        ] as const),
      );
    }
    const relation = inHousehold === 0 ? '户主' : rng.pick(['配偶', '子女', '子女', '父母', '兄弟姐妹']);
    inHousehold++;
    const surname = rng.pick(SURNAMES);
    // The same three draws as before (surname, sex, given name), so the rest of the world is unchanged.
    const sex = rng.next() < 0.53 ? 'male' : 'female';
    const name = surname + rng.pick(sex === 'male' ? GIVEN_MALE : GIVEN_FEMALE);
    const p1 = pinyinOf(surname);
    const p2 = pinyinOf(name.slice(1));
    // ID numbers must be unique: the k-th laborer of the county gets a birth day by a bijection
    // of k within blocks of BIRTH_DAYS, and the block number in the sequence digits (parity = sex).
    const k = job.countyOffset + i;
    const birth = chinaDay(BIRTH_FIRST + ((k * BIRTH_STRIDE) % BIRTH_DAYS) * 86_400_000);
    const age = 2016 - Number(birth.slice(0, 4));
    const seq = Math.floor(k / BIRTH_DAYS) * 2 + (sex === 'male' ? 1 : 0);
    const body = county + birth.replaceAll('-', '') + pad(seq % 1000, 3);
    const idNumber = body + idCheckChar(body);
    const phone = rng.next() < 0.88 ? `1${rng.pick(['3', '5', '7', '8', '9'])}${pad((id * 7919 + 12345) % 1_000_000_000, 9)}` : null;
    const education = rng.weighted(EDUCATION);
    const capacity = rng.weighted(CAPACITY);
    const health = capacity === 'full' ? rng.weighted(HEALTH.slice(0, 2)) : rng.weighted(HEALTH);
    let willingness = capacity === 'lost' || capacity === 'none' ? 'stay_home' : rng.weighted(WILLINGNESS);
    const caring = rng.weighted(CARING);
    if (caring !== 'none' && willingness === 'out_of_province' && rng.next() < 0.6) willingness = 'in_county';
    const flags: string[] = [];
    if (age <= 20 && (education === '70' || education === '60') && rng.next() < 0.6) flags.push('school_leaver');
    if (rng.next() < 0.14) flags.push('returnee');
    if (health === 'disabled') flags.push('disability');
    if (rng.next() < 0.07) flags.push('relocated');
    const skills = rng.next() < 0.55 ? [rng.pick(SKILLS)] : [];
    if (rng.next() < 0.15) skills.push(rng.pick(SKILLS));
    const certificates = rng.next() < 0.12 ? [rng.pick(CERTIFICATES)] : [];
    const jobTypes = willingness === 'stay_home' ? [] : [rng.pick(JOB_TYPES)];
    const wage: number | null = willingness === 'stay_home' ? null : 2000 + rng.int(0, 30) * 100;
    const poverty = rng.weighted(POVERTY);
    const employment = capacity === 'lost' || capacity === 'none' ? 'not_working' : rng.next() < 0.53 ? 'employed' : 'unemployed';
    let status = { willingness, wage, employment };

    // First collected in 2016 mostly, the rest by mid-2017 (the second article's count is as of 2017-06-30); then a change now and then at quarter ends.
    const createdMs =
      HISTORY_START + Math.floor((rng.next() < 0.7 ? rng.next() * 4 : 4 + rng.next() * 1.95) * QUARTER_MS) + rng.int(0, 3600 * 10) * 1000;
    const householdCode = `${job.villageCode}${pad(household, 4)}`;
    const stable = `${sex}\t${birth}\t${job.villageCode}\t${poverty}\t${education}\t${capacity}\t${health}\t${arr(skills)}\t${arr(certificates)}`;
    const officer = job.officerId ?? nul;
    const versionLine = (version: number, from: number, to: number | null, kind: string, changes: string, s: typeof status) =>
      `${id}\t${version}\t${chinaTimestamp(from)}\t${to === null ? 'infinity' : chinaTimestamp(to)}\t${kind}\t${officer}\t${nul}\t${changes}\t${name}\t${stable}\t` +
      `${s.willingness}\t${arr(jobTypes)}\t${s.wage ?? nul}\t${caring}\t${arr(flags)}\t${s.employment}\tf\t${householdCode}\t${relation}\t${householdSize}\n`;
    let version = 1;
    let from = createdMs;
    let producedBy = '{}'; // the changes that produced the current version
    const states: [number, string, string][] = [[createdMs, status.employment, status.willingness]];
    for (let q = quarterStartMs(createdMs) + QUARTER_MS; q < job.nowMs; q += QUARTER_MS) {
      if (rng.next() >= 0.06) continue;
      const at = q + rng.int(0, 20) * 86_400_000 + rng.int(8, 17) * 3600_000;
      if (at >= job.nowMs) break;
      if (at <= from) continue;
      const next = { ...status };
      const changes: Record<string, [unknown, unknown]> = {};
      const what = rng.next();
      if (status.employment !== 'not_working' && what < 0.6) {
        next.employment = status.employment === 'employed' ? 'unemployed' : 'employed';
        changes.employment_status = [status.employment, next.employment];
      } else if (what < 0.8 && status.willingness !== 'stay_home') {
        next.willingness = rng.weighted(WILLINGNESS.filter(([w]) => w !== 'stay_home'));
        if (next.willingness !== status.willingness) changes.willingness = [status.willingness, next.willingness];
      } else if (status.wage !== null) {
        next.wage = status.wage + 200;
        changes.expected_wage = [status.wage, next.wage];
      }
      if (Object.keys(changes).length === 0) continue;
      versions += versionLine(version, from, at, version === 1 ? 'create' : 'update', producedBy, status);
      producedBy = JSON.stringify(changes);
      version++;
      from = at;
      status = next;
      states.push([at, status.employment, status.willingness]);
    }
    if (places) {
      const e = generateEmployments(
        { laborerId: id, villageCode: job.villageCode, birth, jobTypes, caring, officerId: job.officerId, states },
        places,
        job.nowMs,
        job.seed,
      );
      employments += e.employments;
      followUps += e.followUps;
      cases += e.cases;
      employmentCount += e.employmentCount;
    }
    versions += versionLine(version, from, null, version === 1 ? 'create' : 'update', producedBy, status);
    versionCount += version;

    // Quarterly re-confirmation: most cards reviewed last quarter, about half so far this quarter.
    let lastConfirmed: number | null = null;
    const previous = quarterStart - QUARTER_MS + rng.int(5, 80) * 86_400_000;
    if (rng.next() < 0.9 && previous > createdMs && previous < job.nowMs && job.officerId) {
      confirmations += `${id}\t${chinaTimestamp(previous)}\t${officer}\n`;
      lastConfirmed = previous;
    }
    const current =
      quarterStart + rng.int(0, Math.max(0, Math.floor((job.nowMs - quarterStart) / 86_400_000) - 1)) * 86_400_000 + 9 * 3600_000;
    if (rng.next() < 0.55 && current > createdMs && current < job.nowMs && job.officerId) {
      confirmations += `${id}\t${chinaTimestamp(current)}\t${officer}\n`;
      lastConfirmed = current;
    }

    laborers +=
      `${id}\t${hex(hmacSm3(keys.identifierIndexKey, 'id:', idNumber))}\t${sm4Encrypt(keys.identifierKey, idNumber)}\t${maskIdNumber(idNumber)}\t` +
      (phone
        ? `${hex(hmacSm3(keys.identifierIndexKey, 'phone:', phone))}\t${sm4Encrypt(keys.identifierKey, phone)}\t${maskPhone(phone)}\t`
        : `${nul}\t${nul}\t${nul}\t`) +
      `${name}\t${p1.pinyin + p2.pinyin}\t${p1.initials + p2.initials}\t${sex}\t${birth}\t01\t${job.villageCode}\t${householdCode}\t${relation}\t${householdSize}\t` +
      `${poverty}\t${education}\t${capacity}\t${health}\t${arr(skills)}\t${arr(certificates)}\t${status.willingness}\t${arr(jobTypes)}\t${status.wage ?? nul}\t${caring}\t${arr(flags)}\t${status.employment}\t${nul}\t${nul}\t` +
      `${lastConfirmed === null ? nul : chinaTimestamp(lastConfirmed)}\t${version}\t${chinaTimestamp(createdMs)}\t${officer}\t${chinaTimestamp(from)}\t${officer}\t${nul}\n`;
  }
  return { laborers, versions, confirmations, versionCount, employments, followUps, cases, employmentCount };
}

/** Epoch ms of 00:00 CST on the first day of the China quarter an instant falls in. */
export const quarterStartMs = (ms: number): number => chinaQuarter(chinaDay(ms)).start.getTime();

export const LABORER_COPY_COLUMNS =
  'id, id_index, id_cipher, id_masked, phone_index, phone_cipher, phone_masked, name, name_pinyin, name_initials, sex, birth_date, ethnicity, ' +
  'home_village_code, household_code, relation_to_head, household_size, poverty_status, education, labor_capacity, health, skills, certificates, ' +
  'willingness, wanted_job_types, expected_wage, caring, flags, employment_status, training_history, remark, last_confirmed_at, version, ' +
  'created_at, created_by, updated_at, updated_by, deleted_at';
export const VERSION_COPY_COLUMNS =
  'laborer_id, version, valid_from, valid_to, change_kind, changed_by, reason, changes, name, sex, birth_date, home_village_code, poverty_status, ' +
  'education, labor_capacity, health, skills, certificates, willingness, wanted_job_types, expected_wage, caring, flags, employment_status, deleted, ' +
  'household_code, relation_to_head, household_size';
export const CONFIRMATION_COPY_COLUMNS = 'laborer_id, confirmed_at, confirmed_by';
