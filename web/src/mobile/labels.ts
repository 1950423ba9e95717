import {
  EDUCATION as EDUCATION_DICT,
  EMPLOYMENT_STATUS as EMPLOYMENT_DICT,
  WILLINGNESS as WILLINGNESS_DICT,
} from '../../../contracts/laborers.ts';
import { ONLINE_FAIR_STATE } from '../../../contracts/mobile.ts';
import { REFERRAL_STATUS as REFERRAL_DICT } from '../../../contracts/referrals.ts';

/** The dictionaries' labels the page shows (the contracts own them). */
export const EDUCATION: Record<string, string> = EDUCATION_DICT.labels;
export const EMPLOYMENT_STATUS: Record<string, string> = EMPLOYMENT_DICT.labels;
export const WILLINGNESS: Record<string, string> = WILLINGNESS_DICT.labels;
export const REFERRAL_STATUS: Record<string, string> = REFERRAL_DICT.labels;
export const FAIR_STATE: Record<string, string> = ONLINE_FAIR_STATE.labels;

export const label = (dict: Record<string, string>, code: string) => dict[code] ?? code;
