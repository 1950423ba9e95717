/**
 * The roles and region levels and their Chinese names, without a schema: the console's shell (menu,
 * role tags) reads these without loading TypeBox; common.ts builds the schemas from them.
 */
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
