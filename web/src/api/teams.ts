/**
 * 招工小分队 on the console side (contracts/teams.ts). Roles mirror the server's TEAM_MANAGERS.
 */
import type { CreateTeamInput, Team, TeamList, TeamResultRow, TeamResults } from '../../../contracts/teams.ts';
import type { RoleName } from './types.ts';
import { TEAM_MANAGERS } from '../../../contracts/roles.ts';
import { TEAMS_PATH, TEAM_RESULTS_PATH } from '../../../contracts/paths.ts';

export type { CreateTeamInput, Team, TeamList, TeamResultRow, TeamResults };

/** The county labour bureau and the township's 劳动保障服务站. */
export const TEAM_ROLES: RoleName[] = [...TEAM_MANAGERS];

export { TEAMS_PATH };
export { TEAM_RESULTS_PATH };
