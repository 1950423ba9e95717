/**
 * 补贴 on the console side (contracts/subsidies.ts). Roles mirror the server's SUBSIDY_STAFF,
 * SUBSIDY_MANAGERS and SUBSIDY_APPROVERS.
 */
import type {
  DraftRetention,
  Eligibility,
  Eligible,
  Subsidy,
  SubsidyBatch,
  SubsidyList,
  SubsidySummary,
} from '../../../contracts/subsidies.ts';
import {
  EMPLOYER_SUBSIDY_KIND,
  LABORER_SUBSIDY_KIND,
  RETENTION_YUAN_PER_YEAR,
  SUBSIDY_KIND,
  SUBSIDY_RECIPIENT,
  SUBSIDY_STATUS,
  WORK_REQUIRED_KINDS,
  DRAFTED_ONLY_KINDS,
} from '../../../contracts/subsidies.ts';
import type { RoleName } from './types.ts';
import { SUBSIDY_MANAGERS, SUBSIDY_APPROVERS } from '../../../contracts/roles.ts';
import {
  RETENTION_DRAFT_PATH,
  RETENTION_ELIGIBILITY_PATH,
  SUBSIDIES_PATH,
  SUBSIDY_APPROVALS_PATH,
  SUBSIDY_PAYMENTS_PATH,
  SUBSIDY_SUMMARY_PATH,
} from '../../../contracts/paths.ts';
export { SUBSIDY_ROLES } from './roles.ts';

export type { DraftRetention, Eligibility, Eligible, Subsidy, SubsidyBatch, SubsidyList, SubsidySummary };
export {
  EMPLOYER_SUBSIDY_KIND,
  LABORER_SUBSIDY_KIND,
  RETENTION_YUAN_PER_YEAR,
  SUBSIDY_KIND,
  SUBSIDY_RECIPIENT,
  SUBSIDY_STATUS,
  WORK_REQUIRED_KINDS,
  DRAFTED_ONLY_KINDS,
};

export const SUBSIDY_MANAGER_ROLES: RoleName[] = [...SUBSIDY_MANAGERS];
export const SUBSIDY_APPROVER_ROLES: RoleName[] = [...SUBSIDY_APPROVERS];

export { SUBSIDIES_PATH };
export { SUBSIDY_SUMMARY_PATH };
/** Batch approval and payment of the ticked subsidies (all or none). */
export { SUBSIDY_APPROVALS_PATH, SUBSIDY_PAYMENTS_PATH };
export const ELIGIBILITY_PATH = RETENTION_ELIGIBILITY_PATH;
export const DRAFT_PATH = RETENTION_DRAFT_PATH;
export const subsidyActionPath = (id: string, action: 'approve' | 'reject' | 'pay') => `${SUBSIDIES_PATH}/${id}/${action}`;
export const SUBSIDY_STATUS_COLOR: Record<string, string> = { applied: 'gold', approved: 'blue', paid: 'green', rejected: 'default' };

/** A kind's label for its recipient (a workshop's social insurance is not a laborer's). */
export const subsidyKindLabel = (kind: string, recipient?: string) =>
  recipient === 'employer' && kind === 'social_insurance'
    ? '扶贫车间社会保险补贴'
    : (SUBSIDY_KIND.labels[kind as keyof typeof SUBSIDY_KIND.labels] ?? kind);
