import { Button, Space, Tag, Typography } from 'antd';
import HoverTooltip from '../../components/HoverTooltip.tsx';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import PlaceName from '../../components/PlaceName.tsx';
import { REFERRAL_COLUMNS } from '../../../../contracts/columns/referrals.ts';
import {
  PIPELINE_STATUS,
  REFERRAL_CHANNEL,
  REFERRAL_HANDLER_ROLES,
  REFERRAL_STATUS,
  STATUS_COLOR,
  type Referral,
  type STEP_STATUS,
} from '../../api/referrals.ts';
import type { RoleName } from '../../api/types.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';

export type StepStatus = keyof typeof STEP_STATUS.labels;
export const STEP_LABELS: Record<StepStatus, string> = { interviewed: '已面试', hired: '录用', not_hired: '不录用', withdrawn: '撤回' };

/** The referrals' filter as the URL keeps it. */
export const REFERRAL_FILTERS = { status: param.oneOf(PIPELINE_STATUS.codes) };

export const statusTag = (status: string) => (
  <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid="referral-status">
    {REFERRAL_STATUS.labels[status as keyof typeof REFERRAL_STATUS.labels] ?? status}
  </Tag>
);

const col = columnsOf<Referral, typeof REFERRAL_COLUMNS>(REFERRAL_COLUMNS);

/** The referrals' table (titles from contracts/columns/referrals.ts); the step buttons for the roles that handle referrals. */
export const referralColumns = (
  role: RoleName,
  on: { step: (r: Referral, next: StepStatus) => void; detail: (id: string) => void },
): ScreenColumn<Referral>[] => [
  col('laborer', {
    width: 110,
    render: (_, r) =>
      role === 'employer' || role === 'broker' ? (
        <span data-testid="referral-laborer">{r.laborer.name}</span>
      ) : (
        <Link to={`/laborers/${r.laborer.id}`} data-testid="referral-laborer">
          {r.laborer.name}
        </Link>
      ),
  }),
  col('idNumberMasked', { width: 176, render: (_, r) => <span className="lw-mono">{r.laborer.idNumberMasked}</span> }),
  col('village', {
    width: 180,
    ellipsis: true,
    render: (_, r) => <PlaceName fullName={r.laborer.villageName} code={r.laborer.villageCode} />,
  }),
  col('posting', {
    width: 220,
    render: (_, r) => (
      <Space direction="vertical" size={0}>
        <Link to={`/postings/${r.posting.id}`}>{r.posting.title}</Link>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {r.posting.employerName}
        </Typography.Text>
      </Space>
    ),
  }),
  col('channel', {
    width: 130,
    render: (_, r) => (
      <Space direction="vertical" size={0}>
        {REFERRAL_CHANNEL.labels[r.channel]}
        {r.override ? (
          <HoverTooltip title={`推荐人说明：${r.override.reason}`}>
            <Tag color="orange" data-testid="referral-override">
              未满足：{r.override.label}
            </Tag>
          </HoverTooltip>
        ) : null}
      </Space>
    ),
  }),
  col('status', { width: 90, render: (_, r) => statusTag(r.status) }),
  col('updatedAt', { width: 150, render: (_, r) => dayjs(r.updatedAt).format('YYYY-MM-DD HH:mm') }),
  col('actions', {
    width: 260,
    // Kept in view at the right: on a laptop screen the table scrolls and the actions were cut off.
    fixed: 'right',
    render: (_, r) => (
      <Space size={4} wrap>
        {(REFERRAL_HANDLER_ROLES.includes(role) ? r.next : []).map((next) => (
          <Button
            key={next}
            size="small"
            type={next === 'hired' ? 'primary' : 'default'}
            danger={next === 'withdrawn'}
            onClick={() => on.step(r, next)}
            data-testid={`referral-step-${next}`}
          >
            {STEP_LABELS[next]}
          </Button>
        ))}
        <Button size="small" type="link" onClick={() => on.detail(r.id)} data-testid="referral-detail">
          进度
        </Button>
      </Space>
    ),
  }),
];
