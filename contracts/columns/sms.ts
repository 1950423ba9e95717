import { defineColumns } from '../list-columns.ts';

/** 短信推送: the campaigns' columns (pages/sms/columns.tsx), named here for an export too. */
export const CAMPAIGN_COLUMNS = defineColumns({
  name: { title: '活动' },
  region: { title: '区划' },
  status: { title: '状态' },
  recipients: { title: '接收人' },
  segments: { title: '计费条数' },
  progress: { title: '进度', screenOnly: true },
  createdBy: { title: '创建人' },
  createdAt: { title: '创建时间' },
});
