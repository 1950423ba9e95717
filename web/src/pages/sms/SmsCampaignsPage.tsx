import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Progress, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { accountLabel, CAMPAIGN_STATUS, CAMPAIGN_STATUS_COLORS, CAMPAIGNS_PATH, type Campaign } from '../../api/sms.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';

/** 短信推送: the region's campaigns with their status and progress. */
export default function SmsCampaignsPage() {
  const navigate = useNavigate();
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: Campaign[]; total: number }>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await api.get(CAMPAIGNS_PATH, { status, page, pageSize: 20 }));
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

  const columns: TableColumnsType<Campaign> = [
    {
      title: '活动',
      dataIndex: 'name',
      render: (v, c) => (
        <Link to={`/sms/${c.id}`} data-testid={`sms-campaign-${c.id}`}>
          {v}
        </Link>
      ),
    },
    { title: '区划', render: (_, c) => c.region.name },
    { title: '状态', render: (_, c) => <Tag color={CAMPAIGN_STATUS_COLORS[c.status]}>{CAMPAIGN_STATUS.labels[c.status]}</Tag> },
    { title: '接收人', dataIndex: 'recipients', align: 'right' },
    { title: '计费条数', dataIndex: 'segments', align: 'right' },
    {
      title: '进度',
      width: 200,
      render: (_, c) => {
        const done = c.counts.delivered + c.counts.failed + c.counts.sent;
        return c.recipients ? <Progress percent={Math.round((done * 100) / c.recipients)} size="small" /> : '—';
      },
    },
    { title: '创建人', render: (_, c) => accountLabel(c.createdBy) },
    { title: '创建时间', render: (_, c) => new Date(c.createdAt).toLocaleString('zh-CN') },
  ];

  return (
    <>
      <PageHeader
        title="短信推送"
        description="点对点短信：按条件为劳动力推送匹配岗位，经另一名工作人员审批后通过短信网关发送；退订号码、夜间（21:00–8:00）和每号每天 50 条上限自动遵守"
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={load}>
              刷新
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/sms/new')} data-testid="sms-new">
              新建短信活动
            </Button>
          </Space>
        }
      />
      {error ? <ErrorAlert error={error} /> : null}
      <Card size="small">
        <Space style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder="全部状态"
            style={{ width: 160 }}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={Object.entries(CAMPAIGN_STATUS.labels).map(([value, label]) => ({ value, label }))}
          />
        </Space>
        <Table
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          data-testid="sms-campaigns"
          pagination={{ current: page, pageSize: 20, total: data.total, onChange: setPage, showSizeChanger: false }}
        />
      </Card>
    </>
  );
}
