import { Type, type Static } from '@sinclair/typebox';
import { RegionCodeSchema, Strict } from './common.ts';

/**
 * 数据看板: chart data for a region (and everything below) as of a date, in the caller's scope.
 * The map's colouring is the statistics' breakdown (GET /api/v1/stats/breakdown), not restated here.
 */
const Day = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const DashboardQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  asOf: Type.Optional(Day('截至日期（默认今天）')),
});
export type DashboardQueryInput = Static<typeof DashboardQuery>;

const Place = Type.Object({ code: Type.String(), name: Type.String() });

export const FlowsSchema = Type.Object({
  asOf: Type.String(),
  region: Place,
  /** Laborers at work on the date (home in the region as of the date). */
  total: Type.Integer(),
  /** Home county → place of work: the city inside the home province, the province outside it. */
  links: Type.Array(Type.Object({ from: Place, to: Place, laborers: Type.Integer() })),
  /** Laborers on the links left out (beyond the largest 40). */
  others: Type.Integer(),
});
export type Flows = Static<typeof FlowsSchema>;

export const QuarterlySchema = Type.Object({
  asOf: Type.String(),
  region: Place,
  quarters: Type.Array(
    Type.Object({
      quarter: Type.String({ description: '2016Q1' }),
      /** The quarter's last day, or the date asked for in the current quarter. */
      endOn: Type.String(),
      registered: Type.Integer(),
      employed: Type.Integer(),
      employedShare: Nullable(Type.Number()),
      newTransfers: Type.Integer(),
    }),
  ),
});
export type Quarterly = Static<typeof QuarterlySchema>;

export const FunnelQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  asOf: Type.Optional(Day('截至日期（默认今天）')),
  from: Type.Optional(Day('推荐日期起（默认截至日期前一年）')),
});
export type FunnelQueryInput = Static<typeof FunnelQuery>;

export const FunnelSchema = Type.Object({
  region: Place,
  from: Type.String(),
  asOf: Type.String(),
  recommended: Type.Integer(),
  interviewed: Type.Integer(),
  hired: Type.Integer(),
  /** Hires placed at least six months before the date: the base of the last stage. */
  hiredSixMonthsAgo: Type.Integer(),
  /** Of those, at work (any employment open) on the day six months after the start. */
  stillAtWorkAfterSixMonths: Type.Integer(),
});
export type Funnel = Static<typeof FunnelSchema>;

export const RetentionCurveSchema = Type.Object({
  region: Place,
  asOf: Type.String(),
  points: Type.Array(
    Type.Object({ months: Type.Integer(), placed: Type.Integer(), retained: Type.Integer(), rate: Nullable(Type.Number()) }),
  ),
});
export type RetentionCurve = Static<typeof RetentionCurveSchema>;
