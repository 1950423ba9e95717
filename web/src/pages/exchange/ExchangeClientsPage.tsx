import { useState } from 'react';
import { Alert, App, Button, Checkbox, Flex, Form, Input, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, errorText } from '../../api/client.ts';
import {
  EXCHANGE_CLIENTS_PATH,
  EXCHANGE_KIND,
  type CreatedExchangeClient,
  type ExchangeClient,
  type ExchangeClientList,
  type ExchangeKind,
} from '../../api/exchange.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { useApiData } from '../../components/useApiData.ts';

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

interface FormValues {
  name: string;
  regionCode: string;
  kinds: ExchangeKind[];
  note?: string;
}

/**
 * 数据交换接入系统: the systems of the level above and of other departments that read the change
 * feed (docs/exchange.md). A province admin registers one (its secret shown once), revokes it, and
 * sees when each last read; admins below see the systems reading their region.
 */
export default function ExchangeClientsPage() {
  const me = useMe();
  const { message } = App.useApp();
  const province = me.role === 'admin' && me.region.code.length === 2;
  const { data, error, loading, reload } = useApiData<ExchangeClientList>(EXCHANGE_CLIENTS_PATH);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<CreatedExchangeClient | null>(null);
  const [form] = Form.useForm<FormValues>();

  const submit = async (values: FormValues) => {
    setSaving(true);
    try {
      const answer = await api.post<CreatedExchangeClient>(EXCHANGE_CLIENTS_PATH, { ...values, note: values.note || undefined });
      setCreating(false);
      form.resetFields();
      setCreated(answer);
      reload();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const revoke = async (client: ExchangeClient) => {
    try {
      await api.post(`${EXCHANGE_CLIENTS_PATH}/${client.id}/revoke`);
      message.success(`已吊销「${client.name}」的密钥`);
      reload();
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns: TableColumnsType<ExchangeClient> = [
    { title: '系统名称', dataIndex: 'name' },
    { title: '密钥标识', dataIndex: 'keyId', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: '可读区划', dataIndex: 'regionName' },
    {
      title: '可读数据',
      dataIndex: 'kinds',
      render: (kinds: ExchangeKind[]) => kinds.map((k) => <Tag key={k}>{EXCHANGE_KIND.labels[k]}</Tag>),
    },
    { title: '登记人', dataIndex: 'createdBy' },
    { title: '登记时间', dataIndex: 'createdAt', render: time },
    {
      title: '最近读取',
      dataIndex: 'lastReadAt',
      render: (v: string | null, r) => (v ? `${time(v)}（游标 ${r.lastCursor}）` : '尚未读取'),
    },
    {
      title: '状态',
      dataIndex: 'revokedAt',
      render: (v: string | null) => (v ? <Tag color="red">已吊销 {time(v)}</Tag> : <Tag color="green">有效</Tag>),
    },
    ...(province
      ? [
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, r: ExchangeClient) =>
              r.revokedAt ? null : (
                <Popconfirm
                  title={`吊销「${r.name}」的密钥？`}
                  description="吊销后该系统立即无法读取数据，且不能恢复；如需继续接入，请重新登记。"
                  okText="吊销"
                  okButtonProps={{ danger: true, 'data-testid': 'exchange-revoke-confirm' }}
                  cancelText="取消"
                  onConfirm={() => revoke(r)}
                >
                  <Button size="small" danger data-testid={`exchange-revoke-${r.id}`}>
                    吊销密钥
                  </Button>
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title="数据交换接入系统"
        description="上级平台和其他部门的系统凭各自的密钥增量读取本辖区的信息卡、就业、服务和补贴变更（接口说明见 docs/exchange.md）"
        extra={
          province && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="exchange-create">
              登记接入系统
            </Button>
          )
        }
      />
      <ErrorAlert error={error} />
      <Table<ExchangeClient>
        data-testid="exchange-clients"
        rowKey="id"
        onRow={(r) => ({ 'data-testid': `exchange-client-${r.id}` }) as object}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        pagination={false}
      />

      <Modal
        title="登记接入系统"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        confirmLoading={saving}
        okButtonProps={{ 'data-testid': 'exchange-create-submit' }}
        okText="登记"
        destroyOnHidden
      >
        <Form<FormValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ regionCode: me.region.code, kinds: EXCHANGE_KIND.codes }}
        >
          <Form.Item name="name" label="系统名称" rules={[{ required: true, min: 2, max: 60, message: '请输入 2–60 个字的系统名称' }]}>
            <Input placeholder="如：国家防返贫监测信息系统" data-testid="exchange-name" />
          </Form.Item>
          <Form.Item name="regionCode" label="可读区划（该区划及以下）" rules={[{ required: true, message: '请选择区划' }]}>
            <RegionCascader rootCode={me.region.code} maxLevel="county" changeOnSelect />
          </Form.Item>
          <Form.Item name="kinds" label="可读数据" rules={[{ required: true, type: 'array', min: 1, message: '至少选择一类数据' }]}>
            <Checkbox.Group options={EXCHANGE_KIND.codes.map((k) => ({ value: k, label: EXCHANGE_KIND.labels[k] }))} />
          </Form.Item>
          <Form.Item name="note" label="备注" rules={[{ max: 200 }]}>
            <Input.TextArea rows={2} placeholder="对接单位、联系人等" />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title="接入系统已登记"
        open={created !== null}
        onOk={() => setCreated(null)}
        onCancel={() => setCreated(null)}
        okText="我已妥善保存密钥"
        okButtonProps={{ 'data-testid': 'exchange-secret-saved' }}
        cancelButtonProps={{ style: { display: 'none' } }}
        maskClosable={false}
        closable={false}
      >
        {created && (
          <Flex vertical gap={8}>
            <Alert
              type="warning"
              showIcon
              title="密钥只显示这一次，平台不保存密钥本身，关闭后无法再次查看。请立即复制并通过安全渠道交给对接单位。"
            />
            <div>
              密钥标识：
              <Typography.Text code copyable>
                {created.client.keyId}
              </Typography.Text>
            </div>
            <div>
              请求头（Authorization）：
              <Typography.Paragraph code copyable data-testid="exchange-authorization" style={{ wordBreak: 'break-all' }}>
                {created.authorization}
              </Typography.Paragraph>
            </div>
          </Flex>
        )}
      </Modal>
    </>
  );
}
