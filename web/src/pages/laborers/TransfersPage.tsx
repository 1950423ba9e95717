import { useCallback, useEffect, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined, CloseOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api } from '../../api/client.ts';
import {
  TRANSFER_DECIDER_ROLES,
  TRANSFER_STATUS,
  TRANSFER_STATUS_COLORS,
  TRANSFERS_PATH,
  labelOf,
  optionsOf,
  transferPath,
  type TransferRequest,
} from '../../api/laborers.ts';
import type { Paged } from '../../api/types.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import TransferRequestModal from './TransferRequestModal.tsx';
import PlaceName from '../../components/PlaceName.tsx';

type Direction = 'incoming' | 'outgoing';
const PAGE_SIZE = 20;

/**
 * 迁移申请: incoming — requests for cards this region holds (approve or reject); outgoing — requests
 * this region made to other counties (follow their progress).
 */
export default function TransfersPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const direction: Direction = params.get('direction') === 'outgoing' ? 'outgoing' : 'incoming';
  const status = params.get('status') ?? undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [data, setData] = useState<Paged<TransferRequest>>({ items: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [deciding, setDeciding] = useState<{ request: TransferRequest; approve: boolean } | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<Paged<TransferRequest>>(TRANSFERS_PATH, { direction, status, page, pageSize: PAGE_SIZE }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [direction, status, page]);

  useEffect(() => {
    load();
  }, [load]);

  const update = (patch: Record<string, string | undefined>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        if (!('page' in patch)) next.delete('page');
        return next;
      },
      { replace: true },
    );

  const canDecideAny = TRANSFER_DECIDER_ROLES.includes(me.role);
  const columns: TableColumnsType<TransferRequest> = [
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (v: string) => (
        <Tag color={TRANSFER_STATUS_COLORS[v] ?? 'default'} data-testid="transfer-status">
          {labelOf(TRANSFER_STATUS, v)}
        </Tag>
      ),
    },
    {
      title: '劳动力',
      key: 'laborer',
      width: 200,
      render: (_: unknown, r) =>
        r.laborer ? (
          <Space orientation="vertical" size={0}>
            <Link to={`/laborers/${r.laborer.id}`} data-testid="transfer-laborer">
              {r.laborer.name}
            </Link>
            <Typography.Text type="secondary" className="lw-mono">
              {r.idNumberMasked}
            </Typography.Text>
          </Space>
        ) : (
          <Tooltip title="信息卡不在本辖区，只显示申请时填写的身份证号（脱敏）">
            <Typography.Text className="lw-mono">{r.idNumberMasked}</Typography.Text>
          </Tooltip>
        ),
    },
    direction === 'incoming'
      ? {
          title: '现户籍村',
          key: 'from',
          ellipsis: true,
          render: (_: unknown, r) => r.fromVillage?.fullName ?? r.holdingCounty.fullName,
        }
      : {
          title: '信息卡所在县',
          key: 'county',
          ellipsis: true,
          render: (_: unknown, r) => r.holdingCounty.fullName,
        },
    { title: '迁入村', key: 'to', render: (_: unknown, r) => <PlaceName fullName={r.toVillage.fullName} code={r.toVillage.code} /> },
    {
      title: '申请',
      key: 'requested',
      width: 220,
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <span>{r.reason}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.requestingRegion.fullName} · {r.requestedBy.displayName} · {dayjs(r.requestedAt).format('YYYY-MM-DD HH:mm')}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: '审批',
      key: 'decided',
      width: 200,
      render: (_: unknown, r) =>
        r.decidedAt ? (
          <Space orientation="vertical" size={0}>
            <span>{r.decisionReason ?? '—'}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.decidedBy?.displayName} · {dayjs(r.decidedAt).format('YYYY-MM-DD HH:mm')}
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">{direction === 'incoming' ? '待本辖区审批' : '待原登记县审批'}</Typography.Text>
        ),
    },
  ];
  if (direction === 'incoming' && canDecideAny) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 140,
      fixed: 'right',
      render: (_: unknown, r) =>
        r.canDecide ? (
          <Space>
            <Button
              size="small"
              type="primary"
              icon={<CheckOutlined />}
              onClick={() => setDeciding({ request: r, approve: true })}
              data-testid="transfer-approve"
            >
              批准
            </Button>
            <Button
              size="small"
              danger
              icon={<CloseOutlined />}
              onClick={() => setDeciding({ request: r, approve: false })}
              data-testid="transfer-reject"
            >
              驳回
            </Button>
          </Space>
        ) : null,
    });
  }

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
          onChange={(key) => update({ direction: key === 'outgoing' ? 'outgoing' : undefined })}
          items={[
            { key: 'incoming', label: <span data-testid="transfer-tab-incoming">收到的申请（本辖区信息卡）</span> },
            { key: 'outgoing', label: <span data-testid="transfer-tab-outgoing">发出的申请（迁入本辖区）</span> },
          ]}
          tabBarExtraContent={
            <Select
              allowClear
              placeholder="全部状态"
              style={{ width: 120 }}
              value={status}
              options={optionsOf(TRANSFER_STATUS)}
              onChange={(v) => update({ status: v })}
              data-testid="transfer-filter-status"
            />
          }
        />
        <ErrorAlert error={error} testId="transfers-error" />
        <Table<TransferRequest>
          rowKey="id"
          size="middle"
          data-testid="transfers-table"
          columns={columns}
          dataSource={data.items}
          loading={loading}
          scroll={{ x: 1100 }}
          onRow={(r) => ({ 'data-testid': `transfer-row-${r.id}` }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data.total,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 条`,
            onChange: (p) => update({ page: p === 1 ? undefined : String(p) }),
          }}
          locale={{ emptyText: loading ? ' ' : direction === 'incoming' ? '暂无本辖区信息卡的迁移申请' : '本辖区尚未发出迁移申请' }}
        />
      </Card>
      <TransferRequestModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={() => {
          if (direction === 'outgoing') load();
          else update({ direction: 'outgoing' });
        }}
      />
      {deciding && <DecideModal request={deciding.request} approve={deciding.approve} onClose={() => setDeciding(null)} onDone={load} />}
    </>
  );
}

function DecideModal({
  request,
  approve,
  onClose,
  onDone,
}: {
  request: TransferRequest;
  approve: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason?: string }>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const submit = async ({ reason }: { reason?: string }) => {
    setLoading(true);
    setError(null);
    try {
      await api.post(`${transferPath(request.id)}/${approve ? 'approve' : 'reject'}`, { reason: reason?.trim() || undefined });
      message.success(approve ? '已批准，信息卡已迁出' : '已驳回');
      onClose();
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  const name = request.laborer?.name ?? request.idNumberMasked;
  return (
    <Modal
      open
      title={approve ? `批准迁移：${name}` : `驳回迁移申请：${name}`}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" danger={!approve} loading={loading} onClick={() => form.submit()} data-testid="transfer-decide-submit">
            {approve ? '批准' : '驳回'}
          </Button>
        </>
      }
    >
      <Typography.Paragraph>
        {approve
          ? `批准后，该信息卡的户籍所在村将改为 ${request.toVillage.fullName}，由对方管理，本辖区不再显示；变更记入动态管理台账。`
          : `驳回后，${request.requestingRegion.fullName}将看到驳回理由。`}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">申请原因：{request.reason}</Typography.Paragraph>
      <ErrorAlert error={error} testId="transfer-decide-error" />
      <Form form={form} layout="vertical" name="transfer-decide" onFinish={submit} requiredMark={false}>
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
      </Form>
    </Modal>
  );
}
