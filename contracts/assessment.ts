import { Type, type Static } from '@sinclair/typebox';
import { RegionCodeSchema, Strict } from './common.ts';

/**
 * 量化考核: the province scores each county on its use of the platform (DOMAIN.md "Assessment of
 * counties"). Indicators are fractions (0–1) or rates per 1,000; a score is 0–100.
 */
const Day = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const INDICATORS = [
  'cardsComplete',
  'reconfirmed',
  'postingsPer1000',
  'referralsPer1000',
  'followUpCoverage',
  'targetCompletion',
  'verifiedEmployment',
] as const;
export type Indicator = (typeof INDICATORS)[number];
export const INDICATOR_LABEL: Record<Indicator, string> = {
  cardsComplete: '信息卡完整率',
  reconfirmed: '本季度核实率',
  postingsPer1000: '每千名未就业劳动力岗位数',
  referralsPer1000: '每千名未就业劳动力推荐数',
  followUpCoverage: '在岗人员回访覆盖率',
  targetCompletion: '年度目标完成率',
  verifiedEmployment: '就业核实率',
};

const Weight = Type.Integer({ minimum: -1000, maximum: 1000, description: '权重（非负整数，合计 100）' });
export const WeightsSchema = Type.Object(
  {
    cardsComplete: Weight,
    reconfirmed: Weight,
    postingsPer1000: Weight,
    referralsPer1000: Weight,
    followUpCoverage: Weight,
    targetCompletion: Weight,
    verifiedEmployment: Weight,
  },
  { additionalProperties: false },
);
export type Weights = Static<typeof WeightsSchema>;

export const SetWeightsBody = Strict({ weights: WeightsSchema, note: Type.Optional(Type.String({ maxLength: 200 })) });
export type SetWeightsInput = Static<typeof SetWeightsBody>;

export const WeightsVersionSchema = Type.Object({
  version: Type.Integer(),
  weights: WeightsSchema,
  setBy: Nullable(Type.String()),
  setAt: Nullable(Type.String()),
  note: Nullable(Type.String()),
});
export const WeightsHistorySchema = Type.Object({ current: WeightsVersionSchema, history: Type.Array(WeightsVersionSchema) });

export const AssessmentQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  asOf: Type.Optional(Day('考核日期（默认今天）')),
});
export type AssessmentQueryInput = Static<typeof AssessmentQuery>;

const Evidence = Type.Object({
  numerator: Nullable(Type.Number()),
  denominator: Nullable(Type.Number()),
  /** 0–1 for shares, per 1,000 for rates; null when there is nothing to measure (or no target). */
  value: Nullable(Type.Number()),
  /** 0–100 after normalisation. */
  normalised: Nullable(Type.Number()),
  note: Nullable(Type.String()),
  /** The console page listing the records behind the figure. */
  link: Nullable(Type.String()),
});

export const AssessmentRowSchema = Type.Object({
  county: Type.Object({ code: Type.String(), name: Type.String(), city: Type.String() }),
  rank: Type.Integer(),
  score: Type.Number(),
  indicators: Type.Object({
    cardsComplete: Evidence,
    reconfirmed: Evidence,
    postingsPer1000: Evidence,
    referralsPer1000: Evidence,
    followUpCoverage: Evidence,
    targetCompletion: Evidence,
    /** Issue 21 item 3: of the employed on the day, those whose job was confirmed in the three months to it. */
    verifiedEmployment: Evidence,
  }),
  /** A figure shown, not scored: the county's social-insurance reviews past their deadline on the day (issue 21 item 2). */
  overdueReviews: Type.Integer({ description: '社保比对逾期未核实数' }),
});
export type AssessmentRow = Static<typeof AssessmentRowSchema>;

export const AssessmentSchema = Type.Object({
  asOf: Type.String(),
  quarter: Type.String(),
  weights: WeightsVersionSchema,
  /** Counties ranked (all of the province's for the province; a county sees its own row with its rank). */
  counties: Type.Integer(),
  rows: Type.Array(AssessmentRowSchema),
  targetsAvailable: Type.Boolean(),
  /** When the computation of the province's figures began: they hold the records committed by then. */
  computedAt: Type.String({ format: 'date-time' }),
  /** Older than the reuse time: a new computation is running; the page says so. */
  refreshing: Type.Boolean(),
});
export type Assessment = Static<typeof AssessmentSchema>;
