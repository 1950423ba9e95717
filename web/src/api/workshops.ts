/**
 * 扶贫车间、就业扶贫基地 on the console side (contracts/workshops.ts). Roles mirror the server's
 * WORKSHOP_READERS and WORKSHOP_EDITORS.
 */
import type { Workshop, WorkshopDetail, WorkshopList, WorkshopSummary, WorkshopTotals } from '../../../contracts/workshops.ts';
import { WORKSHOP_KIND } from '../../../contracts/workshops.ts';
import type { RoleName } from './types.ts';
import { WORKSHOP_EDITORS } from '../../../contracts/roles.ts';
import { WORKSHOPS_PATH, WORKSHOP_SUMMARY_PATH } from '../../../contracts/paths.ts';
export { WORKSHOP_ROLES } from './roles.ts';

export type { Workshop, WorkshopDetail, WorkshopList, WorkshopSummary, WorkshopTotals };
export { WORKSHOP_KIND };

export const WORKSHOP_EDITOR_ROLES: RoleName[] = [...WORKSHOP_EDITORS];
export { WORKSHOPS_PATH };
export { WORKSHOP_SUMMARY_PATH };
