import { useCallback, useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import {
  PERSON_TIMES_PATH,
  SERVICE_KIND,
  SERVICE_KIND_COLOR,
  SERVICE_RECORDS_PATH,
  type PersonTimes,
  type ServiceRecord,
  type ServiceRecordList,
} from '../../api/service-records.ts';
import { useMe } from '../../app/auth.tsx';
import Chart, { type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import ExportButton from '../../components/ExportButton.tsx';
import { SERVICE_RECORDS_EXPORT_PATH } from '../../../../contracts/paths.ts';
import { applyServerErrors } from '../../components/formErrors.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import LaborerSelect from './LaborerSelect.tsx';

const DAY = 'YYYY-MM-DD';
const KINDS = SERVICE_KIND.codes;
const kindOptions = KINDS.map((k) => ({ value: k, label: SERVICE_KIND.labels[k] }));

/** 服务记录: person-times per kind (by month, by child region) and the records of the region, with the form to record one. */
export default function ServiceRecordsPage() {
  const me = useMe();
  const [region, setRegion] = useState<string>(me.region.code);
  const [period, setPeriod] = useState<[Dayjs, Dayjs]>([dayjs().startOf('year'), dayjs()]);
  const [kind, setKind] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [stats, setStats] = useState<PersonTimes | null>(null);
  const [records, setRecords] = useState<ServiceRecordList>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    const range = { from: period[0].format(DAY), to: period[1].format(DAY) };
    try {
      const [s, r] = await Promise.all([
        api.get<PersonTimes>(PERSON_TIMES_PATH, { region, ...range }),
        api.get<ServiceRecordList>(SERVICE_RECORDS_PATH, { region, ...range, kind, page, pageSize: 20 }),
      ]);
      setStats(s);
      setRecords(r);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [region, period, kind, page]);
  useEffect(() => {
    load();
  }, [load]);

  const option = useMemo<ChartOption | null>(() => {
    if (!stats || stats.months.length === 0) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 16, top: 56, bottom: 28 },
      xAxis: { type: 'category', data: stats.months.map((m) => m.month) },
      yAxis: { type: 'value', name: '人次' },
      series: KINDS.map((k) => ({
        type: 'bar',
        stack: 'services',
        name: SERVICE_KIND.labels[k],
        data: stats.months.map((m) => m.counts[k]),
      })),
    } as ChartOption;
  }, [stats]);

  const columns: TableColumnsType<ServiceRecord> = [
    { title: '服务日期', dataIndex: 'servedOn', width: 110 },
    {
      title: '劳动力',
      render: (_, r) => (
        <span>
          {r.laborer.name} <span style={{ color: '#999' }}>{r.laborer.idNumberMasked}</span>
        </span>
      ),
    },
    { title: '所在村', render: (_, r) => r.laborer.villageName },
    {
      title: '服务类别',
      dataIndex: 'kind',
      render: (k: string) => <Tag color={SERVICE_KIND_COLOR[k]}>{SERVICE_KIND.labels[k as keyof typeof SERVICE_KIND.labels]}</Tag>,
    },
    {
      title: '内容',
      render: (_, r) =>
        r.kind === 'training'
          ? `${r.course}，${r.hours} 课时${r.certificate ? `，取得${r.certificate}` : ''}`
          : [r.content, r.posting ? `岗位：${r.posting.title}` : null].filter(Boolean).join('；'),
    },
    { title: '服务机构', dataIndex: 'provider' },
    { title: '登记人', dataIndex: 'recordedBy' },
  ];

  return (
    <>
      <PageHeader
        title="服务记录"
        description="职业指导、职业介绍、职业培训、创业服务、政策扶持：逐人逐次登记，按类别统计服务人次"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={load}>
              刷新
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="service-new">
              登记服务
            </Button>
          </>
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <RegionCascader
          value={region}
          onChange={(code) => {
            setRegion(code ?? me.region.code);
            setPage(1);
          }}
          rootCode={me.region.code}
          changeOnSelect
          allowClear={false}
          style={{ width: 280 }}
          data-testid="service-region"
        />
        <span>期间</span>
        <DatePicker.RangePicker
          value={period}
          allowClear={false}
          onChange={(v) => {
            if (v?.[0] && v[1]) {
              setPeriod([v[0], v[1]]);
              setPage(1);
            }
          }}
          data-testid="service-period"
        />
        <Select
          allowClear
          placeholder="全部类别"
          style={{ width: 140 }}
          value={kind}
          onChange={(v) => {
            setKind(v);
            setPage(1);
          }}
          options={kindOptions}
          data-testid="service-kind"
        />
        <ExportButton
          path={SERVICE_RECORDS_EXPORT_PATH}
          query={{ region, from: period[0].format(DAY), to: period[1].format(DAY), kind }}
          testId="service-export"
        />
      </Space>
      {error ? <ErrorAlert error={error} testId="service-error" /> : null}
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {KINDS.map((k) => (
          <Col key={k} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic
                title={`${SERVICE_KIND.labels[k]}（人次）`}
                value={stats?.totals[k] ?? 0}
                loading={loading && !stats}
                data-testid={`service-total-${k}`}
              />
              <div style={{ color: '#999', fontSize: 12 }}>{stats ? `${stats.persons[k].toLocaleString()} 人` : ''}</div>
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Card size="small" title="各月服务人次">
            {option ? (
              <Chart option={option} height={280} data-testid="service-chart" />
            ) : (
              <div style={{ color: '#999', padding: 24 }}>期间内没有服务记录</div>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title="下级区划服务人次">
            <Table
              rowKey="code"
              size="small"
              pagination={{ pageSize: 8, showSizeChanger: false }}
              dataSource={stats?.children ?? []}
              columns={[
                { title: '区划', dataIndex: 'name' },
                ...KINDS.slice(0, 4).map((k) => ({
                  title: SERVICE_KIND.labels[k],
                  align: 'right' as const,
                  render: (_: unknown, r: { counts: Record<string, number> }) => r.counts[k],
                })),
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title="服务记录" style={{ marginTop: 12 }}>
        <Table
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={records.items}
          data-testid="service-table"
          pagination={{
            current: page,
            pageSize: 20,
            total: records.total,
            onChange: setPage,
            showSizeChanger: false,
            showTotal: (n) => `共 ${n} 条`,
          }}
        />
      </Card>
      {creating && (
        <ServiceForm
          onClose={(saved) => {
            setCreating(false);
            if (saved) load();
          }}
        />
      )}
    </>
  );
}

function ServiceForm({ onClose }: { onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const kind = Form.useWatch('kind', form);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [postings, setPostings] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    if (kind !== 'introduction') return;
    api.get<{ items: { id: string; title: string; employer: { name: string } }[] }>('/api/v1/postings', { pageSize: 50 }).then(
      (r) => setPostings(r.items.map((p) => ({ value: p.id, label: `${p.title}（${p.employer.name}）` }))),
      () => setPostings([]),
    );
  }, [kind]);

  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      await api.post(SERVICE_RECORDS_PATH, {
        laborerId: v.laborerId,
        kind: v.kind,
        servedOn: v.servedOn.format(DAY),
        ...(v.provider ? { provider: v.provider } : {}),
        ...(v.content ? { content: v.content } : {}),
        ...(v.kind === 'introduction' && v.postingId ? { postingId: v.postingId } : {}),
        ...(v.kind === 'training' ? { course: v.course, hours: v.hours, ...(v.certificate ? { certificate: v.certificate } : {}) } : {}),
      });
      message.success('服务记录已登记');
      onClose(true);
    } catch (e) {
      if (!applyServerErrors(form, e)) setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title="登记服务"
      onCancel={() => onClose(false)}
      onOk={submit}
      confirmLoading={saving}
      okText="登记"
      okButtonProps={{ 'data-testid': 'service-submit' } as Record<string, string>}
    >
      {error ? <ErrorAlert error={error} testId="service-form-error" /> : null}
      <Form form={form} layout="vertical" initialValues={{ kind: 'guidance', servedOn: dayjs() }}>
        <Form.Item name="laborerId" label="劳动力" rules={[{ required: true, message: '请选择劳动力' }]}>
          <LaborerSelect data-testid="service-laborer" />
        </Form.Item>
        <Form.Item name="kind" label="服务类别" rules={[{ required: true }]}>
          <Select options={kindOptions} data-testid="service-form-kind" />
        </Form.Item>
        <Form.Item name="servedOn" label="服务日期" rules={[{ required: true, message: '请选择服务日期' }]}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="service-date" />
        </Form.Item>
        {kind === 'training' && (
          <>
            <Form.Item name="course" label="培训项目" rules={[{ required: true, message: '请填写培训项目' }]}>
              <Input maxLength={100} placeholder="如：缝纫工（初级）" data-testid="service-course" />
            </Form.Item>
            <Form.Item name="hours" label="课时" rules={[{ required: true, message: '请填写课时' }]}>
              <InputNumber min={0.5} max={2000} step={1} data-testid="service-hours" />
            </Form.Item>
            <Form.Item name="certificate" label="取得证书">
              <Input maxLength={100} placeholder="如：专项职业能力证书（可不填）" />
            </Form.Item>
          </>
        )}
        {kind === 'introduction' && (
          <Form.Item name="postingId" label="介绍的岗位">
            <Select allowClear showSearch optionFilterProp="label" options={postings} placeholder="可不选" />
          </Form.Item>
        )}
        <Form.Item name="provider" label="服务机构">
          <Input maxLength={100} placeholder="如：新邵县公共就业服务中心" />
        </Form.Item>
        <Form.Item name="content" label="服务内容">
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
