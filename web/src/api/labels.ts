/** Display labels. Role names come from the shared contract so the console and the server agree. */
import { ROLE_LABELS, ROLES, ROLE_REGION_LEVELS } from '../../../contracts/role-names.ts';
import type { RegionLevel, RoleName } from './types.ts';
import { ACCOUNT_MANAGERS, AUDITORS } from '../../../contracts/roles.ts';

export { ROLE_LABELS, ROLES, ROLE_REGION_LEVELS };

export const LEVEL_LABELS: Record<RegionLevel, string> = {
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
  village: '村',
};
export const LEVEL_ORDER: RegionLevel[] = ['province', 'city', 'county', 'township', 'village'];

export const roleLabel = (role: string): string => ROLE_LABELS[role as RoleName] ?? role;

export const ROLE_COLORS: Record<RoleName, string> = {
  admin: 'red',
  township_operator: 'blue',
  village_officer: 'cyan',
  broker: 'purple',
  liaison_office: 'geekblue',
  employer: 'gold',
  laborer: 'green',
  auditor: 'magenta',
};

export const ACCOUNT_STATUS_LABELS = { active: '正常', disabled: '已停用' } as const;

export const AUDIT_RESULT_LABELS: Record<string, { text: string; color: string }> = {
  success: { text: '成功', color: 'success' },
  failure: { text: '失败', color: 'error' },
  denied: { text: '拒绝', color: 'warning' },
};

/**
 * Roles that work in the staff console's region tools (the others are self-service users). Not the
 * auditor: auditors read the audit log and nothing else (等保 level 3 separation of duties).
 */
export const STAFF_ROLES: RoleName[] = ['admin', 'township_operator', 'village_officer', 'broker', 'liaison_office'];
/** Auditors manage the auditors below them only (三权分立); the server says so for any other account. */
export const ACCOUNT_ADMIN_ROLES: RoleName[] = [...ACCOUNT_MANAGERS];
export const AUDITOR_ROLES: RoleName[] = [...AUDITORS];
/** Who keeps the laborer cards (the server's CARD_WRITERS): village officers, township operators, admins. */
export const REGISTRY_ROLES: RoleName[] = ['admin', 'township_operator', 'village_officer'];

const LEVEL_BY_CODE_LENGTH: Record<number, RegionLevel> = { 2: 'province', 4: 'city', 6: 'county', 9: 'township', 12: 'village' };
export const levelOfCode = (code: string): RegionLevel | undefined => LEVEL_BY_CODE_LENGTH[code.length];
