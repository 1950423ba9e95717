import { ABROAD_REGION } from '../../../../contracts/abroad.ts';
import { HARD_CONDITION } from '../../../../contracts/referrals.ts';
import { ageOn, type OccupationSpace, type Posting, type Seeker, type Vocabulary } from './features.ts';

/**
 * The score of a (laborer, posting) pair, after the rules (精准对接):
 *
 * Hard conditions, any failing refuses the pair with its reason: not employed and able to work,
 * age within the posting's range, the posting's minimum education, the work location within the
 * laborer's willingness (县内 / 县外省内 / 省外 / 不愿外出 → own county only), and a laborer caring
 * for elders or children works in the home county only (DOMAIN.md, "constraints").
 *
 * Soft signals, in points (kept as integer tenths, so sums are exact and bounds are safe):
 *
 *   wanted job type against the occupation hierarchy   30 × affinity (12 when the card names none)
 *   skills the posting asks for, that the laborer has  16 × share
 *   certificates likewise                              10 × share
 *   expected wage against the range                    20 at or below the minimum (+1 per 200
 *                                                      yuan the minimum exceeds it, up to +10), 10 at
 *                                                      the maximum, falling 1 point per 100 yuan
 *                                                      above (10 + pay level when none is named)
 *   food / housing (more when far from home)           4 + 6 away, 1 + 1 in the home county
 *   distance from the home county                      10 county, 8 city, 6 province, 4 beyond;
 *                                                      + 4 when it is the distance the laborer chose
 *   就业扶贫专岗 reserved for poor laborers              8 (4 for households already lifted)
 *   full labor capacity                                5
 *   worked in the same occupation before               10
 *   a cooperation agreement between the two regions   6
 *
 * Every component is non-decreasing in the posting's favourable attributes, which is what lets
 * the index bound a whole bucket of postings and skip it (engine.ts).
 */
export interface MatchContext {
  /** yyyymmdd: ages are counted on this day (China time). */
  today: number;
  occupations: OccupationSpace;
  /** A cooperation agreement joins the laborer's home region and the posting's work region. */
  agreement(seeker: Seeker, posting: Posting): boolean;
  /** Whether the laborer's home region has any agreement at all (a cheap bound for the index). */
  mayHaveAgreement(seeker: Seeker): boolean;
}

export interface ExplainContext {
  vocabulary: Vocabulary;
  /** The posting's work place as people say it: 深圳市龙岗区. */
  placeOf(posting: Posting): string;
  /** The words the card used for its wanted job types, by occupation id. */
  wantedWords?: ReadonlyMap<number, string>;
}

export interface Explanation {
  /** Points (one decimal), or null when a hard condition fails. */
  score: number | null;
  reasons: string[];
  /** The hard condition that failed, in Chinese. */
  refused: string | null;
}

export const INELIGIBLE = -1;

/**
 * Equal scores are broken per pair, not by id: a lottery fixed by the two ids (a 32-bit mix),
 * so equally good postings are spread over the laborers who tie on them instead of everyone
 * ranking the oldest posting first. Lower wins; the same pair always draws the same number.
 */
export function tieBreak(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b ^ 0xc2b2ae35, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hard conditions, in the order they are checked; a refused pair names the first that fails. */
export const PASS = 0;
export const REFUSALS: readonly string[] = ['', ...Object.values(HARD_CONDITION.labels)];
/** The stable code of each refusal (contracts/referrals.ts HARD_CONDITION), by the number hardFailure returns. */
export const REFUSAL_CODES = ['', ...HARD_CONDITION.codes] as const;

export function hardFailure(s: Seeker, p: Posting, ctx: MatchContext): number {
  if (s.status !== 0) return 1;
  if (s.capacity >= 2) return 2;
  const age = ageOn(s.birth, ctx.today);
  if (age < p.ageMin || age > p.ageMax) return 3;
  if (s.education < p.minEducation) return 4;
  const rel = relationOf(s, p);
  if (rel > FARTHEST[s.willingness]!) return 5;
  if (s.caring > 0 && rel > 0) return 6;
  if (rel === ABROAD && !s.healthy) return 7;
  return PASS;
}

function refusalText(failed: number, s: Seeker, p: Posting, ctx: MatchContext, ex: ExplainContext): string {
  switch (failed) {
    case 1:
      return s.status === 1 ? '已就业' : '不具备就业条件';
    case 2:
      return s.capacity === 2 ? '丧失劳动能力' : '无劳动能力';
    case 3:
      return `年龄${ageOn(s.birth, ctx.today)}岁，岗位要求${p.ageMin}–${p.ageMax}岁`;
    case 4:
      return `学历${EDUCATION_LABEL[s.education]}，岗位要求${EDUCATION_LABEL[p.minEducation]}及以上`;
    case 5: {
      const place = ex.placeOf(p);
      return s.willingness === 0
        ? `不愿外出，岗位在${place}`
        : s.willingness === 1
          ? `意愿县内务工，岗位在${place}`
          : s.willingness === 2
            ? `意愿县外省内务工，岗位在省外${place}`
            : `意愿省外务工，未选择出国务工，岗位在${place}`;
    }
    case 7:
      return `健康状况为“${s.healthy ? '健康' : '非健康'}”，出国务工须身体健康`;
    default:
      return `${CARING_LABEL[s.caring]}，只能在本县就业，岗位在${ex.placeOf(p)}`;
  }
}

const EDUCATION_LABEL = ['无要求', '文盲或半文盲', '其他', '小学', '初中', '高中（含中专、职高、技校）', '大学专科', '大学本科', '研究生'];
const CARING_LABEL = ['', '需照顾老人', '需照顾小孩', '需照顾老人和小孩'];
const DISTANCE_POINTS = [100, 80, 60, 40, 40];

/** The province number of 境外 (regions module, abroad.ts: places abroad are `99…`). */
const ABROAD_PROVINCE = Number(ABROAD_REGION);
const ABROAD = 4;
/** Relation of the work place to the home: 0 same county, 1 same city, 2 same province, 3 beyond, 4 abroad. */
export const relationOf = (s: Seeker, p: Posting) =>
  p.province === ABROAD_PROVINCE ? ABROAD : s.county === p.county ? 0 : s.city === p.city ? 1 : s.province === p.province ? 2 : 3;

/** The farthest relation a willingness accepts (不愿外出 still takes work in the home county; only 出国务工 takes work abroad). */
const FARTHEST = [0, 0, 2, 3, ABROAD];
/** The relation a willingness names, for the "+4, as chosen" signal. */
const chosen = (willingness: number, rel: number) =>
  willingness <= 1 ? rel === 0 : willingness === 2 ? rel === 1 || rel === 2 : rel === 3 || (willingness === 4 && rel === ABROAD);

export function wagePoints(expected: number, min: number, max: number): number {
  // Better pay counts too: +1 point per 200 yuan the minimum exceeds the expectation (per 400
  // above 2,000 when none is given), up to 10 — for these households income is the point.
  if (expected < 0) return 100 + Math.min(100, Math.max(0, Math.round((min - 2000) / 40)));
  if (expected <= min) return 200 + Math.min(100, Math.round((min - expected) / 20));
  if (expected <= max) return Math.round(200 - (100 * (expected - min)) / (max - min));
  return Math.max(0, Math.round(100 - (expected - max) / 10));
}

export function foodHousingPoints(rel: number, food: boolean, housing: boolean): number {
  return rel === 0 ? (food ? 10 : 0) + (housing ? 10 : 0) : (food ? 40 : 0) + (housing ? 60 : 0);
}

const countShared = (need: Int32Array, have: Int32Array) => {
  let m = 0;
  for (let i = 0; i < need.length; i++) if (have.includes(need[i]!)) m++;
  return m;
};

/**
 * The pair's score in integer tenths of a point, or INELIGIBLE. With `out`, also says why, in
 * Chinese: one function decides and explains, so an explanation always matches the ranking.
 */
export function evaluate(s: Seeker, p: Posting, ctx: MatchContext, out?: Explanation, ex?: ExplainContext): number {
  const failed = hardFailure(s, p, ctx);
  if (failed !== PASS) return out ? refuse(out, refusalText(failed, s, p, ctx, ex!)) : INELIGIBLE;
  return softScore(s, p, ctx, out, ex);
}

/** The soft signals of a pair that passed the hard conditions (evaluate, without them). */
export function softScore(s: Seeker, p: Posting, ctx: MatchContext, out?: Explanation, ex?: ExplainContext): number {
  const rel = relationOf(s, p);
  // Soft signals.
  const occ = ctx.occupations;
  let occPoints = 120;
  let best = -1;
  for (let i = 0; i < s.wanted.length; i++) {
    const w = s.wanted[i]!;
    const weight = occ.weight(w, p.occupation);
    if (best < 0 || weight > occ.weight(best, p.occupation)) best = w;
  }
  if (best >= 0) occPoints = Math.round((occ.weight(best, p.occupation) * 300) / 1000);
  const skillsShared = p.skills.length ? countShared(p.skills, s.skills) : 0;
  const skillPoints = p.skills.length ? Math.round((160 * skillsShared) / p.skills.length) : 0;
  const certsShared = p.certificates.length ? countShared(p.certificates, s.certificates) : 0;
  const certPoints = p.certificates.length ? Math.round((100 * certsShared) / p.certificates.length) : 0;
  const wage = wagePoints(s.wage, p.wageMin, p.wageMax);
  const board = foodHousingPoints(rel, p.food, p.housing);
  const distance = DISTANCE_POINTS[rel]! + (chosen(s.willingness, rel) ? 40 : 0);
  const reserved = p.reserved ? (s.poverty === 2 ? 80 : 40) : 0;
  const capacity = s.capacity === 0 ? 50 : 0;
  const past = s.past.includes(p.occupation) ? 100 : 0;
  const agreement = ctx.agreement(s, p) ? 60 : 0;
  const score = occPoints + skillPoints + certPoints + wage + board + distance + reserved + capacity + past + agreement;

  if (out) {
    const r = out.reasons;
    const label = occ.label(p.occupation);
    if (best < 0) r.push('未填写期望工种，按岗位条件推荐');
    else {
      const word = ex?.wantedWords?.get(best) ?? occ.label(best);
      const level = occ.level(best, p.occupation);
      if (level === 'same') r.push(`期望工种${word}，岗位为${label}`);
      else if (level === 'none') r.push(`期望工种${word}，岗位为${label}，工种不同`);
      else r.push(`期望工种${word}，与岗位（${label}）同属${occ.sharedGroupLabel(best, p.occupation) ?? '一类'}`);
    }
    const words = (ids: Int32Array, have: Int32Array, shared: boolean) =>
      [...ids]
        .filter((id) => have.includes(id) === shared)
        .map((id) => ex!.vocabulary.words[id])
        .join('、');
    if (skillsShared > 0) r.push(`具备岗位要求的技能：${words(p.skills, s.skills, true)}`);
    if (p.skills.length > skillsShared) r.push(`岗位要求技能：${words(p.skills, s.skills, false)}（未登记）`);
    if (certsShared > 0) r.push(`持有岗位要求的证书：${words(p.certificates, s.certificates, true)}`);
    if (p.certificates.length > certsShared) r.push(`岗位要求证书：${words(p.certificates, s.certificates, false)}（未登记）`);
    r.push(s.wage < 0 ? `未填写期望月薪，岗位${p.wageMin}–${p.wageMax}元` : `期望月薪${s.wage}元，岗位${p.wageMin}–${p.wageMax}元`);
    if (p.food && p.housing) r.push('包食宿');
    else if (p.food) r.push('包吃');
    else if (p.housing) r.push('包住');
    const place = ex!.placeOf(p);
    if (rel === 0) r.push(s.willingness === 0 ? '不愿外出，岗位在本县' : '岗位在本县');
    else if (rel === ABROAD) r.push(`愿意出国（境）务工，岗位在${place}`);
    else if (rel === 3) r.push(s.willingness === 4 ? `愿意出国（境）务工，岗位在${place}` : `愿意省外务工，岗位在${place}`);
    else r.push(s.willingness === 2 ? `愿意县外省内务工，岗位在${place}` : `岗位在${rel === 1 ? '本市' : '省内'}${place}`);
    if (p.reserved) r.push('就业扶贫专岗');
    if (s.capacity === 1) r.push('部分劳动能力');
    if (past) r.push(`曾从事${label}`);
    if (agreement) r.push('两地签有劳务协作协议');
    out.score = score / 10;
    out.refused = null;
  }
  return score;
}

function refuse(out: Explanation | undefined, why: string): number {
  if (out) {
    out.score = null;
    out.refused = why;
    out.reasons.push(why);
  }
  return INELIGIBLE;
}

/**
 * The posting's side, for batch matching: how much an employer would want this laborer among
 * the eligible ones — the skills and certificates asked for, education above the minimum, the
 * same occupation before, full labor capacity, closeness of the wanted job type, and poor
 * households first on reserved posts. Integer tenths; ties by tieBreak(posting, laborer).
 */
export function employerPreference(s: Seeker, p: Posting, ctx: MatchContext): number {
  const skills = p.skills.length ? Math.round((160 * countShared(p.skills, s.skills)) / p.skills.length) : 0;
  const certs = p.certificates.length ? Math.round((100 * countShared(p.certificates, s.certificates)) / p.certificates.length) : 0;
  const surplus = Math.min(3, Math.max(0, s.education - Math.max(p.minEducation, 1))) * 20;
  const past = s.past.includes(p.occupation) ? 100 : 0;
  const capacity = s.capacity === 0 ? 50 : 0;
  let aff = 0;
  for (let i = 0; i < s.wanted.length; i++) aff = Math.max(aff, ctx.occupations.weight(s.wanted[i]!, p.occupation));
  const reserved = p.reserved && s.poverty === 2 ? 80 : 0;
  return skills + certs + surplus + past + capacity + Math.round(aff / 10) + reserved;
}
