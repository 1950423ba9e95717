import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { REGION_LEVELS, ROLES, type RegionLevel, type RoleName } from './role-names.ts';

export { REGION_LEVELS, ROLE_LABELS, ROLE_REGION_LEVELS, ROLES } from './role-names.ts';
export type { RegionLevel, RoleName } from './role-names.ts';

/** Request and response schemas shared by the server (validation, serialization, OpenAPI) and the web client (types). */
export const RoleSchema = Type.Unsafe<RoleName>({ type: 'string', enum: [...ROLES], description: '角色' });

export const RegionLevelSchema = Type.Unsafe<RegionLevel>({ type: 'string', enum: [...REGION_LEVELS], description: '层级' });

/** A region code of any level: 2, 4, 6, 9 or 12 digits. */
export const RegionCodeSchema = Type.String({ pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12})$', description: '统计用区划代码' });

export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: 'stable error code' }),
    message: Type.String({ description: '中文说明' }),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'Error' },
);
export type ErrorBody = Static<typeof ErrorSchema>;

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) }, { additionalProperties: false });

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};

export const Paged = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item), total: Type.Integer() });

/** A coded dictionary: its Chinese labels, its codes in order, and the enum schema that accepts them. */
export const dict = <const T extends Record<string, string>>(labels: T) => ({
  labels,
  codes: Object.keys(labels) as (keyof T & string)[],
  schema: Type.Unsafe<keyof T & string>({ type: 'string', enum: Object.keys(labels) }),
});

/** Objects refuse unknown fields: every request schema is built with this. */
export const Strict = <T extends Parameters<typeof Type.Object>[0]>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });
