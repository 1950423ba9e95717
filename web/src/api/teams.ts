/**
 * 招工小分队 on the console side (contracts/teams.ts). Roles mirror the server's TEAM_MANAGERS.
 */
import type { CreateTeamInput, Team, TeamList, TeamResultRow, TeamResults } from '../../../contracts/teams.ts';
import { TEAMS_PATH, TEAM_RESULTS_PATH } from '../../../contracts/paths.ts';
export { TEAM_ROLES } from './roles.ts';

export type { CreateTeamInput, Team, TeamList, TeamResultRow, TeamResults };

export { TEAMS_PATH };
export { TEAM_RESULTS_PATH };
