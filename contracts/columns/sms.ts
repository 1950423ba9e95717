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

/** 短信回复: the inbox's columns (pages/sms/columns.tsx). */
export const INBOX_COLUMNS = defineColumns({
  receivedAt: { title: '收到时间' },
  phoneMasked: { title: '手机号' },
  laborer: { title: '劳动力' },
  body: { title: '内容' },
  kind: { title: '类型' },
  handled: { title: '处理' },
});

/** A campaign's messages (短信明细 on pages/sms/SmsCampaignDetailPage.tsx). */
export const MESSAGE_COLUMNS = defineColumns({
  laborer: { title: '劳动力' },
  phoneMasked: { title: '手机号' },
  text: { title: '短信' },
  segments: { title: '条数' },
  status: { title: '状态' },
  reason: { title: '原因' },
});
