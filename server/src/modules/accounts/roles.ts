import type { Role } from '../../db/schema.ts';
import { REGION_LEVELS, ROLE_REGION_LEVELS } from '../../../../contracts/common.ts';
import type { Actor } from '../../platform/actor.ts';
import { regionContains } from '../../platform/access.ts';

/**
 * Who may grant which role, and at which region level (DOMAIN.md, roles table; issue 3 §4).
 * Admins (bound to a province, city or county) grant any role but the auditor's inside their
 * subtree, their own included but never above it: a county admin's subtree holds no city or
 * province. Township operators manage the village officers, brokers and laborers of their
 * township (the broker's dual-line management: township and county).
 *
 * 三权分立 (separation of duties, GB/T 22239-2019 level 3, 8.1.4.2 access control: the system
 * administrator, the security administrator and the auditor are separate accounts that do not
 * control one another): the auditor reads the admins' actions, so no admin creates, changes,
 * resets or disables an auditor. Auditors are created on the server with the CLI
 * (`laowu users:create --role auditor`) or by an auditor above them, who manages only auditors,
 * and only in regions strictly below its own. Nobody else grants anything.
 */
export const GRANTABLE: Record<Role, readonly Role[]> = {
  admin: ['admin', 'township_operator', 'village_officer', 'broker', 'liaison_office', 'employer', 'laborer'],
  township_operator: ['township_operator', 'village_officer', 'broker', 'laborer'],
  village_officer: [],
  broker: [],
  liaison_office: [],
  employer: [],
  laborer: [],
  auditor: ['auditor'],
};

/** Region levels (1 province … 5 village) each role may be bound to: the contract's table, as numbers. */
export const ROLE_LEVELS = Object.fromEntries(
  Object.entries(ROLE_REGION_LEVELS).map(([role, levels]) => [role, levels.map((l) => REGION_LEVELS.indexOf(l) + 1)]),
) as unknown as Record<Role, readonly number[]>;

export const LEVEL_LABELS = ['', '省级', '市级', '县级', '乡镇级', '村级'];

export function grantableRoles(actor: Actor): readonly Role[] {
  return GRANTABLE[actor.role];
}

/** May the actor manage (create, disable, reset) an account of this role bound to this region? */
export function mayManage(actor: Actor, role: Role, regionCode: string): boolean {
  // An auditor is "above" the auditors it manages: a peer in its own region is not its to manage.
  if (actor.role === 'auditor' && regionCode === actor.regionCode) return false;
  return grantableRoles(actor).includes(role) && regionContains(actor.regionCode, regionCode);
}

/** Why the actor may not manage an account of this role here: the separation of duties' own words, or null. */
export function auditorSeparation(actor: Actor, role: Role): 'AUDITOR_MANAGED_BY_AUDITORS' | 'AUDITOR_MANAGES_AUDITORS_BELOW' | null {
  if (role === 'auditor' && actor.role !== 'auditor') return 'AUDITOR_MANAGED_BY_AUDITORS';
  if (actor.role === 'auditor') return 'AUDITOR_MANAGES_AUDITORS_BELOW';
  return null;
}
