import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { END_REASON } from '../../../../contracts/employment.ts';
import {
  PAID_DAYS_PER_MONTH,
  PUBLIC_WELFARE_MANAGER_ROLES,
  WELFARE_HOLDINGS_PATH,
  WELFARE_PAY_PATH,
  WELFARE_POSTS_PATH,
  holdingPath,
  type Attendance,
  type PayDraft,
  type PublicWelfareHolding,
  type PublicWelfarePost,
} from '../../api/public-welfare.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { FilterBar, ListTable, ModalForm, param, useListQuery, type ScreenColumn } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { useApiData } from '../../components/useApiData.ts';
import LaborerSelect from '../service-records/LaborerSelect.tsx';
import { yuan as formatYuan, chinaNow } from '../../app/format.ts';

const yuan = (n: number) => formatYuan(n, { maximumFractionDigits: 2 });
const SUBSIDY_STATUS: Record<string, string> = { applied: '待审批', approved: '已审批待发放', paid: '已发放', rejected: '已驳回' };
const HOLDING_FILTERS = { status: param.oneOf(['open', 'ended'] as const) };

type PostForm = {
  name: string;
  employerName: string;
  regionCode: string;
  monthlyPay: number;
  headcount: number;
  duties?: string;
};
type AssignForm = { laborerId: string; startedOn: Dayjs };
type ExitForm = { endedOn: Dayjs; reason: string; note?: string };
type AttendanceForm = { month: Dayjs; daysWorked: number };
type PayForm = { month: Dayjs };

/**
 * 公益性岗位: the posts of the region (employer, place, monthly standard, filled of headcount), the
 * people on them, each month's days worked and pay, the month's pay drafted into the subsidy
 * ledger, and the exit. Who may hold a post is the server's rule (the card's fields).
 */
export default function PublicWelfarePage() {
  const me = useMe();
  const manager = PUBLIC_WELFARE_MANAGER_ROLES.includes(me.role);
  const { message } = App.useApp();
  const posts = useListQuery<PublicWelfarePost, Record<string, never>>(WELFARE_POSTS_PATH, { filters: {}, prefix: 'post.' });
  const holdings = useListQuery<PublicWelfareHolding, typeof HOLDING_FILTERS>(WELFARE_HOLDINGS_PATH, {
    filters: HOLDING_FILTERS,
    prefix: 'holder.',
  });
  const [creating, setCreating] = useState(false);
  const [assigning, setAssigning] = useState<PublicWelfarePost | null>(null);
  const [exiting, setExiting] = useState<PublicWelfareHolding | null>(null);
  const [attending, setAttending] = useState<PublicWelfareHolding | null>(null);
  const [paying, setPaying] = useState(false);
  const reload = () => {
    posts.reload();
    holdings.reload();
  };

  const postColumns: ScreenColumn<PublicWelfarePost>[] = [
    { key: 'name', title: '岗位', dataIndex: 'name' },
    { key: 'employer', title: '用工单位', render: (_, p) => p.employer.name },
    { key: 'region', title: '所在地', render: (_, p) => p.region.name },
    { key: 'monthlyPay', title: '月补贴标准', align: 'right', render: (_, p) => yuan(p.monthlyPay) },
    {
      key: 'filled',
      title: '在岗 / 人数',
      align: 'right',
      render: (_, p) => (
        <span data-testid={`welfare-post-filled-${p.id}`}>
          {p.filled} / {p.headcount}
        </span>
      ),
    },
    { key: 'duties', title: '岗位职责', render: (_, p) => p.duties ?? '—' },
    ...(manager
      ? [
          {
            key: 'actions',
            title: '操作',
            render: (_: unknown, p: PublicWelfarePost) => (
              <Typography.Link disabled={p.filled >= p.headcount} onClick={() => setAssigning(p)} data-testid={`welfare-assign-${p.id}`}>
                安置人员
              </Typography.Link>
            ),
          },
        ]
      : []),
  ];

  const holdingColumns: ScreenColumn<PublicWelfareHolding>[] = [
    { key: 'laborer', title: '姓名', render: (_, h) => h.laborer.name },
    { key: 'id', title: '证件号', render: (_, h) => h.laborer.idNumberMasked },
    { key: 'village', title: '户籍村', render: (_, h) => h.laborer.villageName },
    { key: 'post', title: '岗位', render: (_, h) => `${h.post.name}（${h.post.regionName}）` },
    { key: 'startedOn', title: '上岗日期', dataIndex: 'startedOn' },
    {
      key: 'endedOn',
      title: '状态',
      render: (_, h) =>
        h.endedOn ? <Tag>{`${h.endedOn} 退岗（${END_REASON.labels[h.endReason ?? 'other']}）`}</Tag> : <Tag color="green">在岗</Tag>,
    },
    {
      key: 'actions',
      title: '操作',
      render: (_, h) => (
        <Space>
          <Typography.Link onClick={() => setAttending(h)} data-testid={`welfare-attendance-${h.id}`}>
            出勤与补贴
          </Typography.Link>
          {manager && !h.endedOn && (
            <Typography.Link type="danger" onClick={() => setExiting(h)} data-testid={`welfare-exit-${h.id}`}>
              退岗
            </Typography.Link>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="公益性岗位"
        description="为有劳动能力、因照顾家庭或不愿外出而无法外出务工的贫困劳动力（村干部除外）开发的保洁、护林、道路养护等岗位：安置即登记公益性岗位就业，按月登记出勤，按出勤生成月补贴（每人每月只生成一次），退岗即结束就业记录"
        extra={
          manager && (
            <Space>
              <Button onClick={() => setPaying(true)} data-testid="welfare-pay">
                生成月补贴
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="welfare-post-create">
                开发岗位
              </Button>
            </Space>
          )
        }
      />
      <Card variant="borderless">
        <Tabs
          items={[
            {
              key: 'posts',
              label: '岗位',
              children: (
                <>
                  <ErrorAlert error={posts.error} testId="welfare-posts-error" />
                  <ListTable<PublicWelfarePost>
                    rowKey="id"
                    data-testid="welfare-posts"
                    list={posts}
                    columns={postColumns}
                    unit="个"
                    rowTestId={(p) => `welfare-post-${p.id}`}
                    locale={{ emptyText: posts.loading ? ' ' : '本辖区尚未开发公益性岗位' }}
                  />
                </>
              ),
            },
            {
              key: 'holdings',
              label: '在岗人员',
              children: (
                <>
                  <FilterBar
                    name="welfare-holding-filter"
                    list={holdings}
                    fields={[
                      {
                        kind: 'select',
                        name: 'status',
                        label: '状态',
                        width: 140,
                        options: [
                          { value: 'open', label: '在岗' },
                          { value: 'ended', label: '已退岗' },
                        ],
                      },
                    ]}
                  />
                  <ErrorAlert error={holdings.error} testId="welfare-holdings-error" />
                  <ListTable<PublicWelfareHolding>
                    rowKey="id"
                    data-testid="welfare-holdings"
                    list={holdings}
                    columns={holdingColumns}
                    unit="人"
                    rowTestId={(h) => `welfare-holding-${h.id}`}
                    locale={{ emptyText: holdings.loading ? ' ' : '暂无公益性岗位在岗人员' }}
                  />
                </>
              ),
            },
          ]}
        />
      </Card>

      <ModalForm<PostForm>
        open={creating}
        title="开发公益性岗位"
        name="welfare-post"
        testId="welfare-post-modal"
        okTestId="welfare-post-save"
        initialValues={{ headcount: 1, regionCode: me.region.code.length >= 9 ? me.region.code : undefined }}
        fieldErrors={{ byCode: { REGION_OUT_OF_SCOPE: 'regionCode', REGION_NOT_FOUND: 'regionCode' } }}
        onSubmit={async (v) => {
          await api.post(WELFARE_POSTS_PATH, { ...v, duties: v.duties?.trim() || undefined });
          message.success('公益性岗位已登记');
        }}
        onClose={(saved) => {
          setCreating(false);
          if (saved) reload();
        }}
      >
        <Form.Item name="name" label="岗位名称" rules={[{ required: true, whitespace: true, max: 60 }]}>
          <Input placeholder="如：村道保洁员、护林员" data-testid="welfare-post-name" />
        </Form.Item>
        <Form.Item name="employerName" label="用工单位" rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input placeholder="如：大竹村村民委员会、龙溪铺镇人民政府" data-testid="welfare-post-employer" />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label="所在乡镇或村"
          rules={[{ required: true, pattern: /^(\d{9}|\d{12})$/, message: '请选择乡镇或村' }]}
        >
          <RegionCascader rootCode={me.region.code} changeOnSelect data-testid="welfare-post-region" />
        </Form.Item>
        <Space>
          <Form.Item name="monthlyPay" label="月补贴标准（元）" rules={[{ required: true }]}>
            <InputNumber min={1} max={20000} precision={2} data-testid="welfare-post-pay" />
          </Form.Item>
          <Form.Item name="headcount" label="人数" rules={[{ required: true }]}>
            <InputNumber min={1} max={1000} precision={0} data-testid="welfare-post-headcount" />
          </Form.Item>
        </Space>
        <Form.Item name="duties" label="岗位职责" rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </ModalForm>

      <ModalForm<AssignForm>
        open={assigning !== null}
        title={`安置到「${assigning?.name ?? ''}」`}
        name="welfare-assign"
        testId="welfare-assign-modal"
        okTestId="welfare-assign-save"
        okText="安置"
        initialValues={{ startedOn: chinaNow() }}
        fieldErrors={{ byCode: { EMPLOYMENT_DATE_FUTURE: 'startedOn', EMPLOYMENT_UNDER_AGE: 'startedOn' } }}
        onSubmit={async (v) => {
          await api.post(WELFARE_HOLDINGS_PATH, {
            postId: assigning!.id,
            laborerId: v.laborerId,
            startedOn: v.startedOn.format('YYYY-MM-DD'),
          });
          message.success('已安置，并登记公益性岗位就业');
        }}
        onClose={(saved) => {
          setAssigning(null);
          if (saved) reload();
        }}
      >
        <Typography.Paragraph type="secondary">
          安置对象须有劳动能力，并因照顾老人或小孩、或不愿外出而无法外出务工；村干部不能安置。是否符合以信息卡为准。
        </Typography.Paragraph>
        <Form.Item name="laborerId" label="劳动力" rules={[{ required: true, message: '请选择劳动力' }]}>
          <LaborerSelect data-testid="welfare-assign-laborer" />
        </Form.Item>
        <Form.Item name="startedOn" label="上岗日期" rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(chinaNow(), 'day')} data-testid="welfare-assign-date" />
        </Form.Item>
      </ModalForm>

      <ModalForm<ExitForm>
        open={exiting !== null}
        title={`${exiting?.laborer.name ?? ''} 退岗`}
        name="welfare-exit"
        testId="welfare-exit-modal"
        okTestId="welfare-exit-save"
        okText="退岗"
        danger
        initialValues={{ endedOn: chinaNow(), reason: 'resigned' }}
        fieldErrors={{ byCode: { EMPLOYMENT_END_BEFORE_START: 'endedOn', EMPLOYMENT_DATE_FUTURE: 'endedOn' } }}
        onSubmit={async (v) => {
          await api.post(holdingPath(exiting!.id, '/exit'), {
            endedOn: v.endedOn.format('YYYY-MM-DD'),
            reason: v.reason,
            note: v.note?.trim() || undefined,
          });
          message.success('已退岗，就业记录已结束');
        }}
        onClose={(saved) => {
          setExiting(null);
          if (saved) reload();
        }}
      >
        <Form.Item name="endedOn" label="退岗日期（最后工作日）" rules={[{ required: true }]}>
          <DatePicker disabledDate={(d) => d.isAfter(chinaNow(), 'day')} />
        </Form.Item>
        <Form.Item name="reason" label="原因" rules={[{ required: true }]}>
          <Select options={Object.entries(END_REASON.labels).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="note" label="说明" rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </ModalForm>

      {attending && <AttendanceModal holding={attending} onClose={() => setAttending(null)} />}

      <ModalForm<PayForm>
        open={paying}
        title="生成公益性岗位月补贴"
        name="welfare-pay"
        testId="welfare-pay-modal"
        okTestId="welfare-pay-save"
        okText="生成"
        initialValues={{ month: chinaNow().subtract(1, 'month') }}
        onSubmit={async (v) => {
          const r = await api.post<PayDraft>(WELFARE_PAY_PATH, { month: v.month.format('YYYY-MM') });
          message.success(
            `已为 ${r.drafted} 人生成 ${r.month} 月补贴申请，共 ${yuan(r.amount)}${r.skipped ? `；${r.skipped} 人该月已生成，未重复生成` : ''}`,
          );
        }}
        onClose={(saved) => {
          setPaying(false);
          if (saved) reload();
        }}
      >
        <Typography.Paragraph type="secondary">
          按本辖区已登记的出勤，为每人生成该月一笔公益性岗位补贴申请（待审批），记入补贴台账；已生成的月份不会重复生成。
        </Typography.Paragraph>
        <Form.Item name="month" label="月份" rules={[{ required: true }]}>
          <DatePicker picker="month" disabledDate={(d) => !d.isBefore(chinaNow(), 'month')} data-testid="welfare-pay-month" />
        </Form.Item>
      </ModalForm>
    </>
  );
}

/** One holder's months: days worked, pay and the subsidy it was drafted as; a month recorded. */
function AttendanceModal({ holding, onClose }: { holding: PublicWelfareHolding; onClose: () => void }) {
  const { message } = App.useApp();
  const months = useApiData<{ items: Attendance[] }>(holdingPath(holding.id, '/attendance'));
  const [recording, setRecording] = useState(false);
  return (
    <ModalForm<AttendanceForm>
      open
      title={`${holding.laborer.name} · ${holding.post.name} 出勤与补贴`}
      name="welfare-attendance"
      testId="welfare-attendance-modal"
      okTestId="welfare-attendance-save"
      okText="登记出勤"
      width={640}
      initialValues={{ month: chinaNow().subtract(1, 'month') }}
      fieldErrors={{ byCode: { PUBLIC_WELFARE_DAYS_EXCEED: 'daysWorked', PUBLIC_WELFARE_MONTH_OUTSIDE: 'month' } }}
      onSubmit={async (v) => {
        setRecording(true);
        try {
          const a = await api.put<Attendance>(holdingPath(holding.id, '/attendance'), {
            month: v.month.format('YYYY-MM'),
            daysWorked: v.daysWorked,
          });
          message.success(`${a.month} 出勤 ${a.daysWorked} 天，应发 ${yuan(a.pay)}`);
        } finally {
          setRecording(false);
        }
      }}
      onClose={onClose}
    >
      <Typography.Paragraph type="secondary">
        月补贴标准 {yuan(holding.post.monthlyPay)}；应发 = 标准 × 出勤天数 ÷ {PAID_DAYS_PER_MONTH}，不超过标准。
      </Typography.Paragraph>
      <ErrorAlert error={months.error} testId="welfare-attendance-error" />
      <Table<Attendance>
        rowKey="month"
        size="small"
        loading={months.loading || recording}
        dataSource={months.data?.items ?? []}
        pagination={false}
        data-testid="welfare-attendance-table"
        style={{ marginBottom: 16 }}
        columns={[
          { title: '月份', dataIndex: 'month' },
          { title: '出勤天数', dataIndex: 'daysWorked', align: 'right' },
          { title: '应发', align: 'right', render: (_, a) => yuan(a.pay) },
          { title: '补贴申请', render: (_, a) => (a.subsidy ? (SUBSIDY_STATUS[a.subsidy.status] ?? a.subsidy.status) : '未生成') },
        ]}
        locale={{ emptyText: '尚未登记出勤' }}
      />
      <Space align="start">
        <Form.Item name="month" label="月份" rules={[{ required: true }]}>
          <DatePicker picker="month" disabledDate={(d) => d.isAfter(chinaNow(), 'month')} data-testid="welfare-attendance-month" />
        </Form.Item>
        <Form.Item name="daysWorked" label="出勤天数" rules={[{ required: true }]}>
          <InputNumber min={0} max={31} precision={0} data-testid="welfare-attendance-days" />
        </Form.Item>
      </Space>
    </ModalForm>
  );
}
