import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * 精准服务: the services a laborer receives (服务记录) — career guidance 职业指导, job introduction
 * 职业介绍, vocational training 职业培训 (course, hours, certificate), entrepreneurship service
 * 创业服务, policy support 政策扶持 — and their person-times per kind per period (人次).
 */
export const SERVICE_KIND = dict({
  guidance: '职业指导',
  introduction: '职业介绍',
  training: '职业培训',
  entrepreneurship: '创业服务',
  policy_support: '政策扶持',
});
export type ServiceKind = (typeof SERVICE_KIND.codes)[number];

const Id = Type.String({ pattern: '^[1-9][0-9]{0,17}$' });
const Day = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S', description });

export const CreateServiceRecordBody = Strict({
  laborerId: Id,
  kind: SERVICE_KIND.schema,
  servedOn: Day('服务日期（不能晚于今天）'),
  provider: Type.Optional(Text(100, '服务机构')),
  content: Type.Optional(Text(500, '服务内容')),
  /** Job introduction: the posting introduced. */
  postingId: Type.Optional(Id),
  /** Vocational training: course and hours required, certificate if one was obtained. */
  course: Type.Optional(Text(100, '培训项目（课程）')),
  hours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000, description: '培训课时' })),
  certificate: Type.Optional(Text(100, '取得证书')),
});
export type CreateServiceRecordInput = Static<typeof CreateServiceRecordBody>;

export const ServiceRecordListQuery = Strict({
  /** Default the caller's region: laborers whose home village was in it when served. */
  region: Type.Optional(RegionCodeSchema),
  laborer: Type.Optional(Id),
  kind: Type.Optional(SERVICE_KIND.schema),
  from: Type.Optional(Day('服务日期起')),
  to: Type.Optional(Day('服务日期止')),
  ...PageQuery,
});
export type ServiceRecordListQueryInput = Static<typeof ServiceRecordListQuery>;
/** The export: the list's filters, every page (issue 18 item 2). */
export const ServiceRecordExportQuery = Type.Omit(ServiceRecordListQuery, ['page', 'pageSize']);
export type ServiceRecordExportQueryInput = Static<typeof ServiceRecordExportQuery>;

export const ServiceRecordSchema = Type.Object({
  id: Type.String(),
  laborer: Type.Object({
    id: Type.String(),
    name: Type.String(),
    idNumberMasked: Type.String(),
    villageCode: Type.String(),
    villageName: Type.String(),
  }),
  kind: SERVICE_KIND.schema,
  servedOn: Type.String(),
  provider: Nullable(Type.String()),
  content: Nullable(Type.String()),
  posting: Nullable(Type.Object({ id: Type.String(), title: Type.String() })),
  course: Nullable(Type.String()),
  hours: Nullable(Type.Number()),
  certificate: Nullable(Type.String()),
  recordedBy: Nullable(Type.String()),
  createdAt: Type.String(),
});
export type ServiceRecord = Static<typeof ServiceRecordSchema>;

export const ServiceRecordListSchema = Type.Object({ items: Type.Array(ServiceRecordSchema), total: Type.Integer() });
export type ServiceRecordList = Static<typeof ServiceRecordListSchema>;

export const PersonTimesQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  /** Default 1 January of this year up to today (the statistics' "from 1 January up to a date"). */
  from: Type.Optional(Day('统计期起')),
  to: Type.Optional(Day('统计期止')),
});
export type PersonTimesQueryInput = Static<typeof PersonTimesQuery>;

const KindCounts = Type.Object({
  guidance: Type.Integer(),
  introduction: Type.Integer(),
  training: Type.Integer(),
  entrepreneurship: Type.Integer(),
  policy_support: Type.Integer(),
});
export type ServiceKindCounts = Static<typeof KindCounts>;

export const PersonTimesSchema = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  from: Type.String(),
  to: Type.String(),
  /** Person-times per kind over the period. */
  totals: KindCounts,
  /** Distinct laborers served per kind. */
  persons: KindCounts,
  /** Person-times per kind per month (YYYY-MM), for the chart. */
  months: Type.Array(Type.Object({ month: Type.String(), counts: KindCounts })),
  /** Person-times per kind per child region. */
  children: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), counts: KindCounts })),
});
export type PersonTimes = Static<typeof PersonTimesSchema>;
