import type { DbOrTx } from '../../db/database.ts';
import { chinaToday } from '../../platform/time.ts';
import {
  CAPACITY_RANK,
  CARING_RANK,
  EDUCATION_RANK,
  NO_IDS,
  OccupationSpace,
  regionNumbers,
  STATUS_RANK,
  Vocabulary,
  WILLINGNESS_RANK,
  ymd,
  type Posting,
  type Seeker,
} from './features.ts';
import { PostingIndex } from './engine.ts';
import * as repo from './matching.repo.ts';
// The agreements in force, read through the agreements module's query for the engine.
import { activeAgreementPairs, type AgreementPair } from '../agreements/index.ts';
import type { MatchContext } from './score.ts';
import { regionRangeEnd } from '../../platform/access.ts';

/**
 * The market as the engine sees it: the demand list (job seekers) and the supply list (open
 * postings), compiled and held in memory, following the database.
 *
 * Seekers are kept sorted by home village code, so a region's seekers — the scope of a county
 * admin, a township operator, a village officer — are one contiguous run found by binary search
 * (region codes are prefixes). Card changes are read incrementally: rows stamped since a
 * watermark no running transaction can precede, plus ids beyond the largest known (bulk loads
 * keep their historical stamps). A changed card replaces its entry in place when its village is
 * unchanged; otherwise the old entry dies and the new one waits in a small unsorted side list
 * until the next re-sort.
 */
export interface MarketOptions {
  /** Ages and validity are judged on this day; default: today in China. */
  today?: () => string;
}

const PAGE = 20_000;

export function compileSeeker(row: repo.SeekerRow, vocabulary: Vocabulary, occupations: OccupationSpace): Seeker {
  const n = regionNumbers(row.home_village_code);
  const wanted = new Set<number>();
  for (const w of row.wanted_job_types) {
    const id = occupations.idOfJobType(w);
    if (id >= 0) wanted.add(id);
  }
  return {
    id: Number(row.id),
    village: row.home_village_code,
    ...n,
    birth: ymd(row.birth_date),
    education: EDUCATION_RANK[row.education] ?? 1,
    capacity: CAPACITY_RANK[row.labor_capacity as keyof typeof CAPACITY_RANK] ?? 3,
    willingness: WILLINGNESS_RANK[row.willingness as keyof typeof WILLINGNESS_RANK] ?? 0,
    caring: CARING_RANK[row.caring as keyof typeof CARING_RANK] ?? 0,
    healthy: row.health === 'healthy',
    status: STATUS_RANK[row.employment_status as keyof typeof STATUS_RANK] ?? 2,
    poverty: row.poverty_status === 'lifted' ? 1 : 2,
    wage: row.expected_wage ?? -1,
    wanted: wanted.size ? Int32Array.from(wanted) : NO_IDS,
    skills: vocabulary.idsOf(row.skills),
    certificates: vocabulary.idsOf(row.certificates),
    past: pastOf(row.past_occupations, occupations),
    retired: false,
  };
}

export function compilePosting(row: repo.PostingRow, vocabulary: Vocabulary, occupations: OccupationSpace): Posting {
  return {
    id: Number(row.id),
    employerId: Number(row.employer_id),
    workRegion: row.work_region_code,
    ...regionNumbers(row.work_region_code),
    occupation: occupations.idOf(row.occupation_code),
    wageMin: row.wage_min,
    wageMax: row.wage_max,
    food: row.food,
    housing: row.housing,
    ageMin: row.age_min,
    ageMax: row.age_max,
    minEducation: row.min_education ? (EDUCATION_RANK[row.min_education] ?? 0) : 0,
    skills: vocabulary.idsOf(row.skills),
    certificates: vocabulary.idsOf(row.certificates),
    reserved: row.reserved_for_poor,
    openings: row.headcount - row.filled,
  };
}

function pastOf(codes: string[] | null | undefined, occupations: OccupationSpace): Int32Array {
  if (!codes?.length) return NO_IDS;
  const ids = codes.map((c) => occupations.tryIdOf(c)).filter((id) => id >= 0);
  return ids.length ? Int32Array.from(ids) : NO_IDS;
}

const isSeeker = (r: repo.SeekerRow) =>
  !r.deleted && r.employment_status === 'unemployed' && (r.labor_capacity === 'full' || r.labor_capacity === 'partial');

/** The first position whose village code is not below the given code. */
function lowerBound(sorted: readonly Seeker[], code: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.village < code) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const byVillage = (a: Seeker, b: Seeker) => (a.village < b.village ? -1 : a.village > b.village ? 1 : a.id - b.id);

export class Market {
  readonly vocabulary = new Vocabulary();
  readonly occupations = new OccupationSpace();
  private sorted: Seeker[] = [];
  private extra: Seeker[] = [];
  private readonly live = new Map<number, Seeker>();
  private watermark: Date | null = null;
  private maxId = 0;
  private loading: Promise<void> | null = null;
  /** The refresh that follows the running one, shared by every caller who arrived meanwhile. */
  private following: Promise<void> | null = null;
  private postingsVersion = '';
  private postingIndex: PostingIndex | null = null;
  private postingRows = new Map<number, repo.PostingRow>();
  private agreements: AgreementPair[] = [];
  private readonly today: () => string;

  constructor(options: MarketOptions = {}) {
    this.today = options.today ?? chinaToday;
  }

  context(): MatchContext {
    const byCounty = new Map<number, AgreementPair[]>();
    const pairsOf = (s: Seeker) => {
      let list = byCounty.get(s.county);
      if (!list) {
        list = this.agreements.filter(
          (a) => a.outputRegionCode.startsWith(String(s.county)) || String(s.county).startsWith(a.outputRegionCode),
        );
        byCounty.set(s.county, list);
      }
      return list;
    };
    return {
      today: ymd(this.today()),
      occupations: this.occupations,
      // A cooperation agreement (劳务协作协议) in force sends the output region's laborers to the input region's jobs.
      agreement: (s, p) => {
        const list = pairsOf(s);
        for (let i = 0; i < list.length; i++) {
          if (s.village.startsWith(list[i]!.outputRegionCode) && p.workRegion.startsWith(list[i]!.inputRegionCode)) return true;
        }
        return false;
      },
      mayHaveAgreement: (s) => pairsOf(s).some((a) => s.village.startsWith(a.outputRegionCode)),
    };
  }

  /** Brings both lists up to date with the database; concurrent callers share one refresh. */
  async refresh(db: DbOrTx, onProgress?: (done: number) => void): Promise<void> {
    const start = () => {
      this.loading = this.doRefresh(db, onProgress).finally(() => {
        this.loading = null;
      });
      return this.loading;
    };
    if (!this.loading) return start();
    // The running refresh may have begun before the caller's change was committed: one more after
    // it, shared by all who arrive meanwhile (16 callers at once make two refreshes, not sixteen).
    this.following ??= this.loading
      .catch(() => undefined)
      .then(() => {
        this.following = null;
        return this.loading ?? start();
      });
    return this.following;
  }

  private async doRefresh(db: DbOrTx, onProgress?: (done: number) => void) {
    if (!this.watermark) {
      const mark = await repo.changeWatermark(db);
      let after = 0;
      for (;;) {
        const rows = await repo.seekerPage(db, after, PAGE);
        for (const r of rows) {
          const s = compileSeeker(r, this.vocabulary, this.occupations);
          this.sorted.push(s);
          this.live.set(s.id, s);
        }
        if (rows.length) after = Number(rows[rows.length - 1]!.id);
        onProgress?.(this.sorted.length);
        if (rows.length < PAGE) break;
      }
      this.maxId = Math.max(this.maxId, after);
      this.sorted.sort(byVillage);
      this.watermark = mark;
    } else {
      const probe = await repo.refreshProbe(db, this.watermark, this.maxId);
      for (const r of probe.changes) this.apply(r);
      this.watermark = probe.mark;
      if (this.extra.length > 20_000) this.resort();
      if (probe.version === this.postingsVersion) return;
    }
    const version = await repo.postingsVersion(db);
    if (version !== this.postingsVersion) {
      const rows = await repo.openPostings(db, this.today());
      this.agreements = await activeAgreementPairs(db, this.today());
      this.postingRows = new Map(rows.map((r) => [Number(r.id), r]));
      this.postingIndex = new PostingIndex(rows.map((r) => compilePosting(r, this.vocabulary, this.occupations)));
      this.postingsVersion = version;
    }
  }

  private apply(r: repo.SeekerRow) {
    const id = Number(r.id);
    this.maxId = Math.max(this.maxId, id);
    const old = this.live.get(id);
    if (!isSeeker(r)) {
      if (old) {
        old.retired = true;
        this.live.delete(id);
      }
      return;
    }
    const s = compileSeeker(r, this.vocabulary, this.occupations);
    if (old) old.retired = true;
    this.extra.push(s);
    this.live.set(id, s);
  }

  private resort() {
    this.sorted = [...this.sorted.filter((s) => !s.retired), ...this.extra].sort(byVillage);
    this.extra = [];
  }

  get postings(): PostingIndex {
    if (!this.postingIndex) throw new Error('market not loaded');
    return this.postingIndex;
  }

  postingRow(id: number): repo.PostingRow | undefined {
    return this.postingRows.get(id);
  }

  get seekerCount(): number {
    return this.live.size;
  }

  seeker(id: number): Seeker | undefined {
    return this.live.get(id);
  }

  /** The demand list of a region and everything below it, in village order. */
  seekersIn(regionCode: string): Seeker[] {
    const out: Seeker[] = [];
    this.scan(regionCode, (s) => out.push(s));
    return out;
  }

  /**
   * Visits the demand list of a region: one binary search, then a run of the sorted array (plain
   * loops: a generator here costs more than the scoring).
   */
  scan(regionCode: string, visit: (s: Seeker) => void): void {
    const hi = regionRangeEnd(regionCode);
    const sorted = this.sorted;
    const end = lowerBound(sorted, hi);
    for (let i = lowerBound(sorted, regionCode); i < end; i++) {
      const s = sorted[i]!;
      if (!s.retired) visit(s);
    }
    for (const s of this.extra) if (s.village >= regionCode && s.village < hi && !s.retired) visit(s);
  }
}
