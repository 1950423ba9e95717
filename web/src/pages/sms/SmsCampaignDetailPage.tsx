import { useCallback, useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Descriptions, Input, Modal, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import {
  accountLabel,
  CAMPAIGN_STATUS,
  CAMPAIGN_STATUS_COLORS,
  CAMPAIGNS_PATH,
  MESSAGE_STATUS,
  type Campaign,
  type SmsMessage,
} from '../../api/sms.ts';
import Chart, { type ChartOption } from '../../components/Chart.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { MESSAGE_FILTERS, messageColumns } from './columns.tsx';
import { dateTime } from '../../app/format.ts';

/** One campaign: approval, progress (sent, delivered, failed, skipped and why), and its messages. */
export default function SmsCampaignDetailPage() {
  const { id } = useParams();
  const { message, modal } = App.useApp();
  const [c, setC] = useState<Campaign | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState('');
  const messages = useListQuery<SmsMessage, typeof MESSAGE_FILTERS>(id ? `${CAMPAIGNS_PATH}/${id}/messages` : null, {
    filters: MESSAGE_FILTERS,
  });
  const reloadMessages = messages.reload;

  const load = useCallback(async () => {
    try {
      setC(await api.get<Campaign>(`${CAMPAIGNS_PATH}/${id}`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    load();
  }, [load]);
  /** The campaign and its messages, as 刷新 and the progress timer read them. */
  const refresh = useCallback(() => {
    load();
    reloadMessages();
  }, [load, reloadMessages]);
  // Progress follows the sender while the campaign composes or sends.
  useEffect(() => {
    if (!c || !['composing', 'sending'].includes(c.status)) return;
    const timer = setInterval(refresh, 2000);
    return () => clearInterval(timer);
  }, [c?.status, refresh]);

  const act = async (action: 'approve' | 'reject' | 'cancel', body?: object) => {
    try {
      setC(await api.post<Campaign>(`${CAMPAIGNS_PATH}/${id}/${action}`, body ?? {}));
      message.success({ approve: '已审批，开始发送', reject: '已驳回', cancel: '已取消' }[action]);
      refresh();
    } catch (e) {
      setError(e);
    }
  };

  const chart = useMemo<ChartOption | null>(() => {
    if (!c) return null;
    const parts = [
      { name: '已送达', value: c.counts.delivered, itemStyle: { color: '#52c41a' } },
      { name: '已提交待回执', value: c.counts.sent + c.counts.sending, itemStyle: { color: '#1677ff' } },
      { name: '失败', value: c.counts.failed, itemStyle: { color: '#ff4d4f' } },
      { name: '未发送', value: c.counts.skipped, itemStyle: { color: '#bfbfbf' } },
      { name: '待发送', value: c.counts.queued, itemStyle: { color: '#faad14' } },
    ];
    // Only the parts that hold messages; no animation, so the chart never shows a state that has passed.
    return {
      animation: false,
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [{ type: 'pie', radius: ['40%', '70%'], data: parts.filter((p) => p.value > 0), label: { formatter: '{b} {c}' } }],
    };
  }, [c]);

  if (!c) return error ? <ErrorAlert error={error} /> : null;

  return (
    <>
      <PageHeader
        title={
          <Space>
            {c.name}
            <Tag color={CAMPAIGN_STATUS_COLORS[c.status]} data-testid="sms-status">
              {CAMPAIGN_STATUS.labels[c.status]}
            </Tag>
          </Space>
        }
        description={`${c.region.name} · 签名【${c.signature}】`}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={refresh}>
              刷新
            </Button>
            {c.canDecide && (
              <Button
                type="primary"
                onClick={() =>
                  modal.confirm({
                    title: `审批通过并发送 ${c.recipients} 条短信？`,
                    content: '通过后立即开始发送（夜间 21:00–8:00 暂停）',
                    okText: '通过并发送',
                    cancelText: '取消',
                    onOk: () => act('approve'),
                  })
                }
                data-testid="sms-approve"
              >
                审批通过
              </Button>
            )}
            {c.canDecide && (
              <Button danger onClick={() => setRejecting(true)} data-testid="sms-reject">
                驳回
              </Button>
            )}
            {['pending_approval', 'sending', 'paused', 'draft'].includes(c.status) && (
              <Button
                onClick={() =>
                  modal.confirm({
                    title: '取消该活动？',
                    content: '尚未发出的短信将不再发送',
                    okText: '确定取消',
                    cancelText: '返回',
                    onOk: () => act('cancel'),
                  })
                }
              >
                取消活动
              </Button>
            )}
          </Space>
        }
      />
      {error ? <ErrorAlert error={error} onClose={() => setError(null)} /> : null}
      {c.message ? <Alert type="info" showIcon message={c.message} style={{ marginBottom: 12 }} /> : null}
      {c.status === 'pending_approval' && !c.canDecide ? (
        <Alert
          type="warning"
          showIcon
          message="待审批：须由另一名工作人员审批后才会发送"
          style={{ marginBottom: 12 }}
          data-testid="sms-await-approval"
        />
      ) : null}
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card size="small" title="发送进度">
            <Row gutter={8}>
              <Col span={6}>
                <Statistic title="接收人" value={c.recipients} />
              </Col>
              <Col span={6}>
                <Statistic title="已送达" value={c.counts.delivered} valueStyle={{ color: '#389e0d' }} />
              </Col>
              <Col span={6}>
                <Statistic title="失败" value={c.counts.failed} valueStyle={{ color: '#cf1322' }} />
              </Col>
              <Col span={6}>
                <Statistic title="未发送" value={c.counts.skipped} />
              </Col>
            </Row>
            <div data-testid="sms-counts" data-delivered={c.counts.delivered} data-queued={c.counts.queued} style={{ display: 'none' }} />
            {chart && <Chart option={chart} height={220} data-testid="sms-chart" />}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title="活动信息">
            <Descriptions size="small" column={1}>
              <Descriptions.Item label="计费条数">{c.segments}</Descriptions.Item>
              <Descriptions.Item label="创建">
                <span data-testid="sms-created-by">{accountLabel(c.createdBy)}</span> · {dateTime(c.createdAt)}
              </Descriptions.Item>
              <Descriptions.Item label="提交">{accountLabel(c.submittedBy)}</Descriptions.Item>
              <Descriptions.Item label="审批">
                <span data-testid="sms-decided-by">
                  {c.decidedBy ? `${accountLabel(c.decidedBy)}${c.decisionNote ? `：${c.decisionNote}` : ''}` : '—'}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label="模板">{c.template}</Descriptions.Item>
            </Descriptions>
            {c.reasons.length ? (
              <Table
                size="small"
                rowKey="reason"
                pagination={false}
                style={{ marginTop: 8 }}
                data-testid="sms-reasons"
                columns={[
                  { title: '未发送或失败原因', dataIndex: 'label' },
                  { title: '人数', dataIndex: 'count', align: 'right' },
                ]}
                dataSource={c.reasons}
              />
            ) : null}
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title="短信明细"
        style={{ marginTop: 16 }}
        extra={
          <Select
            allowClear
            placeholder="全部状态"
            style={{ width: 140 }}
            value={messages.filters.status}
            onChange={(v) => messages.setFilters({ status: v })}
            options={Object.entries(MESSAGE_STATUS.labels).map(([value, label]) => ({ value, label }))}
          />
        }
      >
        <ErrorAlert error={messages.error} />
        <ListTable<SmsMessage>
          rowKey="id"
          size="small"
          list={messages}
          columns={messageColumns}
          sizeChanger={false}
          data-testid="sms-messages"
        />
      </Card>
      <Modal
        open={rejecting}
        title="驳回短信活动"
        okText="驳回"
        cancelText="取消"
        onCancel={() => setRejecting(false)}
        onOk={async () => {
          await act('reject', { note });
          setRejecting(false);
        }}
        okButtonProps={{ disabled: !note.trim() }}
      >
        <Input.TextArea rows={3} maxLength={200} placeholder="驳回理由（必填）" value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </>
  );
}
