import { POVERTY_LINE_SETTERS } from '../../../contracts/roles.ts';
import type { RoleName } from '../../../contracts/common.ts';
export { HOUSEHOLD_ROLES } from './roles.ts';

/** Who sets the yearly poverty line (the server's POVERTY_LINE_SETTERS). */
export const POVERTY_LINE_ROLES: RoleName[] = [...POVERTY_LINE_SETTERS];
