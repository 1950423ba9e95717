import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * Households (户, issue 20 item 1; docs/domain.md §9): a household is the cards naming its 户编号
 * on a day. Its page, the region's list and the figures (households with someone at work, 零就业家庭,
 * households whose income from recorded work reaches the year's poverty line), and the yearly line.
 */
const Day = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Count = Type.Integer({ minimum: 0 });
const Yuan = Type.Integer({ description: '元' });

export const HOUSEHOLD_FILTER = dict({
  all: '全部家庭户',
  with_employed: '有成员就业的家庭',
  zero_employment: '零就业家庭',
  reaching_line: '人均务工收入达到脱贫线',
  below_line: '人均务工收入未达脱贫线',
});
export type HouseholdFilter = keyof typeof HOUSEHOLD_FILTER.labels;

export const HouseholdCodeParams = Strict({ code: Type.String({ minLength: 1, maxLength: 30, description: '户编号' }) });
export const HouseholdQuery = Strict({ asOf: Type.Optional(Day('截至日期（默认今天）')) });
export const FiguresQuery = Strict({ region: RegionCodeSchema, asOf: Day('截至日期（含当日，北京时间）') });
export const HouseholdListQuery = Strict({
  region: RegionCodeSchema,
  asOf: Day('截至日期（含当日，北京时间）'),
  filter: Type.Optional(HOUSEHOLD_FILTER.schema),
  ...PageQuery,
});
export type FiguresQueryInput = Static<typeof FiguresQuery>;
export type HouseholdListQueryInput = Static<typeof HouseholdListQuery>;

export const PovertyLineSchema = Type.Object({ year: Type.Integer(), yuan: Yuan, setAt: Nullable(Type.String()) });
export type PovertyLine = Static<typeof PovertyLineSchema>;
export const PovertyLinesSchema = Type.Object({ items: Type.Array(PovertyLineSchema) });
export const PovertyLineParams = Strict({ year: Type.Integer({ minimum: 2000, maximum: 2100, description: '年度' }) });
export const SetPovertyLineBody = Strict({ yuan: Type.Integer({ minimum: 1, maximum: 1_000_000, description: '脱贫线（元/人·年）' }) });

/** The twelve months before the date, both ends included, over which income on record is summed. */
const Window = Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) });
const RegionRef = Type.Object({ code: Type.String(), name: Type.String() });

export const HouseholdFiguresSchema = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String(), level: Type.Integer() }),
  asOf: Type.String({ format: 'date' }),
  window: Window,
  povertyLine: Nullable(PovertyLineSchema),
  households: Count,
  withEmployed: Count,
  zeroEmployment: Count,
  /** Null when the province has set no line for the date's year. */
  reachingLine: Nullable(Count),
});
export type HouseholdFigures = Static<typeof HouseholdFiguresSchema>;

export const HouseholdBriefSchema = Type.Object({
  code: Type.String(),
  village: RegionRef,
  head: Type.Object({
    laborerId: Type.String(),
    name: Type.String(),
    relationToHead: Nullable(Type.String()),
    idNumberMasked: Type.String(),
  }),
  povertyStatus: Type.String(),
  size: Count,
  members: Count,
  able: Count,
  employed: Count,
  income: Yuan,
  perCapitaIncome: Yuan,
  reachesLine: Nullable(Type.Boolean()),
});
export type HouseholdBrief = Static<typeof HouseholdBriefSchema>;
export const HouseholdListSchema = Type.Object({
  total: Count,
  asOf: Type.String({ format: 'date' }),
  window: Window,
  povertyLine: Nullable(PovertyLineSchema),
  items: Type.Array(HouseholdBriefSchema),
});

const JobSchema = Type.Object({
  startedOn: Type.String({ format: 'date' }),
  endedOn: Nullable(Type.String({ format: 'date' })),
  employer: Nullable(Type.String()),
  workRegion: RegionRef,
  monthlyWage: Nullable(Yuan),
  months: Type.Number({ description: '统计期内务工月数' }),
  income: Yuan,
  openOnAsOf: Type.Boolean(),
});
export const HouseholdMemberSchema = Type.Object({
  laborerId: Type.String(),
  name: Type.String(),
  relationToHead: Nullable(Type.String()),
  idNumberMasked: Type.String(),
  phoneMasked: Nullable(Type.String()),
  village: RegionRef,
  laborCapacity: Type.String(),
  able: Type.Boolean(),
  employed: Type.Boolean(),
  income: Yuan,
  jobs: Type.Array(JobSchema),
});
export const HouseholdStretchSchema = Type.Object({
  laborerId: Type.String(),
  name: Type.String(),
  relationToHead: Nullable(Type.String()),
  since: Type.String({ format: 'date' }),
  until: Nullable(Type.String({ format: 'date' })),
});
export const HouseholdSchema = Type.Object({
  code: Type.String(),
  asOf: Type.String({ format: 'date' }),
  window: Window,
  village: RegionRef,
  povertyStatus: Type.String(),
  size: Count,
  povertyLine: Nullable(PovertyLineSchema),
  income: Yuan,
  perCapitaIncome: Yuan,
  reachesLine: Nullable(Type.Boolean()),
  members: Type.Array(HouseholdMemberSchema),
  history: Type.Array(HouseholdStretchSchema),
});
export type Household = Static<typeof HouseholdSchema>;
