import { Button, Progress, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { CAMPAIGN_COLUMNS, INBOX_COLUMNS, MESSAGE_COLUMNS } from '../../../../contracts/columns/sms.ts';
import {
  CAMPAIGN_STATUS,
  CAMPAIGN_STATUS_COLORS,
  accountLabel,
  MESSAGE_STATUS,
  type Campaign,
  type InboxItem,
  type SmsMessage,
} from '../../api/sms.ts';
import { columnsOf, type FilterField, param, type ScreenColumn } from '../../components/list/index.ts';
import { dateTime } from '../../app/format.ts';

/** The campaigns' filter as the URL keeps it. */
export const CAMPAIGN_FILTERS = { status: param.oneOf(Object.keys(CAMPAIGN_STATUS.labels)) };

export const campaignFilterFields: FilterField[] = [
  {
    kind: 'select',
    name: 'status',
    label: '状态',
    width: 160,
    options: Object.entries(CAMPAIGN_STATUS.labels).map(([value, label]) => ({ value, label })),
  },
];

const col = columnsOf<Campaign, typeof CAMPAIGN_COLUMNS>(CAMPAIGN_COLUMNS);

/** The campaigns' table: titles from contracts/columns/sms.ts. */
export const campaignColumns: ScreenColumn<Campaign>[] = [
  col('name', {
    render: (v, c) => (
      <Link to={`/sms/${c.id}`} data-testid={`sms-campaign-${c.id}`}>
        {v}
      </Link>
    ),
  }),
  col('region', { render: (_, c) => c.region.name }),
  col('status', { render: (_, c) => <Tag color={CAMPAIGN_STATUS_COLORS[c.status]}>{CAMPAIGN_STATUS.labels[c.status]}</Tag> }),
  col('recipients', { align: 'right' }),
  col('segments', { align: 'right' }),
  col('progress', {
    width: 200,
    render: (_, c) => {
      const done = c.counts.delivered + c.counts.failed + c.counts.sent;
      return c.recipients ? <Progress percent={Math.round((done * 100) / c.recipients)} size="small" /> : '—';
    },
  }),
  col('createdBy', { render: (_, c) => accountLabel(c.createdBy) }),
  col('createdAt', { render: (_, c) => dateTime(c.createdAt) }),
];

const inboxCol = columnsOf<InboxItem, typeof INBOX_COLUMNS>(INBOX_COLUMNS);

/** The inbox's table: titles from contracts/columns/sms.ts; 标记已处理 on the replies still open. */
export const inboxColumns = (markHandled: (id: string) => void): ScreenColumn<InboxItem>[] => [
  inboxCol('receivedAt', { width: 170, render: (_, i) => dateTime(i.receivedAt) }),
  inboxCol('phoneMasked', { width: 120 }),
  inboxCol('laborer', { render: (_, i) => (i.laborer ? `${i.laborer.name}（${i.laborer.villageName}）` : '未登记号码') }),
  inboxCol('body'),
  inboxCol('kind', {
    width: 120,
    render: (_, i) => (i.kind === 'opt_out' ? <Tag color="red">退订（已生效）</Tag> : <Tag color="blue">回复</Tag>),
  }),
  inboxCol('handled', {
    width: 160,
    render: (_, i) =>
      i.handledAt ? (
        `${i.handledBy?.displayName ?? ''} 已处理`
      ) : (
        <Button size="small" onClick={() => markHandled(i.id)}>
          标记已处理
        </Button>
      ),
  }),
];

/** A campaign's messages: the filter as the URL keeps it, and the table. */
export const MESSAGE_FILTERS = { status: param.oneOf(Object.keys(MESSAGE_STATUS.labels) as (keyof typeof MESSAGE_STATUS.labels)[]) };

const messageCol = columnsOf<SmsMessage, typeof MESSAGE_COLUMNS>(MESSAGE_COLUMNS);

export const messageColumns: ScreenColumn<SmsMessage>[] = [
  messageCol('laborer', { render: (_, m) => m.laborer.name }),
  messageCol('phoneMasked', { render: (_, m) => m.laborer.phoneMasked ?? '—' }),
  messageCol('text', { ellipsis: true }),
  messageCol('segments', { align: 'right', width: 60 }),
  messageCol('status', { width: 90, render: (_, m) => <Tag>{MESSAGE_STATUS.labels[m.status]}</Tag> }),
  messageCol('reason', { render: (_, m) => m.reasonLabel ?? '' }),
];
