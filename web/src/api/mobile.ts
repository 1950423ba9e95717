/**
 * What the staff console knows of the laborer's mobile page: who confirms the wishes laborers send
 * from their phones. The page itself is its own entry (web/m.html, web/src/mobile/).
 */
export { WISH_CONFIRMER_ROLES } from './roles.ts';

export const WISH_REQUESTS_PATH = '/api/v1/wish-requests';
