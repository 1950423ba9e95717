import { defineColumns } from '../list-columns.ts';

/** 劳动力名册: the register's columns, on screen (pages/laborers/columns.tsx) and in its export (registry's laborers.service.ts). */
export const REGISTER_COLUMNS = defineColumns({
  name: { title: '姓名' },
  idNumberMasked: { title: '身份证号' },
  phoneMasked: { title: '手机号', exportOnly: true },
  sex: { title: '性别' },
  age: { title: '年龄' },
  village: { title: '户籍所在村' },
  householdCode: { title: '户编号', exportOnly: true },
  povertyStatus: { title: '户类型' },
  education: { title: '文化程度' },
  laborCapacity: { title: '劳动能力', exportOnly: true },
  health: { title: '健康状况', exportOnly: true },
  skills: { title: '技能特长', exportOnly: true },
  certificates: { title: '职业资格证书', exportOnly: true },
  willingness: { title: '就业意愿' },
  wantedJobTypes: { title: '意向工种', exportOnly: true },
  expectedWage: { title: '期望月薪（元）', exportOnly: true },
  caring: { title: '照料负担', exportOnly: true },
  flags: { title: '特殊标识' },
  employmentStatus: { title: '就业状态' },
  lastConfirmedAt: { title: '最近核实' },
  updatedAt: { title: '更新时间', screenOnly: true },
  actions: { title: '操作', screenOnly: true },
});
