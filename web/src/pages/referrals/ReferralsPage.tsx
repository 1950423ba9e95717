import { useState } from 'react';
import { Alert, App, Card, DatePicker, Form, Input, InputNumber, Modal, Segmented, Timeline, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorText } from '../../api/client.ts';
import ExportButton from '../../components/ExportButton.tsx';
import { REFERRALS_EXPORT_PATH } from '../../../../contracts/paths.ts';
import {
  PIPELINE_STATUS,
  REFERRAL_STATUS,
  REFERRALS_PATH,
  STEP_STATUS,
  referralPath,
  referralStepPath,
  type Referral,
  type ReferralDetail,
  type ReferralList,
} from '../../api/referrals.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { FilterBar, ListTable, ModalForm, useListQuery } from '../../components/list/index.ts';
import MyBrokerRow from '../brokers/MyBrokerRow.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import { REFERRAL_FILTERS, STEP_LABELS, type StepStatus, referralColumns, statusTag } from './columns.tsx';
import { chinaNow } from '../../app/format.ts';

interface StepValues {
  note?: string;
  startedOn?: Dayjs;
  monthlyWage?: number;
}

/**
 * 推荐 at /referrals: staff see the referrals of the laborers in their region, an employer account
 * the applicants to its own postings; each row moves along recommended → interviewed → hired /
 * not hired / withdrawn with the step buttons (hired asks for the start date and the wage, and
 * opens the employment record).
 */
export default function ReferralsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const list = useListQuery<Referral, typeof REFERRAL_FILTERS, never, ReferralList>(REFERRALS_PATH, { filters: REFERRAL_FILTERS });
  // The step asked for; its form is a ModalForm, so a hire's start date and wage are the form's
  // own initial values on each opening (set on a shared form, they were once lost to the closing one).
  const [stepping, setStepping] = useState<{ referral: Referral; status: StepStatus } | null>(null);
  const [detail, setDetail] = useState<ReferralDetail | null>(null);

  const submitStep = async (values: StepValues) => {
    if (!stepping) return;
    await api.post<ReferralDetail>(referralStepPath(stepping.referral.id), {
      status: stepping.status,
      note: values.note?.trim() || undefined,
      ...(stepping.status === 'hired'
        ? { startedOn: values.startedOn?.format('YYYY-MM-DD'), monthlyWage: values.monthlyWage ?? undefined }
        : {}),
    });
    message.success(
      `${stepping.referral.laborer.name}：${STEP_STATUS.labels[stepping.status]}${stepping.status === 'hired' ? '，已建立就业记录' : ''}`,
    );
    list.reload();
  };

  const showDetail = async (id: string) => {
    try {
      setDetail(await api.get<ReferralDetail>(referralPath(id)));
    } catch (e) {
      message.error(errorText(e));
    }
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
        <FilterBar
          name="referral-filter"
          list={list}
          fields={[
            {
              kind: 'node',
              key: 'status',
              node: (
                <Segmented
                  data-testid="referral-status-filter"
                  value={list.filters.status ?? 'all'}
                  onChange={(v) => list.setFilters({ status: v === 'all' ? undefined : (v as typeof list.filters.status) })}
                  options={['all', ...PIPELINE_STATUS.codes].map((s) => ({
                    value: s,
                    label: s === 'all' ? '全部' : PIPELINE_STATUS.labels[s as keyof typeof PIPELINE_STATUS.labels],
                  }))}
                />
              ),
            },
            {
              kind: 'node',
              key: 'export',
              node: <ExportButton path={REFERRALS_EXPORT_PATH} query={list.query} testId="referral-export" />,
            },
          ]}
        />
        <ErrorAlert error={list.error} testId="referrals-error" />
        <ListTable<Referral>
          rowKey="id"
          size="small"
          list={list}
          sizeChanger={false}
          data-testid="referrals-table"
          columns={referralColumns(me.role, { step: (referral, status) => setStepping({ referral, status }), detail: showDetail })}
          scroll={{ x: 1200 }}
          rowTestId={(r) => `referral-row-${r.id}`}
        />
      </Card>
      <ModalForm<StepValues>
        open={stepping !== null}
        title={stepping ? `${stepping.referral.laborer.name} · ${stepping.referral.posting.title}：${STEP_LABELS[stepping.status]}` : ''}
        okText="确定"
        testId="referral-step-modal"
        initialValues={
          stepping?.status === 'hired' ? { startedOn: chinaNow(), monthlyWage: stepping.referral.posting.wageMin ?? undefined } : {}
        }
        onSubmit={submitStep}
        onClose={() => setStepping(null)}
      >
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
      </ModalForm>
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
