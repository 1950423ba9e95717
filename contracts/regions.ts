import { Type, type Static } from '@sinclair/typebox';
import { RegionCodeSchema, RegionLevelSchema, Strict } from './common.ts';

export const RegionSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: RegionLevelSchema,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  fullName: Type.String({ description: '含上级的全称，如 湖南省邵阳市新邵县' }),
  hasChildren: Type.Boolean(),
});
export type Region = Static<typeof RegionSchema>;

export const RegionDetailSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: RegionLevelSchema,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  fullName: Type.String(),
  hasChildren: Type.Boolean(),
  ancestors: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: RegionLevelSchema })),
});
export type RegionDetail = Static<typeof RegionDetailSchema>;

export const RegionCodeParams = Strict({ code: RegionCodeSchema });
export const RegionSearchQuery = Strict({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '中文名称、全拼或拼音首字母' })),
  level: Type.Optional(RegionLevelSchema),
  within: Type.Optional(RegionCodeSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export const RegionListSchema = Type.Object({ items: Type.Array(RegionSchema) });
