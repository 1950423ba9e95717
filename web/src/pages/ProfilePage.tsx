import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Form, Input, QRCode, Row, Steps, Tag, Typography } from 'antd';
import { CheckCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import { api } from '../api/client.ts';
import { LEVEL_LABELS } from '../api/labels.ts';
import type { TotpSetup } from '../api/types.ts';
import { useAuth, useMe } from '../app/auth.tsx';
import ErrorAlert from '../components/ErrorAlert.tsx';
import PageHeader from '../components/PageHeader.tsx';
import RoleTag from '../components/RoleTag.tsx';
import { applyServerErrors } from '../components/formErrors.ts';
import { PASSWORD_HINT } from '../components/passwordRules.ts';

const PASSWORD_CHANGED_NOTICE = '密码已修改，请重新登录';

export default function ProfilePage() {
  const me = useMe();
  return (
    <>
      <PageHeader title="个人设置" description="查看本人账号信息，修改登录密码，管理动态验证码（双因素认证）" />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title="账号信息" variant="borderless" style={{ marginBottom: 16 }}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'u', label: '用户名', children: <span className="lw-mono">{me.username}</span> },
                { key: 'n', label: '姓名 / 单位', children: me.displayName },
                { key: 'r', label: '角色', children: <RoleTag role={me.role} /> },
                { key: 'g', label: '所属区划', children: `${me.region.fullName}（${LEVEL_LABELS[me.region.level]}级，${me.region.code}）` },
                ...(me.hostRegion ? [{ key: 'h', label: '对接城市', children: me.hostRegion.fullName }] : []),
              ]}
            />
          </Card>
          <TotpCard />
        </Col>
        <Col xs={24} xl={12}>
          <ChangePasswordCard />
        </Col>
      </Row>
    </>
  );
}

interface PasswordValues {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

function ChangePasswordCard() {
  const { clear } = useAuth();
  const [form] = Form.useForm<PasswordValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (v: PasswordValues) => {
    setSaving(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/password', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      clear(PASSWORD_CHANGED_NOTICE);
    } catch (e) {
      setError(e);
      applyServerErrors(form, e, { INVALID_CREDENTIALS: 'oldPassword', WEAK_PASSWORD: 'newPassword', PASSWORD_REUSED: 'newPassword' }, [
        'oldPassword',
        'newPassword',
      ]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title="修改密码" variant="borderless">
      <ErrorAlert error={error} testId="change-password-error" />
      <Form<PasswordValues>
        form={form}
        name="changePassword"
        layout="vertical"
        onFinish={submit}
        autoComplete="off"
        style={{ maxWidth: 420 }}
      >
        <Form.Item name="oldPassword" label="原密码" rules={[{ required: true, message: '请输入原密码' }]}>
          <Input.Password maxLength={128} autoComplete="current-password" data-testid="change-password-old" />
        </Form.Item>
        <Form.Item name="newPassword" label="新密码" extra={PASSWORD_HINT} rules={[{ required: true, message: '请输入新密码' }]}>
          <Input.Password maxLength={128} autoComplete="new-password" data-testid="change-password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, val) =>
                !val || val === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致')),
            }),
          ]}
        >
          <Input.Password maxLength={128} autoComplete="new-password" data-testid="change-password-confirm" />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          修改成功后当前登录将失效，需使用新密码重新登录。
        </Typography.Paragraph>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="change-password-submit">
          修改密码
        </Button>
      </Form>
    </Card>
  );
}

/** Formats a base32 secret in groups of four for reading aloud / typing. */
const groupSecret = (s: string) => s.replace(/(.{4})/g, '$1 ').trim();

function TotpCard() {
  const me = useMe();
  const { refresh } = useAuth();
  const { message } = App.useApp();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [enableForm] = Form.useForm<{ code: string }>();
  const [disableForm] = Form.useForm<{ password: string; code: string }>();

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setSetup(await api.post<TotpSetup>('/api/v1/auth/totp/setup'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const enable = async ({ code }: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/totp/enable', { code });
      setSetup(null);
      message.success('动态验证码已绑定，以后登录需输入动态验证码');
      await refresh();
    } catch (e) {
      setError(e);
      applyServerErrors(enableForm, e, { TOTP_INVALID: 'code' }, ['code']);
    } finally {
      setBusy(false);
    }
  };

  const disable = async ({ password, code }: { password: string; code: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/auth/totp/disable', { password, code });
      disableForm.resetFields();
      message.success('动态验证码已解绑');
      await refresh();
    } catch (e) {
      setError(e);
      applyServerErrors(disableForm, e, { INVALID_CREDENTIALS: 'password', TOTP_INVALID: 'code', TOTP_REPLAYED: 'code' }, [
        'password',
        'code',
      ]);
    } finally {
      setBusy(false);
    }
  };

  const title = (
    <Flex align="center" gap={8}>
      <SafetyCertificateOutlined />
      动态验证码（双因素认证）
      {me.totpEnabled ? (
        <Tag color="success" data-testid="totp-status">
          已绑定
        </Tag>
      ) : (
        <Tag data-testid="totp-status">未绑定</Tag>
      )}
    </Flex>
  );

  if (me.totpEnabled) {
    return (
      <Card title={title} variant="borderless">
        <Alert
          type="success"
          showIcon
          icon={<CheckCircleFilled />}
          style={{ marginBottom: 16 }}
          title="已启用双因素认证"
          description="登录时除密码外，还需输入手机身份验证器应用中显示的 6 位动态验证码。"
        />
        <ErrorAlert error={error} testId="totp-error" />
        <Typography.Paragraph type="secondary">如更换手机，请先输入登录密码和当前的动态验证码解绑，再重新绑定。</Typography.Paragraph>
        <Form form={disableForm} name="totpDisable" layout="vertical" onFinish={disable} style={{ maxWidth: 420 }} autoComplete="off">
          <Form.Item name="password" label="登录密码" rules={[{ required: true, message: '请输入登录密码' }]}>
            <Input.Password maxLength={128} autoComplete="current-password" data-testid="totp-disable-password" />
          </Form.Item>
          <Form.Item
            name="code"
            label="当前动态验证码"
            rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入验证器中显示的 6 位数字' }]}
          >
            <Input maxLength={6} inputMode="numeric" autoComplete="one-time-code" style={{ width: 200 }} data-testid="totp-disable-code" />
          </Form.Item>
          <Button danger htmlType="submit" loading={busy} data-testid="totp-disable">
            解绑动态验证码
          </Button>
        </Form>
      </Card>
    );
  }

  return (
    <Card title={title} variant="borderless" data-testid="totp-card">
      <Typography.Paragraph type="secondary">
        绑定后，登录时除密码外还需输入手机身份验证器应用（如 Google Authenticator、Microsoft Authenticator、腾讯身份验证器等）生成的 6
        位动态验证码。
      </Typography.Paragraph>
      <Steps
        size="small"
        current={setup ? 1 : 0}
        style={{ marginBottom: 20 }}
        items={[{ title: '生成密钥' }, { title: '添加到验证器' }, { title: '输入验证码完成绑定' }]}
      />
      <ErrorAlert error={error} testId="totp-error" />
      {!setup ? (
        <Button type="primary" onClick={start} loading={busy} data-testid="totp-setup">
          开始绑定
        </Button>
      ) : (
        <Flex gap={24} wrap align="flex-start">
          <QRCode value={setup.otpauthUrl} size={176} bordered data-testid="totp-qrcode" />
          <div style={{ flex: 1, minWidth: 260 }}>
            <Typography.Paragraph style={{ marginBottom: 6 }}>用验证器应用扫描左侧二维码，或手动输入以下密钥：</Typography.Paragraph>
            <Typography.Paragraph
              copyable={{ text: setup.secret }}
              className="lw-mono lw-secret"
              data-testid="totp-secret"
              style={{ marginBottom: 12 }}
            >
              {groupSecret(setup.secret)}
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>
              绑定链接（otpauth）：
            </Typography.Paragraph>
            <Typography.Paragraph
              copyable
              className="lw-mono"
              style={{ fontSize: 12, wordBreak: 'break-all', marginBottom: 16 }}
              data-testid="totp-otpauth-url"
            >
              {setup.otpauthUrl}
            </Typography.Paragraph>
            <Form form={enableForm} name="totpEnable" layout="vertical" onFinish={enable} autoComplete="off">
              <Form.Item
                name="code"
                label="验证器中显示的 6 位动态验证码"
                rules={[
                  { required: true, message: '请输入动态验证码' },
                  { pattern: /^\d{6}$/, message: '动态验证码为 6 位数字' },
                ]}
              >
                <Input maxLength={6} inputMode="numeric" autoComplete="one-time-code" style={{ width: 200 }} data-testid="totp-code" />
              </Form.Item>
              <Flex gap={8}>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="totp-enable">
                  完成绑定
                </Button>
                <Button onClick={() => setSetup(null)} disabled={busy}>
                  取消
                </Button>
              </Flex>
            </Form>
          </div>
        </Flex>
      )}
    </Card>
  );
}
