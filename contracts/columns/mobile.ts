import { defineColumns } from '../list-columns.ts';

/** 意愿变更核实: the wish requests' columns (pages/mobile/columns.tsx). */
export const WISH_REQUEST_COLUMNS = defineColumns({
  laborer: { title: '劳动力' },
  current: { title: '现有意愿' },
  changes: { title: '申请改为' },
  createdAt: { title: '提交时间' },
  actions: { title: '操作', screenOnly: true },
});
