import { defineColumns } from '../list-columns.ts';

/** 推荐记录: the list's columns, on screen (pages/referrals/columns.tsx) and in its export (referrals.export.ts). */
export const REFERRAL_COLUMNS = defineColumns({
  id: { title: '编号', exportOnly: true },
  status: { title: '状态' },
  channel: { title: '渠道' },
  laborer: { title: '劳动力' },
  sex: { title: '性别', exportOnly: true },
  idNumberMasked: { title: '证件号（脱敏）' },
  phoneMasked: { title: '手机号（脱敏）', exportOnly: true },
  village: { title: '户籍所在村' },
  posting: { title: '岗位' },
  employer: { title: '用人单位', exportOnly: true },
  wageMin: { title: '月薪下限（元）', exportOnly: true },
  wageMax: { title: '月薪上限（元）', exportOnly: true },
  createdBy: { title: '推荐人', exportOnly: true },
  overrideCondition: { title: '未满足的条件', exportOnly: true },
  overrideReason: { title: '仍推荐的理由', exportOnly: true },
  createdAt: { title: '推荐时间', exportOnly: true },
  updatedAt: { title: '最近更新' },
  actions: { title: '操作', screenOnly: true },
});
