import { useCallback, useEffect, useState } from 'react';
import { Button, Checkbox, DatePicker, Descriptions, Form, Input, InputNumber, Radio, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import {
  ACCREDITATION_CRITERIA,
  STANDING_ACT,
  STANDING_STATUS,
  type Standing,
  type StandingActRecord,
  WORKSHOPS_PATH,
} from '../../api/workshops.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ModalForm } from '../../components/list/index.ts';
import { chinaNow } from '../../app/format.ts';

const DAY = 'YYYY-MM-DD';
const future = (d: Dayjs) => d.isAfter(chinaNow(), 'day');
const statusColor = { none: 'default', accredited: 'green', removed: 'red' } as const;

/** What an act decided, in a line: the criteria of an accreditation, a review's year and outcome, a removal's reason. */
function actDetail(a: StandingActRecord): string {
  if (a.act === 'review') return `${a.reviewYear} 年度${a.passed ? '通过' : '未通过'}${a.findings ? `：${a.findings}` : ''}`;
  if (a.act === 'removal') return a.reason ?? '';
  return a.criteria
    .map((c) => {
      const label = ACCREDITATION_CRITERIA.labels[c.criterion];
      if (c.criterion === 'site' || c.criterion === 'labor_contracts') return `${label}：${c.value ? '是' : '否'}`;
      return `${label}：${c.value}${c.threshold !== null ? `（标准 ${c.threshold}${c.met ? '，达到' : '，未达到'}）` : ''}`;
    })
    .join('；');
}

type Action = 'accreditation' | 'review' | 'removal' | null;

/**
 * 认定与年审 (issue 20 item 8): the unit's standing as of a day (today unless another is picked), the
 * acts in force by then, and for the deciders the act the standing allows: 认定 when not accredited,
 * 年审 and 摘牌 while accredited.
 */
export default function StandingTab({ id, decider, onChanged }: { id: string; decider: boolean; onChanged: () => void }) {
  const [asOf, setAsOf] = useState<Dayjs>(chinaNow());
  const [standing, setStanding] = useState<Standing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [action, setAction] = useState<Action>(null);
  const load = useCallback(
    () =>
      api.get<Standing>(`${WORKSHOPS_PATH}/${id}/standing`, { asOf: asOf.format(DAY) }).then((s) => {
        setStanding(s);
        setError(null);
      }, setError),
    [id, asOf],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const saved = (ok: boolean) => {
    setAction(null);
    if (ok) {
      setAsOf(chinaNow());
      void load();
      onChanged();
    }
  };
  const today = asOf.isSame(chinaNow(), 'day');
  const post = (path: string, body: object) => api.post<Standing>(`${WORKSHOPS_PATH}/${id}/${path}`, body);

  return (
    <>
      <ErrorAlert error={error} testId="standing-error" />
      <Space wrap style={{ marginBottom: 12 }}>
        <span>截至</span>
        <DatePicker value={asOf} allowClear={false} onChange={(d) => d && setAsOf(d)} disabledDate={future} data-testid="standing-as-of" />
        {standing && (
          <Tag color={statusColor[standing.status]} data-testid="standing-status">
            {STANDING_STATUS.labels[standing.status]}
          </Tag>
        )}
        {decider && today && standing && (
          <>
            {standing.status !== 'accredited' && (
              <Button type="primary" onClick={() => setAction('accreditation')} data-testid="standing-accredit">
                认定
              </Button>
            )}
            {standing.status === 'accredited' && (
              <>
                <Button onClick={() => setAction('review')} data-testid="standing-review">
                  年审
                </Button>
                <Button danger onClick={() => setAction('removal')} data-testid="standing-remove">
                  摘牌
                </Button>
              </>
            )}
          </>
        )}
      </Space>
      {standing && (
        <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="认定日期">{standing.accreditedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="最近年审">
            {standing.lastReview
              ? `${standing.lastReview.year} 年度${standing.lastReview.passed ? '通过' : '未通过'}（${standing.lastReview.reviewedOn}）`
              : '—'}
          </Descriptions.Item>
          <Descriptions.Item label="摘牌日期">{standing.removedOn ?? '—'}</Descriptions.Item>
        </Descriptions>
      )}
      <Table<StandingActRecord>
        rowKey="id"
        size="small"
        dataSource={standing?.history ?? []}
        pagination={false}
        data-testid="standing-history"
        locale={{ emptyText: '截至该日没有认定、年审或摘牌记录' }}
        columns={[
          { title: '日期', dataIndex: 'effectiveOn', width: 110 },
          {
            title: '事项',
            dataIndex: 'act',
            width: 80,
            render: (v: StandingActRecord['act']) => (
              <Tag color={v === 'accreditation' ? 'green' : v === 'removal' ? 'red' : 'blue'}>{STANDING_ACT.labels[v]}</Tag>
            ),
          },
          { title: '内容', render: (_, a) => <Typography.Text>{actDetail(a)}</Typography.Text> },
          { title: '文号', dataIndex: 'documentNo', width: 120, render: (v: string | null) => v ?? '—' },
          { title: '办理人', dataIndex: 'decidedBy', width: 90, render: (v: string | null) => v ?? '—' },
        ]}
      />

      <ModalForm<{ accreditedOn: Dayjs; workforce: number; site: boolean; laborContracts: boolean; documentNo?: string }>
        open={action === 'accreditation'}
        title="认定扶贫车间（基地）"
        okText="认定"
        okTestId="accredit-ok"
        errorTestId="accredit-error"
        name="accredit"
        initialValues={{ accreditedOn: chinaNow(), site: true, laborContracts: true }}
        onSubmit={(v) =>
          post('accreditations', {
            accreditedOn: v.accreditedOn.format(DAY),
            workforce: v.workforce,
            site: !!v.site,
            laborContracts: !!v.laborContracts,
            ...(v.documentNo?.trim() ? { documentNo: v.documentNo.trim() } : {}),
          })
        }
        onClose={saved}
      >
        <Typography.Paragraph type="secondary">
          在岗贫困劳动力人数按认定日的就业记录计算；须不少于标准人数，或占职工总数不低于标准比例，并有固定场所、签订劳动合同或务工协议。
        </Typography.Paragraph>
        <Form.Item name="accreditedOn" label="认定日期" rules={[{ required: true }]}>
          <DatePicker disabledDate={future} allowClear={false} data-testid="accredit-on" />
        </Form.Item>
        <Form.Item name="workforce" label="职工总数（人）" rules={[{ required: true, message: '请填写职工总数' }]}>
          <InputNumber min={1} max={100000} data-testid="accredit-workforce" />
        </Form.Item>
        <Form.Item name="site" valuePropName="checked">
          <Checkbox>{ACCREDITATION_CRITERIA.labels.site}</Checkbox>
        </Form.Item>
        <Form.Item name="laborContracts" valuePropName="checked">
          <Checkbox>{ACCREDITATION_CRITERIA.labels.labor_contracts}</Checkbox>
        </Form.Item>
        <Form.Item name="documentNo" label="认定文号">
          <Input maxLength={60} />
        </Form.Item>
      </ModalForm>

      <ModalForm<{ reviewedOn: Dayjs; year: number; passed: boolean; findings?: string }>
        open={action === 'review'}
        title="年审"
        okText="登记年审"
        okTestId="review-ok"
        errorTestId="review-error"
        name="review"
        initialValues={{
          reviewedOn: chinaNow(),
          // Last year's review, or this year's for a unit accredited this year.
          year: Math.max(chinaNow().year() - 1, Number(standing?.accreditedOn?.slice(0, 4) ?? 0)),
          passed: true,
        }}
        onSubmit={(v) =>
          post('reviews', {
            reviewedOn: v.reviewedOn.format(DAY),
            year: v.year,
            passed: v.passed,
            ...(v.findings?.trim() ? { findings: v.findings.trim() } : {}),
          })
        }
        onClose={saved}
      >
        {(form) => (
          <>
            <Form.Item name="reviewedOn" label="年审日期" rules={[{ required: true }]}>
              <DatePicker disabledDate={future} allowClear={false} />
            </Form.Item>
            <Form.Item name="year" label="年审年度" rules={[{ required: true }]}>
              <InputNumber min={2015} max={2100} data-testid="review-year" />
            </Form.Item>
            <Form.Item name="passed" label="结果">
              <Radio.Group
                options={[
                  { value: true, label: '通过' },
                  { value: false, label: '未通过' },
                ]}
                data-testid="review-passed"
              />
            </Form.Item>
            <Form.Item noStyle shouldUpdate>
              {() => (
                <Form.Item
                  name="findings"
                  label="发现的问题"
                  rules={[{ required: form.getFieldValue('passed') === false, message: '年审未通过须填写发现的问题' }]}
                >
                  <Input.TextArea rows={3} maxLength={1000} data-testid="review-findings" />
                </Form.Item>
              )}
            </Form.Item>
          </>
        )}
      </ModalForm>

      <ModalForm<{ removedOn: Dayjs; reason: string; documentNo?: string }>
        open={action === 'removal'}
        title="摘牌"
        okText="摘牌"
        danger
        okTestId="remove-ok"
        errorTestId="remove-error"
        name="remove"
        initialValues={{ removedOn: chinaNow() }}
        onSubmit={(v) =>
          post('removal', {
            removedOn: v.removedOn.format(DAY),
            reason: v.reason.trim(),
            ...(v.documentNo?.trim() ? { documentNo: v.documentNo.trim() } : {}),
          })
        }
        onClose={saved}
      >
        <Typography.Paragraph type="secondary">摘牌日起不再具有认定资格，此后期间不能申请车间补贴。</Typography.Paragraph>
        <Form.Item name="removedOn" label="摘牌日期" rules={[{ required: true }]}>
          <DatePicker disabledDate={future} allowClear={false} />
        </Form.Item>
        <Form.Item name="reason" label="摘牌原因" rules={[{ required: true, min: 2, message: '请填写摘牌原因' }]}>
          <Input.TextArea rows={3} maxLength={500} data-testid="remove-reason" />
        </Form.Item>
        <Form.Item name="documentNo" label="文号">
          <Input maxLength={60} />
        </Form.Item>
      </ModalForm>
    </>
  );
}
