import type { Role } from '../../db/schema.ts';
import { REGION_LEVELS, ROLE_REGION_LEVELS } from '../../../../contracts/common.ts';
import type { Actor } from '../../platform/actor.ts';
import { regionContains } from '../../platform/access.ts';

/**
 * Who may grant which role, and at which region level (DOMAIN.md, roles table; issue 3 §4).
 * Admins (bound to a province, city or county) grant any role inside their subtree, their own
 * included but never above it: a county admin's subtree holds no city or province. Township
 * operators manage the village officers, brokers and laborers of their township (the broker's
 * dual-line management: township and county). Nobody else grants anything.
 */
export const GRANTABLE: Record<Role, readonly Role[]> = {
  admin: ['admin', 'township_operator', 'village_officer', 'broker', 'liaison_office', 'employer', 'laborer', 'auditor'],
  township_operator: ['township_operator', 'village_officer', 'broker', 'laborer'],
  village_officer: [],
  broker: [],
  liaison_office: [],
  employer: [],
  laborer: [],
  auditor: [],
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
  return grantableRoles(actor).includes(role) && regionContains(actor.regionCode, regionCode);
}
