import { describe, expect, it } from 'vitest';
import { occupationAffinity } from '../../../../contracts/occupations.ts';
import { OccupationSpace, Vocabulary, type Posting, type Seeker } from './features.ts';
import { PostingIndex, topCandidates } from './engine.ts';
import { evaluate, tieBreak, type Explanation, type MatchContext } from './score.ts';
import { countBlockingPairs, stableMatch } from './stable.ts';
import { Rng } from '../../generate/random.ts';

const occupations = new OccupationSpace();
const vocabulary = new Vocabulary();
const ctx: MatchContext = { today: 20261123, occupations, agreement: () => false, mayHaveAgreement: () => false };
const explain = { vocabulary, placeOf: (p: Posting) => `地区${p.county}` };

const JOBS = ['缝纫工', '保洁员', '普工', '厨师', '快递员', '电子装配工', '保安员'];
// 990392: 日本 (a place abroad, regions module abroad.ts): only 出国务工 reaches it, and only in good health.
const COUNTIES = [430522, 430521, 431224, 433124, 440307, 440106, 370102, 990392];
const SKILLS = ['缝纫', '电焊', '烹饪', '驾驶'].map((w) => vocabulary.id(w));

function world(seed: number, seekers: number, postings: number) {
  const rng = new Rng(seed);
  const occIds = occupations.codes.map((_, i) => i).filter((i) => occupations.codes[i]!.split('-').length === 4);
  const ps: Posting[] = [];
  for (let i = 0; i < postings; i++) {
    const county = rng.pick(COUNTIES);
    const wageMin = 1800 + Math.floor(rng.next() * 30) * 100;
    ps.push({
      id: i + 1,
      employerId: 1,
      workRegion: String(county),
      county,
      city: Math.floor(county / 100),
      province: Math.floor(county / 10000),
      occupation: rng.pick(occIds.length ? occIds : [0]),
      wageMin,
      wageMax: wageMin + Math.floor(rng.next() * 20) * 100,
      food: rng.next() < 0.5,
      housing: rng.next() < 0.5,
      ageMin: 16,
      ageMax: 40 + Math.floor(rng.next() * 25),
      minEducation: rng.next() < 0.3 ? 4 : 0,
      skills: rng.next() < 0.3 ? Int32Array.of(rng.pick(SKILLS)) : new Int32Array(0),
      certificates: new Int32Array(0),
      reserved: rng.next() < 0.2,
      openings: 1 + Math.floor(rng.next() * 4),
    });
  }
  const ss: Seeker[] = [];
  for (let i = 0; i < seekers; i++) {
    const county = rng.pick(COUNTIES.slice(0, 4));
    const wanted = rng.next() < 0.15 ? [] : [occupations.idOfJobType(rng.pick(JOBS))].filter((x) => x >= 0);
    ss.push({
      id: i + 1,
      village: `${county}100200`,
      county,
      city: Math.floor(county / 100),
      province: Math.floor(county / 10000),
      birth: 19600101 + Math.floor(rng.next() * 45) * 10000,
      education: 1 + Math.floor(rng.next() * 6),
      capacity: rng.next() < 0.85 ? 0 : 1,
      willingness: rng.pick([0, 1, 2, 3, 3, 4]),
      caring: rng.next() < 0.4 ? rng.pick([1, 2, 3]) : 0,
      healthy: rng.next() < 0.85,
      status: 0,
      poverty: rng.pick([1, 2]),
      wage: rng.next() < 0.2 ? -1 : 2000 + Math.floor(rng.next() * 30) * 100,
      wanted: Int32Array.from(wanted),
      skills: rng.next() < 0.5 ? Int32Array.of(rng.pick(SKILLS)) : new Int32Array(0),
      certificates: new Int32Array(0),
      past: new Int32Array(0),
      retired: false,
    });
  }
  return { seekers: ss, index: new PostingIndex(ps) };
}

describe('matching engine', () => {
  it('returns exactly the exhaustive top 10, while scoring fewer pairs', () => {
    const { seekers, index } = world(7, 400, 3000);
    const stats = { scored: 0, bucketsVisited: 0 };
    for (const s of seekers) {
      const fast = index.top(s, ctx, 10, stats).map((r) => [r.posting.id, r.score]);
      const slow = index.topExhaustive(s, ctx, 10).map((r) => [r.posting.id, r.score]);
      expect(fast).toEqual(slow);
    }
    expect(stats.scored).toBeLessThan(400 * 3000);
  });

  it('explains a pair with the same score it ranks by, and names the failed hard condition', () => {
    const { seekers, index } = world(11, 50, 300);
    let refused = 0;
    for (const s of seekers) {
      for (const p of index.postings.slice(0, 50)) {
        const out: Explanation = { score: null, reasons: [], refused: null };
        const score = evaluate(s, p, ctx, out, explain);
        if (score < 0) {
          refused++;
          expect(out.refused).toBeTruthy();
          expect(out.score).toBeNull();
        } else {
          expect(out.score).toBe(score / 10);
          expect(out.reasons.some((r) => r.startsWith('期望月薪') || r.startsWith('未填写期望月薪'))).toBe(true);
        }
      }
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('tells a laborer with no wishes that the recommendation follows the posting alone', () => {
    const { seekers, index } = world(3, 200, 400);
    const s = seekers.find((x) => x.wanted.length === 0 && x.willingness >= 3 && x.caring === 0)!;
    const [first] = index.top(s, ctx, 1);
    const out: Explanation = { score: null, reasons: [], refused: null };
    evaluate(s, first!.posting, ctx, out, explain);
    expect(out.reasons).toContain('未填写期望工种，按岗位条件推荐');
  });

  it('candidates for a posting are the best-scored eligible seekers', () => {
    const { seekers, index } = world(5, 2000, 200);
    const p = index.postings[0]!;
    const top = topCandidates(seekers, p, ctx, 50);
    const all = seekers.map((s) => ({ id: s.id, score: evaluate(s, p, ctx), tie: tieBreak(s.id, p.id) })).filter((x) => x.score >= 0);
    all.sort((a, b) => b.score - a.score || a.tie - b.tie);
    expect(top.map((t) => t.seeker.id)).toEqual(all.slice(0, 50).map((x) => x.id));
  });

  it('batch matching respects capacities and leaves no blocking pair', async () => {
    const { seekers, index } = world(9, 3000, 600);
    const result = await stableMatch(seekers, index, ctx, { listLength: 10 });
    expect(result.matched).toBeGreaterThan(0);
    expect(result.matched + result.unmatchedNoEligible + result.unmatchedAllFilled).toBe(seekers.length);
    const perPosting = new Map<number, number>();
    for (const p of result.match) if (p >= 0) perPosting.set(p, (perPosting.get(p) ?? 0) + 1);
    for (const [p, n] of perPosting) expect(n).toBeLessThanOrEqual(index.postings[p]!.openings);
    expect(countBlockingPairs(seekers, index, ctx, result)).toBe(0);
  });

  it('the stability check finds a blocking pair when one is planted', async () => {
    const { seekers, index } = world(9, 3000, 600);
    const result = await stableMatch(seekers, index, ctx, { listLength: 10 });
    // Unmatch a matched seeker whose first choice was granted: that posting now has room they want.
    const i = result.match.findIndex((p, k) => p >= 0 && result.lists[k * 10] === p);
    result.match[i] = -1;
    expect(countBlockingPairs(seekers, index, ctx, result)).toBeGreaterThan(0);
  });
});

describe('OccupationSpace', () => {
  it('gives the affinity of the codes themselves for any two occupations of the whole table', () => {
    const n = occupations.codes.length;
    expect(n).toBe(8 + 79 + 449 + 1636);
    const rng = new Rng(7);
    // Every pair within the two major groups laborers mostly take (4 and 6), then random pairs anywhere.
    const near = occupations.codes.map((_, i) => i).filter((i) => /^[46]-0[1-5]/.test(occupations.codes[i]!));
    const pairs: [number, number][] = [];
    for (const a of near) for (const b of near) pairs.push([a, b]);
    for (let i = 0; i < 20_000; i++) pairs.push([rng.int(0, n - 1), rng.int(0, n - 1)]);
    const wrong: string[] = [];
    for (const [a, b] of pairs) {
      const expected = occupationAffinity(occupations.codes[a], occupations.codes[b]);
      if (occupations.level(a, b) !== expected.level || occupations.weight(a, b) !== Math.round(expected.weight * 1000))
        wrong.push(`${occupations.codes[a]} × ${occupations.codes[b]}`);
    }
    expect(pairs.length).toBeGreaterThan(50_000);
    expect(wrong).toEqual([]);
  });
});
