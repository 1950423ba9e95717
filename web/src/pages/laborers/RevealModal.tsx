import { useState } from 'react';
import { Alert, Button, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { laborerPath, type Laborer, type Reveal } from '../../api/laborers.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';

/**
 * Break the glass: the full ID number and phone, after the user states why. The server writes the
 * reason to the audit log; the clear values live only in this modal and are dropped when it closes.
 */
export default function RevealModal({ laborer, open, onClose }: { laborer: Laborer; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [result, setResult] = useState<Reveal | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const close = () => {
    setResult(null);
    setError(null);
    form.resetFields();
    onClose();
  };

  const submit = async ({ reason }: { reason: string }) => {
    setLoading(true);
    setError(null);
    try {
      setResult(await api.post<Reveal>(`${laborerPath(laborer.id)}/reveal`, { reason: reason.trim() }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Modal
      title={`查看 ${laborer.name} 的完整证件号`}
      open={open}
      onCancel={close}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        result ? (
          <Button type="primary" onClick={close} data-testid="reveal-close">
            关闭
          </Button>
        ) : (
          <>
            <Button onClick={close}>取消</Button>
            <Button type="primary" icon={<EyeOutlined />} loading={loading} onClick={() => form.submit()} data-testid="reveal-submit">
              查看
            </Button>
          </>
        )
      }
    >
      {result ? (
        <div data-testid="reveal-result">
          <Descriptions
            column={1}
            bordered
            size="small"
            style={{ marginBottom: 16 }}
            items={[
              {
                key: 'id',
                label: '身份证号',
                children: (
                  <Typography.Text className="lw-mono" copyable data-testid="reveal-id-number">
                    {result.idNumber}
                  </Typography.Text>
                ),
              },
              {
                key: 'birthDate',
                label: '出生日期',
                children: (
                  <span className="lw-mono" data-testid="reveal-birth-date">
                    {result.birthDate}
                  </span>
                ),
              },
              {
                key: 'phone',
                label: '手机号',
                children: result.phone ? (
                  <Typography.Text className="lw-mono" copyable data-testid="reveal-phone">
                    {result.phone}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary">未登记</Typography.Text>
                ),
              },
            ]}
          />
          <Alert
            type="warning"
            showIcon
            title="本次查看已记入审计日志"
            description="请勿截图、抄录或向无关人员透露完整证件号、出生日期和手机号。"
          />
        </div>
      ) : (
        <>
          <Typography.Paragraph type="secondary">
            完整的身份证号（含出生日期）和手机号属于个人敏感信息，仅在办理业务确有需要时查看。请说明事由，查看记录（含事由）将写入审计日志。
          </Typography.Paragraph>
          <ErrorAlert error={error} testId="reveal-error" />
          <Form form={form} layout="vertical" name="reveal" onFinish={submit} requiredMark={false}>
            <Form.Item
              name="reason"
              label="查看事由"
              rules={[
                { required: true, whitespace: true, message: '请说明查看事由' },
                {
                  validator: (_, v?: string) =>
                    !v || v.trim().length >= 4 ? Promise.resolve() : Promise.reject(new Error('事由至少 4 个字')),
                },
              ]}
            >
              <Input.TextArea
                autoFocus
                maxLength={200}
                showCount
                autoSize={{ minRows: 2, maxRows: 4 }}
                placeholder="如：为其办理社保补贴申报，需核对证件号"
                data-testid="reveal-reason"
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
