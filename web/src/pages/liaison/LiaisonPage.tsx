import { useCallback, useEffect, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Segmented,
  Select,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import ExportButton from '../../components/ExportButton.tsx';
import { LIAISON_WORKERS_EXPORT_PATH } from '../../../../contracts/paths.ts';
import {
  CASE_KIND_COLOR,
  CASES_PATH,
  LIAISON_CASE_KIND,
  LIAISON_CASE_STATUS,
  OFFICE_POSTINGS_PATH,
  WORKERS_PATH,
  casePath,
  workerCasesPath,
  workerPath,
  type LiaisonCase,
  type LiaisonCaseList,
  type OfficePosting,
  type OfficePostingList,
  type Worker,
  type WorkerDetail,
  type WorkerList,
} from '../../api/liaison.ts';
import { POSTING_STATE, POSTING_STATE_COLORS } from '../../api/postings.ts';
import { EMPLOYMENT_CHANNEL } from '../../../../contracts/referrals.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { useApiData } from '../../components/useApiData.ts';
import { FilterBar, ListTable, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { WORKER_FILTERS, workerColumns } from './columns.tsx';
import { applyServerErrors } from '../../components/formErrors.ts';
import ScrollTable from '../../components/ScrollTable.tsx';
import { grouped, chinaNow } from '../../app/format.ts';

const PAGE_SIZE = 20;
type Kind = keyof typeof LIAISON_CASE_KIND.labels;
const kindTag = (kind: string) => (
  <Tag color={CASE_KIND_COLOR[kind] ?? 'default'} data-testid="case-kind">
    {LIAISON_CASE_KIND.labels[kind as Kind] ?? kind}
  </Tag>
);
const statusTag = (status: string) => (
  <Tag color={status === 'open' ? 'orange' : 'green'} data-testid="case-status">
    {LIAISON_CASE_STATUS.labels[status as keyof typeof LIAISON_CASE_STATUS.labels] ?? status}
  </Tag>
);
const wage = (n: number | null) => (n === null ? '—' : `${grouped(n)} 元/月`);

/**
 * 驻外服务 at /liaison: the home county's laborers at work in the office's host city (an open
 * employment there), each with a drawer of the employment and the office's records of problems and
 * help (add, close with the help given); the office's cases by status; the postings it published.
 */
export default function LiaisonPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'workers';
  const [openWorker, setOpenWorker] = useState<string | null>(null);
  const [casesVersion, setCasesVersion] = useState(0);
  const city = me.hostRegion?.name ?? '驻地城市';

  return (
    <>
      <PageHeader
        title="驻外服务"
        description={`${me.region.name}在${city}务工人员：核实就业信息，登记工作、生活中反映的问题和提供的帮助，发布在${city}收集的岗位`}
      />
      <Tabs
        activeKey={tab}
        data-testid="liaison-tabs"
        onChange={(key) => setParams(key === 'workers' ? {} : { tab: key })}
        items={[
          { key: 'workers', label: `在${city}务工人员`, children: <WorkersTab onOpen={setOpenWorker} version={casesVersion} /> },
          {
            key: 'cases',
            label: '问题与帮扶',
            children: <CasesTab onOpen={setOpenWorker} version={casesVersion} onChanged={() => setCasesVersion((v) => v + 1)} />,
          },
          { key: 'postings', label: '本中心发布的岗位', children: <PostingsTab /> },
        ]}
      />
      <WorkerDrawer laborerId={openWorker} onClose={() => setOpenWorker(null)} onChanged={() => setCasesVersion((v) => v + 1)} />
    </>
  );
}

function WorkersTab({ onOpen, version }: { onOpen: (id: string) => void; version: number }) {
  const list = useListQuery<Worker, typeof WORKER_FILTERS, never, WorkerList>(WORKERS_PATH, {
    filters: WORKER_FILTERS,
    prefix: 'workers.',
    pageSize: PAGE_SIZE,
  });
  const { reload } = list;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  return (
    <Card>
      <FilterBar
        name="worker-filter"
        list={list}
        fields={[
          { kind: 'search', name: 'q', placeholder: '姓名、拼音首字母或用人单位', maxLength: 40, width: 320, testId: 'worker-search' },
          {
            kind: 'node',
            key: 'export',
            node: <ExportButton path={LIAISON_WORKERS_EXPORT_PATH} query={list.query} testId="worker-export" />,
          },
        ]}
      />
      <ErrorAlert error={list.error} testId="workers-error" />
      <ListTable<Worker>
        rowKey="laborerId"
        size="small"
        list={list}
        data-testid="workers-table"
        columns={workerColumns(onOpen, wage)}
        sizeChanger={false}
        unit="人"
        scroll={{ x: 1200 }}
        locale={{ emptyText: <Empty description="暂无在驻地城市务工的本县劳动力" /> }}
        rowTestId={(w) => `worker-row-${w.laborerId}`}
      />
    </Card>
  );
}

function CasesTab({ onOpen, version, onChanged }: { onOpen: (id: string) => void; version: number; onChanged: () => void }) {
  const [status, setStatus] = useState<string>('open');
  const [page, setPage] = useState(1);
  const [closing, setClosing] = useState<LiaisonCase | null>(null);
  const { data, error, loading, reload } = useApiData<LiaisonCaseList>(CASES_PATH, {
    status: status === 'all' ? undefined : status,
    page,
    pageSize: PAGE_SIZE,
  });
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  const columns: TableColumnsType<LiaisonCase> = [
    { title: '反映日期', dataIndex: 'reportedOn', width: 110 },
    {
      title: '姓名',
      key: 'name',
      width: 100,
      render: (_, c) => <Typography.Link onClick={() => onOpen(c.laborerId)}>{c.laborerName}</Typography.Link>,
    },
    { title: '类别', dataIndex: 'kind', width: 100, render: kindTag },
    { title: '反映的问题', dataIndex: 'description', ellipsis: true },
    { title: '提供的帮助', dataIndex: 'helpGiven', ellipsis: true, render: (v: string | null) => v ?? '—' },
    { title: '状态', dataIndex: 'status', width: 90, render: statusTag },
    { title: '办结日期', dataIndex: 'closedOn', width: 110, render: (v: string | null) => v ?? '—' },
    {
      title: '操作',
      key: 'actions',
      width: 90,
      render: (_, c) =>
        c.status === 'open' ? (
          <Button size="small" data-testid={`case-close-${c.id}`} onClick={() => setClosing(c)}>
            办结
          </Button>
        ) : null,
    },
  ];

  return (
    <Card>
      <Segmented
        value={status}
        onChange={(v) => {
          setStatus(String(v));
          setPage(1);
        }}
        options={[
          { value: 'open', label: '处理中' },
          { value: 'closed', label: '已办结' },
          { value: 'all', label: '全部' },
        ]}
        style={{ marginBottom: 16 }}
        data-testid="case-status-filter"
      />
      <ErrorAlert error={error} testId="cases-error" />
      <ScrollTable<LiaisonCase>
        rowKey="id"
        size="small"
        loading={loading}
        data-testid="cases-table"
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 1100 }}
        onRow={(c) => ({ 'data-testid': `case-row-${c.id}` }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 件`,
          onChange: setPage,
        }}
      />
      <CloseCaseModal liaisonCase={closing} onClose={() => setClosing(null)} onClosed={onChanged} />
    </Card>
  );
}

function PostingsTab() {
  const [page, setPage] = useState(1);
  const { data, error, loading } = useApiData<OfficePostingList>(OFFICE_POSTINGS_PATH, { page, pageSize: PAGE_SIZE });
  const columns: TableColumnsType<OfficePosting> = [
    { title: '岗位', key: 'title', render: (_, p) => <Link to={`/postings/${p.id}`}>{p.title}</Link> },
    { title: '用人单位', dataIndex: 'employerName', ellipsis: true },
    { title: '工作地点', dataIndex: 'workRegionName', ellipsis: true },
    { title: '月薪', key: 'wage', width: 130, render: (_, p) => `${p.wageMin}–${p.wageMax} 元` },
    { title: '招聘/已招', key: 'count', width: 100, render: (_, p) => `${p.headcount} / ${p.filled}` },
    { title: '录用', dataIndex: 'hires', width: 70 },
    { title: '有效期', key: 'valid', width: 200, render: (_, p) => `${p.validFrom} 至 ${p.validTo}` },
    {
      title: '状态',
      dataIndex: 'state',
      width: 90,
      render: (s: string) => (
        <Tag color={POSTING_STATE_COLORS[s] ?? 'default'}>{POSTING_STATE.labels[s as keyof typeof POSTING_STATE.labels] ?? s}</Tag>
      ),
    },
    { title: '发布人', key: 'by', width: 160, ellipsis: true, render: (_, p) => p.createdBy.displayName },
  ];
  return (
    <Card
      extra={
        <Link to="/postings/new">
          <Button type="primary" data-testid="office-posting-new">
            发布岗位
          </Button>
        </Link>
      }
    >
      <ErrorAlert error={error} testId="office-postings-error" />
      <ScrollTable<OfficePosting>
        rowKey="id"
        size="small"
        loading={loading}
        data-testid="office-postings-table"
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 1200 }}
        locale={{ emptyText: <Empty description="本中心尚未发布岗位" /> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 个`,
          onChange: setPage,
        }}
      />
    </Card>
  );
}

function WorkerDrawer({ laborerId, onClose, onChanged }: { laborerId: string | null; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const [detail, setDetail] = useState<WorkerDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [closing, setClosing] = useState<LiaisonCase | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ kind: Kind; description: string; reportedOn?: Dayjs; helpGiven?: string }>();

  const load = useCallback(async () => {
    if (!laborerId) return;
    try {
      setDetail(await api.get<WorkerDetail>(workerPath(laborerId)));
      setError(null);
    } catch (e) {
      setDetail(null);
      setError(e);
    }
  }, [laborerId]);
  useEffect(() => {
    setDetail(null);
    setAdding(false);
    load();
  }, [load]);

  async function addCase(values: { kind: Kind; description: string; reportedOn?: Dayjs; helpGiven?: string }) {
    if (!laborerId) return;
    setSaving(true);
    try {
      await api.post(workerCasesPath(laborerId), {
        kind: values.kind,
        description: values.description,
        reportedOn: values.reportedOn?.format('YYYY-MM-DD'),
        helpGiven: values.helpGiven?.trim() || undefined,
      });
      message.success('已登记');
      form.resetFields();
      setAdding(false);
      await load();
      onChanged();
    } catch (e) {
      if (!applyServerErrors(form, e, { LIAISON_CASE_DATE: 'reportedOn' }, ['kind', 'description', 'reportedOn', 'helpGiven'])) setError(e);
    } finally {
      setSaving(false);
    }
  }

  const e = detail?.employment;
  return (
    <Drawer
      open={laborerId !== null}
      onClose={onClose}
      width={720}
      title={detail ? `${detail.name} · 务工信息` : '务工信息'}
      data-testid="worker-drawer"
      destroyOnHidden
    >
      <ErrorAlert error={error} testId="worker-error" />
      {detail && e && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions size="small" column={2} bordered data-testid="worker-employment">
            <Descriptions.Item label="姓名">{detail.name}</Descriptions.Item>
            <Descriptions.Item label="身份证号">{detail.idNumberMasked}</Descriptions.Item>
            <Descriptions.Item label="手机号">{detail.phoneMasked ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="户籍所在村">{detail.villageName}</Descriptions.Item>
            <Descriptions.Item label="用人单位">{e.employerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="单位联系电话">{e.employerContact ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="岗位">{e.postingTitle ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="工作地点">{e.workRegionName}</Descriptions.Item>
            <Descriptions.Item label="入职日期">{e.startedOn}</Descriptions.Item>
            <Descriptions.Item label="月工资">{wage(e.monthlyWage)}</Descriptions.Item>
            <Descriptions.Item label="就业方式">{EMPLOYMENT_CHANNEL.labels[e.channel] ?? e.channel}</Descriptions.Item>
          </Descriptions>
          <Card
            size="small"
            title="问题与帮扶"
            extra={
              !adding && (
                <Button size="small" type="primary" data-testid="case-add" onClick={() => setAdding(true)}>
                  登记问题
                </Button>
              )
            }
          >
            {adding && (
              <Form form={form} layout="vertical" onFinish={addCase} data-testid="case-form" initialValues={{ reportedOn: chinaNow() }}>
                <Space wrap>
                  <Form.Item name="kind" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
                    <Select
                      style={{ width: 160 }}
                      data-testid="case-kind-select"
                      options={LIAISON_CASE_KIND.codes.map((k) => ({ value: k, label: LIAISON_CASE_KIND.labels[k] }))}
                    />
                  </Form.Item>
                  <Form.Item name="reportedOn" label="反映日期" rules={[{ required: true, message: '请选择反映日期' }]}>
                    <DatePicker disabledDate={(d) => d.isAfter(chinaNow(), 'day')} data-testid="case-reported-on" />
                  </Form.Item>
                </Space>
                <Form.Item
                  name="description"
                  label="反映的问题"
                  rules={[{ required: true, whitespace: true, message: '请填写反映的问题' }, { max: 1000 }]}
                >
                  <Input.TextArea rows={3} data-testid="case-description" />
                </Form.Item>
                <Form.Item name="helpGiven" label="已提供的帮助（可稍后在办结时填写）" rules={[{ max: 1000 }]}>
                  <Input.TextArea rows={2} data-testid="case-help" />
                </Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" loading={saving} data-testid="case-submit">
                    保存
                  </Button>
                  <Button onClick={() => setAdding(false)}>取消</Button>
                </Space>
              </Form>
            )}
            <List<LiaisonCase>
              data-testid="worker-cases"
              dataSource={detail.cases}
              locale={{ emptyText: '暂无记录' }}
              renderItem={(c) => (
                <List.Item
                  data-testid={`worker-case-${c.id}`}
                  actions={
                    c.status === 'open'
                      ? [
                          <Button key="close" size="small" data-testid={`worker-case-close-${c.id}`} onClick={() => setClosing(c)}>
                            办结
                          </Button>,
                        ]
                      : []
                  }
                >
                  <List.Item.Meta
                    title={
                      <Space>
                        {kindTag(c.kind)}
                        {statusTag(c.status)}
                        <Typography.Text type="secondary">{c.reportedOn} 反映</Typography.Text>
                      </Space>
                    }
                    description={
                      <>
                        <div>{c.description}</div>
                        {c.helpGiven && <div>帮助：{c.helpGiven}</div>}
                        {c.closedOn && (
                          <Typography.Text type="secondary">
                            {c.closedOn} 办结 · {c.recordedBy.displayName}
                          </Typography.Text>
                        )}
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          </Card>
        </Space>
      )}
      <CloseCaseModal
        liaisonCase={closing}
        onClose={() => setClosing(null)}
        onClosed={async () => {
          await load();
          onChanged();
        }}
      />
    </Drawer>
  );
}

function CloseCaseModal({
  liaisonCase,
  onClose,
  onClosed,
}: {
  liaisonCase: LiaisonCase | null;
  onClose: () => void;
  onClosed: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ helpGiven: string; closedOn: Dayjs }>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (liaisonCase) form.setFieldsValue({ helpGiven: liaisonCase.helpGiven ?? '', closedOn: chinaNow() });
  }, [liaisonCase, form]);

  async function submit(values: { helpGiven: string; closedOn: Dayjs }) {
    if (!liaisonCase) return;
    setSaving(true);
    try {
      await api.patch(casePath(liaisonCase.id), {
        status: 'closed',
        helpGiven: values.helpGiven.trim(),
        closedOn: values.closedOn.format('YYYY-MM-DD'),
      });
      message.success('已办结');
      onClose();
      onClosed();
    } catch (e) {
      if (
        !applyServerErrors(form, e, { LIAISON_CASE_DATE: 'closedOn', LIAISON_CASE_HELP_REQUIRED: 'helpGiven' }, ['helpGiven', 'closedOn'])
      )
        message.error(String((e as Error).message));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={liaisonCase !== null}
      title="办结问题"
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="办结"
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'case-close-submit' }}
      destroyOnHidden
    >
      {liaisonCase && (
        <Typography.Paragraph type="secondary">
          {liaisonCase.laborerName} · {LIAISON_CASE_KIND.labels[liaisonCase.kind]} · {liaisonCase.description}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" onFinish={submit} data-testid="case-close-form">
        <Form.Item
          name="helpGiven"
          label="提供的帮助"
          rules={[{ required: true, whitespace: true, message: '办结时须填写为其提供的帮助' }, { max: 1000 }]}
        >
          <Input.TextArea rows={3} data-testid="case-close-help" />
        </Form.Item>
        <Form.Item name="closedOn" label="办结日期" rules={[{ required: true, message: '请选择办结日期' }]}>
          <DatePicker
            disabledDate={(d) => d.isAfter(chinaNow(), 'day') || (liaisonCase ? d.isBefore(dayjs(liaisonCase.reportedOn), 'day') : false)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
