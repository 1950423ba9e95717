import { Progress, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { CAMPAIGN_COLUMNS } from '../../../../contracts/columns/sms.ts';
import { CAMPAIGN_STATUS, CAMPAIGN_STATUS_COLORS, accountLabel, type Campaign } from '../../api/sms.ts';
import { columnsOf, type FilterField, param, type ScreenColumn } from '../../components/list/index.ts';

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
  col('createdAt', { render: (_, c) => new Date(c.createdAt).toLocaleString('zh-CN') }),
];
