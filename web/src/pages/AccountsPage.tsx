import { useCallback, useEffect, useState, type HTMLAttributes } from 'react';
import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { LockOutlined, PlusOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, errorText } from '../api/client.ts';
import { ACCOUNT_STATUS_LABELS, ROLES, roleLabel } from '../api/labels.ts';
import type { Account, Paged, RoleName } from '../api/types.ts';
import { useMe } from '../app/auth.tsx';
import ErrorAlert from '../components/ErrorAlert.tsx';
import PageHeader from '../components/PageHeader.tsx';
import RegionCascader from '../components/RegionCascader.tsx';
import RoleTag from '../components/RoleTag.tsx';
import CreateAccountModal from './accounts/CreateAccountModal.tsx';
import ResetPasswordModal from './accounts/ResetPasswordModal.tsx';

interface Filters {
  region?: string;
  role?: RoleName;
  status?: 'active' | 'disabled';
  q?: string;
}

const isLocked = (a: Account) => !!a.lockedUntil && dayjs(a.lockedUntil).isAfter(dayjs());

export default function AccountsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<Paged<Account>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<Account | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const q = filters.q?.trim();
      setData(await api.get<Paged<Account>>('/api/v1/accounts', { ...filters, q: q || undefined, page, pageSize }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [filters, page, pageSize]);

  useEffect(() => {
    load();
  }, [load]);

  const applyFilters = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  const setStatus = async (account: Account, status: 'active' | 'disabled') => {
    setBusyId(account.id);
    try {
      await api.patch<Account>(`/api/v1/accounts/${account.id}`, { status });
      message.success(status === 'disabled' ? `已停用账号“${account.username}”` : `已启用账号“${account.username}”`);
      await load();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusyId(null);
    }
  };

  const columns: TableColumnsType<Account> = [
    {
      title: '用户名',
      dataIndex: 'username',
      width: 190,
      fixed: 'left',
      render: (v: string, a) => (
        <Space size={4} style={{ whiteSpace: 'nowrap' }}>
          <Typography.Text className="lw-mono">{v}</Typography.Text>
          {a.id === me.id && <Tag color="blue">本人</Tag>}
        </Space>
      ),
    },
    { title: '姓名 / 单位', dataIndex: 'displayName', width: 170, ellipsis: true },
    { title: '角色', dataIndex: 'role', width: 160, render: (r: string) => <RoleTag role={r} /> },
    {
      title: '所属区划',
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
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 140,
      render: (s: Account['status'], a) => (
        <Space size={4} wrap>
          <Tag color={s === 'active' ? 'success' : 'default'} data-testid="account-status">
            {ACCOUNT_STATUS_LABELS[s]}
          </Tag>
          {isLocked(a) && (
            <Tooltip title={`锁定至 ${dayjs(a.lockedUntil).format('YYYY-MM-DD HH:mm:ss')}`}>
              <Tag color="warning" icon={<LockOutlined />} data-testid="account-locked">
                锁定中
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: '动态验证码',
      dataIndex: 'totpEnabled',
      width: 100,
      render: (v: boolean) =>
        v ? (
          <Tag color="success" icon={<SafetyCertificateOutlined />}>
            已绑定
          </Tag>
        ) : (
          <Typography.Text type="secondary">未绑定</Typography.Text>
        ),
    },
    {
      title: '创建时间',
      dataIndex: 'createdAt',
      width: 150,
      render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
    },
    {
      title: '操作',
      key: 'actions',
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
                onConfirm={() => setStatus(a, 'disabled')}
              >
                <Button type="link" danger size="small" loading={busyId === a.id} data-testid="account-disable">
                  停用
                </Button>
              </Popconfirm>
            ) : (
              <Popconfirm
                title="启用账号"
                description={`确定启用“${a.displayName}”？`}
                okText="启用"
                cancelText="取消"
                onConfirm={() => setStatus(a, 'active')}
              >
                <Button type="link" size="small" loading={busyId === a.id} data-testid="account-enable">
                  启用
                </Button>
              </Popconfirm>
            )}
            <Button type="link" size="small" onClick={() => setResetting(a)} data-testid="account-reset-password">
              重置密码
            </Button>
          </Space>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="账号管理"
        description={`管理${me.region.fullName}及下级区划的工作人员账号`}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="account-create">
            新建账号
          </Button>
        }
      />
      <Card variant="borderless">
        <Form<Filters>
          form={filterForm}
          name="filter"
          layout="inline"
          style={{ rowGap: 12, marginBottom: 16 }}
          onFinish={(v) => applyFilters({ q: v.q })}
        >
          <Form.Item name="region" label="区划">
            <RegionCascader
              rootCode={me.region.code}
              changeOnSelect
              placeholder="全部（本辖区）"
              style={{ width: 260 }}
              onChange={(code) => applyFilters({ region: code })}
              data-testid="accounts-filter-region"
            />
          </Form.Item>
          <Form.Item name="role" label="角色">
            <Select<RoleName>
              allowClear
              placeholder="全部角色"
              style={{ width: 170 }}
              options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
              onChange={(role) => applyFilters({ role })}
              data-testid="accounts-filter-role"
            />
          </Form.Item>
          <Form.Item name="status" label="状态">
            <Select<'active' | 'disabled'>
              allowClear
              placeholder="全部"
              style={{ width: 110 }}
              options={[
                { value: 'active', label: ACCOUNT_STATUS_LABELS.active },
                { value: 'disabled', label: ACCOUNT_STATUS_LABELS.disabled },
              ]}
              onChange={(status) => applyFilters({ status })}
              data-testid="accounts-filter-status"
            />
          </Form.Item>
          <Form.Item name="q">
            <Input.Search
              allowClear
              placeholder="用户名或姓名"
              maxLength={32}
              style={{ width: 220 }}
              onSearch={(q) => applyFilters({ q })}
              enterButton
              data-testid="accounts-search"
            />
          </Form.Item>
          <Form.Item style={{ marginInlineEnd: 0 }}>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                filterForm.resetFields();
                setFilters({});
                setPage(1);
              }}
            >
              重置
            </Button>
          </Form.Item>
        </Form>
        <ErrorAlert error={error} testId="accounts-error" />
        <Table<Account>
          rowKey="id"
          size="middle"
          data-testid="accounts-table"
          columns={columns}
          dataSource={data.items}
          loading={loading}
          scroll={{ x: 1280 }}
          onRow={(a) => ({ 'data-testid': `account-row-${a.username}` }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: page,
            pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (t) => `共 ${t} 个账号`,
            onChange: (p, ps) => {
              setPage(ps !== pageSize ? 1 : p);
              setPageSize(ps);
            },
          }}
          locale={{ emptyText: loading ? ' ' : '暂无符合条件的账号' }}
        />
      </Card>

      <CreateAccountModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          if (page !== 1) setPage(1);
          else load();
        }}
      />
      <ResetPasswordModal account={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
