import { App, Form, Input, Typography } from 'antd';
import { api } from '../../api/client.ts';
import type { Account } from '../../api/types.ts';
import { ModalForm } from '../../components/list/index.ts';
import { PASSWORD_HINT } from '../../components/passwordRules.ts';

interface Values {
  newPassword: string;
  confirm: string;
}

/** 重置密码: a ModalForm, so one account's typed password never shows in the next account's form. */
export default function ResetPasswordModal({ account, onClose }: { account: Account | null; onClose: () => void }) {
  const { message } = App.useApp();

  const submit = async (values: Values) => {
    if (!account) return;
    await api.post(`/api/v1/accounts/${account.id}/reset-password`, { newPassword: values.newPassword });
    message.success(`已重置“${account.displayName}”的登录密码`);
  };

  return (
    <ModalForm<Values>
      open={account !== null}
      title="重置密码"
      width={520}
      name="reset"
      okText="确认重置"
      okTestId="reset-password-submit"
      errorTestId="reset-password-error"
      fieldErrors={{ byCode: { WEAK_PASSWORD: 'newPassword', PASSWORD_REUSED: 'newPassword' }, fields: ['newPassword'] }}
      formProps={{ autoComplete: 'off' }}
      onSubmit={submit}
      onClose={onClose}
    >
      {account && (
        <Typography.Paragraph type="secondary">
          为账号 <Typography.Text strong>{account.username}</Typography.Text>（{account.displayName}
          ）设置新的登录密码，请通过安全渠道告知使用人。
        </Typography.Paragraph>
      )}
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
    </ModalForm>
  );
}
