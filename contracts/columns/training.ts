import { defineColumns } from '../list-columns.ts';

/** 职业培训班: the classes' columns (pages/training/columns.tsx), named here for an export too. */
export const TRAINING_CLASS_COLUMNS = defineColumns({
  course: { title: '培训项目' },
  institution: { title: '培训机构' },
  occupation: { title: '职业（工种）' },
  region: { title: '组织地区' },
  period: { title: '培训日期' },
  hours: { title: '课时' },
  roster: { title: '报名 / 结业 / 未结业' },
  certified: { title: '证书' },
  subsidy: { title: '培训补贴（元）' },
  status: { title: '状态' },
  actions: { title: '操作', screenOnly: true },
});
