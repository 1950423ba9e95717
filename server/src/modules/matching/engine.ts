import type { Posting, Seeker } from './features.ts';
import { evaluate, foodHousingPoints, INELIGIBLE, tieBreak, wagePoints, type MatchContext } from './score.ts';

/**
 * The matching index over open postings, and the searches on it.
 *
 * Top postings for a laborer: a laborer who works only in the home county (不愿外出, 县内, or
 * caring for family) is scored against that county's postings alone. For the others, postings are
 * grouped in buckets by (occupation, province); each bucket carries the best values any of its
 * postings offers (highest wages, food, housing, reserved posts, the union of skills and
 * certificates asked for), from which an upper bound of any score in it follows (every score
 * component is non-decreasing in these). Buckets are visited best bound first and the search stops
 * when the next bound is below the k-th best score found: the result is exactly the exhaustive
 * one, which the bench checks against a scorer that scores every pair.
 */

/**
 * Best k by score, ties by a tie-break key (lower first): a small sorted array, enough for k up
 * to a few hundred.
 */
export class TopK<T> {
  readonly items: T[] = [];
  readonly scores: number[] = [];
  readonly ties: number[] = [];
  constructor(readonly k: number) {}
  get full() {
    return this.items.length >= this.k;
  }
  /** The score an entry must reach to enter (ties enter by a lower key). */
  get floor() {
    return this.full ? this.scores[this.k - 1]! : -Infinity;
  }
  offer(item: T, score: number, tie: number): void {
    if (score < 0 || this.k <= 0) return;
    const n = this.items.length;
    if (n >= this.k) {
      const worst = this.scores[n - 1]!;
      if (score < worst || (score === worst && tie >= this.ties[n - 1]!)) return;
      this.items.pop();
      this.scores.pop();
      this.ties.pop();
    }
    let i = this.items.length;
    while (i > 0 && (this.scores[i - 1]! < score || (this.scores[i - 1] === score && this.ties[i - 1]! > tie))) i--;
    this.items.splice(i, 0, item);
    this.scores.splice(i, 0, score);
    this.ties.splice(i, 0, tie);
  }
}

interface Bucket {
  occupation: number;
  province: number;
  postings: Posting[];
  maxWageMin: number;
  maxWageMax: number;
  food: boolean;
  housing: boolean;
  reserved: boolean;
  skills: Set<number>;
  certificates: Set<number>;
  /** The bucket split by what a posting offers anyone (food, housing, reserved post), best first. */
  subs: Sub[];
}

/**
 * Postings of one bucket with the same offer, best-paid first (by the minimum wage), with suffix
 * maxima: from position i on, none pays a higher minimum than sufMin[i] nor a higher maximum than
 * sufMax[i], so a scan can stop as soon as that pay cannot reach the k-th score.
 */
interface Sub {
  offer: number;
  postings: Posting[];
  sufMin: Int32Array;
  sufMax: Int32Array;
}

const offerOf = (p: Posting) => foodHousingPoints(1, p.food, p.housing) + (p.reserved ? 80 : 0);

export interface SearchStats {
  scored: number;
  bucketsVisited: number;
}

export class PostingIndex {
  readonly byId = new Map<number, Posting>();
  private readonly byCounty = new Map<number, Posting[]>();
  private readonly bucketsByProvince = new Map<number, Bucket[]>();
  private readonly buckets: Bucket[] = [];
  /** Scratch for top(): bucket bounds and the heap over them (one search at a time: top() never yields). */
  private fixed = new Float64Array(0);
  private bounds = new Float64Array(0);
  private heap = new Int32Array(0);

  constructor(readonly postings: readonly Posting[]) {
    const keyed = new Map<string, Bucket>();
    for (const p of postings) {
      this.byId.set(p.id, p);
      push(this.byCounty, p.county, p);
      const key = `${p.occupation}:${p.province}`;
      let b = keyed.get(key);
      if (!b) {
        b = {
          occupation: p.occupation,
          province: p.province,
          postings: [],
          maxWageMin: 0,
          maxWageMax: 0,
          food: false,
          housing: false,
          reserved: false,
          skills: new Set(),
          certificates: new Set(),
          subs: [],
        };
        keyed.set(key, b);
        this.buckets.push(b);
        push(this.bucketsByProvince, p.province, b);
      }
      b.postings.push(p);
      b.maxWageMin = Math.max(b.maxWageMin, p.wageMin);
      b.maxWageMax = Math.max(b.maxWageMax, p.wageMax);
      b.food ||= p.food;
      b.housing ||= p.housing;
      b.reserved ||= p.reserved;
      for (const s of p.skills) b.skills.add(s);
      for (const c of p.certificates) b.certificates.add(c);
    }
    for (const b of this.buckets) {
      const byOffer = new Map<number, Posting[]>();
      for (const p of b.postings) push(byOffer, offerOf(p), p);
      b.subs = [...byOffer]
        .sort((x, y) => y[0] - x[0])
        .map(([offer, list]) => {
          list.sort((x, y) => y.wageMin - x.wageMin || y.wageMax - x.wageMax || x.id - y.id);
          const n = list.length;
          const sufMin = new Int32Array(n);
          const sufMax = new Int32Array(n);
          for (let i = n - 1; i >= 0; i--) {
            sufMin[i] = Math.max(list[i]!.wageMin, i + 1 < n ? sufMin[i + 1]! : 0);
            sufMax[i] = Math.max(list[i]!.wageMax, i + 1 < n ? sufMax[i + 1]! : 0);
          }
          return { offer, postings: list, sufMin, sufMax };
        });
    }
  }

  get size() {
    return this.postings.length;
  }

  /** The k best postings for a seeker, best first; exact (see above). */
  top(s: Seeker, ctx: MatchContext, k: number, stats?: SearchStats): { posting: Posting; score: number }[] {
    const best = new TopK<Posting>(k);
    const nearOnly = s.willingness <= 1 || s.caring > 0;
    if (nearOnly) {
      for (const p of this.byCounty.get(s.county) ?? []) best.offer(p, evaluate(s, p, ctx), tieBreak(s.id, p.id));
      if (stats) stats.scored += this.byCounty.get(s.county)?.length ?? 0;
    } else {
      const buckets = s.willingness === 2 ? (this.bucketsByProvince.get(s.province) ?? []) : this.buckets;
      // Bounds in reused arrays and a binary heap instead of a sorted copy: a search usually stops
      // after a few buckets, so ordering all of them (a campaign does it 600,000 times) was waste.
      const n = buckets.length;
      if (this.heap.length < n) {
        this.fixed = new Float64Array(n);
        this.bounds = new Float64Array(n);
        this.heap = new Int32Array(n);
      }
      const { fixed, bounds, heap } = this;
      const constant = seekerConstant(s, ctx);
      for (let i = 0; i < n; i++) {
        const b = buckets[i]!;
        const f = fixedBound(s, b, ctx, constant);
        let m = 0;
        for (const sub of b.subs) m = Math.max(m, sub.offer + wagePoints(s.wage, sub.sufMin[0]!, sub.sufMax[0]!));
        fixed[i] = f;
        bounds[i] = f + m;
        heap[i] = i;
      }
      let size = n;
      for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(heap, bounds, i, size);
      while (size > 0) {
        const i = heap[0]!;
        heap[0] = heap[--size]!;
        siftDown(heap, bounds, 0, size);
        if (best.full && bounds[i]! < best.floor) break;
        const b = buckets[i]!;
        if (stats) stats.bucketsVisited++;
        const base = fixed[i]!;
        for (const sub of b.subs) {
          const top = base + sub.offer;
          for (let j = 0; j < sub.postings.length; j++) {
            // Stop when nothing further on in this part can reach the k-th score.
            if (best.full && top + wagePoints(s.wage, sub.sufMin[j]!, sub.sufMax[j]!) < best.floor) break;
            const p = sub.postings[j]!;
            if (stats) stats.scored++;
            best.offer(p, evaluate(s, p, ctx), tieBreak(s.id, p.id));
          }
        }
      }
    }
    return best.items.map((posting, i) => ({ posting, score: best.scores[i]! }));
  }

  /** The reference: every posting scored, sorted. */
  topExhaustive(s: Seeker, ctx: MatchContext, k: number): { posting: Posting; score: number }[] {
    const scored: { posting: Posting; score: number; tie: number }[] = [];
    for (const p of this.postings) {
      const score = evaluate(s, p, ctx);
      if (score !== INELIGIBLE) scored.push({ posting: p, score, tie: tieBreak(s.id, p.id) });
    }
    scored.sort((a, b) => b.score - a.score || a.tie - b.tie);
    return scored.slice(0, k).map(({ posting, score }) => ({ posting, score }));
  }

  /** How many postings a seeker qualifies for (the demand list's "matches" column). */
  countEligible(s: Seeker, ctx: MatchContext): number {
    const nearOnly = s.willingness <= 1 || s.caring > 0;
    let n = 0;
    if (nearOnly) {
      for (const p of this.byCounty.get(s.county) ?? []) if (evaluate(s, p, ctx) !== INELIGIBLE) n++;
      return n;
    }
    const buckets = s.willingness === 2 ? (this.bucketsByProvince.get(s.province) ?? []) : this.buckets;
    for (const b of buckets) for (const p of b.postings) if (evaluate(s, p, ctx) !== INELIGIBLE) n++;
    return n;
  }
}

/**
 * An upper bound of evaluate(s, p) for every p in the bucket, without the pay and the
 * board-and-reserved points (the scan adds their bounds from the bucket's suffix maxima).
 */
/** The parts of fixedBound that depend on the seeker alone. */
function seekerConstant(s: Seeker, ctx: MatchContext): number {
  return (s.capacity === 0 ? 50 : 0) + (ctx.mayHaveAgreement(s) ? 60 : 0);
}

/** Max-heap of bucket indices by bound. */
function siftDown(heap: Int32Array, bounds: Float64Array, i: number, size: number) {
  const item = heap[i]!;
  const bound = bounds[item]!;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && bounds[heap[child + 1]!]! > bounds[heap[child]!]!) child++;
    if (bounds[heap[child]!]! <= bound) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = item;
}

function fixedBound(s: Seeker, b: Bucket, ctx: MatchContext, constant = seekerConstant(s, ctx)): number {
  let occ = 120;
  if (s.wanted.length) {
    let w = 0;
    for (let i = 0; i < s.wanted.length; i++) w = Math.max(w, ctx.occupations.weight(s.wanted[i]!, b.occupation));
    occ = Math.round((w * 300) / 1000);
  }
  let skills = 0;
  for (let i = 0; i < s.skills.length && !skills; i++) if (b.skills.has(s.skills[i]!)) skills = 160;
  let certs = 0;
  for (let i = 0; i < s.certificates.length && !certs; i++) if (b.certificates.has(s.certificates[i]!)) certs = 100;
  const distance = b.province === s.province ? 140 : 40 + (s.willingness >= 3 ? 40 : 0);
  const past = s.past.length && s.past.includes(b.occupation) ? 100 : 0;
  return occ + skills + certs + distance + past + constant;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The best candidates for a posting among the given seekers (a region's demand list). */
export function topCandidates(seekers: Iterable<Seeker>, p: Posting, ctx: MatchContext, k: number): { seeker: Seeker; score: number }[] {
  const best = new TopK<Seeker>(k);
  for (const s of seekers) {
    // The cheapest hard conditions first: most of a province fails on place alone.
    if (s.county !== p.county && (s.caring > 0 || s.willingness <= 1)) continue;
    best.offer(s, evaluate(s, p, ctx), tieBreak(s.id, p.id));
  }
  return best.items.map((seeker, i) => ({ seeker, score: best.scores[i]! }));
}
