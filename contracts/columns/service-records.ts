import { defineColumns } from '../list-columns.ts';

/** 服务记录: the list's columns, on screen (pages/service-records/columns.tsx) and in its export (service-records.export.ts). */
export const SERVICE_RECORD_COLUMNS = defineColumns({
  id: { title: '编号', exportOnly: true },
  servedOn: { title: '服务日期' },
  kind: { title: '服务类别' },
  laborer: { title: '劳动力' },
  idNumberMasked: { title: '证件号（脱敏）', exportOnly: true },
  village: { title: '户籍所在村' },
  provider: { title: '服务机构' },
  content: { title: '服务内容' },
  posting: { title: '介绍岗位', exportOnly: true },
  course: { title: '培训项目', exportOnly: true },
  hours: { title: '课时', exportOnly: true },
  certificate: { title: '取得证书', exportOnly: true },
  recordedBy: { title: '登记人' },
  recordedAt: { title: '登记时间', exportOnly: true },
});
