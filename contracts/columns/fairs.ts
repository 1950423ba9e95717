import { defineColumns } from '../list-columns.ts';

/** 招聘会: the fair list's columns (pages/fairs/columns.tsx), its figures after them; named here for its export too. */
export const FAIR_COLUMNS = defineColumns({
  title: { title: '招聘会' },
  mode: { title: '形式' },
  heldOn: { title: '日期' },
  place: { title: '地点' },
  attendees: { title: '参会人数' },
  poorAttendees: { title: '其中贫困劳动力' },
  intentions: { title: '达成就业意向' },
  poorIntentions: { title: '其中贫困劳动力（意向）' },
  hires: { title: '录用' },
});

/** 招聘会参会人员: one fair's attendees, on screen (pages/fairs/columns.tsx) and in their export (fairs.export.ts). */
export const ATTENDEE_COLUMNS = defineColumns({
  id: { title: '编号', exportOnly: true },
  registeredAt: { title: '登记时间', exportOnly: true },
  channel: { title: '登记方式', exportOnly: true },
  name: { title: '姓名' },
  idNumberMasked: { title: '证件号（脱敏）' },
  phoneMasked: { title: '手机号（脱敏）' },
  village: { title: '户籍所在村' },
  poor: { title: '贫困劳动力' },
  povertyStatus: { title: '户类型', exportOnly: true },
  intentions: { title: '达成意向的岗位' },
  referrals: { title: '推荐进展', exportOnly: true },
  actions: { title: '操作', screenOnly: true },
});
