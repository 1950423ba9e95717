import type { Posting, Seeker } from './features.ts';
import type { PostingIndex } from './engine.ts';
import { employerPreference, tieBreak, type MatchContext } from './score.ts';

interface Held {
  seeker: number;
  pref: number;
  tie: number;
}

/**
 * Batch matching for a region: deferred acceptance with capacities (Gale–Shapley, job seekers
 * proposing; Roth's college-admissions form). Each job seeker ranks their `listLength` best
 * postings by the pair score (the recommendations they would see); each posting ranks the
 * seekers who propose by the employer's preference (employerPreference), and holds at most its
 * open headcount. The result is stable: no seeker and posting on the seeker's list would both
 * rather have each other than what they got. Seeker-proposing gives every seeker the best posting
 * any stable matching could give them.
 *
 * A seeker's list is truncated to their best `listLength` postings (20 by default): a posting
 * ranked lower is one the seeker was never shown, the same convention as the rank-order lists of
 * centralised clearinghouses. Stability is with respect to these lists, and `verifyStable`
 * checks exactly that.
 */
export interface StableOptions {
  listLength: number;
  onProgress?: (phase: 'rank' | 'match', done: number, total: number) => void;
  /** Give the event loop a turn every this many seekers (a server keeps answering during a run). */
  yieldEvery?: number;
}

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface StableResult {
  /** For each seeker (by position in the input), the position of their posting in index.postings, or -1. */
  match: Int32Array;
  /** For each seeker, their ranked postings (positions), -1 past the end. */
  lists: Int32Array;
  listLength: number;
  /** The score of each seeker's match (tenths), -1 when unmatched. */
  scores: Int32Array;
  matched: number;
  unmatchedNoEligible: number;
  unmatchedAllFilled: number;
  proposals: number;
}

export async function stableMatch(
  seekers: readonly Seeker[],
  index: PostingIndex,
  ctx: MatchContext,
  options: StableOptions,
): Promise<StableResult> {
  const K = options.listLength;
  const n = seekers.length;
  const postings = index.postings;
  const position = new Map<Posting, number>();
  for (const [i, p] of postings.entries()) position.set(p, i);

  const lists = new Int32Array(n * K).fill(-1);
  const listScores = new Int32Array(n * K).fill(-1);
  for (let i = 0; i < n; i++) {
    const top = index.top(seekers[i]!, ctx, K);
    for (let j = 0; j < top.length; j++) {
      lists[i * K + j] = position.get(top[j]!.posting)!;
      listScores[i * K + j] = top[j]!.score;
    }
    if (options.onProgress && (i + 1) % 5000 === 0) options.onProgress('rank', i + 1, n);
    if (options.yieldEvery && (i + 1) % options.yieldEvery === 0) await breathe();
  }
  options.onProgress?.('rank', n, n);

  // Each posting holds its seekers in a min-heap by the employer's preference (worst on top).
  const held: Held[][] = postings.map(() => []);
  const next = new Int32Array(n);
  const match = new Int32Array(n).fill(-1);
  // The posting's tie-break among laborers it likes equally: its own lottery (score.ts tieBreak).
  const worse = (a: Held, b: Held) => a.pref < b.pref || (a.pref === b.pref && a.tie > b.tie);

  const queue: number[] = [];
  for (let i = n - 1; i >= 0; i--) if (lists[i * K] !== -1) queue.push(i);
  let proposals = 0;
  let settled = 0;
  while (queue.length) {
    const i = queue.pop()!;
    let placed = false;
    while (!placed && next[i]! < K) {
      const p = lists[i * K + next[i]!]!;
      next[i]!++;
      if (p === -1) break;
      proposals++;
      const heap = held[p]!;
      const entry = { seeker: i, pref: employerPreference(seekers[i]!, postings[p]!, ctx), tie: tieBreak(postings[p]!.id, seekers[i]!.id) };
      if (heap.length < postings[p]!.openings) {
        heapPush(heap, entry, worse);
        match[i] = p;
        placed = true;
      } else if (heap.length > 0 && worse(heap[0]!, entry)) {
        const evicted = heapReplace(heap, entry, worse);
        match[evicted.seeker] = -1;
        queue.push(evicted.seeker);
        match[i] = p;
        placed = true;
      }
    }
    settled++;
    if (options.onProgress && settled % 20000 === 0) options.onProgress('match', Math.min(settled, n), n);
  }
  options.onProgress?.('match', n, n);

  const scores = new Int32Array(n).fill(-1);
  let matched = 0;
  let unmatchedNoEligible = 0;
  for (let i = 0; i < n; i++) {
    if (match[i] !== -1) {
      matched++;
      for (let j = 0; j < K; j++) if (lists[i * K + j] === match[i]) scores[i] = listScores[i * K + j]!;
    } else if (lists[i * K] === -1) unmatchedNoEligible++;
  }
  return {
    match,
    lists,
    listLength: K,
    scores,
    matched,
    unmatchedNoEligible,
    unmatchedAllFilled: n - matched - unmatchedNoEligible,
    proposals,
  };
}

/**
 * Blocking pairs of a matching: a seeker and a posting the seeker ranked above their match (or
 * any on their list, when unmatched) that has a free place or holds someone it likes less.
 * Also checks capacities. Returns the count; 0 means stable.
 */
export function countBlockingPairs(seekers: readonly Seeker[], index: PostingIndex, ctx: MatchContext, result: StableResult): number {
  const { match, lists, listLength: K } = result;
  const postings = index.postings;
  const worstPref = new Array<{ pref: number; tie: number } | null>(postings.length).fill(null);
  const count = new Int32Array(postings.length);
  for (let i = 0; i < seekers.length; i++) {
    const p = match[i]!;
    if (p === -1) continue;
    count[p]!++;
    const pref = employerPreference(seekers[i]!, postings[p]!, ctx);
    const tie = tieBreak(postings[p]!.id, seekers[i]!.id);
    const w = worstPref[p];
    if (!w || pref < w.pref || (pref === w.pref && tie > w.tie)) worstPref[p] = { pref, tie };
  }
  let blocking = 0;
  for (let p = 0; p < postings.length; p++) if (count[p]! > postings[p]!.openings) blocking++;
  for (let i = 0; i < seekers.length; i++) {
    for (let j = 0; j < K; j++) {
      const p = lists[i * K + j]!;
      if (p === -1 || p === match[i]) break;
      if (count[p]! < postings[p]!.openings) {
        blocking++;
        continue;
      }
      const pref = employerPreference(seekers[i]!, postings[p]!, ctx);
      const w = worstPref[p]!;
      if (pref > w.pref || (pref === w.pref && tieBreak(postings[p]!.id, seekers[i]!.id) < w.tie)) blocking++;
    }
  }
  return blocking;
}

type Worse<T> = (a: T, b: T) => boolean;

function heapPush<T>(heap: T[], item: T, worse: Worse<T>) {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!worse(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

/** Replaces the worst (the top) with item; returns the one replaced. */
function heapReplace<T>(heap: T[], item: T, worse: Worse<T>): T {
  const top = heap[0]!;
  heap[0] = item;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
    if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
    if (m === i) break;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
  return top;
}
