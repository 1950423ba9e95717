import { defineColumns } from '../list-columns.ts';

/** 本单位职工: an employer's employees (pages/employees/EmployeesPage.tsx). */
export const EMPLOYEE_COLUMNS = defineColumns({
  name: { title: '姓名' },
  idNumberMasked: { title: '身份证号' },
  phoneMasked: { title: '手机号' },
  village: { title: '户籍所在村' },
  workRegionName: { title: '工作地' },
  startedOn: { title: '入职日期' },
  status: { title: '状态' },
  monthlyWage: { title: '月工资（元）' },
  actions: { title: '操作', screenOnly: true },
});

/** 本月返乡人员 (pages/employment/ReturneesTab.tsx). */
export const RETURNEE_COLUMNS = defineColumns({
  name: { title: '姓名' },
  idNumberMasked: { title: '身份证号' },
  phoneMasked: { title: '手机号' },
  village: { title: '户籍所在村' },
  workRegionName: { title: '工作地' },
  employer: { title: '用人单位' },
  startedOn: { title: '入职' },
  endedOn: { title: '离岗' },
  endReason: { title: '离岗原因' },
  responsible: { title: '责任人' },
});

/** 回访任务 (the retention page's first tab). */
export const FOLLOW_UP_COLUMNS = defineColumns({
  name: { title: '姓名' },
  village: { title: '户籍所在村' },
  phoneMasked: { title: '手机号' },
  workplace: { title: '工作单位' },
  workRegionName: { title: '工作地' },
  startedOn: { title: '入职' },
  months: { title: '回访' },
  dueOn: { title: '应回访日期' },
  responsible: { title: '负责' },
  result: { title: '回访结果' },
  actions: { title: '操作', screenOnly: true },
});

/** 转岗服务 cases. */
export const CASE_COLUMNS = defineColumns({
  name: { title: '姓名' },
  village: { title: '户籍所在村' },
  job: { title: '原工作' },
  ended: { title: '离职' },
  returnee: { title: '返乡' },
  unemploymentBenefit: { title: '失业保险金' },
  openedOn: { title: '开始' },
  status: { title: '状态' },
});

/** 任务清单: on screen (pages/employment/columns.tsx) and in its export (employment's retention.service.ts). */
export const TASK_LIST_COLUMNS = defineColumns({
  name: { title: '姓名' },
  idNumberMasked: { title: '身份证号', exportOnly: true },
  phoneMasked: { title: '手机号', exportOnly: true },
  village: { title: '户籍所在村' },
  age: { title: '年龄' },
  willingness: { title: '就业意愿' },
  wantedJobTypes: { title: '意向工种' },
  expectedWage: { title: '期望月薪（元）' },
  /** On screen the skills and the certificates share a cell; the file has a column for each. */
  skillsAndCertificates: { title: '技能', screenOnly: true },
  skills: { title: '技能特长', exportOnly: true },
  certificates: { title: '职业资格证书', exportOnly: true },
  caring: { title: '照料负担', exportOnly: true },
  flags: { title: '特殊标识', exportOnly: true },
  openCase: { title: '转岗服务' },
});

/** 责任清单: on screen and in its export. */
export const RESPONSIBILITY_LIST_COLUMNS = defineColumns({
  name: { title: '姓名' },
  idNumberMasked: { title: '身份证号', exportOnly: true },
  phoneMasked: { title: '手机号', exportOnly: true },
  village: { title: '户籍所在村' },
  employed: { title: '就业状态' },
  workRegionName: { title: '工作地' },
  responsible: { title: '责任单位与责任人' },
  tasks: { title: '待办事项' },
});

/** 稳岗清单: on screen and in its export. */
export const RETENTION_LIST_COLUMNS = defineColumns({
  name: { title: '姓名' },
  idNumberMasked: { title: '身份证号', exportOnly: true },
  phoneMasked: { title: '手机号' },
  village: { title: '户籍所在村', exportOnly: true },
  workRegionName: { title: '工作地' },
  place: { title: '就业地类别', exportOnly: true },
  employer: { title: '用人单位' },
  contact: { title: '单位联系方式' },
  startedOn: { title: '入职日期' },
  monthlyWage: { title: '月工资（元）' },
});

/** 离岗风险 (the rate tab's list). */
export const RISK_COLUMNS = defineColumns({
  name: { title: '姓名' },
  work: { title: '工作' },
  score: { title: '风险分' },
  signs: { title: '迹象' },
});
