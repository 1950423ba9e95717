import { HOUSEHOLD_READERS, POVERTY_LINE_SETTERS } from '../../../contracts/roles.ts';
import type { RoleName } from '../../../contracts/common.ts';

/** Who reads households and their figures, and who sets the yearly poverty line (the server's lists). */
export const HOUSEHOLD_ROLES: RoleName[] = [...HOUSEHOLD_READERS];
export const POVERTY_LINE_ROLES: RoleName[] = [...POVERTY_LINE_SETTERS];
