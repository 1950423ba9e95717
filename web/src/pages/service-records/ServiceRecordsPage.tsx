import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Select, Statistic, Table } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type dayjs from 'dayjs';
import { api } from '../../api/client.ts';
import {
  PERSON_TIMES_PATH,
  SERVICE_KIND,
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
import { FilterBar, ListTable, ModalForm, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { useApiData } from '../../components/useApiData.ts';
import LaborerSelect from './LaborerSelect.tsx';
import { SERVICE_FILTERS, defaultPeriod, kindOptions, serviceColumns, serviceFilterFields } from './columns.tsx';
import { grouped, chinaNow } from '../../app/format.ts';

const DAY = 'YYYY-MM-DD';
const KINDS = SERVICE_KIND.codes;

/** 服务记录: person-times per kind (by month, by child region) and the records of the region, with the form to record one. */
export default function ServiceRecordsPage() {
  const me = useMe();
  const [from, to] = defaultPeriod();
  // The region and period default to the user's own region and this year so far; the URL overrides them.
  const list = useListQuery<ServiceRecord, typeof SERVICE_FILTERS, never, ServiceRecordList>(SERVICE_RECORDS_PATH, {
    filters: SERVICE_FILTERS,
    fixed: { region: me.region.code, from, to },
  });
  const { region, from: periodFrom, to: periodTo } = list.query;
  const figures = useApiData<PersonTimes>(PERSON_TIMES_PATH, { region, from: periodFrom, to: periodTo });
  const stats = figures.data;
  const [creating, setCreating] = useState(false);
  const reload = () => {
    list.reload();
    figures.reload();
  };

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

  return (
    <>
      <PageHeader
        title="服务记录"
        description="职业指导、职业介绍、职业培训、创业服务、政策扶持：逐人逐次登记，按类别统计服务人次"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={reload}>
              刷新
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="service-new">
              登记服务
            </Button>
          </>
        }
      />
      <FilterBar
        name="service-filter"
        list={list}
        fields={serviceFilterFields(me.region)}
        extra={
          <Form.Item>
            <ExportButton path={SERVICE_RECORDS_EXPORT_PATH} query={list.query} testId="service-export" />
          </Form.Item>
        }
      />
      <ErrorAlert error={list.error ?? figures.error} testId="service-error" />
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {KINDS.map((k) => (
          <Col key={k} xs={12} md={8} lg={4}>
            <Card size="small">
              <Statistic
                title={`${SERVICE_KIND.labels[k]}（人次）`}
                value={stats?.totals[k] ?? 0}
                loading={figures.loading && !stats}
                data-testid={`service-total-${k}`}
              />
              <div style={{ color: '#999', fontSize: 12 }}>{stats ? `${grouped(stats.persons[k])} 人` : ''}</div>
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
        <ListTable<ServiceRecord>
          rowKey="id"
          size="small"
          list={list}
          columns={serviceColumns}
          sizeChanger={false}
          data-testid="service-table"
        />
      </Card>
      <ServiceForm
        open={creating}
        onClose={(saved) => {
          setCreating(false);
          if (saved) reload();
        }}
      />
    </>
  );
}

/** 登记服务: a new form on each opening. */
function ServiceForm({ open, onClose }: { open: boolean; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  return (
    <ModalForm<ServiceValues>
      open={open}
      title="登记服务"
      okText="登记"
      okTestId="service-submit"
      errorTestId="service-form-error"
      initialValues={{ kind: 'guidance', servedOn: chinaNow() }}
      onClose={onClose}
      onSubmit={async (v) => {
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
      }}
    >
      <ServiceFields />
    </ModalForm>
  );
}

interface ServiceValues {
  laborerId: string;
  kind: string;
  servedOn: dayjs.Dayjs;
  provider?: string;
  content?: string;
  postingId?: string;
  course?: string;
  hours?: number;
  certificate?: string;
}

function ServiceFields() {
  const kind = Form.useWatch('kind', Form.useFormInstance<ServiceValues>());
  const [postings, setPostings] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    if (kind !== 'introduction') return;
    api.get<{ items: { id: string; title: string; employer: { name: string } }[] }>('/api/v1/postings', { pageSize: 50 }).then(
      (r) => setPostings(r.items.map((p) => ({ value: p.id, label: `${p.title}（${p.employer.name}）` }))),
      () => setPostings([]),
    );
  }, [kind]);
  return (
    <>
      <Form.Item name="laborerId" label="劳动力" rules={[{ required: true, message: '请选择劳动力' }]}>
        <LaborerSelect data-testid="service-laborer" />
      </Form.Item>
      <Form.Item name="kind" label="服务类别" rules={[{ required: true }]}>
        <Select options={kindOptions} data-testid="service-form-kind" />
      </Form.Item>
      <Form.Item name="servedOn" label="服务日期" rules={[{ required: true, message: '请选择服务日期' }]}>
        <DatePicker disabledDate={(d) => d.isAfter(chinaNow(), 'day')} data-testid="service-date" />
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
    </>
  );
}
