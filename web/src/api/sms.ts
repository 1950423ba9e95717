/**
 * 点对点短信 on the console side (contracts/sms.ts). Roles mirror the server's SMS_MANAGERS and INBOX_READERS.
 */
import type { Campaign, CampaignFilters, Preview } from '../../../contracts/sms.ts';
import { CAMPAIGN_STATUS, DEFAULT_TEMPLATE, MESSAGE_REASON, MESSAGE_STATUS } from '../../../contracts/sms.ts';
import { SMS_CAMPAIGNS_PATH, SMS_FIELDS_PATH, SMS_INBOX_PATH, SMS_PREVIEW_PATH } from '../../../contracts/paths.ts';
export { SMS_INBOX_ROLES, SMS_ROLES } from './roles.ts';

export type { Campaign, CampaignFilters, Preview };
export { CAMPAIGN_STATUS, DEFAULT_TEMPLATE, MESSAGE_REASON, MESSAGE_STATUS };

/**
 * An account as the campaign pages name it: display name and username. Two county accounts may
 * share a display name (both 新邵县人社局), and the four-eyes rule is about accounts, so the
 * username is always shown.
 */
export const accountLabel = (p: { username: string; displayName: string } | null) => (p ? `${p.displayName}（${p.username}）` : '—');

export const CAMPAIGNS_PATH = SMS_CAMPAIGNS_PATH;
export const PREVIEW_PATH = SMS_PREVIEW_PATH;
export const FIELDS_PATH = SMS_FIELDS_PATH;
export const INBOX_PATH = SMS_INBOX_PATH;

export interface SmsMessage {
  id: string;
  laborer: { id: string; name: string; phoneMasked: string | null };
  text: string;
  segments: number;
  status: keyof typeof MESSAGE_STATUS.labels;
  reason: string | null;
  reasonLabel: string | null;
  sentAt: string | null;
  doneAt: string | null;
}

export interface InboxItem {
  id: string;
  phoneMasked: string;
  laborer: { id: string; name: string; villageName: string } | null;
  body: string;
  kind: 'opt_out' | 'reply';
  receivedAt: string;
  handledBy: { username: string; displayName: string } | null;
  handledAt: string | null;
}

export const CAMPAIGN_STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  composing: 'processing',
  pending_approval: 'orange',
  rejected: 'red',
  sending: 'processing',
  paused: 'warning',
  done: 'green',
  cancelled: 'default',
  failed: 'red',
};
