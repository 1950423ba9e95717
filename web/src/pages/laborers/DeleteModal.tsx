import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { laborerPath, type Laborer } from '../../api/laborers.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';

/**
 * Deleting (注销) a card, with the reason the ledger keeps: from now on it no longer counts in the
 * register or the statistics; its past — the figures of earlier dates, its jobs, services and
 * subsidies — stays as it was (docs/domain-notes-asof.md §4).
 */
export default function DeleteModal({
  laborer,
  open,
  onClose,
  onDeleted,
}: {
  laborer: Laborer;
  open: boolean;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const close = () => {
    setError(null);
    form.resetFields();
    onClose();
  };

  const submit = async ({ reason }: { reason: string }) => {
    setLoading(true);
    setError(null);
    try {
      await api.del(laborerPath(laborer.id), { reason: reason.trim() });
      form.resetFields();
      onDeleted();
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Modal
      title={`删除 ${laborer.name} 的信息卡`}
      open={open}
      onCancel={close}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <>
          <Button onClick={close}>取消</Button>
          <Button
            danger
            type="primary"
            icon={<DeleteOutlined />}
            loading={loading}
            onClick={() => form.submit()}
            data-testid="delete-submit"
          >
            删除
          </Button>
        </>
      }
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title="删除后该信息卡自今日起不再计入名册和统计"
        description="此前各日期的统计数据、就业记录、服务和补贴记录保持不变；删除及其原因记入动态管理台账和审计日志。"
      />
      <ErrorAlert error={error} testId="delete-error" />
      <Form form={form} layout="vertical" name="delete" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="reason"
          label="删除原因"
          rules={[
            { required: true, whitespace: true, message: '请说明删除原因' },
            {
              validator: (_, v?: string) => (!v || v.trim().length >= 2 ? Promise.resolve() : Promise.reject(new Error('原因至少 2 个字'))),
            },
          ]}
        >
          <Input.TextArea
            autoFocus
            maxLength={200}
            showCount
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder="如：本人已死亡；已迁出本县；经核实不属于建档立卡贫困劳动力"
            data-testid="delete-reason"
          />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        同一人重复登记的，请使用“疑似重复”中的合并，不要删除。
      </Typography.Paragraph>
    </Modal>
  );
}
