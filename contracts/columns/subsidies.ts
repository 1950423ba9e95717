import { defineColumns } from '../list-columns.ts';

/** 补贴台账: the ledger's columns, on screen (pages/subsidies/columns.tsx) and in its export (subsidies.export.ts). */
export const SUBSIDY_COLUMNS = defineColumns({
  id: { title: '编号', exportOnly: true },
  kind: { title: '补贴类别' },
  recipient: { title: '补贴对象', exportOnly: true },
  subject: { title: '劳动力 / 单位' },
  idNumberMasked: { title: '证件号（脱敏）', exportOnly: true },
  village: { title: '户籍所在村', exportOnly: true },
  region: { title: '经办地区', exportOnly: true },
  amount: { title: '金额（元）' },
  period: { title: '补贴期间', screenOnly: true },
  periodFrom: { title: '期间起', exportOnly: true },
  periodTo: { title: '期间止', exportOnly: true },
  status: { title: '状态' },
  handling: { title: '经办', screenOnly: true },
  appliedBy: { title: '申请人', exportOnly: true },
  appliedAt: { title: '申请时间', exportOnly: true },
  approvedBy: { title: '审批人', exportOnly: true },
  approvedAt: { title: '审批时间', exportOnly: true },
  paidBy: { title: '发放人', exportOnly: true },
  paidOn: { title: '发放日期', exportOnly: true },
  paymentRef: { title: '支付凭证号', exportOnly: true },
  rejectReason: { title: '驳回原因', exportOnly: true },
  note: { title: '备注', exportOnly: true },
  actions: { title: '操作', screenOnly: true },
});
