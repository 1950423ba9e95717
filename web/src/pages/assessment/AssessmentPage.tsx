import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useAuth } from '../../app/auth.tsx';
import { api } from '../../api/client.ts';
import {
  ASSESSMENT_PATH,
  INDICATOR_LABEL,
  INDICATORS,
  WEIGHTS_PATH,
  type Assessment,
  type AssessmentRow,
  type Indicator,
  type Weights,
  type WeightsHistory,
  type WeightsVersion,
} from '../../api/dashboards.ts';
import Chart, { type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import { useApiData } from '../../components/useApiData.ts';
import ScrollTable from '../../components/ScrollTable.tsx';
import { chinaNow } from '../../app/format.ts';

const RATE: Indicator[] = ['postingsPer1000', 'referralsPer1000'];
const show = (i: Indicator, value: number | null) =>
  value === null ? '—' : RATE.includes(i) ? value.toFixed(1) : `${(value * 100).toFixed(1)}%`;

/** 量化考核: counties ranked by the weighted score of their use of the platform, with the evidence behind each figure. */
export default function AssessmentPage() {
  const { me } = useAuth();
  const [asOf, setAsOf] = useState<Dayjs>(chinaNow());
  const [editing, setEditing] = useState(false);
  const { data, error, loading, reload } = useApiData<Assessment>(ASSESSMENT_PATH, { asOf: asOf.format('YYYY-MM-DD') });
  const provinceAdmin = me!.role === 'admin' && me!.region.level === 'province';

  const columns = useMemo<ColumnsType<AssessmentRow>>(
    () => [
      { title: '排名', dataIndex: 'rank', width: 64, fixed: 'left' },
      {
        title: '县（市、区）',
        key: 'county',
        width: 150,
        fixed: 'left',
        render: (_, r) => (
          <span>
            {r.county.name}
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {r.county.city}
            </Typography.Text>
          </span>
        ),
      },
      { title: '得分', dataIndex: 'score', width: 80, render: (s: number) => <Typography.Text strong>{s.toFixed(1)}</Typography.Text> },
      ...INDICATORS.map((i) => ({
        title: `${INDICATOR_LABEL[i]}（${data?.weights.weights[i] ?? 0}）`,
        key: i,
        width: 150,
        render: (_: unknown, r: AssessmentRow) => {
          const e = r.indicators[i];
          const evidence =
            e.note ??
            (e.denominator === null
              ? ''
              : RATE.includes(i)
                ? `${e.numerator} 个 / ${e.denominator} 名未就业劳动力 × 1000`
                : `${e.numerator} / ${e.denominator}`);
          const value = <span data-testid={`indicator-${i}-${r.county.code}`}>{show(i, e.value)}</span>;
          return (
            <Space direction="vertical" size={0}>
              {e.link ? <Link to={e.link}>{value}</Link> : e.note ? <Tag>{e.note}</Tag> : value}
              <Tooltip title={e.normalised === null ? '不计入得分' : `折算 ${e.normalised} 分`}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {evidence}
                </Typography.Text>
              </Tooltip>
            </Space>
          );
        },
      })),
      {
        // Shown, not scored (issue 21 item 2): the county's social-insurance reviews past their 3 working days.
        title: '社保比对逾期未核实',
        key: 'overdueReviews',
        width: 120,
        render: (_: unknown, r: AssessmentRow) => (
          <span data-testid={`overdue-reviews-${r.county.code}`}>
            {r.overdueReviews > 0 ? <Typography.Text type="danger">{r.overdueReviews}</Typography.Text> : 0}
          </span>
        ),
      },
    ],
    [data],
  );

  const option = useMemo<ChartOption>(() => {
    const rows = (data?.rows ?? []).slice(0, 40);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 120, right: 40, top: 10, bottom: 30 },
      xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => `${r.rank}. ${r.county.name}`) },
      series: [{ type: 'bar', data: rows.map((r) => r.score), label: { show: true, position: 'right' } }],
    };
  }, [data]);

  return (
    <>
      <PageHeader
        title="量化考核"
        description="省里按信息卡完整率、本季度核实率、每千名未就业劳动力的岗位和推荐数、回访覆盖率、目标完成率（只计已核实的新增转移）、就业核实率（在岗人员近三个月经回访、用工单位或社保核实的比例）对各县加权评分并排名；县只看到本县的得分和名次"
        extra={
          <Space>
            <DatePicker
              value={asOf}
              onChange={(d) => d && setAsOf(d)}
              allowClear={false}
              disabledDate={(d) => d.isAfter(chinaNow(), 'day') || d.isBefore(dayjs('2016-01-01'), 'day')}
            />
            {provinceAdmin && (
              <Button onClick={() => setEditing(true)} data-testid="edit-weights">
                设置权重
              </Button>
            )}
          </Space>
        }
      />
      <ErrorAlert error={error} />
      {data && (
        <Typography.Paragraph type="secondary" data-testid="assessment-summary">
          {data.quarter} · 共 {data.counties} 个县参与排名 · 权重第 {data.weights.version} 版
          {data.weights.setBy ? `（${data.weights.setBy} 设置于 ${dayjs(data.weights.setAt).format('YYYY-MM-DD HH:mm')}）` : '（系统默认）'}
          {!data.targetsAvailable && ' · 年度目标未设置，目标完成率不计入得分'}
          <span data-testid="assessment-computed-at">
            {' · '}数据计算于 {dayjs(data.computedAt).format('YYYY-MM-DD HH:mm')}
            {data.refreshing ? '，正在重新计算，稍后刷新可见最新数据' : ''}
          </span>
        </Typography.Paragraph>
      )}
      {data && data.rows.length > 1 && (
        <Card size="small" title="得分排名" style={{ marginBottom: 16 }}>
          <Chart option={option} height={Math.max(160, Math.min(data.rows.length, 40) * 24 + 40)} data-testid="assessment-chart" />
        </Card>
      )}
      <ScrollTable<AssessmentRow>
        rowKey={(r) => r.county.code}
        columns={columns}
        dataSource={data?.rows ?? []}
        loading={loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 1300 }}
        size="small"
        data-testid="assessment-table"
      />
      {editing && data && (
        <WeightsModal
          current={data.weights}
          onClose={(saved) => {
            setEditing(false);
            if (saved) reload();
          }}
        />
      )}
    </>
  );
}

function WeightsModal({ current, onClose }: { current: WeightsVersion; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ weights: Weights; note?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const values = Form.useWatch('weights', form);
  const sum = INDICATORS.reduce((s, i) => s + (Number(values?.[i]) || 0), 0);
  const history = useApiData<WeightsHistory>(WEIGHTS_PATH);

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await api.post(WEIGHTS_PATH, {
        weights: Object.fromEntries(INDICATORS.map((i) => [i, Number(v.weights[i] ?? 0)])),
        ...(v.note ? { note: v.note } : {}),
      });
      message.success('考核权重已更新');
      onClose(true);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title="设置考核权重" onCancel={() => onClose(false)} onOk={save} okText="保存为新版本" confirmLoading={saving} width={560}>
      <ErrorAlert error={error} testId="weights-error" />
      <Form form={form} layout="horizontal" labelCol={{ span: 12 }} initialValues={{ weights: current.weights }}>
        {INDICATORS.map((i) => (
          <Form.Item key={i} name={['weights', i]} label={INDICATOR_LABEL[i]} rules={[{ required: true, message: '请填写权重' }]}>
            <InputNumber precision={0} style={{ width: 120 }} data-testid={`weight-${i}`} />
          </Form.Item>
        ))}
        <Form.Item label="合计">
          <Typography.Text type={sum === 100 ? 'success' : 'danger'} data-testid="weights-sum">
            {sum}（须为 100）
          </Typography.Text>
        </Form.Item>
        <Form.Item name="note" label="调整说明">
          <Input maxLength={200} />
        </Form.Item>
      </Form>
      {history.data && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          历次设置：
          {history.data.history
            .map((h) => `第 ${h.version} 版 ${h.setBy ?? '系统默认'} ${h.setAt ? dayjs(h.setAt).format('YYYY-MM-DD') : ''}`)
            .join('；')}
        </Typography.Paragraph>
      )}
    </Modal>
  );
}
