/** API shapes, derived from the shared TypeBox contracts (types only: no schema code reaches the bundle). */
import type { Static } from '@sinclair/typebox';
import type { RoleName, RegionLevel } from '../../../contracts/common.ts';
import type { MeSchema, TotpSetupSchema, RegionRefSchema } from '../../../contracts/auth.ts';
import type { AccountSchema, GrantableRolesSchema, CreateAccountBody, UpdateAccountBody } from '../../../contracts/accounts.ts';
import type { RegionSchema, RegionDetailSchema, RegionListSchema } from '../../../contracts/regions.ts';
import type { AuditEntrySchema, AuditVerifySchema, AuditListQuery } from '../../../contracts/audit.ts';

export type { RoleName, RegionLevel };
export type Me = Static<typeof MeSchema>;
export type RegionRef = Static<typeof RegionRefSchema>;
export type TotpSetup = Static<typeof TotpSetupSchema>;
export type Account = Static<typeof AccountSchema>;
export type GrantableRoles = Static<typeof GrantableRolesSchema>;
export type CreateAccountInput = Static<typeof CreateAccountBody>;
export type UpdateAccountInput = Static<typeof UpdateAccountBody>;
export type Region = Static<typeof RegionSchema>;
export type RegionDetail = Static<typeof RegionDetailSchema>;
export type RegionList = Static<typeof RegionListSchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type AuditVerify = Static<typeof AuditVerifySchema>;
export type AuditQuery = Static<typeof AuditListQuery>;

export interface Paged<T> {
  items: T[];
  total: number;
}
