import { Type, type Static } from '@sinclair/typebox';
import { PageQuery, RegionCodeSchema, Strict } from '../../../../contracts/common.ts';

/**
 * The statistics' request and response schemas (issue 8: the summary's field names are fixed).
 * Kept beside the module: contracts/ belongs to the modules the web shares with.
 */
const Day = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });

export const SummaryQuery = Strict({
  region: RegionCodeSchema,
  asOf: Day('截至日期（含当日，北京时间）'),
  from: Type.Optional(Day('服务与补贴的起始日期（默认当年 1 月 1 日）')),
});
export type SummaryQueryInput = Static<typeof SummaryQuery>;

export const BreakdownQuery = Strict({
  region: RegionCodeSchema,
  asOf: Day('截至日期（含当日，北京时间）'),
  from: Type.Optional(Day('服务与补贴的起始日期（默认当年 1 月 1 日）')),
  /** child: the next level down (default); county: every county below (the province's 122). */
  by: Type.Optional(Type.Union([Type.Literal('child'), Type.Literal('county')])),
});
export type BreakdownQueryInput = Static<typeof BreakdownQuery>;

export const SummaryFields = {
  registered: Count,
  employed: Count,
  employedShare: Nullable(Type.Number({ description: '已就业占比（小数，如 0.4997）' })),
  inCounty: Count,
  outOfCountyInProvince: Count,
  outOfProvince: Count,
  /** Of outOfProvince, those working abroad (境外, docs/domain.md §12). */
  abroad: Count,
  selfEmployed: Count,
  throughAssistance: Count,
  averageMonthlyWage: Nullable(Type.Integer({ description: '月均工资（元）' })),
  newTransfersThisYear: Count,
  yearTarget: Nullable(Type.Integer({ description: '当年新增转移就业目标' })),
  targetCompletion: Nullable(Type.Number({ description: '目标完成率（小数）' })),
  services: Type.Object({ guidance: Count, introduction: Count, training: Count, entrepreneurship: Count, policySupport: Count }),
  subsidies: Type.Object({
    training: Count,
    socialInsurance: Count,
    job: Count,
    policySupport: Count,
    transport: Count,
    oneTimeJob: Count,
    publicWelfare: Count,
  }),
  retentionRate6m: Nullable(Type.Number({ description: '6 个月稳岗率（小数）' })),
};
const RegionRef = { code: Type.String(), name: Type.String(), level: Type.Integer() };

export const SummarySchema = Type.Object({
  region: Type.Object(RegionRef),
  asOf: Type.String(),
  from: Type.String(),
  /** When the derived tables may lag the records (a bulk load not yet rebuilt); null when current. */
  staleSince: Nullable(Type.String()),
  ...SummaryFields,
});
export type Summary = Static<typeof SummarySchema>;

export const BreakdownSchema = Type.Object({
  region: Type.Object({ ...RegionRef, ...SummaryFields }),
  asOf: Type.String(),
  from: Type.String(),
  staleSince: Nullable(Type.String()),
  children: Type.Array(Type.Object({ ...RegionRef, ...SummaryFields })),
});

export const FIGURES = [
  'registered',
  'employed',
  'inCounty',
  'outOfCountyInProvince',
  'outOfProvince',
  'abroad',
  'selfEmployed',
  'throughAssistance',
  'averageMonthlyWage',
  'newTransfersThisYear',
  'services.guidance',
  'services.introduction',
  'services.training',
  'services.entrepreneurship',
  'services.policySupport',
  'subsidies.training',
  'subsidies.socialInsurance',
  'subsidies.job',
  'subsidies.policySupport',
  'subsidies.transport',
  'subsidies.oneTimeJob',
  'subsidies.publicWelfare',
  'retentionRate6m',
] as const;
export type Figure = (typeof FIGURES)[number];

export const DrillQuery = Strict({
  region: RegionCodeSchema,
  asOf: Day('截至日期'),
  from: Type.Optional(Day('起始日期')),
  figure: Type.Unsafe<Figure>({ type: 'string', enum: [...FIGURES], description: '指标' }),
  /** retentionRate6m: the placements still at work six months on, or not. */
  list: Type.Optional(Type.Union([Type.Literal('retained'), Type.Literal('left')])),
  ...PageQuery,
});
export type DrillQueryInput = Static<typeof DrillQuery>;

const DrillItemSchema = Type.Object({
  laborer: Type.Object({
    id: Type.String(),
    name: Type.String(),
    sex: Type.String(),
    idNumberMasked: Type.String(),
    phoneMasked: Nullable(Type.String()),
    villageCode: Type.String(),
    villageName: Type.String(),
  }),
  workRegionName: Nullable(Type.String()),
  startedOn: Nullable(Type.String()),
  monthlyWage: Nullable(Type.Integer()),
  channel: Nullable(Type.String()),
  recordDate: Nullable(Type.String()),
  recordNote: Nullable(Type.String()),
});
export type DrillItem = Static<typeof DrillItemSchema>;

export const DrillSchema = Type.Object({
  figure: Type.String(),
  total: Type.Integer(),
  items: Type.Array(DrillItemSchema),
});

/** The export: the drill-down's query, every row of the figure (issue 18 item 2). */
export const DrillExportQuery = Type.Omit(DrillQuery, ['page', 'pageSize']);
export type DrillExportQueryInput = Static<typeof DrillExportQuery>;

export const TargetQuery = Strict({ region: RegionCodeSchema, year: Type.Integer({ minimum: 2016, maximum: 2100 }) });
export const TargetBody = Strict({
  region: RegionCodeSchema,
  year: Type.Integer({ minimum: 2016, maximum: 2100 }),
  newTransfers: Type.Integer({ minimum: 1, maximum: 10_000_000, description: '当年新增转移就业目标（人）' }),
});
export type TargetBodyInput = Static<typeof TargetBody>;
const TargetRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Integer(),
  newTransfers: Nullable(Type.Integer()),
  editable: Type.Boolean(),
});
export const TargetsSchema = Type.Object({ year: Type.Integer(), region: TargetRow, children: Type.Array(TargetRow) });

export const MonthlyQuery = Strict({
  region: RegionCodeSchema,
  months: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, description: '月数（默认 24，最后一个月截至今天）' })),
  asOf: Type.Optional(Day('最后一个月截至的日期（默认今天；此前各月取月末）')),
});
export type MonthlyQueryInput = Static<typeof MonthlyQuery>;

export const MonthlySchema = Type.Object({
  region: Type.Object(RegionRef),
  months: Type.Array(
    Type.Object({
      month: Type.String({ description: '月份（YYYY-MM）' }),
      asOf: Type.String({ description: '月末（最后一个月为截至日期）' }),
      registered: Count,
      employed: Count,
      employedShare: Nullable(Type.Number()),
    }),
  ),
});
export type Monthly = Static<typeof MonthlySchema>;

/** Issue 21 item 3: how much of the employed figure something beyond typing has confirmed. */
export const VerificationQuery = Strict({
  region: RegionCodeSchema,
  asOf: Day('截至日期（含当日，北京时间）'),
});
export type VerificationQueryInput = Static<typeof VerificationQuery>;
export const VerificationSchema = Type.Object({
  region: Type.Object(RegionRef),
  asOf: Type.String(),
  /** The window of "the last quarter": the three months to asOf, both days included. */
  from: Type.String(),
  /** The summary's employed: people with a job open on asOf, by their card's village that day. */
  employed: Type.Integer(),
  /** Of them, those whose open job was confirmed in the window (any kind). */
  confirmed: Type.Integer(),
  confirmedShare: Type.Union([Type.Number(), Type.Null()]),
  /** Confirmed in the window by each kind (a job confirmed two ways counts under both). */
  byKind: Type.Object({ follow_up: Type.Integer(), employer: Type.Integer(), social_insurance: Type.Integer() }),
});
export type Verification = Static<typeof VerificationSchema>;
