import {
  INDICATORS,
  type Assessment,
  type AssessmentQueryInput,
  type AssessmentRow,
  type Indicator,
  type SetWeightsInput,
  type Weights,
} from '../../../../contracts/assessment.ts';
import type { Db, Tx } from '../../db/database.ts';
import { assertRegionInScope, regionContains } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { addDays, addMonths, chinaDayEnd, chinaQuarter, chinaToday } from '../../platform/time.ts';
import * as repo from './assessment.repo.ts';
import { statsTargetSource, type TargetSource } from './assessment.targets.ts';
import type { StatsService } from '../stats/index.ts';
import type { SocialInsuranceService } from '../social-insurance/index.ts';
import { ASSESSMENT_READERS } from '../../../../contracts/roles.ts';
export { ASSESSMENT_READERS };

const COLUMN: Record<Indicator, keyof repo.WeightsRow> = {
  cardsComplete: 'cards_complete',
  reconfirmed: 'reconfirmed',
  postingsPer1000: 'postings_per_1000',
  referralsPer1000: 'referrals_per_1000',
  followUpCoverage: 'follow_up_coverage',
  targetCompletion: 'target_completion',
  verifiedEmployment: 'verified_employment',
};

const presentWeights = (w: repo.WeightsRow) => ({
  version: w.version,
  weights: Object.fromEntries(INDICATORS.map((i) => [i, Number(w[COLUMN[i]])])) as Weights,
  setBy: w.set_by,
  setAt: w.set_at ? new Date(w.set_at).toISOString() : null,
  note: w.note,
});

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const share = (n: number, d: number) => (d > 0 ? n / d : null);

/** Figures older than this are not shown while a new computation runs: it is awaited instead. */
const SHOW_STALE_MS = 24 * 3600_000;

/**
 * Target completion comes from the statistics' service unless a test gives its own source.
 *
 * The province's figures (countyFigures, countyEvidence: every card, job and confirmation of the
 * province, seconds on a real one) are computed on `db` — the background connections, never a
 * request's — kept in assessment_figures (migration 0064), and reused for `reuseMs`. Older ones
 * are still shown, marked as being refreshed, while one computation in the background replaces
 * them; with none (or none of the last day) the read waits for the computation. Identical reads
 * share one computation, so nine admins opening the page at once run it once, and computations of
 * different days run one after another. Weights, targets
 * and overdue reviews are read live: they are small.
 */
export function createAssessmentService({
  audit,
  stats,
  targets = statsTargetSource(stats),
  overdueReviews,
  db,
  reuseMs = 0,
  log = () => {},
}: {
  audit: AuditLog;
  stats: Pick<StatsService, 'countyTransfers'>;
  targets?: TargetSource;
  /** The social-insurance comparison's overdue reviews per county, shown beside the score (not weighted). */
  overdueReviews?: Pick<SocialInsuranceService, 'overdueByCounty'>;
  /** Where the province's figures are computed and kept. */
  db: Db;
  /** How long computed figures are reused (config.assessmentReuseMs); 0: every read computes. */
  reuseMs?: number;
  log?: (message: string) => void;
}) {
  const computing = new Map<string, Promise<repo.ComputedFigures>>();
  // Figures this server computed in the last minute per province and day, with when they were
  // stored: a read whose look at assessment_figures began before they were stored, and that goes
  // on after their computation left `computing`, takes them instead of starting another.
  const justStored = new Map<string, { figures: repo.ComputedFigures; at: number }>();
  let queue: Promise<unknown> = Promise.resolve();

  /** One computation per province and day at a time; kept when done. */
  function compute(province: string, asOf: string): Promise<repo.ComputedFigures> {
    const key = `${province}|${asOf}`;
    const running = computing.get(key);
    if (running) return running;
    // One province computation at a time in this server (three of the background connections, both
    // cores for seconds): days asked for one after another wait their turn instead of piling up.
    const work = queue.then(async () => {
      const computedAt = new Date();
      const quarter = chinaQuarter(asOf);
      const yearAgo = addDays(asOf, -365);
      // Issue 21 item 3: the three months to the day, as the statistics' verification reads them.
      const verifiedFrom = addDays(addMonths(asOf, -3), 1);
      const [counties, evidence] = await Promise.all([
        repo.countyFigures(db, {
          province,
          asOf,
          today: asOf === chinaToday(),
          asOfEnd: chinaDayEnd(asOf),
          yearAgo,
          yearAgoStart: chinaDayEnd(yearAgo),
          quarterStart: quarter.start,
          quarterEnd: quarter.end,
        }),
        repo.countyEvidence(db, { province, asOf, from: verifiedFrom }),
      ]);
      const figures = { computedAt, counties, employment: [...evidence.employment], transfers: [...evidence.transfers] };
      await repo.storeFigures(db, province, asOf, figures);
      const at = Date.now();
      for (const [k, v] of justStored) if (at - v.at > 60_000) justStored.delete(k);
      justStored.set(key, { figures, at });
      return figures;
    });
    queue = work.catch(() => undefined);
    computing.set(key, work);
    const done = () => computing.delete(key);
    work.then(done, done);
    return work;
  }

  /** The province's figures for the day: kept ones if recent enough, else computed (see above). */
  async function provinceFigures(province: string, asOf: string): Promise<{ figures: repo.ComputedFigures; refreshing: boolean }> {
    const askedAt = Date.now();
    const stored = reuseMs > 0 ? await repo.storedFigures(db, province, asOf) : null;
    const recent = justStored.get(`${province}|${asOf}`);
    const kept =
      reuseMs > 0 && recent && recent.at >= askedAt && !(stored && stored.computedAt >= recent.figures.computedAt)
        ? recent.figures
        : stored;
    const age = kept ? Date.now() - kept.computedAt.getTime() : Number.POSITIVE_INFINITY;
    if (kept && age < reuseMs) return { figures: kept, refreshing: false };
    if (kept && age < SHOW_STALE_MS) {
      compute(province, asOf).catch((error: unknown) =>
        log(`量化考核数据重新计算失败（${province}，${asOf}）：${error instanceof Error ? error.message : error}`),
      );
      return { figures: kept, refreshing: true };
    }
    return { figures: await compute(province, asOf), refreshing: false };
  }

  /** Bad input gets a clear answer: a region of the caller's, a day from 2016 to today. */
  function checkQuery(actor: Actor, query: AssessmentQueryInput) {
    const region = query.region ?? actor.regionCode;
    assertRegionInScope(actor, region);
    const today = chinaToday();
    const asOf = query.asOf ?? today;
    if (asOf > today || asOf < '2016-01-01') throw new AppError('DASHBOARD_DATE_RANGE', undefined, { field: 'asOf' });
    return { region, asOf, province: region.slice(0, 2) };
  }

  /**
   * Today's figures computed ahead of the first look of the day, for each province whose
   * assessment was looked at in the last month; how many were computed.
   */
  async function prepareToday(): Promise<number> {
    const today = chinaToday();
    const provinces = await repo.provincesWithout(db, today, addDays(today, -31));
    for (const province of provinces) await compute(province, today);
    return provinces.length;
  }

  return {
    prepareToday,

    /** prepareToday at start and every `everyMs` after (the server's main); the returned function stops it. */
    startPreparing(everyMs = 10 * 60_000): () => void {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const round = async () => {
        await prepareToday().catch((error: unknown) => log(`量化考核数据预先计算失败：${error instanceof Error ? error.message : error}`));
        if (!stopped) {
          timer = setTimeout(round, everyMs);
          timer.unref();
        }
      };
      timer = setTimeout(round, 0);
      timer.unref();
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      };
    },

    /**
     * The province's figures an assessment is scored from, read or computed outside the request's
     * transaction (a computation can take longer than a transaction may stay idle).
     */
    async figures(actor: Actor, query: AssessmentQueryInput) {
      const { province, asOf } = checkQuery(actor, query);
      return provinceFigures(province, asOf);
    },

    async weights(tx: Tx) {
      const history = await repo.weightsHistory(tx);
      return { current: presentWeights(history[0]!), history: history.map(presentWeights) };
    },

    /** Province admins only; whole, non-negative points summing to 100. */
    async setWeights(tx: Tx, actor: Actor, input: SetWeightsInput) {
      if (actor.role !== 'admin' || actor.regionCode.length !== 2) throw new AppError('ASSESSMENT_PROVINCE_ONLY');
      const values = INDICATORS.map((i) => input.weights[i]);
      const negative = INDICATORS.filter((i) => input.weights[i] < 0);
      if (negative.length) throw new AppError('ASSESSMENT_WEIGHTS_NEGATIVE', undefined, { fields: negative });
      const sum = values.reduce((s, v) => s + v, 0);
      if (sum !== 100) throw new AppError('ASSESSMENT_WEIGHTS_SUM', `考核权重合计须为 100，当前合计 ${sum}`, { sum });
      const row = Object.fromEntries(INDICATORS.map((i) => [COLUMN[i], input.weights[i]])) as unknown as Omit<
        repo.WeightsRow,
        'version' | 'set_by' | 'set_at'
      >;
      const version = await repo.insertWeights(tx, { ...row, note: input.note?.trim() || null, setBy: actor.id });
      await audit.record(
        tx,
        { actor, ip: actor.ip },
        { action: 'assessment.weights', entity: 'assessment_weights', entityId: version, details: { weights: input.weights } },
      );
      return presentWeights(await repo.currentWeights(tx));
    },

    /**
     * Every county of the caller's province is scored (so a county's score and rank are the same
     * whoever looks); the caller gets the rows inside its region: the province all, a city its
     * counties, a county its own.
     */
    async assess(
      tx: Tx,
      actor: Actor,
      query: AssessmentQueryInput,
      computed: { figures: repo.ComputedFigures; refreshing: boolean },
    ): Promise<Assessment> {
      const { region, asOf, province } = checkQuery(actor, query);
      const quarter = chinaQuarter(asOf);
      const { figures: kept, refreshing } = computed;
      const figures = kept.counties;
      const evidence = { employment: new Map(kept.employment), transfers: new Map(kept.transfers) };
      const weights = presentWeights(await repo.currentWeights(tx));
      const targetFigures = await targets(tx, province, asOf);
      const overdue = overdueReviews ? await overdueReviews.overdueByCounty(tx, province, asOf) : new Map<string, number>();
      const targetsAvailable = [...targetFigures.values()].some((t) => t.target !== null && t.target > 0);

      const per1000 = (n: number, unemployed: number) => (unemployed > 0 ? (n * 1000) / unemployed : null);
      const raw = figures.map((c) => {
        const t = targetFigures.get(c.code);
        const jobs = evidence.employment.get(c.code);
        // Target completion counts the new transfers whose job of the year was confirmed (docs/domain.md §10), over the statistics' target.
        const confirmedTransfers = evidence.transfers.get(c.code)?.confirmed ?? 0;
        return {
          c,
          cardsComplete: { n: c.complete, d: c.cards, value: share(c.complete, c.cards) },
          reconfirmed: { n: c.confirmed, d: c.cards, value: share(c.confirmed, c.cards) },
          postingsPer1000: { n: c.postings, d: c.unemployed, value: per1000(c.postings, c.unemployed) },
          referralsPer1000: { n: c.referrals, d: c.unemployed, value: per1000(c.referrals, c.unemployed) },
          followUpCoverage: { n: c.follow_ups_done, d: c.follow_ups_due, value: share(c.follow_ups_done, c.follow_ups_due) },
          targetCompletion: {
            n: t ? confirmedTransfers : null,
            d: t?.target ?? null,
            value: t?.target ? confirmedTransfers / t.target : null,
          },
          verifiedEmployment: { n: jobs?.confirmed ?? 0, d: jobs?.employed ?? 0, value: share(jobs?.confirmed ?? 0, jobs?.employed ?? 0) },
        };
      });
      // Shares are already 0–1 (×100; target completion capped at 100 %); rates per 1,000 are
      // scaled to the best county of the province (its rate = 100).
      const best = (i: 'postingsPer1000' | 'referralsPer1000') => Math.max(0, ...raw.map((r) => r[i].value ?? 0));
      const bestRate = { postingsPer1000: best('postingsPer1000'), referralsPer1000: best('referralsPer1000') };
      const normalise = (i: Indicator, value: number | null) => {
        if (value === null) return null;
        if (i === 'postingsPer1000' || i === 'referralsPer1000') return bestRate[i] > 0 ? (value / bestRate[i]) * 100 : 0;
        return Math.min(1, value) * 100;
      };
      const link = (i: Indicator, code: string): string | null =>
        ({
          cardsComplete: `/laborers?region=${code}`,
          reconfirmed: `/laborers?region=${code}&confirmed=true`,
          postingsPer1000: `/postings?region=${code}&openOnly=true`,
          referralsPer1000: '/referrals',
          followUpCoverage: '/retention',
          targetCompletion: null,
          verifiedEmployment: `/stats?region=${code}`,
        })[i];
      const scored = raw.map((r) => {
        const indicators = {} as AssessmentRow['indicators'];
        let points = 0;
        let weightUsed = 0;
        for (const i of INDICATORS) {
          const normalised = normalise(i, r[i].value);
          const w = weights.weights[i];
          // An indicator with nothing to measure (no target set, no follow-up due) is left out and
          // the other weights count in proportion, so no county gains or loses by it.
          if (normalised !== null) {
            points += w * normalised;
            weightUsed += w;
          }
          const note = i === 'targetCompletion' && r[i].value === null ? '目标未设置' : r[i].value === null ? '无可计算的记录' : null;
          indicators[i] = {
            numerator: r[i].n,
            denominator: r[i].d,
            value: r[i].value === null ? null : round(r[i].value!),
            normalised: normalised === null ? null : round(normalised, 1),
            note,
            link: link(i, r.c.code),
          };
        }
        return {
          county: { code: r.c.code, name: r.c.name, city: r.c.city },
          score: weightUsed > 0 ? round(points / weightUsed, 1) : 0,
          indicators,
          overdueReviews: overdue.get(r.c.code) ?? 0,
        };
      });
      scored.sort((a, b) => b.score - a.score || a.county.code.localeCompare(b.county.code));
      // Standard competition ranking: equal scores share a rank.
      const ranked = scored.map((row, index) => ({ ...row, rank: index }));
      for (let k = 0; k < ranked.length; k++)
        ranked[k]!.rank = k > 0 && ranked[k]!.score === ranked[k - 1]!.score ? ranked[k - 1]!.rank : k + 1;
      const visible = ranked.filter(
        (row) => regionContains(region, row.county.code) || (region.length > 6 && regionContains(row.county.code, region)),
      );
      await audit.record(
        tx,
        { actor, ip: actor.ip },
        { action: 'assessment.view', entity: 'region', entityId: region, details: { asOf, rows: visible.length } },
      );
      return {
        asOf,
        quarter: quarter.label,
        weights,
        counties: ranked.length,
        rows: visible,
        targetsAvailable,
        computedAt: kept.computedAt.toISOString(),
        refreshing,
      };
    },
  };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
