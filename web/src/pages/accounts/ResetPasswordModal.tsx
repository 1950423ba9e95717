import { useEffect, useState } from 'react';
import { App, Button, Form, Input, Modal, Typography } from 'antd';
import { api } from '../../api/client.ts';
import type { Account } from '../../api/types.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { applyServerErrors } from '../../components/formErrors.ts';
import { PASSWORD_HINT } from '../../components/passwordRules.ts';

interface Values {
  newPassword: string;
  confirm: string;
}

export default function ResetPasswordModal({ account, onClose }: { account: Account | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => setError(null), [account]);

  const submit = async (values: Values) => {
    if (!account) return;
    setSaving(true);
    setError(null);
    try {
      await api.post(`/api/v1/accounts/${account.id}/reset-password`, { newPassword: values.newPassword });
      message.success(`已重置“${account.displayName}”的登录密码`);
      onClose();
    } catch (e) {
      setError(e);
      applyServerErrors(form, e, { WEAK_PASSWORD: 'newPassword', PASSWORD_REUSED: 'newPassword' }, ['newPassword']);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title="重置密码"
      open={!!account}
      onCancel={onClose}
      destroyOnHidden
      width={520}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button key="ok" type="primary" loading={saving} onClick={() => form.submit()} data-testid="reset-password-submit">
          确认重置
        </Button>,
      ]}
    >
      {account && (
        <Typography.Paragraph type="secondary">
          为账号 <Typography.Text strong>{account.username}</Typography.Text>（{account.displayName}
          ）设置新的登录密码，请通过安全渠道告知使用人。
        </Typography.Paragraph>
      )}
      <ErrorAlert error={error} testId="reset-password-error" />
      <Form<Values> form={form} name="reset" layout="vertical" onFinish={submit} preserve={false} autoComplete="off">
        <Form.Item name="newPassword" label="新密码" extra={PASSWORD_HINT} rules={[{ required: true, message: '请输入新密码' }]}>
          <Input.Password maxLength={128} autoComplete="new-password" data-testid="reset-password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                !v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致')),
            }),
          ]}
        >
          <Input.Password maxLength={128} autoComplete="new-password" data-testid="reset-password-confirm" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
