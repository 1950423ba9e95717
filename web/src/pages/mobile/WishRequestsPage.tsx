import { useState } from 'react';
import { App, Card } from 'antd';
import type { WishRequest } from '../../../../contracts/mobile.ts';
import { api } from '../../api/client.ts';
import { WISH_REQUESTS_PATH } from '../../api/mobile.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { wishRequestColumns } from './columns.tsx';

/** 意愿变更核实: wishes laborers sent from their phones; confirming writes them into the card's ledger. */
export default function WishRequestsPage() {
  const { message } = App.useApp();
  const list = useListQuery<WishRequest, Record<string, never>>(WISH_REQUESTS_PATH, { filters: {} });
  const [decideError, setDecideError] = useState<unknown>(null);
  const decide = async (id: string, decision: 'confirm' | 'reject') => {
    try {
      await api.post(`${WISH_REQUESTS_PATH}/${id}/${decision}`, {});
      setDecideError(null);
      message.success(decision === 'confirm' ? '已核实，记入信息卡台账' : '已不予确认');
      list.reload();
    } catch (e) {
      setDecideError(e);
    }
  };
  return (
    <>
      <PageHeader title="意愿变更核实" description="劳动者在手机页面修改的就业意愿：电话或入户核实后确认，记入信息卡动态管理台账" />
      <ErrorAlert error={decideError ?? list.error} />
      <Card size="small">
        <ListTable<WishRequest>
          rowKey="id"
          size="small"
          list={list}
          columns={wishRequestColumns(decide)}
          unit="项"
          data-testid="wish-requests"
        />
      </Card>
    </>
  );
}
