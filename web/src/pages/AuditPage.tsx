import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../api/client.ts';
import { AUDIT_RESULT_LABELS, roleLabel } from '../api/labels.ts';
import type { AuditEntry, AuditQuery, AuditVerify, Paged } from '../api/types.ts';
import ErrorAlert from '../components/ErrorAlert.tsx';
import PageHeader from '../components/PageHeader.tsx';

type Filters = Omit<AuditQuery, 'page' | 'pageSize'>;
interface FilterValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  actor?: string;
  action?: string;
  entity?: string;
  result?: Filters['result'];
}

const clean = (s?: string) => (s?.trim() ? s.trim() : undefined);

export default function AuditPage() {
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<Paged<AuditEntry>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<Paged<AuditEntry>>('/api/v1/audit', { ...filters, page, pageSize }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [filters, page, pageSize]);

  useEffect(() => {
    load();
  }, [load]);

  const search = (v: FilterValues) => {
    setFilters({
      from: v.range?.[0] ? v.range[0].format('YYYY-MM-DD') : undefined,
      to: v.range?.[1] ? v.range[1].format('YYYY-MM-DD') : undefined,
      actor: clean(v.actor),
      action: clean(v.action),
      entity: clean(v.entity),
      result: v.result,
    });
    setPage(1);
  };

  const runVerify = async () => {
    setVerifying(true);
    setVerify(null);
    setVerifyError(null);
    try {
      setVerify(await api.get<AuditVerify>('/api/v1/audit/verify'));
    } catch (e) {
      setVerifyError(e);
    } finally {
      setVerifying(false);
    }
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: '编号', dataIndex: 'id', width: 90, render: (v: string) => <span className="lw-mono">{v}</span> },
    { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
    {
      title: '操作人',
      key: 'actor',
      width: 200,
      render: (_: unknown, e) =>
        e.actorName || e.actorId ? (
          <div>
            <div>{e.actorName ?? `#${e.actorId}`}</div>
            {e.actorRole && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {roleLabel(e.actorRole)}
                {e.actorRegion ? ` · ${e.actorRegion}` : ''}
              </Typography.Text>
            )}
          </div>
        ) : (
          <Typography.Text type="secondary">匿名 / 系统</Typography.Text>
        ),
    },
    { title: '来源 IP', dataIndex: 'ip', width: 140, render: (v: string | null) => (v ? <span className="lw-mono">{v}</span> : '—') },
    { title: '动作', dataIndex: 'action', width: 200, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    {
      title: '对象',
      key: 'entity',
      width: 180,
      render: (_: unknown, e) => (
        <span className="lw-mono">
          {e.entity}
          {e.entityId ? ` #${e.entityId}` : ''}
        </span>
      ),
    },
    {
      title: '结果',
      dataIndex: 'result',
      width: 90,
      render: (v: string) => {
        const label = AUDIT_RESULT_LABELS[v];
        return <Tag color={label?.color ?? 'default'}>{label?.text ?? v}</Tag>;
      },
    },
    {
      title: '详情',
      dataIndex: 'details',
      ellipsis: true,
      render: (d: unknown) => {
        if (d === null || d === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
        const text = typeof d === 'string' ? d : JSON.stringify(d);
        return (
          <Tooltip title={text} placement="topLeft">
            <span className="lw-mono" style={{ fontSize: 12 }}>
              {text}
            </span>
          </Tooltip>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title="审计日志"
        description="平台全部登录、授权与数据变更操作均写入防篡改的审计日志链，可逐条校验其完整性"
        extra={
          <Button icon={<SafetyCertificateOutlined />} onClick={runVerify} loading={verifying} data-testid="audit-verify">
            校验日志链
          </Button>
        }
      />
      {verify && (
        <Alert
          data-testid="audit-verify-result"
          type={verify.ok ? 'success' : 'error'}
          showIcon
          closable={{ onClose: () => setVerify(null) }}
          style={{ marginBottom: 16 }}
          title={
            verify.ok ? `日志链完整：已校验 ${verify.checked} 条记录，未发现篡改` : `日志链校验未通过：已校验 ${verify.checked} 条记录`
          }
          description={
            verify.ok ? undefined : (
              <Space orientation="vertical" size={2}>
                {verify.firstBrokenId && <span>首个异常记录编号：{verify.firstBrokenId}</span>}
                {verify.reason && <span>原因：{verify.reason}</span>}
              </Space>
            )
          }
        />
      )}
      <ErrorAlert error={verifyError} testId="audit-verify-error" onClose={() => setVerifyError(null)} />
      <Card variant="borderless">
        <Form<FilterValues> form={form} name="audit" layout="inline" style={{ rowGap: 12, marginBottom: 16 }} onFinish={search}>
          <Form.Item name="range" label="日期">
            <DatePicker.RangePicker allowEmpty={[true, true]} disabledDate={(d) => d.isAfter(dayjs(), 'day')} style={{ width: 250 }} />
          </Form.Item>
          <Form.Item name="actor" label="操作人">
            <Input allowClear placeholder="用户名" maxLength={32} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="action" label="动作">
            <Input allowClear placeholder="如 auth.login" maxLength={64} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="entity" label="对象">
            <Input allowClear placeholder="如 account" maxLength={64} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name="result" label="结果">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 100 }}
              options={Object.entries(AUDIT_RESULT_LABELS).map(([value, l]) => ({ value, label: l.text }))}
            />
          </Form.Item>
          <Form.Item style={{ marginInlineEnd: 8 }}>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
              查询
            </Button>
          </Form.Item>
          <Form.Item style={{ marginInlineEnd: 0 }}>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                form.resetFields();
                setFilters({});
                setPage(1);
              }}
            >
              重置
            </Button>
          </Form.Item>
        </Form>
        <ErrorAlert error={error} testId="audit-error" />
        <Table<AuditEntry>
          rowKey="id"
          size="middle"
          data-testid="audit-table"
          columns={columns}
          dataSource={data.items}
          loading={loading}
          scroll={{ x: 1300 }}
          expandable={{
            expandedRowRender: (e) => (
              <pre className="lw-mono" style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                {JSON.stringify(e.details ?? null, null, 2)}
              </pre>
            ),
            rowExpandable: (e) => e.details !== null && e.details !== undefined,
          }}
          pagination={{
            current: page,
            pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (t) => `共 ${t} 条记录`,
            onChange: (p, ps) => {
              setPage(ps !== pageSize ? 1 : p);
              setPageSize(ps);
            },
          }}
          locale={{ emptyText: loading ? ' ' : '暂无符合条件的审计记录' }}
        />
      </Card>
    </>
  );
}
