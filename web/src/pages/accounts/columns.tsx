import { LockOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Popconfirm, Space, Tag, Typography } from 'antd';
import HoverTooltip from '../../components/HoverTooltip.tsx';
import dayjs from 'dayjs';
import { ACCOUNT_COLUMNS } from '../../../../contracts/columns/accounts.ts';
import { ACCOUNT_STATUS_LABELS, ROLES, roleLabel } from '../../api/labels.ts';
import type { Account, RegionRef } from '../../api/types.ts';
import { columnsOf, type FilterField, param, type ScreenColumn } from '../../components/list/index.ts';
import RoleTag from '../../components/RoleTag.tsx';

const isLocked = (a: Account) => !!a.lockedUntil && dayjs(a.lockedUntil).isAfter(dayjs());

/** The accounts' filters as the URL keeps them. */
export const ACCOUNT_FILTERS = {
  region: param.regionCode,
  role: param.oneOf(ROLES),
  status: param.oneOf(['active', 'disabled'] as const),
  q: param.text(32),
};

export const accountFilterFields = (viewer: RegionRef): FilterField[] => [
  { kind: 'region', name: 'region', rootCode: viewer.code, width: 260, testId: 'accounts-filter-region' },
  {
    kind: 'select',
    name: 'role',
    label: '角色',
    width: 170,
    options: ROLES.map((r) => ({ value: r, label: roleLabel(r) })),
    testId: 'accounts-filter-role',
  },
  {
    kind: 'select',
    name: 'status',
    label: '状态',
    width: 110,
    options: [
      { value: 'active', label: ACCOUNT_STATUS_LABELS.active },
      { value: 'disabled', label: ACCOUNT_STATUS_LABELS.disabled },
    ],
    testId: 'accounts-filter-status',
  },
  { kind: 'search', name: 'q', placeholder: '用户名或姓名', maxLength: 32, width: 220, testId: 'accounts-search' },
];

const col = columnsOf<Account, typeof ACCOUNT_COLUMNS>(ACCOUNT_COLUMNS);

/** The accounts' table: titles from contracts/columns/accounts.ts. */
export const accountColumns = (
  me: { id: string },
  on: { setStatus: (a: Account, status: 'active' | 'disabled') => void; reset: (a: Account) => void; busyId: string | null },
): ScreenColumn<Account>[] => [
  col('username', {
    width: 190,
    fixed: 'left',
    render: (v: string, a) => (
      <Space size={4} style={{ whiteSpace: 'nowrap' }}>
        <Typography.Text className="lw-mono">{v}</Typography.Text>
        {a.id === me.id && <Tag color="blue">本人</Tag>}
      </Space>
    ),
  }),
  col('displayName', { width: 170, ellipsis: true }),
  col('role', { width: 160, render: (r: string) => <RoleTag role={r} /> }),
  col('region', {
    dataIndex: ['region', 'fullName'],
    render: (_: unknown, a) => (
      <div title={`${a.region.fullName}（${a.region.code}）`}>
        <div>{a.region.fullName}</div>
        {a.hostRegion && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            对接城市：{a.hostRegion.fullName}
          </Typography.Text>
        )}
      </div>
    ),
  }),
  col('status', {
    width: 140,
    render: (s: Account['status'], a) => (
      <Space size={4} wrap>
        <Tag color={s === 'active' ? 'success' : 'default'} data-testid="account-status">
          {ACCOUNT_STATUS_LABELS[s]}
        </Tag>
        {isLocked(a) && (
          <HoverTooltip title={`锁定至 ${dayjs(a.lockedUntil).format('YYYY-MM-DD HH:mm:ss')}`}>
            <Tag color="warning" icon={<LockOutlined />} data-testid="account-locked">
              锁定中
            </Tag>
          </HoverTooltip>
        )}
      </Space>
    ),
  }),
  col('totpEnabled', {
    width: 100,
    render: (v: boolean) =>
      v ? (
        <Tag color="success" icon={<SafetyCertificateOutlined />}>
          已绑定
        </Tag>
      ) : (
        <Typography.Text type="secondary">未绑定</Typography.Text>
      ),
  }),
  col('createdAt', {
    width: 150,
    render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
  }),
  col('actions', {
    width: 150,
    fixed: 'right',
    render: (_: unknown, a) =>
      a.id === me.id ? (
        <Typography.Text type="secondary">—</Typography.Text>
      ) : (
        <Space size={0}>
          {a.status === 'active' ? (
            <Popconfirm
              title="停用账号"
              description={`停用后“${a.displayName}”将无法登录，确定停用？`}
              okText="停用"
              okButtonProps={{ danger: true }}
              cancelText="取消"
              onConfirm={() => on.setStatus(a, 'disabled')}
            >
              <Button type="link" danger size="small" loading={on.busyId === a.id} data-testid="account-disable">
                停用
              </Button>
            </Popconfirm>
          ) : (
            <Popconfirm
              title="启用账号"
              description={`确定启用“${a.displayName}”？`}
              okText="启用"
              cancelText="取消"
              onConfirm={() => on.setStatus(a, 'active')}
            >
              <Button type="link" size="small" loading={on.busyId === a.id} data-testid="account-enable">
                启用
              </Button>
            </Popconfirm>
          )}
          <Button type="link" size="small" onClick={() => on.reset(a)} data-testid="account-reset-password">
            重置密码
          </Button>
        </Space>
      ),
  }),
];
