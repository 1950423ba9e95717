import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckSquareOutlined, PayCircleOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../api/client.ts';
import { SUBSIDIES_EXPORT_PATH } from '../../../../contracts/paths.ts';
import ExportButton from '../../components/ExportButton.tsx';
import {
  DRAFT_PATH,
  ELIGIBILITY_PATH,
  EMPLOYER_SUBSIDY_KIND,
  LABORER_SUBSIDY_KIND,
  DRAFTED_ONLY_KINDS,
  RETENTION_YUAN_PER_YEAR,
  SUBSIDIES_PATH,
  SUBSIDY_APPROVALS_PATH,
  SUBSIDY_APPROVER_ROLES,
  SUBSIDY_MANAGER_ROLES,
  SUBSIDY_PAYMENTS_PATH,
  SUBSIDY_STATUS,
  SUBSIDY_STATUS_COLOR,
  SUBSIDY_SUMMARY_PATH,
  WORK_REQUIRED_KINDS,
  subsidyActionPath,
  type DraftRetention,
  type Eligibility,
  type Eligible,
  type Subsidy,
  type SubsidyBatch,
  type SubsidyList,
  type SubsidySummary,
} from '../../api/subsidies.ts';
import { useMe } from '../../app/auth.tsx';
import Chart, { type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, ModalForm, param, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { SUBSIDY_FILTERS, statusOptions, subsidyColumns, yuan } from './columns.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import LaborerSelect from '../service-records/LaborerSelect.tsx';
import PaymentBatchesTab from './PaymentBatchesTab.tsx';
import { chinaNow } from '../../app/format.ts';

const DAY = 'YYYY-MM-DD';

/** 补贴: the list and its pipeline (apply → approve → pay), the approval queue, the retention-subsidy draft, and the figures by kind. */
export default function SubsidiesPage() {
  const me = useMe();
  const approver = SUBSIDY_APPROVER_ROLES.includes(me.role) && me.region.code.length <= 6;
  const manager = SUBSIDY_MANAGER_ROLES.includes(me.role);
  // The region and the tab are in the URL, as the lists' filters and pages are.
  const [params, setParams] = useSearchParams();
  const region = param.regionCode(params.get('region')) ?? me.region.code;
  const tab = params.get('tab') ?? (approver ? 'queue' : 'list');
  const go = (patch: Record<string, string | null>) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [key, value] of Object.entries(patch)) value === null ? next.delete(key) : next.set(key, value);
      return next;
    });
  const setRegion = (code: string) => go({ region: code === me.region.code ? null : code, page: null, 'queue.page': null });
  const [creating, setCreating] = useState(false);
  const [version, setVersion] = useState(0);
  const refresh = () => setVersion((v) => v + 1);

  return (
    <>
      <PageHeader
        title="补贴"
        description="劳动力个人补贴和用人单位（扶贫车间）补贴：申请、审批、发放，同一对象同一类别同一期间只发一次"
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={refresh}>
              刷新
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="subsidy-new">
              申请补贴
            </Button>
          </>
        }
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <RegionCascader
          value={region}
          onChange={(code) => setRegion(code ?? me.region.code)}
          rootCode={me.region.code}
          changeOnSelect
          allowClear={false}
          style={{ width: 280 }}
          data-testid="subsidy-region"
        />
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) => go({ tab: key })}
        items={[
          ...(approver
            ? [
                {
                  key: 'queue',
                  label: '待我审批',
                  children: <SubsidyTable key={`q${version}`} region={region} queue approver={approver} onChanged={refresh} />,
                },
              ]
            : []),
          {
            key: 'list',
            label: '补贴台账',
            children: <SubsidyTable key={`l${version}`} region={region} approver={approver} onChanged={refresh} />,
          },
          ...(manager
            ? [
                {
                  key: 'retention',
                  label: '稳岗补贴测算',
                  children: <RetentionDraft key={`r${version}`} region={region} onDrafted={refresh} />,
                },
              ]
            : []),
          ...(approver ? [{ key: 'payments', label: '代发批次', children: <PaymentBatchesTab key={`p${region}`} region={region} /> }] : []),
          { key: 'summary', label: '补贴统计', children: <SubsidyFigures key={`s${version}`} region={region} /> },
        ]}
      />
      <SubsidyForm
        open={creating}
        manager={manager}
        onClose={(saved) => {
          setCreating(false);
          if (saved) refresh();
        }}
      />
    </>
  );
}

function SubsidyTable({
  region,
  queue,
  approver,
  onChanged,
}: {
  region: string;
  queue?: boolean;
  approver: boolean;
  onChanged: () => void;
}) {
  const { message, modal } = App.useApp();
  const list = useListQuery<Subsidy, typeof SUBSIDY_FILTERS, never, SubsidyList>(SUBSIDIES_PATH, {
    filters: SUBSIDY_FILTERS,
    fixed: queue ? { region, queue: true } : { region },
    prefix: queue ? 'queue.' : '',
  });
  const [error, setError] = useState<unknown>(null);
  // Batch approval or payment (approvers): the subsidies ticked, across pages, and the action asked for.
  const [selected, setSelected] = useState<Subsidy[]>([]);
  const [batch, setBatch] = useState<'approve' | 'pay' | null>(null);
  const allIn = (status: Subsidy['status']) => selected.length > 0 && selected.every((s) => s.status === status);

  const act = async (s: Subsidy, action: 'approve' | 'pay' | 'reject', body: object = {}) => {
    try {
      await api.post(subsidyActionPath(s.id, action), body);
      message.success(action === 'approve' ? '已审批通过' : action === 'pay' ? '已发放' : '已驳回');
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const reject = (s: Subsidy) => {
    let reason = '';
    modal.confirm({
      title: '驳回补贴申请',
      content: (
        <Input.TextArea
          rows={2}
          maxLength={500}
          placeholder="驳回理由"
          onChange={(e) => (reason = e.target.value)}
          data-testid="subsidy-reject-reason"
        />
      ),
      okText: '驳回',
      onOk: () => (reason.trim() ? act(s, 'reject', { reason }) : Promise.reject(new Error('请填写驳回理由'))),
    });
  };

  return (
    <Card size="small">
      <ErrorAlert error={error ?? list.error} testId="subsidy-error" />
      {approver && (
        <Space style={{ marginBottom: 12, marginRight: 12 }}>
          <Button
            icon={<CheckSquareOutlined />}
            disabled={!allIn('applied')}
            onClick={() => setBatch('approve')}
            data-testid="subsidy-batch-approve"
          >
            批量审批通过{selected.length ? `（${selected.length}）` : ''}
          </Button>
          {!queue && (
            <Button
              icon={<PayCircleOutlined />}
              disabled={!allIn('approved')}
              onClick={() => setBatch('pay')}
              data-testid="subsidy-batch-pay"
            >
              批量发放{selected.length ? `（${selected.length}）` : ''}
            </Button>
          )}
        </Space>
      )}
      {!queue && (
        <Space style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder="全部状态"
            style={{ width: 160 }}
            value={list.filters.status}
            onChange={(v) => list.setFilters({ status: v })}
            options={statusOptions}
            data-testid="subsidy-status"
          />
          <ExportButton path={SUBSIDIES_EXPORT_PATH} query={list.query} testId="subsidy-export" />
        </Space>
      )}
      <Typography.Paragraph type="secondary" data-testid={queue ? 'subsidy-queue-total' : 'subsidy-total'}>
        共 {list.data?.total ?? 0} 笔，合计 {yuan(list.data?.amount ?? 0)}
        {queue ? '（本人提交的申请由其他管理员审批）' : ''}
      </Typography.Paragraph>
      <ListTable<Subsidy>
        rowKey="id"
        size="small"
        list={list}
        sizeChanger={false}
        unit="笔"
        columns={subsidyColumns(approver ? { approve: (s) => act(s, 'approve'), pay: (s) => act(s, 'pay'), reject } : null)}
        data-testid={queue ? 'subsidy-queue' : 'subsidy-table'}
        rowTestId={(s) => `subsidy-row-${s.id}`}
        rowSelection={
          approver
            ? {
                selectedRowKeys: selected.map((s) => s.id),
                preserveSelectedRowKeys: true,
                onChange: (_, rows) => setSelected(rows.filter(Boolean)),
                getCheckboxProps: (s) => ({ disabled: s.status !== 'applied' && s.status !== 'approved' }),
              }
            : undefined
        }
      />
      {batch && (
        <BatchSubsidyModal
          action={batch}
          subsidies={selected}
          onClose={() => setBatch(null)}
          onDone={() => {
            setBatch(null);
            setSelected([]);
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

/**
 * Approving or paying the ticked subsidies in one action (issue 18 item 4). The confirmation names
 * the count and the yuan before anything moves; the reason is stated once for all of them. The
 * server moves all or none: a refusal names each subsidy that cannot be moved and why, shown here.
 */
function BatchSubsidyModal({
  action,
  subsidies,
  onClose,
  onDone,
}: {
  action: 'approve' | 'pay';
  subsidies: Subsidy[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [paidOn, setPaidOn] = useState<Dayjs>(chinaNow());
  const [paymentRef, setPaymentRef] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Summed in fen: yuan with cents do not add up exactly as floating-point numbers.
  const sum = subsidies.reduce((fen, s) => fen + Math.round(s.amount * 100), 0) / 100;
  const verb = action === 'approve' ? '批准' : '发放';
  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      const ids = subsidies.map((s) => s.id);
      const r =
        action === 'approve'
          ? await api.post<SubsidyBatch>(SUBSIDY_APPROVALS_PATH, { ids, reason: reason.trim() })
          : await api.post<SubsidyBatch>(SUBSIDY_PAYMENTS_PATH, {
              ids,
              reason: reason.trim(),
              paidOn: paidOn.format(DAY),
              ...(paymentRef.trim() ? { paymentRef: paymentRef.trim() } : {}),
            });
      message.success(`已${verb} ${r.count} 笔补贴，合计 ${yuan(r.amount)}`);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={`确认${verb} ${subsidies.length} 笔补贴，合计 ${yuan(sum)}？`}
      okText={`确认${verb}`}
      confirmLoading={saving}
      okButtonProps={
        { disabled: reason.trim().length < 2 || (action === 'pay' && !paidOn), 'data-testid': 'subsidy-batch-submit' } as never
      }
      onCancel={onClose}
      onOk={submit}
      data-testid="subsidy-batch-modal"
    >
      <ErrorAlert error={error} testId="subsidy-batch-error" />
      <Typography.Paragraph type="secondary">
        {action === 'approve'
          ? '所选申请一并审批通过，审批意见记入每笔补贴；其中任何一笔不能审批（如本人提交的申请），则全部不审批。'
          : '所选补贴一并记为已发放；其中任何一笔不能发放（如已发放过），则全部不发放。'}
        每笔补贴各记一条审计记录。
      </Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        {action === 'pay' && (
          <Space wrap>
            <span>发放日期</span>
            <DatePicker
              value={paidOn}
              allowClear={false}
              onChange={(d) => d && setPaidOn(d)}
              disabledDate={(d) => d.isAfter(chinaNow(), 'day')}
              data-testid="subsidy-batch-paid-on"
            />
            <Input
              value={paymentRef}
              maxLength={60}
              onChange={(e) => setPaymentRef(e.target.value)}
              placeholder="支付凭证号（可不填）"
              style={{ width: 200 }}
            />
          </Space>
        )}
        <Input.TextArea
          value={reason}
          maxLength={200}
          rows={2}
          onChange={(e) => setReason(e.target.value)}
          placeholder={action === 'approve' ? '审批意见，如“材料齐全，同意”' : '发放说明，如“第二季度培训补贴集中发放”'}
          data-testid="subsidy-batch-reason"
        />
      </Space>
    </Modal>
  );
}

function RetentionDraft({ region, onDrafted }: { region: string; onDrafted: () => void }) {
  const { message, modal } = App.useApp();
  const [year, setYear] = useState<Dayjs>(chinaNow().subtract(1, 'year'));
  const [onlyNew, setOnlyNew] = useState(true);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Eligibility | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<Eligibility>(ELIGIBILITY_PATH, { year: year.year(), region, onlyNew, page, pageSize: 50 }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [year, region, onlyNew, page]);
  useEffect(() => {
    load();
  }, [load]);

  const draft = () => {
    const count = selected.length || data?.new || 0;
    modal.confirm({
      title: `生成 ${year.year()} 年度稳岗补贴申请`,
      content: selected.length
        ? `为选中的 ${selected.length} 人各生成一笔 ${RETENTION_YUAN_PER_YEAR} 元的稳岗补贴申请，提交县级及以上人社部门审批。`
        : `为名单中尚未申请的 ${count} 人各生成一笔 ${RETENTION_YUAN_PER_YEAR} 元的稳岗补贴申请，提交县级及以上人社部门审批。`,
      okText: '生成申请',
      onOk: async () => {
        try {
          const r = await api.post<DraftRetention>(DRAFT_PATH, {
            year: year.year(),
            region,
            ...(selected.length ? { laborerIds: selected } : {}),
          });
          message.success(
            `已生成 ${r.created} 笔稳岗补贴申请，合计 ${yuan(r.amount)}${r.skipped ? `；${r.skipped} 人已有申请，未重复生成` : ''}`,
          );
          setSelected([]);
          onDrafted();
        } catch (e) {
          setError(e);
        }
      },
    });
  };

  const columns: TableColumnsType<Eligible> = [
    { title: '用人单位', render: (_, e) => e.employer.name },
    {
      title: '劳动力',
      render: (_, e) => (
        <span>
          {e.laborer.name} <span style={{ color: '#999' }}>{e.laborer.idNumberMasked}</span>
        </span>
      ),
    },
    { title: '户籍所在村', render: (_, e) => e.laborer.villageName },
    { title: '连续就业', render: (_, e) => `${e.since} 至 ${e.until ?? '今'}` },
    { title: '截至年底（月）', dataIndex: 'months', align: 'right' },
    { title: '补贴', render: (_, e) => yuan(e.amount), align: 'right' },
    {
      title: '申请情况',
      render: (_, e) =>
        e.existing ? (
          <Tag color={SUBSIDY_STATUS_COLOR[e.existing.status]}>{SUBSIDY_STATUS.labels[e.existing.status]}</Tag>
        ) : (
          <Tag>未申请</Tag>
        ),
    },
  ];

  return (
    <Card size="small">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="对吸纳贫困劳动力就业超过1年的企业，给予每人每年1000元的稳岗补贴。平台按就业记录测算：在本辖区用人单位连续就业满一年以上、该年度仍在岗（或在该年度内满一年）的劳动力；同一劳动力同一年度只补贴一次。"
      />
      {error ? <ErrorAlert error={error} testId="retention-error" /> : null}
      <Space wrap style={{ marginBottom: 12 }}>
        <span>年度</span>
        <DatePicker
          picker="year"
          value={year}
          allowClear={false}
          onChange={(v) => {
            if (v) {
              setYear(v);
              setPage(1);
            }
          }}
          disabledDate={(d) => d.year() > chinaNow().year()}
          data-testid="retention-year"
        />
        <Radio.Group
          value={onlyNew}
          onChange={(e) => {
            setOnlyNew(e.target.value);
            setPage(1);
          }}
          optionType="button"
          options={[
            { value: true, label: '尚未申请' },
            { value: false, label: '全部符合条件' },
          ]}
        />
        <Button type="primary" onClick={draft} disabled={!data || (data.new === 0 && selected.length === 0)} data-testid="retention-draft">
          {selected.length ? `为选中的 ${selected.length} 人生成申请` : '生成申请名单'}
        </Button>
      </Space>
      {data && (
        <Typography.Paragraph data-testid="retention-totals">
          {data.region.name} {data.year} 年度符合条件 {data.total} 人，其中尚未申请 {data.new} 人，测算补贴 {yuan(data.amount)}
        </Typography.Paragraph>
      )}
      <Table
        rowKey={(e) => e.laborer.id}
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        data-testid="retention-table"
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as string[]),
          getCheckboxProps: (e) => ({ disabled: !!e.existing }),
        }}
        pagination={{ current: page, pageSize: 50, total: data?.listed ?? 0, onChange: setPage, showSizeChanger: false }}
      />
    </Card>
  );
}

function SubsidyFigures({ region }: { region: string }) {
  const [period, setPeriod] = useState<[Dayjs, Dayjs]>([chinaNow().startOf('year'), chinaNow()]);
  const [data, setData] = useState<SubsidySummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api
      .get<SubsidySummary>(SUBSIDY_SUMMARY_PATH, { region, from: period[0].format(DAY), to: period[1].format(DAY) })
      .then(setData, setError);
  }, [region, period]);
  const option = useMemo<ChartOption | null>(() => {
    if (!data || data.kinds.length === 0) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      // The axes' names on a row of their own below the legend.
      grid: { left: 60, right: 60, top: 56, bottom: 60 },
      xAxis: { type: 'category', data: data.kinds.map((k) => k.label.replace(/（.*）/, '')), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: [
        { type: 'value', name: '人数' },
        { type: 'value', name: '金额（元）' },
      ],
      series: [
        { type: 'bar', name: '享受人数', data: data.kinds.map((k) => k.persons) },
        { type: 'bar', name: '发放金额', yAxisIndex: 1, data: data.kinds.map((k) => k.amount) },
      ],
    } as ChartOption;
  }, [data]);
  return (
    <Card size="small">
      {error ? <ErrorAlert error={error} testId="subsidy-summary-error" /> : null}
      <Space style={{ marginBottom: 12 }}>
        <span>发放期间</span>
        <DatePicker.RangePicker
          value={period}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setPeriod([v[0], v[1]])}
          data-testid="subsidy-summary-period"
        />
        {data && (
          <Typography.Text type="secondary">
            待审批 {data.pending.applied} 笔，已审批待发放 {data.pending.approved} 笔
          </Typography.Text>
        )}
      </Space>
      {option ? (
        <Chart option={option} height={300} data-testid="subsidy-chart" />
      ) : (
        <div style={{ color: '#999', padding: 24 }}>期间内没有发放的补贴</div>
      )}
      <Table
        rowKey="kind"
        size="small"
        pagination={false}
        dataSource={data?.kinds ?? []}
        style={{ marginTop: 12 }}
        data-testid="subsidy-summary-table"
        columns={[
          { title: '补贴类别', dataIndex: 'label' },
          { title: '享受人数', dataIndex: 'persons', align: 'right' },
          { title: '发放笔数', dataIndex: 'payments', align: 'right' },
          { title: '发放金额', dataIndex: 'amount', align: 'right', render: (n: number) => yuan(n) },
        ]}
      />
    </Card>
  );
}

/** 申请补贴: a new form on each opening. */
function SubsidyForm({ open, manager, onClose }: { open: boolean; manager: boolean; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  return (
    <ModalForm<SubsidyValues>
      open={open}
      title="申请补贴"
      okText="提交申请"
      okTestId="subsidy-submit"
      errorTestId="subsidy-form-error"
      initialValues={{ recipient: 'laborer', kind: 'training' }}
      onClose={onClose}
      onSubmit={async (v) => {
        const [from, to] = v.kind === 'retention' ? [dayjs(v.year).startOf('year'), dayjs(v.year).endOf('year')] : v.period;
        await api.post(SUBSIDIES_PATH, {
          recipient: v.recipient,
          kind: v.kind,
          amount: v.kind === 'retention' ? RETENTION_YUAN_PER_YEAR : v.amount,
          periodFrom: from.format(DAY),
          periodTo: to.format(DAY),
          ...(v.laborerId ? { laborerId: v.laborerId } : {}),
          ...(v.recipient === 'employer' ? { employerId: v.employerId } : {}),
          ...(v.note ? { note: v.note } : {}),
        });
        message.success('补贴申请已提交，等待审批');
      }}
    >
      <SubsidyFields manager={manager} />
    </ModalForm>
  );
}

interface SubsidyValues {
  recipient: 'laborer' | 'employer';
  kind: string;
  employerId?: string;
  laborerId?: string;
  year: Dayjs;
  amount: number;
  period: [Dayjs, Dayjs];
  note?: string;
}

function SubsidyFields({ manager }: { manager: boolean }) {
  const form = Form.useFormInstance<SubsidyValues>();
  const recipient = Form.useWatch('recipient', form) ?? 'laborer';
  const kind = Form.useWatch('kind', form);
  const [employers, setEmployers] = useState<{ value: string; label: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const searchEmployers = (q: string) => {
    api
      .get<{ items: { id: string; name: string }[] }>('/api/v1/employers', { ...(q ? { q } : {}), pageSize: 50 })
      .then((r) => setEmployers(r.items.map((e) => ({ value: e.id, label: e.name }))), setError);
  };
  useEffect(() => {
    if (recipient === 'employer') searchEmployers('');
  }, [recipient]);
  const kinds = recipient === 'laborer' ? LABORER_SUBSIDY_KIND : EMPLOYER_SUBSIDY_KIND;
  return (
    <>
      <ErrorAlert error={error} />
      <Form.Item name="recipient" label="补贴对象">
        <Radio.Group
          optionType="button"
          onChange={(e) => form.setFieldValue('kind', e.target.value === 'laborer' ? 'training' : 'site')}
          options={[
            { value: 'laborer', label: '劳动力个人' },
            { value: 'employer', label: '用人单位（扶贫车间）', disabled: !manager },
          ]}
        />
      </Form.Item>
      <Form.Item name="kind" label="补贴类别" rules={[{ required: true }]}>
        <Select
          // 公益性岗位补贴 is drafted from the days worked on the 公益性岗位 page, never applied for here.
          options={kinds.codes
            .filter((k) => !(DRAFTED_ONLY_KINDS as readonly string[]).includes(k))
            .map((k) => ({ value: k, label: (kinds.labels as Record<string, string>)[k] }))}
          data-testid="subsidy-kind"
        />
      </Form.Item>
      {recipient === 'employer' && (
        <Form.Item name="employerId" label="用人单位" rules={[{ required: true, message: '请选择用人单位' }]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={searchEmployers}
            options={employers}
            placeholder="输入单位名称查找"
            data-testid="subsidy-employer"
          />
        </Form.Item>
      )}
      {(recipient === 'laborer' || kind === 'retention') && (
        <Form.Item
          name="laborerId"
          label={kind === 'retention' ? '稳定就业的劳动力' : '劳动力'}
          rules={[{ required: true, message: '请选择劳动力' }]}
        >
          <LaborerSelect data-testid="subsidy-laborer" />
        </Form.Item>
      )}
      {kind === 'retention' ? (
        <Form.Item name="year" label="补贴年度（每人每年 1000 元）" rules={[{ required: true, message: '请选择年度' }]}>
          <DatePicker picker="year" />
        </Form.Item>
      ) : (
        <>
          <Form.Item name="amount" label="金额（元）" rules={[{ required: true, message: '请填写金额' }]}>
            <InputNumber min={0.01} max={10_000_000} precision={2} style={{ width: 200 }} data-testid="subsidy-amount" />
          </Form.Item>
          <Form.Item
            name="period"
            label="补贴期间"
            rules={[{ required: true, message: '请选择补贴期间' }]}
            extra={
              (WORK_REQUIRED_KINDS as readonly string[]).includes(kind) && recipient === 'laborer'
                ? '该类补贴须在岗：补贴期间须在劳动力的就业记录之内'
                : undefined
            }
          >
            <DatePicker.RangePicker data-testid="subsidy-period" />
          </Form.Item>
        </>
      )}
      <Form.Item name="note" label="说明">
        <Input.TextArea maxLength={500} rows={2} />
      </Form.Item>
    </>
  );
}
