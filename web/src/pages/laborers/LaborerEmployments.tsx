import { useCallback, useEffect, useState } from 'react';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined, SolutionOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import { EMPLOYMENTS_PATH, END_REASON, employmentPath, PLACE_LABEL, type Employment } from '../../api/employment.ts';
import { EMPLOYMENT_CHANNEL } from '../../../../contracts/referrals.ts';
import type { CardEmployments } from '../../../../contracts/employment.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { ModalForm } from '../../components/list/index.ts';
import { grouped, chinaNow } from '../../app/format.ts';

/**
 * The card's jobs (issue 16): where, for whom, since when and at what wage the person works, the
 * jobs before; staff register a job (self-found or not), end it with a reason, or correct a past
 * one's dates, place or wage with a stated reason. 已就业 / 未就业 on the card follow from these.
 */
const none = <Typography.Text type="secondary">—</Typography.Text>;
const employerOf = (e: Employment) => e.employerName ?? e.workplaceName ?? (e.channel === 'unknown' ? '不详' : '—');
const wageOf = (e: Employment) => (e.monthlyWage === null ? none : `${grouped(e.monthlyWage)} 元`);
const placeOf = (e: Employment) => (
  <span>
    {e.workRegionName}
    <Tag style={{ marginLeft: 6 }}>{PLACE_LABEL[e.place]}</Tag>
  </span>
);
const CHANNEL_OPTIONS = EMPLOYMENT_CHANNEL.codes
  .filter((c) => c !== 'unknown')
  .map((value) => ({ value, label: EMPLOYMENT_CHANNEL.labels[value] }));

export default function LaborerEmployments({ laborerId, onChanged }: { laborerId: string; onChanged: () => void }) {
  const [data, setData] = useState<CardEmployments | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [registering, setRegistering] = useState(false);
  const [ending, setEnding] = useState<Employment | null>(null);
  const [correcting, setCorrecting] = useState<Employment | null>(null);

  const load = useCallback(async () => {
    try {
      setData(await api.get<CardEmployments>(`/api/v1/laborers/${laborerId}/employments`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [laborerId]);
  useEffect(() => {
    load();
  }, [load]);
  const changed = () => {
    load();
    onChanged();
  };

  const current = data?.current ?? null;
  const columns: TableColumnsType<Employment> = [
    { title: '工作单位', key: 'employer', render: (_, e) => employerOf(e) },
    { title: '工作地', key: 'place', render: (_, e) => placeOf(e) },
    { title: '起止', key: 'period', render: (_, e) => `${e.startedOn} 至 ${e.endedOn ?? '今'}` },
    { title: '月工资', key: 'wage', render: (_, e) => wageOf(e) },
    { title: '就业渠道', key: 'channel', render: (_, e) => EMPLOYMENT_CHANNEL.labels[e.channel] ?? e.channel },
    { title: '离职原因', key: 'reason', render: (_, e) => (e.endReason ? END_REASON.labels[e.endReason] : none) },
    {
      title: '操作',
      key: 'actions',
      render: (_, e) => (
        <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setCorrecting(e)} data-testid="employment-past-correct">
          更正
        </Button>
      ),
    },
  ];

  return (
    <Card
      variant="borderless"
      style={{ marginBottom: 16 }}
      title={
        <Space>
          <SolutionOutlined />
          就业记录
        </Space>
      }
      extra={
        !current && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRegistering(true)} data-testid="employment-register">
            登记就业
          </Button>
        )
      }
      data-testid="laborer-employments"
    >
      <ErrorAlert error={error} testId="laborer-employments-error" />
      {data && (
        <>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            当前工作
          </Typography.Title>
          {current ? (
            <div data-testid="employment-current">
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2, lg: 3 }}
                items={[
                  { key: 'employer', label: '工作单位', children: employerOf(current) },
                  { key: 'code', label: '统一社会信用代码', children: current.employerCreditCode ?? none },
                  { key: 'contact', label: '联系方式', children: current.contact ?? none },
                  { key: 'place', label: '工作地', children: placeOf(current) },
                  { key: 'since', label: '入职日期', children: current.startedOn },
                  { key: 'wage', label: '月工资', children: wageOf(current) },
                  { key: 'channel', label: '就业渠道', children: EMPLOYMENT_CHANNEL.labels[current.channel] ?? current.channel },
                  { key: 'insurance', label: '社会保险', children: current.socialInsurance ? '已参保' : '未参保' },
                  {
                    key: 'evidence',
                    label: '核实情况',
                    children: current.lastEvidence ? (
                      <Tag color="green" data-testid="employment-evidence">
                        {current.lastEvidence.kindLabel} {current.lastEvidence.on}
                      </Tag>
                    ) : (
                      <Tag data-testid="employment-evidence">录入未核实</Tag>
                    ),
                  },
                ]}
              />
              <Space style={{ marginTop: 8 }}>
                <Button onClick={() => setEnding(current)} data-testid="employment-end">
                  登记离职
                </Button>
                <Button icon={<EditOutlined />} onClick={() => setCorrecting(current)} data-testid="employment-correct">
                  更正
                </Button>
              </Space>
            </div>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="目前没有在岗的就业记录" />
          )}
          <Typography.Title level={5}>以往工作</Typography.Title>
          <Table
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={data.past}
            pagination={false}
            locale={{ emptyText: '没有以往的就业记录' }}
            data-testid="employment-past"
          />
        </>
      )}
      <RegisterModal
        laborerId={laborerId}
        open={registering}
        onClose={() => setRegistering(false)}
        onDone={() => {
          setRegistering(false);
          changed();
        }}
      />
      <EndModal
        employment={ending}
        onClose={() => setEnding(null)}
        onDone={() => {
          setEnding(null);
          changed();
        }}
      />
      <CorrectModal
        employment={correcting}
        onClose={() => setCorrecting(null)}
        onDone={() => {
          setCorrecting(null);
          changed();
        }}
      />
    </Card>
  );
}

interface RegisterValues {
  channel: string;
  employerMode: 'registered' | 'named';
  employerId?: string;
  workplaceName?: string;
  employerCreditCode?: string;
  workplaceContact?: string;
  workRegionCode?: string;
  startedOn?: Dayjs;
  monthlyWage?: number;
  socialInsurance: boolean;
}

/** Server refusals that concern one field of the register form. */
const REGISTER_ERRORS = {
  byCode: {
    CREDIT_CODE_FORMAT: 'employerCreditCode',
    CREDIT_CODE_CHECK: 'employerCreditCode',
    EMPLOYMENT_EMPLOYER_UNKNOWN: 'employerId',
    EMPLOYMENT_EMPLOYER_REQUIRED: 'workplaceName',
    EMPLOYMENT_DATE_FUTURE: 'startedOn',
    EMPLOYMENT_UNDER_AGE: 'startedOn',
    EMPLOYMENT_OVERLAP: 'startedOn',
    REGION_NOT_FOUND: 'workRegionCode',
  },
  fields: ['workplaceName', 'employerCreditCode', 'workRegionCode', 'startedOn', 'monthlyWage'],
};

function RegisterModal({
  laborerId,
  open,
  onClose,
  onDone,
}: {
  laborerId: string;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const [employers, setEmployers] = useState<{ value: string; label: string }[]>([]);

  const search = async (q: string) => {
    if (!q.trim()) return;
    const found = await api.get<{ items: { id: string; name: string; creditCode: string }[] }>('/api/v1/employers', {
      q: q.trim(),
      pageSize: 20,
    });
    setEmployers(found.items.map((e) => ({ value: e.id, label: `${e.name}（${e.creditCode}）` })));
  };

  async function submit(v: RegisterValues) {
    await api.post(EMPLOYMENTS_PATH, {
      laborerId,
      channel: v.channel,
      ...(v.employerMode === 'registered'
        ? { employerId: v.employerId }
        : {
            workplaceName: v.workplaceName?.trim() || undefined,
            employerCreditCode: v.employerCreditCode?.trim() || undefined,
            workplaceContact: v.workplaceContact?.trim() || undefined,
          }),
      workRegionCode: v.workRegionCode,
      startedOn: v.startedOn!.format('YYYY-MM-DD'),
      monthlyWage: v.monthlyWage,
      socialInsurance: v.socialInsurance,
    });
    message.success('已登记就业');
  }

  return (
    <ModalForm<RegisterValues>
      open={open}
      title="登记就业"
      onSubmit={submit}
      onClose={(saved) => (saved ? onDone() : onClose())}
      okText="登记"
      okTestId="employment-register-submit"
      width={640}
      fieldErrors={REGISTER_ERRORS}
      initialValues={{ channel: 'self_found', employerMode: 'named', socialInsurance: false }}
    >
      {/* The form's fields, named for the browser tests (a ModalForm's testId names the modal's root, not shown itself). */}
      <div data-testid="employment-register-form">
        <Form.Item name="channel" label="就业渠道" rules={[{ required: true }]}>
          <Radio.Group options={CHANNEL_OPTIONS} optionType="button" />
        </Form.Item>
        <Form.Item name="employerMode" label="用人单位">
          <Radio.Group
            options={[
              { value: 'named', label: '填写单位名称' },
              { value: 'registered', label: '已登记的用人单位' },
            ]}
          />
        </Form.Item>
        {/* Read from the form's own store as it changes (a Form.useWatch would need the form outside the modal). */}
        <Form.Item noStyle shouldUpdate={(a: RegisterValues, b: RegisterValues) => a.employerMode !== b.employerMode}>
          {({ getFieldValue }) =>
            getFieldValue('employerMode') === 'registered' ? (
              <Form.Item name="employerId" label="选择用人单位" rules={[{ required: true, message: '请选择用人单位' }]}>
                <Select
                  showSearch
                  filterOption={false}
                  onSearch={search}
                  options={employers}
                  placeholder="输入单位名称或统一社会信用代码查找"
                />
              </Form.Item>
            ) : (
              <>
                <Form.Item name="workplaceName" label="工作单位名称" extra="自主创业可不填">
                  <Input maxLength={100} placeholder="如 深圳市龙岗区某电子厂" />
                </Form.Item>
                <Form.Item name="employerCreditCode" label="统一社会信用代码" extra="有则填写，18 位；属已登记单位的将自动关联">
                  <Input maxLength={40} className="lw-mono" />
                </Form.Item>
                <Form.Item name="workplaceContact" label="单位联系方式">
                  <Input maxLength={40} />
                </Form.Item>
              </>
            )
          }
        </Form.Item>
        <Form.Item
          name="workRegionCode"
          label="工作地"
          rules={[
            { required: true, message: '请选择工作地' },
            { validator: async (_, v?: string) => (v && v.length < 6 ? Promise.reject(new Error('工作地须到县级或以下')) : undefined) },
          ]}
        >
          <RegionCascader changeOnSelect placeholder="省 / 市 / 县（区）/ 乡镇" maxLevel="township" data-testid="employment-work-region" />
        </Form.Item>
        <Form.Item name="startedOn" label="入职日期" rules={[{ required: true, message: '请选择入职日期' }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(chinaNow(), 'day')} data-testid="employment-started-on" />
        </Form.Item>
        <Form.Item name="monthlyWage" label="月工资（元）" rules={[{ required: true, message: '请填写月工资' }]}>
          <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} data-testid="employment-wage" />
        </Form.Item>
        <Form.Item name="socialInsurance" label="参加社会保险" valuePropName="checked">
          <Switch />
        </Form.Item>
      </div>
    </ModalForm>
  );
}

interface EndValues {
  endedOn: Dayjs;
  reason: string;
  note?: string;
}

function EndModal({ employment, onClose, onDone }: { employment: Employment | null; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  async function submit(v: EndValues) {
    if (!employment) return;
    await api.post(`${employmentPath(employment.id)}/end`, {
      endedOn: v.endedOn.format('YYYY-MM-DD'),
      reason: v.reason,
      note: v.note?.trim() || undefined,
    });
    message.success('已登记离职');
  }
  return (
    <ModalForm<EndValues>
      open={employment !== null}
      title="登记离职"
      onSubmit={submit}
      onClose={(saved) => (saved ? onDone() : onClose())}
      okText="登记离职"
      okTestId="employment-end-submit"
      fieldErrors={{ byCode: { EMPLOYMENT_END_BEFORE_START: 'endedOn', EMPLOYMENT_DATE_FUTURE: 'endedOn' }, fields: ['endedOn'] }}
    >
      <Form.Item name="endedOn" label="离职日期（最后工作日）" rules={[{ required: true, message: '请选择离职日期' }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(chinaNow(), 'day')} />
      </Form.Item>
      <Form.Item name="reason" label="离职原因" rules={[{ required: true, message: '请选择离职原因' }]}>
        <Select options={END_REASON.codes.map((value) => ({ value, label: END_REASON.labels[value] }))} />
      </Form.Item>
      <Form.Item name="note" label="说明">
        <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} />
      </Form.Item>
    </ModalForm>
  );
}

interface CorrectValues {
  startedOn?: Dayjs;
  endedOn?: Dayjs;
  workRegionCode?: string;
  monthlyWage?: number | null;
  reason: string;
}

function CorrectModal({ employment, onClose, onDone }: { employment: Employment | null; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  async function submit(v: CorrectValues) {
    if (!employment) return;
    const body: Record<string, unknown> = { reason: v.reason.trim() };
    const started = v.startedOn?.format('YYYY-MM-DD');
    if (started && started !== employment.startedOn) body.startedOn = started;
    const ended = v.endedOn?.format('YYYY-MM-DD');
    if (employment.endedOn && ended && ended !== employment.endedOn) body.endedOn = ended;
    if (v.workRegionCode && v.workRegionCode !== employment.workRegionCode) body.workRegionCode = v.workRegionCode;
    if (typeof v.monthlyWage === 'number' && v.monthlyWage !== employment.monthlyWage) body.monthlyWage = v.monthlyWage;
    await api.post(`${employmentPath(employment.id)}/corrections`, body);
    message.success('已更正，更正记录已记入就业记录台账');
  }
  return (
    <ModalForm<CorrectValues>
      open={employment !== null}
      title="更正就业记录"
      onSubmit={submit}
      onClose={(saved) => (saved ? onDone() : onClose())}
      okText="更正"
      okTestId="employment-correct-submit"
      // The record's values as they are when the form opens (a ModalForm's form is new on each opening).
      initialValues={
        employment
          ? {
              startedOn: dayjs(employment.startedOn),
              endedOn: employment.endedOn ? dayjs(employment.endedOn) : undefined,
              workRegionCode: employment.workRegionCode,
              monthlyWage: employment.monthlyWage,
              reason: '',
            }
          : undefined
      }
      fieldErrors={{
        byCode: {
          EMPLOYMENT_DATE_FUTURE: 'startedOn',
          EMPLOYMENT_UNDER_AGE: 'startedOn',
          EMPLOYMENT_OVERLAP: 'startedOn',
          EMPLOYMENT_END_BEFORE_START: 'endedOn',
          REGION_NOT_FOUND: 'workRegionCode',
        },
        fields: ['startedOn', 'endedOn', 'workRegionCode', 'monthlyWage', 'reason'],
      }}
    >
      <Typography.Paragraph type="secondary">更正会改变所涉日期的统计数字，须说明原因；每次更正都记入就业记录台账。</Typography.Paragraph>
      <Form.Item name="startedOn" label="入职日期" rules={[{ required: true, message: '请选择入职日期' }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(chinaNow(), 'day')} />
      </Form.Item>
      {employment?.endedOn && (
        <Form.Item name="endedOn" label="离职日期" rules={[{ required: true, message: '请选择离职日期' }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(chinaNow(), 'day')} />
        </Form.Item>
      )}
      <Form.Item name="workRegionCode" label="工作地">
        <RegionCascader changeOnSelect maxLevel="township" />
      </Form.Item>
      <Form.Item name="monthlyWage" label="月工资（元）">
        <InputNumber min={0} max={1_000_000} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="reason" label="更正原因" rules={[{ required: true, whitespace: true, min: 2, message: '请说明更正原因' }]}>
        <Input maxLength={200} placeholder="如 劳动合同显示的入职日期" data-testid="employment-correct-reason" />
      </Form.Item>
    </ModalForm>
  );
}
