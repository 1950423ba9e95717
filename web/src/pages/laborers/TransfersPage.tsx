import { useState } from 'react';
import { App, Button, Card, Form, Input, Select, Tabs, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import {
  TRANSFER_DECIDER_ROLES,
  TRANSFER_STATUS,
  TRANSFERS_PATH,
  optionsOf,
  transferPath,
  type TransferRequest,
} from '../../api/laborers.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, ModalForm, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import TransferRequestModal from './TransferRequestModal.tsx';
import { TRANSFER_FILTERS, transferColumns } from './columns.tsx';

/**
 * 迁移申请: incoming — requests for cards this region holds (approve or reject); outgoing — requests
 * this region made to other counties (follow their progress).
 */
export default function TransfersPage() {
  const me = useMe();
  const list = useListQuery<TransferRequest, typeof TRANSFER_FILTERS>(TRANSFERS_PATH, {
    filters: TRANSFER_FILTERS,
    fixed: { direction: 'incoming' },
  });
  const direction = list.filters.direction ?? 'incoming';
  const load = list.reload;
  const [creating, setCreating] = useState(false);
  const [deciding, setDeciding] = useState<{ request: TransferRequest; approve: boolean } | null>(null);
  const canDecideAny = TRANSFER_DECIDER_ROLES.includes(me.role);

  return (
    <>
      <PageHeader
        title="迁移申请"
        description="一人一卡：信息卡由原登记县管理。本人户籍或常住地迁入本辖区时，向原登记县申请迁移；本辖区的信息卡收到的申请，由管理员或乡镇经办员审批。"
        extra={
          <>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="transfer-create">
              申请迁移
            </Button>
            <Button icon={<ReloadOutlined />} onClick={load}>
              刷新
            </Button>
          </>
        }
      />
      <Card variant="borderless">
        <Tabs
          activeKey={direction}
          onChange={(key) => list.setFilters({ direction: key === 'outgoing' ? 'outgoing' : undefined })}
          items={[
            { key: 'incoming', label: <span data-testid="transfer-tab-incoming">收到的申请（本辖区信息卡）</span> },
            { key: 'outgoing', label: <span data-testid="transfer-tab-outgoing">发出的申请（迁入本辖区）</span> },
          ]}
          tabBarExtraContent={
            <Select
              allowClear
              placeholder="全部状态"
              style={{ width: 120 }}
              value={list.filters.status}
              options={optionsOf(TRANSFER_STATUS)}
              onChange={(v) => list.setFilters({ status: v })}
              data-testid="transfer-filter-status"
            />
          }
        />
        <ErrorAlert error={list.error} testId="transfers-error" />
        <ListTable<TransferRequest>
          rowKey="id"
          data-testid="transfers-table"
          list={list}
          columns={transferColumns(direction, canDecideAny ? (request, approve) => setDeciding({ request, approve }) : null)}
          sizeChanger={false}
          scroll={{ x: 1100 }}
          rowTestId={(r) => `transfer-row-${r.id}`}
          locale={{ emptyText: list.loading ? ' ' : direction === 'incoming' ? '暂无本辖区信息卡的迁移申请' : '本辖区尚未发出迁移申请' }}
        />
      </Card>
      <TransferRequestModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          if (direction === 'outgoing') load();
          else list.setFilters({ direction: 'outgoing' });
        }}
      />
      <DecideModal deciding={deciding} onClose={() => setDeciding(null)} onDone={load} />
    </>
  );
}

/** 批准 / 驳回 a request: a new form on each opening, so one request's reason never carries over to the next. */
function DecideModal({
  deciding,
  onClose,
  onDone,
}: {
  deciding: { request: TransferRequest; approve: boolean } | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const request = deciding?.request;
  const approve = deciding?.approve ?? false;
  const name = request?.laborer?.name ?? request?.idNumberMasked;
  return (
    <ModalForm<{ reason?: string }>
      open={deciding !== null}
      name="transfer-decide"
      title={approve ? `批准迁移：${name}` : `驳回迁移申请：${name}`}
      okText={approve ? '批准' : '驳回'}
      danger={!approve}
      okTestId="transfer-decide-submit"
      errorTestId="transfer-decide-error"
      onClose={(saved) => {
        onClose();
        if (saved) onDone();
      }}
      onSubmit={async ({ reason }) => {
        if (!request) return;
        await api.post(`${transferPath(request.id)}/${approve ? 'approve' : 'reject'}`, { reason: reason?.trim() || undefined });
        message.success(approve ? '已批准，信息卡已迁出' : '已驳回');
      }}
    >
      {request && (
        <>
          <Typography.Paragraph>
            {approve
              ? `批准后，该信息卡的户籍所在村将改为 ${request.toVillage.fullName}，由对方管理，本辖区不再显示；变更记入动态管理台账。`
              : `驳回后，${request.requestingRegion.fullName}将看到驳回理由。`}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">申请原因：{request.reason}</Typography.Paragraph>
        </>
      )}
      <Form.Item
        name="reason"
        label={approve ? '审批意见（选填）' : '驳回理由'}
        rules={
          approve
            ? [{ max: 200, message: '不超过 200 个字' }]
            : [
                { required: true, whitespace: true, message: '请填写驳回理由' },
                { min: 2, max: 200, message: '理由为 2 到 200 个字' },
              ]
        }
      >
        <Input.TextArea maxLength={200} showCount autoSize={{ minRows: 2, maxRows: 4 }} data-testid="transfer-decide-reason" />
      </Form.Item>
    </ModalForm>
  );
}
