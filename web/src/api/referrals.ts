/**
 * 推荐 on the console side (contracts/referrals.ts): the referral list, its steps, and the
 * labels of statuses and channels.
 */
import type { Referral, ReferralDetail, ReferralList } from '../../../contracts/referrals.ts';
import { HARD_CONDITION, PIPELINE_STATUS, REFERRAL_CHANNEL, REFERRAL_STATUS, STEP_STATUS } from '../../../contracts/referrals.ts';
import { ApiError } from './client.ts';
import type { RoleName } from './types.ts';
import { REFERRAL_HANDLERS } from '../../../contracts/roles.ts';
import { REFERRALS_PATH } from '../../../contracts/paths.ts';
export { REFERRAL_ROLES } from './roles.ts';

export type { Referral, ReferralDetail, ReferralList };
export { HARD_CONDITION, PIPELINE_STATUS, REFERRAL_CHANNEL, REFERRAL_STATUS, STEP_STATUS };

/**
 * A referral refused because the pair fails a hard condition of the matching (REFERRAL_CONDITION_FAILED):
 * the refusal's words, so the form can ask for the reason to go ahead (overrideReason, at least 4 characters).
 */
export function conditionFailure(error: unknown): { message: string; label: string; detail: string } | null {
  if (!(error instanceof ApiError) || error.code !== 'REFERRAL_CONDITION_FAILED') return null;
  const d = (error.details ?? {}) as { label?: string; detail?: string };
  return { message: error.message, label: d.label ?? '', detail: d.detail ?? '' };
}

/** Staff who put laborers forward (the server's REFERRAL_CREATORS). */
export const REFERRAL_CREATOR_ROLES: RoleName[] = ['admin', 'township_operator', 'village_officer'];
/** Who moves them (interview, hire, …): not the broker (the server's REFERRAL_HANDLERS). */
export const REFERRAL_HANDLER_ROLES: RoleName[] = [...REFERRAL_HANDLERS];

export { REFERRALS_PATH };
export const referralPath = (id: string) => `${REFERRALS_PATH}/${id}`;
export const referralStepPath = (id: string) => `${REFERRALS_PATH}/${id}/steps`;

export const STATUS_COLOR: Record<string, string> = {
  recommended: 'blue',
  interviewed: 'gold',
  hired: 'green',
  not_hired: 'default',
  withdrawn: 'default',
  proposed: 'purple',
};
