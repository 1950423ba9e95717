import { Type, type Static } from '@sinclair/typebox';
import { PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * 扶贫车间 and 就业扶贫基地: employers of kind 'workshop' / 'base' with the posts they develop for
 * poor laborers, the poor laborers employed (open employments there, computed), the subsidies
 * received (paid subsidies to the employer) and the relocation site (易地扶贫搬迁安置点).
 */
export const WORKSHOP_KIND = { workshop: '扶贫车间', base: '就业扶贫基地' } as const;
const KindSchema = Type.Unsafe<'workshop' | 'base'>({ type: 'string', enum: ['workshop', 'base'] });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const WorkshopListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  kind: Type.Optional(KindSchema),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  /** Only those at a relocation site. */
  relocation: Type.Optional(Type.Boolean()),
  ...PageQuery,
});
export type WorkshopListQueryInput = Static<typeof WorkshopListQuery>;

export const WorkshopSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: KindSchema,
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  relocationSite: Nullable(Type.String()),
  postsPlanned: Nullable(Type.Integer()),
  /** Open employments at the workshop now. */
  employed: Type.Integer(),
  /** Paid subsidies to the workshop, yuan. */
  subsidies: Type.Number(),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
});
export type Workshop = Static<typeof WorkshopSchema>;

export const WorkshopListSchema = Type.Object({ items: Type.Array(WorkshopSchema), total: Type.Integer() });
export type WorkshopList = Static<typeof WorkshopListSchema>;

export const WorkshopDetailSchema = Type.Object({
  workshop: WorkshopSchema,
  employees: Type.Array(
    Type.Object({
      laborerId: Type.String(),
      name: Type.String(),
      idNumberMasked: Type.String(),
      villageName: Type.String(),
      startedOn: Type.String(),
      monthlyWage: Nullable(Type.Integer()),
    }),
  ),
  subsidies: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      amount: Type.Number(),
      periodFrom: Type.String(),
      periodTo: Type.String(),
      status: Type.String(),
      paidOn: Nullable(Type.String()),
      laborerName: Nullable(Type.String()),
    }),
  ),
});
export type WorkshopDetail = Static<typeof WorkshopDetailSchema>;

export const UpdateWorkshopBody = Strict({
  postsPlanned: Type.Integer({ minimum: 0, maximum: 100_000, description: '开发扶贫岗位数' }),
});
export type UpdateWorkshopInput = Static<typeof UpdateWorkshopBody>;

export const WorkshopSummaryQuery = Strict({ region: Type.Optional(RegionCodeSchema) });

const Totals = Type.Object({
  workshops: Type.Integer(),
  bases: Type.Integer(),
  relocation: Type.Integer(),
  posts: Type.Integer(),
  employed: Type.Integer(),
  subsidies: Type.Number(),
});
export type WorkshopTotals = Static<typeof Totals>;

export const WorkshopSummarySchema = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  /** One row per child region (city, county, township …), then the totals of the region. */
  rows: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), totals: Totals })),
  totals: Totals,
});
export type WorkshopSummary = Static<typeof WorkshopSummarySchema>;

/**
 * 定点接收单位 (issue 20 item 3): the second article's table — "省人社厅遴选了110家企业作为贫困劳动力就业
 * 的定点接收单位，其中70个被人社部认定为全国就业扶贫基地。这110家企业已接收贫困劳动力就业9962人，并开发了
 * 一批……就业扶贫专岗，拟接收贫困劳动力12641人" — for a region's laborers as of a day.
 */
export const DesignatedSummaryQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  asOf: Type.Optional(Type.String({ format: 'date', description: '截至日期（含当日，北京时间；默认今天）' })),
});
export type DesignatedSummaryQueryInput = Static<typeof DesignatedSummaryQuery>;

const DesignatedTotals = Type.Object({
  /** Designated enterprises that received laborers of the region (for the region itself: see `enterprises`). */
  receiving: Type.Integer(),
  /** Laborers of the region (by their card's village) who started a job at a designated enterprise on or after its designation. */
  received: Type.Integer(),
  /** Reserved posts of the designated enterprises taken by laborers of the region (each posting's count capped at its headcount). */
  reservedFilled: Type.Integer(),
});
export type DesignatedTotals = Static<typeof DesignatedTotals>;

export const DesignatedSummarySchema = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  asOf: Type.String({ format: 'date' }),
  /** Designated on or before the day, wherever they are (the province designates them for its laborers). */
  enterprises: Type.Integer(),
  /** Of which 就业扶贫基地. */
  bases: Type.Integer(),
  /** Reserved posts (就业扶贫专岗) the designated enterprises had published by the day: the laborers they plan to receive. */
  reservedPlanned: Type.Integer(),
  totals: DesignatedTotals,
  /** One row per child region (city, county, township …) with laborers received; none below a village. */
  rows: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), totals: DesignatedTotals })),
});
export type DesignatedSummary = Static<typeof DesignatedSummarySchema>;
