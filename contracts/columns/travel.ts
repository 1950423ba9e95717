import { defineColumns } from '../list-columns.ts';

/** 就业直通车: the trips' columns (pages/travel/columns.tsx), named here for an export too. */
export const TRIP_COLUMNS = defineColumns({
  departsOn: { title: '发车日期' },
  mode: { title: '方式' },
  fromCounty: { title: '出发县' },
  destination: { title: '目的地' },
  seats: { title: '核定 / 乘车' },
  boarded: { title: '上车' },
  arrived: { title: '到达' },
  missing: { title: '在途未到' },
  subsidy: { title: '乘车补贴（元）' },
  status: { title: '状态' },
  actions: { title: '操作', screenOnly: true },
});
