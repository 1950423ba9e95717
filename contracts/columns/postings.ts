import { defineColumns } from '../list-columns.ts';

/** 岗位: the job list's columns (pages/postings/columns.tsx, also on an employer's page), named here for its export too. */
export const POSTING_COLUMNS = defineColumns({
  title: { title: '岗位' },
  employer: { title: '单位' },
  occupation: { title: '工种' },
  workRegion: { title: '工作地点' },
  headcount: { title: '招聘/已招' },
  wageMax: { title: '月薪' },
  board: { title: '食宿' },
  reservedForPoor: { title: '扶贫专岗' },
  validTo: { title: '有效期' },
  actions: { title: '操作', screenOnly: true },
});
