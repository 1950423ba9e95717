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
