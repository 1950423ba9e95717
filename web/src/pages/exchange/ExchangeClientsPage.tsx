import { useState } from 'react';
import { Alert, App, Button, Checkbox, Flex, Form, Input, Modal, Table, Typography } from 'antd';
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
import { ModalForm } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { exchangeClientColumns } from './columns.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import { useApiData } from '../../components/useApiData.ts';

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
  const [created, setCreated] = useState<CreatedExchangeClient | null>(null);

  const submit = async (values: FormValues) => {
    const answer = await api.post<CreatedExchangeClient>(EXCHANGE_CLIENTS_PATH, { ...values, note: values.note || undefined });
    setCreated(answer);
    reload();
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
        columns={exchangeClientColumns(province, revoke)}
        dataSource={data?.items ?? []}
        loading={loading}
        pagination={false}
      />

      <ModalForm<FormValues>
        open={creating}
        title="登记接入系统"
        okText="登记"
        okTestId="exchange-create-submit"
        initialValues={{ regionCode: me.region.code, kinds: EXCHANGE_KIND.codes }}
        onSubmit={submit}
        onClose={() => setCreating(false)}
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
      </ModalForm>

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
