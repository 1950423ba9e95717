import { defineColumns } from '../list-columns.ts';

/** 经纪人台账: the broker table's columns, on screen (pages/brokers/columns.tsx) and in its export (brokers.export.ts). */
export const BROKER_TABLE_COLUMNS = defineColumns({
  displayName: { title: '劳务经纪人' },
  username: { title: '用户名', exportOnly: true },
  regionName: { title: '所在乡镇' },
  villages: { title: '协议村数' },
  referrals: { title: '推荐人数' },
  hires: { title: '录用人数' },
  retained3: { title: '在岗满3个月' },
  retained6: { title: '在岗满6个月' },
});

/** 经纪人协议: the contracts' columns (pages/brokers/columns.tsx). */
export const BROKER_CONTRACT_COLUMNS = defineColumns({
  broker: { title: '劳务经纪人' },
  villages: { title: '协议村' },
  managers: { title: '管理乡镇 / 县人社' },
  period: { title: '协议期' },
  state: { title: '状态' },
  pay: { title: '购买服务（每人 / 须在岗）' },
  actions: { title: '操作', screenOnly: true },
});

/** 购买服务结算: a contract's placements of a period (pages/brokers/BrokerPayDrawer.tsx). */
export const BROKER_PLACEMENT_COLUMNS = defineColumns({
  laborer: { title: '劳动力' },
  village: { title: '所在村' },
  employerName: { title: '就业单位' },
  startedOn: { title: '入职日期' },
  endedOn: { title: '离职日期' },
  checkDay: { title: '期满核查日' },
  state: { title: '结算' },
});
