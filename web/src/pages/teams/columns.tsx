import { TEAM_COLUMNS, TEAM_RESULT_COLUMNS } from '../../../../contracts/columns/teams.ts';
import type { Team, TeamResultRow } from '../../api/teams.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';

/** The page's region and period as the URL keeps them (the results and the teams both read them). */
export const TEAM_FILTERS = { region: param.regionCode, from: param.day, to: param.day };

const resultCol = columnsOf<TeamResultRow, typeof TEAM_RESULT_COLUMNS>(TEAM_RESULT_COLUMNS);

export const teamResultColumns: ScreenColumn<TeamResultRow>[] = [
  resultCol('name', { render: (v, r) => <span data-testid={`team-result-${r.teamId}`}>{v}</span> }),
  resultCol('employerName'),
  resultCol('regionName'),
  resultCol('period', { render: (_, r) => `${r.periodFrom} 至 ${r.periodTo}` }),
  resultCol('villages', { align: 'right' }),
  resultCol('referrals', { align: 'right', sorter: (a, b) => a.referrals - b.referrals }),
  resultCol('hires', { align: 'right', sorter: (a, b) => a.hires - b.hires }),
];

const teamCol = columnsOf<Team, typeof TEAM_COLUMNS>(TEAM_COLUMNS);

export const teamColumns: ScreenColumn<Team>[] = [
  teamCol('name'),
  teamCol('employer', { render: (_, t) => t.employer.name }),
  teamCol('region', { render: (_, t) => t.region.name }),
  teamCol('members', { render: (_, t) => t.members.map((m) => m.displayName).join('、') }),
  teamCol('villages', { render: (_, t) => t.villages.map((v) => v.name).join('、') }),
  teamCol('period', { render: (_, t) => `${t.periodFrom} 至 ${t.periodTo}` }),
  teamCol('outcome', { render: (_, t) => `${t.referrals} / ${t.hires}` }),
];
