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
