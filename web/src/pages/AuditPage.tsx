import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ReloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { AUDIT_ENTITY_LABELS, auditDetailLabel } from '../../../contracts/audit-actions.ts';
import { api, buildQuery } from '../api/client.ts';
import { AUDIT_RESULT_LABELS, roleLabel } from '../api/labels.ts';
import type { AuditEntry, AuditQuery, AuditVerify, Paged } from '../api/types.ts';
import ErrorAlert from '../components/ErrorAlert.tsx';
import PageHeader from '../components/PageHeader.tsx';

type Filters = Omit<AuditQuery, 'page' | 'pageSize'>;
interface FilterValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  person?: string;
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  result?: Filters['result'];
}

const clean = (s?: string) => (s?.trim() ? s.trim() : undefined);

/** A detail's value in words: a label for each known key, nested objects the same way, JSON only for what has no label. */
function detailValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map((v) => detailValue(v)).join('、') || '—';
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
  if (entries.every(([k]) => auditDetailLabel(k)))
    return entries.map(([k, v]) => `${auditDetailLabel(k)}：${detailValue(v)}`).join('；') || '—';
  return JSON.stringify(value);
}

/** The details as labelled fields; keys without a label keep their code and their raw JSON (the fallback). */
function AuditDetails({ entry }: { entry: AuditEntry }) {
  const details = entry.details;
  const fields =
    details && typeof details === 'object' && !Array.isArray(details)
      ? Object.entries(details as Record<string, unknown>).map(([key, value]) => {
          const label = auditDetailLabel(key);
          return {
            key,
            label: label ?? <span className="lw-mono">{key}</span>,
            children: label ? (
              detailValue(value)
            ) : (
              <span className="lw-mono" style={{ fontSize: 12 }}>
                {JSON.stringify(value)}
              </span>
            ),
          };
        })
      : details === null || details === undefined
        ? []
        : [{ key: 'raw', label: '详情', children: <span className="lw-mono">{JSON.stringify(details)}</span> }];
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      style={{ maxWidth: 900 }}
      styles={{ label: { width: 140 } }}
      data-testid="audit-details"
      items={[
        { key: '__action', label: '动作', children: `${entry.actionName}（${entry.action}）` },
        {
          key: '__object',
          label: '对象',
          children: `${entry.entityLabel}${entry.objectName ? ` ${entry.objectName}` : ''}${entry.entityId ? ` #${entry.entityId}` : ''}`,
        },
        ...(entry.personName && entry.entity !== 'laborer' ? [{ key: '__person', label: '涉及劳动力', children: entry.personName }] : []),
        { key: '__ip', label: '来源 IP', children: entry.ip ?? '—' },
        ...fields,
      ]}
    />
  );
}

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
      person: clean(v.person),
      actor: clean(v.actor),
      action: clean(v.action),
      entity: v.entity,
      entityId: clean(v.entityId),
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
      width: 220,
      render: (_: unknown, e) =>
        e.actorName || e.actorId ? (
          <div>
            <div>
              {e.actorDisplayName ?? e.actorName ?? `#${e.actorId}`}
              {e.actorDisplayName && e.actorName ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {' '}
                  {e.actorName}
                </Typography.Text>
              ) : null}
            </div>
            {e.actorRole && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {roleLabel(e.actorRole)}
                {e.actorRegion ? ` · ${e.actorRegionName ?? e.actorRegion}` : ''}
              </Typography.Text>
            )}
          </div>
        ) : (
          <Typography.Text type="secondary">匿名 / 系统</Typography.Text>
        ),
    },
    {
      title: '动作',
      key: 'action',
      width: 230,
      render: (_: unknown, e) => (
        <Tooltip title={e.action} placement="topLeft">
          <div>
            <div data-testid="audit-action">{e.actionName}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {e.actionGroup}
            </Typography.Text>
          </div>
        </Tooltip>
      ),
    },
    {
      title: '对象',
      key: 'entity',
      width: 220,
      render: (_: unknown, e) => (
        <div data-testid="audit-object">
          <div>{e.objectName ?? (e.entityId ? `${e.entityLabel} #${e.entityId}` : e.entityLabel)}</div>
          {e.objectName && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {e.entityLabel}
              {e.entityId ? ` #${e.entityId}` : ''}
            </Typography.Text>
          )}
          {!e.objectName && e.personName && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              劳动力 {e.personName}
            </Typography.Text>
          )}
        </div>
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
        const text = detailValue(d);
        return (
          <Tooltip title={text} placement="topLeft">
            <span style={{ fontSize: 12 }}>{text}</span>
          </Tooltip>
        );
      },
    },
  ];

  const exportHref = `/api/v1/audit/export${buildQuery(filters)}`;

  return (
    <>
      <PageHeader
        title="审计日志"
        description="平台全部登录、授权与数据变更操作均写入防篡改的审计日志链，可逐条校验其完整性"
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} href={exportHref} data-testid="audit-export">
              导出查询结果
            </Button>
            <Button icon={<SafetyCertificateOutlined />} onClick={runVerify} loading={verifying} data-testid="audit-verify">
              校验日志链
            </Button>
          </Space>
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
          <Form.Item name="person" label="劳动力">
            <Input allowClear placeholder="完整姓名" maxLength={32} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="action" label="动作">
            <Input allowClear placeholder="如 查看、导出、登录" maxLength={64} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="entity" label="对象">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="全部"
              style={{ width: 140 }}
              options={Object.entries(AUDIT_ENTITY_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item name="entityId" label="对象编号" rules={[{ pattern: /^[0-9A-Za-z_-]{1,32}$/, message: '编号格式不正确' }]}>
            <Input allowClear maxLength={32} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="actor" label="操作人">
            <Input allowClear placeholder="用户名或姓名" maxLength={32} style={{ width: 140 }} />
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
          expandable={{ expandedRowRender: (e) => <AuditDetails entry={e} /> }}
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
