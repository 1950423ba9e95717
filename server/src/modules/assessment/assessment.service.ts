import {
  INDICATORS,
  type Assessment,
  type AssessmentQueryInput,
  type AssessmentRow,
  type Indicator,
  type SetWeightsInput,
  type Weights,
} from '../../../../contracts/assessment.ts';
import type { Tx } from '../../db/database.ts';
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

/** Target completion comes from the statistics' service unless a test gives its own source. */
export function createAssessmentService({
  audit,
  stats,
  targets = statsTargetSource(stats),
  overdueReviews,
}: {
  audit: AuditLog;
  stats: Pick<StatsService, 'countyTransfers'>;
  targets?: TargetSource;
  /** The social-insurance comparison's overdue reviews per county, shown beside the score (not weighted). */
  overdueReviews?: Pick<SocialInsuranceService, 'overdueByCounty'>;
}) {
  return {
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
    async assess(tx: Tx, actor: Actor, query: AssessmentQueryInput): Promise<Assessment> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const today = chinaToday();
      const asOf = query.asOf ?? today;
      if (asOf > today || asOf < '2016-01-01') throw new AppError('DASHBOARD_DATE_RANGE', undefined, { field: 'asOf' });
      const quarter = chinaQuarter(asOf);
      const yearAgo = addDays(asOf, -365);
      const province = region.slice(0, 2);
      // Issue 21 item 3: the three months to the day, as the statistics' verification reads them.
      const verifiedFrom = addDays(addMonths(asOf, -3), 1);
      const [weightsRow, figures, evidence] = await Promise.all([
        repo.currentWeights(tx),
        repo.countyFigures(tx, {
          province,
          asOf,
          today: asOf === today,
          asOfEnd: chinaDayEnd(asOf),
          yearAgo,
          yearAgoStart: chinaDayEnd(yearAgo),
          quarterStart: quarter.start,
          quarterEnd: quarter.end,
        }),
        repo.countyEvidence(tx, { province, asOf, from: verifiedFrom }),
      ]);
      const weights = presentWeights(weightsRow);
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
      return { asOf, quarter: quarter.label, weights, counties: ranked.length, rows: visible, targetsAvailable };
    },
  };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
