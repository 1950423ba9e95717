/**
 * 扶贫车间、就业扶贫基地 on the console side (contracts/workshops.ts). Roles mirror the server's
 * WORKSHOP_READERS and WORKSHOP_EDITORS.
 */
import { ACCREDITATION_CRITERIA, STANDING_ACT, STANDING_STATUS, VISIT_RESULT, WORKSHOP_KIND } from '../../../contracts/workshops.ts';
import type { RoleName } from './types.ts';
import { STANDING_DECIDERS, VISITORS, WORKSHOP_EDITORS } from '../../../contracts/roles.ts';
import { WORKSHOPS_PATH, WORKSHOP_SUMMARY_PATH } from '../../../contracts/paths.ts';
export { WORKSHOP_ROLES } from './roles.ts';

export type {
  Standing,
  StandingActRecord,
  Visit,
  VisitList,
  VisitRoster,
  Workshop,
  WorkshopDetail,
  WorkshopList,
  WorkshopSummary,
  WorkshopTotals,
} from '../../../contracts/workshops.ts';
export { ACCREDITATION_CRITERIA, STANDING_ACT, STANDING_STATUS, VISIT_RESULT, WORKSHOP_KIND };
/** 认定、年审、摘牌: admins (the server also requires a county or above); 巡诊: the workshops' editors. */
export const STANDING_DECIDER_ROLES: RoleName[] = [...STANDING_DECIDERS];
export const VISITOR_ROLES: RoleName[] = [...VISITORS];

export const WORKSHOP_EDITOR_ROLES: RoleName[] = [...WORKSHOP_EDITORS];
export { WORKSHOPS_PATH };
export { WORKSHOP_SUMMARY_PATH };
