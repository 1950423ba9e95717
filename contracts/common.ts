import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Request and response schemas shared by the server (validation, serialization, OpenAPI) and the web client (types). */
export const ROLES = [
  'admin',
  'township_operator',
  'village_officer',
  'broker',
  'liaison_office',
  'employer',
  'laborer',
  'auditor',
] as const;
export type RoleName = (typeof ROLES)[number];
export const RoleSchema = Type.Unsafe<RoleName>({ type: 'string', enum: [...ROLES], description: '角色' });

export const ROLE_LABELS: Record<RoleName, string> = {
  admin: '管理员',
  township_operator: '乡镇经办员',
  village_officer: '村信息员',
  broker: '劳务经纪人',
  liaison_office: '驻外劳务对接服务中心',
  employer: '用人单位',
  laborer: '劳动者',
  auditor: '审计员',
};

export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
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

/** Region levels each role may be bound to (the server enforces it; the console guides the form with it). */
export const ROLE_REGION_LEVELS: Record<RoleName, readonly RegionLevel[]> = {
  admin: ['province', 'city', 'county'],
  township_operator: ['township'],
  village_officer: ['village'],
  broker: ['township'],
  liaison_office: ['county'],
  employer: ['county', 'township', 'village'],
  laborer: ['village'],
  auditor: ['province', 'city', 'county'],
};
