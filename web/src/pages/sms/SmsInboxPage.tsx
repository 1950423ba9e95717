import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Segmented, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client.ts';
import { INBOX_PATH, type InboxItem } from '../../api/sms.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';

/** 短信回复: replies of the region's laborers (TD / 退订 are opt-outs, already in force), to handle. */
export default function SmsInboxPage() {
  const { message } = App.useApp();
  const [handled, setHandled] = useState<'open' | 'all'>('open');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: InboxItem[]; total: number }>({ items: [], total: 0 });
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await api.get(INBOX_PATH, { handled: handled === 'open' ? false : undefined, page, pageSize: 20 }));
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [handled, page]);
  useEffect(() => {
    load();
  }, [load]);

  const markHandled = async (id: string) => {
    try {
      await api.post(`${INBOX_PATH}/${id}/handled`);
      message.success('已标记为已处理');
      load();
    } catch (e) {
      setError(e);
    }
  };

  const columns: TableColumnsType<InboxItem> = [
    { title: '收到时间', render: (_, i) => new Date(i.receivedAt).toLocaleString('zh-CN'), width: 170 },
    { title: '手机号', dataIndex: 'phoneMasked', width: 120 },
    { title: '劳动力', render: (_, i) => (i.laborer ? `${i.laborer.name}（${i.laborer.villageName}）` : '未登记号码') },
    { title: '内容', dataIndex: 'body' },
    {
      title: '类型',
      render: (_, i) => (i.kind === 'opt_out' ? <Tag color="red">退订（已生效）</Tag> : <Tag color="blue">回复</Tag>),
      width: 120,
    },
    {
      title: '处理',
      width: 160,
      render: (_, i) =>
        i.handledAt ? (
          `${i.handledBy?.displayName ?? ''} 已处理`
        ) : (
          <Button size="small" onClick={() => markHandled(i.id)}>
            标记已处理
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageHeader title="短信回复" description="本辖区劳动力回复的短信：回复 TD 或“退订”即不再发送；其他回复请联系本人处理" />
      {error ? <ErrorAlert error={error} /> : null}
      <Card size="small">
        <Segmented
          style={{ marginBottom: 12 }}
          value={handled}
          onChange={(v) => {
            setHandled(v as 'open' | 'all');
            setPage(1);
          }}
          options={[
            { value: 'open', label: '待处理' },
            { value: 'all', label: '全部' },
          ]}
        />
        <Table
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data.items}
          data-testid="sms-inbox"
          pagination={{ current: page, pageSize: 20, total: data.total, onChange: setPage, showSizeChanger: false }}
        />
      </Card>
    </>
  );
}
