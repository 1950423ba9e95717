import { useCallback, useEffect, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  InputNumber,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client.ts';
import ExportButton from '../../components/ExportButton.tsx';
import { REFERRALS_EXPORT_PATH } from '../../../../contracts/paths.ts';
import {
  PIPELINE_STATUS,
  REFERRAL_CHANNEL,
  REFERRAL_STATUS,
  REFERRALS_PATH,
  STATUS_COLOR,
  STEP_STATUS,
  referralPath,
  referralStepPath,
  type Referral,
  type ReferralDetail,
  type ReferralList,
} from '../../api/referrals.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import MyBrokerRow from '../brokers/MyBrokerRow.tsx';
import { REFERRAL_HANDLER_ROLES } from '../../api/referrals.ts';
import PageHeader from '../../components/PageHeader.tsx';

const PAGE_SIZE = 20;
type StepStatus = keyof typeof STEP_STATUS.labels;
const STATUS_FILTERS = ['all', ...PIPELINE_STATUS.codes] as const;

const statusTag = (status: string) => (
  <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid="referral-status">
    {REFERRAL_STATUS.labels[status as keyof typeof REFERRAL_STATUS.labels] ?? status}
  </Tag>
);

/**
 * 推荐 at /referrals: staff see the referrals of the laborers in their region, an employer account
 * the applicants to its own postings; each row moves along recommended → interviewed → hired /
 * not hired / withdrawn with the step buttons (hired asks for the start date and the wage, and
 * opens the employment record).
 */
export default function ReferralsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'all';
  const page = Number(params.get('page') ?? 1) || 1;
  const [data, setData] = useState<ReferralList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  // Each step opened gets its own form (keyed by `opened`), filled from its initial values as it
  // mounts: values set on the shared form instance before the modal's form had mounted could be
  // lost to the previous step's form still closing (a hire then lacked its start date).
  const [stepping, setStepping] = useState<{
    referral: Referral;
    status: StepStatus;
    opened: number;
    initial: { startedOn?: Dayjs; monthlyWage?: number };
  } | null>(null);
  const [detail, setDetail] = useState<ReferralDetail | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ note?: string; startedOn?: Dayjs; monthlyWage?: number }>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await api.get<ReferralList>(REFERRALS_PATH, { status: status === 'all' ? undefined : status, page, pageSize: PAGE_SIZE }));
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [status, page]);

  useEffect(() => {
    load();
  }, [load]);

  const openStep = (referral: Referral, next: StepStatus) => {
    setStepping({
      referral,
      status: next,
      opened: Date.now(),
      initial: next === 'hired' ? { startedOn: dayjs(), monthlyWage: referral.posting.wageMin ?? undefined } : {},
    });
  };

  const submitStep = async () => {
    if (!stepping) return;
    const values = await form.validateFields();
    setSaving(true);
    try {
      const body = {
        status: stepping.status,
        note: values.note?.trim() || undefined,
        ...(stepping.status === 'hired'
          ? { startedOn: values.startedOn?.format('YYYY-MM-DD'), monthlyWage: values.monthlyWage ?? undefined }
          : {}),
      };
      await api.post<ReferralDetail>(referralStepPath(stepping.referral.id), body);
      message.success(
        `${stepping.referral.laborer.name}：${STEP_STATUS.labels[stepping.status]}${stepping.status === 'hired' ? '，已建立就业记录' : ''}`,
      );
      setStepping(null);
      await load();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const showDetail = async (id: string) => {
    try {
      setDetail(await api.get<ReferralDetail>(referralPath(id)));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: TableColumnsType<Referral> = [
    {
      title: '劳动力',
      key: 'laborer',
      width: 110,
      render: (_: unknown, r) =>
        me.role === 'employer' || me.role === 'broker' ? (
          <span data-testid="referral-laborer">{r.laborer.name}</span>
        ) : (
          <Link to={`/laborers/${r.laborer.id}`} data-testid="referral-laborer">
            {r.laborer.name}
          </Link>
        ),
    },
    { title: '身份证号', key: 'id', width: 176, render: (_: unknown, r) => <span className="lw-mono">{r.laborer.idNumberMasked}</span> },
    { title: '户籍村', key: 'village', width: 180, ellipsis: true, render: (_: unknown, r) => r.laborer.villageName },
    {
      title: '岗位',
      key: 'posting',
      width: 220,
      render: (_: unknown, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/postings/${r.posting.id}`}>{r.posting.title}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.posting.employerName}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '渠道',
      key: 'channel',
      width: 130,
      render: (_: unknown, r) => (
        <Space direction="vertical" size={0}>
          {REFERRAL_CHANNEL.labels[r.channel]}
          {r.override ? (
            <Tooltip title={`推荐人说明：${r.override.reason}`}>
              <Tag color="orange" data-testid="referral-override">
                未满足：{r.override.label}
              </Tag>
            </Tooltip>
          ) : null}
        </Space>
      ),
    },
    { title: '状态', key: 'status', width: 90, render: (_: unknown, r) => statusTag(r.status) },
    { title: '更新时间', key: 'updatedAt', width: 150, render: (_: unknown, r) => dayjs(r.updatedAt).format('YYYY-MM-DD HH:mm') },
    {
      title: '操作',
      key: 'actions',
      width: 260,
      // Kept in view at the right: on a laptop screen the table scrolls and the actions were cut off.
      fixed: 'right',
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          {(REFERRAL_HANDLER_ROLES.includes(me.role) ? r.next : []).map((next) => (
            <Button
              key={next}
              size="small"
              type={next === 'hired' ? 'primary' : 'default'}
              danger={next === 'withdrawn'}
              onClick={() => openStep(r, next)}
              data-testid={`referral-step-${next}`}
            >
              {STEP_LABELS[next]}
            </Button>
          ))}
          <Button size="small" type="link" onClick={() => showDetail(r.id)} data-testid="referral-detail">
            进度
          </Button>
        </Space>
      ),
    },
  ];

  const setFilter = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === 'all') merged.delete(k);
      else merged.set(k, v);
    }
    setParams(merged);
  };

  return (
    <>
      <PageHeader
        title={<span data-testid="referrals-title">推荐</span>}
        description={
          me.role === 'employer'
            ? '推荐到本单位岗位的人员：安排面试、录用或不录用'
            : me.role === 'broker'
              ? '本人推荐的劳动力及结果：已推荐 → 已面试 → 已录用 / 未录用 / 已撤回，录用后是否仍在岗'
              : '本辖区劳动力的推荐：已推荐 → 已面试 → 已录用 / 未录用 / 已撤回，每一步记录时间和经办人'
        }
      />
      {me.role === 'broker' && <MyBrokerRow />}
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented
            data-testid="referral-status-filter"
            value={status}
            onChange={(v) => setFilter({ status: String(v), page: undefined })}
            options={STATUS_FILTERS.map((s) => ({ value: s, label: s === 'all' ? '全部' : PIPELINE_STATUS.labels[s] }))}
          />
          <ExportButton path={REFERRALS_EXPORT_PATH} query={{ status: status === 'all' ? undefined : status }} testId="referral-export" />
        </Space>
        <ErrorAlert error={error} testId="referrals-error" />
        <Table<Referral>
          rowKey="id"
          size="small"
          loading={loading}
          data-testid="referrals-table"
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 1200 }}
          onRow={(r) => ({ 'data-testid': `referral-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 条`,
            onChange: (p) => setFilter({ page: p > 1 ? String(p) : undefined }),
          }}
        />
      </Card>
      <Modal
        open={stepping !== null}
        title={stepping ? `${stepping.referral.laborer.name} · ${stepping.referral.posting.title}：${STEP_LABELS[stepping.status]}` : ''}
        okText="确定"
        cancelText="取消"
        confirmLoading={saving}
        onOk={submitStep}
        onCancel={() => setStepping(null)}
        destroyOnHidden
        data-testid="referral-step-modal"
      >
        <Form form={form} layout="vertical" key={stepping?.opened} initialValues={stepping?.initial} preserve={false}>
          {stepping?.status === 'hired' && (
            <>
              <Form.Item name="startedOn" label="入职日期" rules={[{ required: true, message: '请选择入职日期' }]}>
                <DatePicker style={{ width: '100%' }} data-testid="referral-started-on" />
              </Form.Item>
              <Form.Item name="monthlyWage" label="月工资（元）" rules={[{ required: true, message: '请填写月工资' }]}>
                <InputNumber min={1} max={1000000} style={{ width: '100%' }} data-testid="referral-monthly-wage" />
              </Form.Item>
            </>
          )}
          <Form.Item name="note" label="备注">
            <Input.TextArea maxLength={500} rows={2} data-testid="referral-note" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={detail !== null}
        title={detail ? `推荐进度 · ${detail.laborer.name}` : ''}
        footer={null}
        onCancel={() => setDetail(null)}
        data-testid="referral-detail-modal"
      >
        {detail && (
          <>
            <Typography.Paragraph>
              {detail.posting.employerName} · {detail.posting.title}　{statusTag(detail.status)}
            </Typography.Paragraph>
            {detail.override ? (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="referral-detail-override"
                message={`推荐时不符合岗位硬性条件：${detail.override.label}`}
                description={`推荐人（${detail.createdBy ? `${detail.createdBy.displayName}（${detail.createdBy.username}）` : '—'}）说明的理由：${detail.override.reason}`}
              />
            ) : null}
            <Timeline
              items={detail.steps.map((s) => ({
                children: (
                  <span data-testid="referral-step">
                    {REFERRAL_STATUS.labels[s.status]} · {dayjs(s.at).format('YYYY-MM-DD HH:mm')} · {s.by?.displayName ?? '—'}
                    {s.note ? `：${s.note}` : ''}
                  </span>
                ),
              }))}
            />
            {detail.employment && (
              <Typography.Text type="success" data-testid="referral-employment">
                就业记录：{detail.employment.startedOn} 入职，月工资 {detail.employment.monthlyWage ?? '—'} 元
              </Typography.Text>
            )}
          </>
        )}
      </Modal>
    </>
  );
}

const STEP_LABELS: Record<StepStatus, string> = { interviewed: '已面试', hired: '录用', not_hired: '不录用', withdrawn: '撤回' };
