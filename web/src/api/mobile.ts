/**
 * What the staff console knows of the laborer's mobile page: who confirms the wishes laborers send
 * from their phones. The page itself is its own entry (web/m.html, web/src/mobile/).
 */
import type { RoleName } from './types.ts';
import { WISH_CONFIRMERS } from '../../../contracts/roles.ts';

/** Who confirms the wishes sent from phones (the server's WISH_CONFIRMERS). */
export const WISH_CONFIRMER_ROLES: RoleName[] = [...WISH_CONFIRMERS];

export const WISH_REQUESTS_PATH = '/api/v1/wish-requests';
