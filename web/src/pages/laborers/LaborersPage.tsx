import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Input, Modal, Typography } from 'antd';
import { CheckSquareOutlined, CloudUploadOutlined, HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import ExportButton from '../../components/ExportButton.tsx';
import { CONFIRM_ROLES, LABORERS_PATH, registerTitle, rememberListSearch, type Laborer } from '../../api/laborers.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { FilterBar, ListTable, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import RegisterPrint from './RegisterPrint.tsx';
import { REGISTER_FILTERS, REGISTER_SORTS, registerColumns, registerFilterFields } from './columns.tsx';

/** 劳动力名册: the register's list (filters, page and order in the URL), its export and print, and quarterly confirmation in one batch. */
export default function LaborersPage() {
  const me = useMe();
  const list = useListQuery<Laborer, typeof REGISTER_FILTERS, (typeof REGISTER_SORTS)[number]>(LABORERS_PATH, {
    filters: REGISTER_FILTERS,
    sorts: REGISTER_SORTS,
  });
  const { filters } = list;
  const [params] = useSearchParams();
  useEffect(() => rememberListSearch(params.toString() ? `?${params.toString()}` : ''), [params]);
  const canBatchConfirm = CONFIRM_ROLES.includes(me.role) && !filters.asOf;
  // Quarterly confirmation in one batch (village officers, current state only): the cards ticked on this page.
  const { message } = App.useApp();
  const [selected, setSelected] = useState<string[]>([]);
  const [batchOpen, setBatchOpen] = useState(false);
  const [batchReason, setBatchReason] = useState('入户核实，无变化');
  const [batchSaving, setBatchSaving] = useState(false);
  const title = registerTitle(me.region.level);

  return (
    <>
      <PageHeader
        title={<span data-testid="laborers-title">{`${title} · ${me.region.name}劳动力名册`}</span>}
        description={`${me.region.fullName}的劳动力信息卡（一人一卡），证件号、手机号均已脱敏显示`}
        extra={
          <>
            {canBatchConfirm && (
              <Button
                icon={<CheckSquareOutlined />}
                disabled={!selected.length}
                onClick={() => setBatchOpen(true)}
                data-testid="laborer-batch-confirm"
              >
                批量核实{selected.length ? `（${selected.length}）` : ''}
              </Button>
            )}
            <Link to="/laborers/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="laborer-create">
                新建信息卡
              </Button>
            </Link>
            <ExportButton path={`${LABORERS_PATH}/export`} query={list.query} testId="laborer-export" />
            <RegisterPrint query={list.query} regionName={me.region.fullName} printedBy={`${me.displayName}（${me.username}）`} />
            <Link to="/laborers/import">
              <Button icon={<CloudUploadOutlined />} data-testid="laborer-import">
                批量导入
              </Button>
            </Link>
          </>
        }
      />
      <Card variant="borderless">
        <FilterBar name="laborer-filter" list={list} fields={registerFilterFields(me.region)} />
        {filters.asOf && (
          <Alert
            type="info"
            showIcon
            icon={<HistoryOutlined />}
            style={{ marginBottom: 16 }}
            data-testid="laborer-asof-alert"
            title={`显示 ${filters.asOf} 当日结束时的状态`}
            description="名册中的信息卡内容为该日结束时的版本；年龄按该日计算。清除“查看历史”日期即回到当前状态。"
            closable={{ onClose: () => list.setFilters({ asOf: undefined }) }}
          />
        )}
        <ErrorAlert error={list.error} testId="laborers-error" />
        <ListTable<Laborer>
          rowKey="id"
          data-testid="laborers-table"
          list={list}
          columns={registerColumns(me.region)}
          unit="人"
          scroll={{ x: 1420 }}
          rowTestId={(l) => `laborer-row-${l.id}`}
          rowSelection={
            canBatchConfirm
              ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), preserveSelectedRowKeys: true }
              : undefined
          }
          locale={{
            emptyText: list.loading ? ' ' : list.hasFilters ? '暂无符合条件的劳动力' : '尚未登记劳动力信息，可新建信息卡或批量导入',
          }}
        />
      </Card>
      <Modal
        open={batchOpen}
        title={`本季度核实 ${selected.length} 张信息卡`}
        okText="确认核实"
        confirmLoading={batchSaving}
        okButtonProps={{ disabled: batchReason.trim().length < 2, 'data-testid': 'batch-confirm-submit' } as never}
        onCancel={() => setBatchOpen(false)}
        onOk={async () => {
          setBatchSaving(true);
          try {
            const r = await api.post<{ confirmed: number; alreadyConfirmed: number }>(`${LABORERS_PATH}/confirmations`, {
              ids: selected,
              reason: batchReason.trim(),
            });
            message.success(`已核实 ${r.confirmed} 张${r.alreadyConfirmed ? `，${r.alreadyConfirmed} 张本季度此前已核实` : ''}`);
            setSelected([]);
            setBatchOpen(false);
            list.reload();
          } catch (e) {
            message.error(e instanceof Error ? e.message : '批量核实失败');
          } finally {
            setBatchSaving(false);
          }
        }}
      >
        <Typography.Paragraph>所选信息卡将记为本季度已核实（有无变化均可），每张卡各记一条审计记录。</Typography.Paragraph>
        <Input.TextArea
          value={batchReason}
          maxLength={200}
          onChange={(e) => setBatchReason(e.target.value)}
          placeholder="核实说明"
          data-testid="batch-confirm-reason"
        />
      </Modal>
    </>
  );
}
