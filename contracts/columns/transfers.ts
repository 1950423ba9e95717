import { defineColumns } from '../list-columns.ts';

/** 迁移申请: the transfer requests' columns (pages/laborers/columns.tsx), named here for an export too. */
export const TRANSFER_COLUMNS = defineColumns({
  status: { title: '状态' },
  laborer: { title: '劳动力' },
  from: { title: '现户籍村' },
  county: { title: '信息卡所在县' },
  to: { title: '迁入村' },
  requested: { title: '申请' },
  decided: { title: '审批' },
  actions: { title: '操作', screenOnly: true },
});
