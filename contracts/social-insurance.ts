import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';
import { END_REASON } from './employment.ts';

/**
 * The quarterly comparison with social-insurance contributions (issue 21 item 2; docs/domain.md
 * "Social-insurance comparison"): a run's counts per outcome and the counties' review list.
 */
const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const SI_OUTCOME = dict({
  confirmed: '已确认就业',
  suspected: '疑似已就业',
  unverified: '待核实',
  employer_differs: '就业单位不一致',
});
export type SiOutcome = (typeof SI_OUTCOME.codes)[number];
/** A review's state; `overdue` is a filter (open and past its deadline), not a stored state. */
export const SI_REVIEW_STATUS = dict({ open: '待核实', accepted: '已采纳', rejected: '已驳回' });
export const SI_REVIEW_FILTER = dict({ open: '待核实', overdue: '已逾期', accepted: '已采纳', rejected: '已驳回' });

/** The contribution period: a quarter, '2026Q3'. */
export const SiPeriodSchema = Type.String({ pattern: '^20\\d{2}Q[1-4]$', description: '缴费所属季度，如 2026Q3' });
export const ComparisonUploadQuery = Strict({ period: SiPeriodSchema });

export const ComparisonSchema = Type.Object({
  id: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  period: Type.String(),
  comparedOn: Type.String(),
  dueOn: Type.String(),
  fileName: Type.String(),
  status: Type.String(),
  linesRead: Type.Integer(),
  linesRejected: Type.Integer(),
  linesUnmatched: Type.Integer(),
  outcomes: Type.Object({
    confirmed: Type.Integer(),
    suspected: Type.Integer(),
    unverified: Type.Integer(),
    employer_differs: Type.Integer(),
  }),
  createdAt: Type.String(),
});
export type Comparison = Static<typeof ComparisonSchema>;
export const ComparisonListSchema = Type.Object({ items: Type.Array(ComparisonSchema), total: Type.Integer() });
export const ComparisonListQuery = Strict({ ...PageQuery });

export const ReviewListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  status: Type.Optional(SI_REVIEW_FILTER.schema),
  outcome: Type.Optional(Type.Union([Type.Literal('suspected'), Type.Literal('unverified'), Type.Literal('employer_differs')])),
  comparison: Type.Optional(Id),
  ...PageQuery,
});
export type ReviewListQueryInput = Static<typeof ReviewListQuery>;

export const ReviewSchema = Type.Object({
  id: Type.String(),
  comparisonId: Type.String(),
  period: Type.String(),
  comparedOn: Type.String(),
  outcome: SI_OUTCOME.schema,
  outcomeLabel: Type.String(),
  laborer: Type.Object({ id: Type.String(), name: Type.String(), idNumberMasked: Type.String() }),
  villageCode: Type.String(),
  villageName: Type.Union([Type.String(), Type.Null()]),
  /** The job on record open on the comparison's day. */
  employment: Nullable(Type.Object({ id: Type.String(), employer: Nullable(Type.String()), startedOn: Type.String() })),
  /** What the contribution file says. */
  contribution: Nullable(
    Type.Object({
      unitName: Nullable(Type.String()),
      creditCode: Nullable(Type.String()),
      place: Nullable(Type.String()),
      placeCode: Nullable(Type.String()),
      months: Type.Integer(),
    }),
  ),
  dueOn: Type.String(),
  overdue: Type.Boolean(),
  status: SI_REVIEW_STATUS.schema,
  statusLabel: Type.String(),
  reason: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  resultEmploymentId: Nullable(Type.String()),
});
export type Review = Static<typeof ReviewSchema>;
export const ReviewListSchema = Type.Object({ items: Type.Array(ReviewSchema), total: Type.Integer() });

/**
 * Accepting a review does what the comparison found, through the employment records:
 * 疑似已就业 opens the job the contributions show (startedOn, monthlyWage; the place when the file's
 * 参保地 is not a county or below); 待核实 ends the job on record (endedOn, endReason); 就业单位不一致
 * ends the job on record the day before the new one starts and opens the new one.
 */
export const AcceptReviewBody = Strict({
  startedOn: Type.Optional(Day('新就业的入职日期')),
  monthlyWage: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: '月工资（元）' })),
  workRegionCode: Type.Optional(Type.String({ pattern: '^(\\d{6}|\\d{9}|\\d{12})$', description: '工作地（县级或以下）' })),
  endedOn: Type.Optional(Day('原就业的离职日期（最后工作日）')),
  endReason: Type.Optional(END_REASON.schema),
  note: Type.Optional(Type.String({ maxLength: 200 })),
});
export type AcceptReviewInput = Static<typeof AcceptReviewBody>;

export const RejectReviewBody = Strict({
  reason: Type.String({ minLength: 4, maxLength: 200, pattern: '\\S', description: '驳回理由（至少 4 个字）' }),
});
export type RejectReviewInput = Static<typeof RejectReviewBody>;
