import { defineColumns } from '../list-columns.ts';

/** 驻外服务 workers: the list's columns, on screen (pages/liaison/columns.tsx) and in its export (liaison.export.ts). */
export const LIAISON_WORKER_COLUMNS = defineColumns({
  name: { title: '劳动力' },
  sex: { title: '性别', exportOnly: true },
  idNumberMasked: { title: '证件号（脱敏）' },
  phoneMasked: { title: '手机号（脱敏）' },
  village: { title: '户籍所在村' },
  employer: { title: '用人单位' },
  contact: { title: '单位联系方式' },
  posting: { title: '岗位', exportOnly: true },
  place: { title: '务工地' },
  started: { title: '入职日期' },
  wage: { title: '月工资（元）' },
  channel: { title: '就业渠道', exportOnly: true },
  openCases: { title: '未办结诉求（件）' },
});
