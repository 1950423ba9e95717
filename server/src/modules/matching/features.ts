import {
  OCCUPATION_AFFINITY_WEIGHTS,
  OCCUPATIONS,
  type OccupationAffinityLevel,
  jobTypeToOccupation,
  occupationByCode,
} from '../../../../contracts/occupations.ts';
import { chinaDay } from '../../platform/time.ts';

/**
 * The matching engine's view of a job seeker and a posting: small numbers, compiled once, so
 * that the scorer's inner loop compares integers. Strings (names, reasons) are only made when a
 * score is explained.
 */

/** Employment willingness, ordered by how far from home the laborer will go. */
export const WILLINGNESS_RANK = { stay_home: 0, in_county: 1, in_province: 2, out_of_province: 3, abroad: 4 } as const;
export const CAPACITY_RANK = { full: 0, partial: 1, lost: 2, none: 3 } as const;
export const CARING_RANK = { none: 0, elders: 1, children: 2, both: 3 } as const;
export const STATUS_RANK = { unemployed: 0, employed: 1, not_working: 2 } as const;

/**
 * GB/T 4658 education codes as a ladder: a posting's minimum is met by this rank or above.
 * 中等职业教育 (40–47) and 普通高中 (60) are both upper secondary; 90 其他 sits just above 文盲.
 */
export const EDUCATION_RANK: Readonly<Record<string, number>> = {
  '10': 8,
  '20': 7,
  '30': 6,
  '40': 5,
  '41': 5,
  '44': 5,
  '47': 5,
  '60': 5,
  '70': 4,
  '80': 3,
  '90': 2,
  '99': 1,
};

export interface Seeker {
  id: number;
  /** Home village, 12 digits. */
  village: string;
  county: number;
  city: number;
  province: number;
  /** Birth date as yyyymmdd. */
  birth: number;
  education: number;
  capacity: number;
  willingness: number;
  /** Caring for elders (1), children (2) or both (3): works near home only; 0 none. */
  caring: number;
  /** Health recorded as 健康 (work abroad asks for it). */
  healthy: boolean;
  status: number;
  /** 建档立卡户 or 监测户 (2), 已脱贫 (1). */
  poverty: number;
  /** Expected monthly wage in yuan, or -1 when not given. */
  wage: number;
  /** Wanted job types as occupation ids (index in OCCUPATIONS); none when the card names none. */
  wanted: Int32Array;
  skills: Int32Array;
  certificates: Int32Array;
  /** Occupations the laborer worked in before (employment history, when recorded). */
  past: Int32Array;
  /** Replaced by a newer state of the card (the market's bookkeeping). */
  retired: boolean;
}

export interface Posting {
  id: number;
  employerId: number;
  workRegion: string;
  county: number;
  city: number;
  province: number;
  occupation: number;
  wageMin: number;
  wageMax: number;
  food: boolean;
  housing: boolean;
  ageMin: number;
  ageMax: number;
  /** Minimum education rank, 0 for none. */
  minEducation: number;
  skills: Int32Array;
  certificates: Int32Array;
  reserved: boolean;
  /** Open headcount: headcount − filled. */
  openings: number;
}

const EMPTY = new Int32Array(0);

/** Interned words (skills, certificates): the same word is the same number in seekers and postings. */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly words: string[] = [];
  id(word: string): number {
    const w = normalizeWord(word);
    let id = this.ids.get(w);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(w, id);
      this.words.push(w);
    }
    return id;
  }
  idsOf(words: readonly string[] | null | undefined): Int32Array {
    if (!words || words.length === 0) return EMPTY;
    return Int32Array.from(new Set(words.map((w) => this.id(w))));
  }
}

/** Trim, full-width to half-width, drop a trailing 证 so 电工证 and 电工 meet. */
export function normalizeWord(word: string): string {
  return word
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toLowerCase();
}

/**
 * Occupations as dense ids. The affinity of two ids is `occupationAffinity` of their codes, computed
 * from each code's parts held as small integers: with the whole 大典 (2,172 codes) a precomputed
 * n × n table would hold 4.7 million cells and take seconds to build at every start.
 */
export class OccupationSpace {
  readonly codes: string[] = OCCUPATIONS.map((o) => o.code);
  private readonly index = new Map(this.codes.map((c, i) => [c, i]));
  /** Each code's four parts (major, medium, minor, occupation), -1 past its depth. */
  private readonly parts: Int16Array;
  private readonly depths: Uint8Array;
  private static readonly LEVELS: readonly OccupationAffinityLevel[] = ['same', 'minor', 'medium', 'major', 'none'];
  private static readonly WEIGHTS: Int32Array = Int32Array.from(OccupationSpace.LEVELS, (l) =>
    Math.round(OCCUPATION_AFFINITY_WEIGHTS[l] * 1000),
  );

  constructor() {
    const n = this.codes.length;
    this.parts = new Int16Array(n * 4).fill(-1);
    this.depths = new Uint8Array(n);
    this.codes.forEach((code, id) => {
      const ps = code.split('-');
      this.depths[id] = ps.length;
      ps.forEach((p, k) => {
        this.parts[id * 4 + k] = Number(p);
      });
    });
  }

  /** The rule of `occupationAffinity` (contracts/occupations.ts) on two ids, as an index in LEVELS. */
  private affinityRank(a: number, b: number): number {
    if (a === b) return 0;
    const shorter = Math.min(this.depths[a]!, this.depths[b]!);
    let k = 0;
    while (k < shorter && this.parts[a * 4 + k] === this.parts[b * 4 + k]) k++;
    if (k === shorter) return shorter >= 2 ? 0 : 3;
    return 4 - k; // 3 shared parts → minor (1), 2 → medium (2), 1 → major (3), 0 → none (4)
  }

  /** The id of a code, or -1 when the table does not have it. */
  tryIdOf(code: string): number {
    return this.index.get(code) ?? -1;
  }

  idOf(code: string): number {
    const id = this.index.get(code);
    if (id === undefined) throw new Error(`unknown occupation code ${code}`);
    return id;
  }

  /** A loose job-type word (普工, 缝纫工, 电子厂) to an occupation id, or -1. */
  idOfJobType(word: string): number {
    const code = jobTypeToOccupation(word);
    return code ? (this.index.get(code) ?? -1) : -1;
  }

  /** The affinity × 1000 as an integer. */
  weight(wanted: number, posting: number): number {
    return OccupationSpace.WEIGHTS[this.affinityRank(wanted, posting)]!;
  }

  level(wanted: number, posting: number): string {
    return OccupationSpace.LEVELS[this.affinityRank(wanted, posting)]!;
  }

  label(id: number): string {
    return occupationByCode(this.codes[id]!)?.name ?? this.codes[id]!;
  }

  /** The name of the deepest group two occupations share, for a reason like "同属…". */
  sharedGroupLabel(a: number, b: number): string | null {
    const ca = this.codes[a]!.split('-');
    const cb = this.codes[b]!.split('-');
    let depth = 0;
    while (depth < ca.length && depth < cb.length && ca[depth] === cb[depth]) depth++;
    if (depth === 0) return null;
    return occupationByCode(ca.slice(0, depth).join('-'))?.name ?? null;
  }
}

export const regionNumbers = (code: string) => ({
  county: Number(code.slice(0, 6)),
  city: Number(code.slice(0, 4)),
  province: Number(code.slice(0, 2)),
});

/** yyyymmdd of a date string 'YYYY-MM-DD' or a Date (its calendar date in China). */
export function ymd(date: string | Date): number {
  const s = typeof date === 'string' ? date : chinaDay(date);
  return Number(s.slice(0, 4)) * 10000 + Number(s.slice(5, 7)) * 100 + Number(s.slice(8, 10));
}

/** Whole years between two yyyymmdd dates. */
export const ageOn = (birth: number, today: number) => Math.floor((today - birth) / 10000);

export { EMPTY as NO_IDS };
