import { defineColumns } from '../list-columns.ts';

/** 扶贫车间和就业扶贫基地名录: the registry's columns (pages/workshops/columns.tsx), named here for its export too. */
export const WORKSHOP_COLUMNS = defineColumns({
  name: { title: '名称' },
  kind: { title: '类型' },
  standing: { title: '认定状态' },
  region: { title: '所在地' },
  relocationSite: { title: '易地扶贫搬迁安置点' },
  postsPlanned: { title: '扶贫岗位' },
  employed: { title: '吸纳贫困劳动力就业' },
  subsidies: { title: '享受补贴' },
});
