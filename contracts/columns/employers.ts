import { defineColumns } from '../list-columns.ts';

/** 用人单位: the employer list's columns (pages/employers/columns.tsx), named here for its export too. */
export const EMPLOYER_COLUMNS = defineColumns({
  name: { title: '单位名称' },
  creditCode: { title: '统一社会信用代码' },
  kind: { title: '类型' },
  region: { title: '所在地' },
  industry: { title: '行业' },
  contact: { title: '联系人' },
  openPostings: { title: '在招岗位' },
  actions: { title: '操作', screenOnly: true },
});
