import { useState } from 'react';
import { App, Button, Card } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, errorText } from '../api/client.ts';
import type { Account } from '../api/types.ts';
import { useMe } from '../app/auth.tsx';
import ErrorAlert from '../components/ErrorAlert.tsx';
import { FilterBar, ListTable, useListQuery } from '../components/list/index.ts';
import PageHeader from '../components/PageHeader.tsx';
import { ACCOUNT_FILTERS, accountColumns, accountFilterFields } from './accounts/columns.tsx';
import CreateAccountModal from './accounts/CreateAccountModal.tsx';
import ResetPasswordModal from './accounts/ResetPasswordModal.tsx';

export default function AccountsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const list = useListQuery<Account, typeof ACCOUNT_FILTERS>('/api/v1/accounts', { filters: ACCOUNT_FILTERS });
  const load = list.reload;
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<Account | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const setStatus = async (account: Account, status: 'active' | 'disabled') => {
    setBusyId(account.id);
    try {
      await api.patch<Account>(`/api/v1/accounts/${account.id}`, { status });
      message.success(status === 'disabled' ? `已停用账号“${account.username}”` : `已启用账号“${account.username}”`);
      await load();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <>
      <PageHeader
        title="账号管理"
        description={`管理${me.region.fullName}及下级区划的工作人员账号`}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="account-create">
            新建账号
          </Button>
        }
      />
      <Card variant="borderless">
        <FilterBar name="filter" list={list} fields={accountFilterFields(me.region)} />
        <ErrorAlert error={list.error} testId="accounts-error" />
        <ListTable<Account>
          rowKey="id"
          data-testid="accounts-table"
          list={list}
          columns={accountColumns(me, { setStatus, reset: setResetting, busyId })}
          unit="个账号"
          scroll={{ x: 1280 }}
          rowTestId={(a) => `account-row-${a.username}`}
          locale={{ emptyText: list.loading ? ' ' : '暂无符合条件的账号' }}
        />
      </Card>

      <CreateAccountModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          if (list.page !== 1) list.change({ page: 1 });
          else load();
        }}
      />
      <ResetPasswordModal account={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
