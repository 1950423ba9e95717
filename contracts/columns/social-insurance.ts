import { defineColumns } from '../list-columns.ts';

/** 社保比对核实: the review list's columns (pages/social-insurance/columns.tsx). */
export const SI_REVIEW_COLUMNS = defineColumns({
  laborer: { title: '劳动力' },
  village: { title: '户籍村' },
  outcome: { title: '比对结果' },
  employment: { title: '登记的就业' },
  contribution: { title: '社保缴费单位' },
  months: { title: '缴费月数' },
  dueOn: { title: '核实截止' },
  status: { title: '状态' },
  actions: { title: '操作', screenOnly: true },
});
