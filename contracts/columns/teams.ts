import { defineColumns } from '../list-columns.ts';

/** 小分队成效: the results table's columns (pages/teams/columns.tsx), named here for an export too. */
export const TEAM_RESULT_COLUMNS = defineColumns({
  name: { title: '招工小分队' },
  employerName: { title: '服务企业' },
  regionName: { title: '组建单位' },
  period: { title: '工作期' },
  villages: { title: '走访村数' },
  referrals: { title: '推荐人数' },
  hires: { title: '录用人数' },
});

/** 小分队名单: the teams' columns (pages/teams/columns.tsx). */
export const TEAM_COLUMNS = defineColumns({
  name: { title: '招工小分队' },
  employer: { title: '服务企业' },
  region: { title: '组建单位' },
  members: { title: '成员' },
  villages: { title: '走访村' },
  period: { title: '工作期' },
  outcome: { title: '推荐 / 录用' },
});
