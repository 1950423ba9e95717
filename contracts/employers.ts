import { Type, type Static } from '@sinclair/typebox';
import { dict, PageQuery, RegionCodeSchema, Strict } from './common.ts';

/**
 * Employers (用人单位), DOMAIN.md "Records": the unified social credit code (GB 32100), the region,
 * the GB/T 4754-2017 industry division and the kind.
 */
export const EMPLOYER_KIND = dict({
  designated: '定点接收单位',
  base: '就业扶贫基地',
  workshop: '扶贫车间',
  ordinary: '普通用人单位',
});
export type EmployerKind = (typeof EMPLOYER_KIND.codes)[number];

/** A region reference as answers carry it: the code and its full name (湖南省邵阳市新邵县龙溪铺镇大竹村). */
export const RegionNameSchema = Type.Object({ code: Type.String(), name: Type.String(), fullName: Type.String() });

const optionalText = (maxLength: number, description: string) =>
  Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength, pattern: '^[^\\u0000-\\u001f\\u007f<>]*$', description })]));

/**
 * Editable fields. Optional ones accept null, so an edit can clear them (null first in each union:
 * the validator coerces types, and a string branch first would turn null into '').
 */
const employerFields = {
  /** Typed as written on the licence: spaces and full-width characters are normalized by the server. */
  creditCode: Type.String({ minLength: 1, maxLength: 40, description: '统一社会信用代码（GB 32100，18 位）' }),
  name: Type.String({ minLength: 2, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f<>]+$', description: '单位名称' }),
  /** Any region code is accepted here; the service refuses provinces and cities with EMPLOYER_REGION_NOT_COUNTY. */
  regionCode: Type.String({ pattern: RegionCodeSchema.pattern, description: '所在地（县级或以下行政区划）' }),
  industry: Type.Optional(Type.Union([Type.Null(), Type.String({ pattern: '^\\d{2}$', description: '所属行业（GB/T 4754-2017 大类）' })])),
  kind: EMPLOYER_KIND.schema,
  relocationSite: optionalText(100, '扶贫车间所在的易地扶贫搬迁安置点'),
  contactName: optionalText(30, '联系人'),
  contactPhone: Type.Optional(
    Type.Union([Type.Null(), Type.String({ pattern: '^[0-9+\\- ]{5,20}$', description: '联系电话（手机或座机）' })]),
  ),
  address: optionalText(200, '地址'),
  /**
   * The day the province designated it a receiving enterprise (定点接收单位, migration 0044); any kind
   * may hold it (a 就业扶贫基地 often does). Kind 'designated' always has one: left out, the day of the
   * registration is taken.
   */
  designatedOn: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'date', description: '认定为定点接收单位的日期' })])),
  /** 对外劳务合作经营资格证书 (migration 0061): number and last valid day, both or neither; only a licensed employer posts jobs abroad. */
  overseasLicenseNo: Type.Optional(
    Type.Union([Type.Null(), Type.String({ pattern: '^[0-9A-Za-z\\-]{4,40}$', description: '对外劳务合作经营资格证书编号' })]),
  ),
  overseasLicenseValidUntil: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'date', description: '资格证书有效期至' })])),
};

export const CreateEmployerBody = Strict(employerFields);
export type CreateEmployerInput = Static<typeof CreateEmployerBody>;

export const UpdateEmployerBody = Type.Partial(Strict(employerFields), { additionalProperties: false });
export type UpdateEmployerInput = Static<typeof UpdateEmployerBody>;

export const EmployerSchema = Type.Object({
  id: Type.String(),
  creditCode: Type.String(),
  name: Type.String(),
  region: RegionNameSchema,
  industry: Type.Union([Type.Null(), Type.Object({ code: Type.String(), name: Type.String() })]),
  kind: EMPLOYER_KIND.schema,
  relocationSite: Type.Union([Type.String(), Type.Null()]),
  contactName: Type.Union([Type.String(), Type.Null()]),
  contactPhone: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  /** The day it became a designated receiving enterprise (定点接收单位), or null. */
  designatedOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  /** 对外劳务合作经营资格证书 number and last valid day, or null: only a licensed employer posts jobs abroad. */
  overseasLicenseNo: Type.Union([Type.String(), Type.Null()]),
  overseasLicenseValidUntil: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  /** Postings open today (status open, within validity, not yet filled). */
  openPostings: Type.Integer(),
  /** Whether the caller may edit it. */
  editable: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Employer = Static<typeof EmployerSchema>;

export const EmployerListQuery = Strict({
  region: Type.Optional(RegionCodeSchema),
  kind: Type.Optional(EMPLOYER_KIND.schema),
  industry: Type.Optional(Type.String({ pattern: '^\\d{2}$', description: 'GB/T 4754 大类' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '单位名称或统一社会信用代码' })),
  ...PageQuery,
});
export type EmployerListQueryInput = Static<typeof EmployerListQuery>;

export const EmployerListSchema = Type.Object({ items: Type.Array(EmployerSchema), total: Type.Integer() });
