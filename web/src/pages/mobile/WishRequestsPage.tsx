import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { api } from '../../api/client.ts';
import { WISH_REQUESTS_PATH } from '../../api/mobile.ts';
import { WILLINGNESS } from '../../../../contracts/laborers.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';

interface Wishes {
  willingness: string;
  wantedJobTypes: string[];
  expectedWage: number | null;
}
interface WishRequest {
  id: string;
  laborer: { id: string; name: string; villageName: string };
  current: Wishes;
  changes: Wishes;
  status: string;
  createdAt: string;
}

const describe = (w: Wishes) =>
  `${WILLINGNESS.labels[w.willingness as keyof typeof WILLINGNESS.labels] ?? w.willingness}；${w.wantedJobTypes.join('、') || '工种不限'}；${w.expectedWage ? `期望${w.expectedWage}元` : '月薪不限'}`;

/** 意愿变更核实: wishes laborers sent from their phones; confirming writes them into the card's ledger. */
export default function WishRequestsPage() {
  const { message } = App.useApp();
  const [data, setData] = useState<{ items: WishRequest[]; total: number }>({ items: [], total: 0 });
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    try {
      setData(await api.get(WISH_REQUESTS_PATH, { pageSize: 100 }));
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    load();
  }, [load]);
  const decide = async (id: string, decision: 'confirm' | 'reject') => {
    try {
      await api.post(`${WISH_REQUESTS_PATH}/${id}/${decision}`, {});
      message.success(decision === 'confirm' ? '已核实，记入信息卡台账' : '已不予确认');
      load();
    } catch (e) {
      setError(e);
    }
  };
  const columns: TableColumnsType<WishRequest> = [
    { title: '劳动力', render: (_, w) => `${w.laborer.name}（${w.laborer.villageName}）` },
    { title: '现有意愿', render: (_, w) => describe(w.current) },
    { title: '申请改为', render: (_, w) => describe(w.changes) },
    { title: '提交时间', render: (_, w) => new Date(w.createdAt).toLocaleString('zh-CN') },
    {
      title: '操作',
      render: (_, w) => (
        <Space>
          <Button size="small" type="primary" onClick={() => decide(w.id, 'confirm')}>
            核实确认
          </Button>
          <Button size="small" onClick={() => decide(w.id, 'reject')}>
            不予确认
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <>
      <PageHeader title="意愿变更核实" description="劳动者在手机页面修改的就业意愿：电话或入户核实后确认，记入信息卡动态管理台账" />
      {error ? <ErrorAlert error={error} /> : null}
      <Card size="small">
        <Table rowKey="id" size="small" columns={columns} dataSource={data.items} pagination={false} data-testid="wish-requests" />
      </Card>
    </>
  );
}
