import { useEffect, useState } from 'react';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space } from 'antd';
import { ReloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { AUDIT_ENTITY_LABELS, auditDetailLabel } from '../../../contracts/audit-actions.ts';
import { api } from '../api/client.ts';
import { AUDIT_RESULT_LABELS } from '../api/labels.ts';
import type { AuditEntry, AuditQuery, AuditVerify } from '../api/types.ts';
import ErrorAlert from '../components/ErrorAlert.tsx';
import ExportButton from '../components/ExportButton.tsx';
import { ListTable, useListQuery } from '../components/list/index.ts';
import PageHeader from '../components/PageHeader.tsx';
import { AUDIT_FILTERS, auditColumns, detailValue } from './audit/columns.tsx';
import { chinaNow } from '../app/format.ts';

interface FilterValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  person?: string;
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  result?: AuditQuery['result'];
}

const clean = (s?: string) => (s?.trim() ? s.trim() : undefined);

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
  const list = useListQuery<AuditEntry, typeof AUDIT_FILTERS>('/api/v1/audit', { filters: AUDIT_FILTERS });
  const { filters } = list;
  const [verifying, setVerifying] = useState(false);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);

  // The form shows the URL's filters (a reload, the back button, a shared link); 查询 writes them back.
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue({
      range: filters.from || filters.to ? [filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null] : null,
      person: filters.person,
      actor: filters.actor,
      action: filters.action,
      entity: filters.entity,
      entityId: filters.entityId,
      result: filters.result as FilterValues['result'],
    });
  }, [form, filters]);

  const search = (v: FilterValues) =>
    list.setFilters({
      from: v.range?.[0] ? v.range[0].format('YYYY-MM-DD') : null,
      to: v.range?.[1] ? v.range[1].format('YYYY-MM-DD') : null,
      person: clean(v.person) ?? null,
      actor: clean(v.actor) ?? null,
      action: clean(v.action) ?? null,
      entity: v.entity ?? null,
      entityId: clean(v.entityId) ?? null,
      result: v.result ?? null,
    });

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

  return (
    <>
      <PageHeader
        title="审计日志"
        description="平台全部登录、授权与数据变更操作均写入防篡改的审计日志链，可逐条校验其完整性"
        extra={
          <Space>
            <ExportButton path="/api/v1/audit/export" query={list.query} testId="audit-export" label="导出查询结果" />
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
            <DatePicker.RangePicker allowEmpty={[true, true]} disabledDate={(d) => d.isAfter(chinaNow(), 'day')} style={{ width: 250 }} />
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
            <Button icon={<ReloadOutlined />} onClick={list.reset}>
              重置
            </Button>
          </Form.Item>
        </Form>
        <ErrorAlert error={list.error} testId="audit-error" />
        <ListTable<AuditEntry>
          rowKey="id"
          data-testid="audit-table"
          list={list}
          columns={auditColumns}
          unit="条记录"
          scroll={{ x: 1300 }}
          expandable={{ expandedRowRender: (e) => <AuditDetails entry={e} /> }}
          locale={{ emptyText: list.loading ? ' ' : '暂无符合条件的审计记录' }}
        />
      </Card>
    </>
  );
}
