import { useEffect, useRef, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography, type InputRef } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { ApiError } from '../api/client.ts';
import { useAuth, type LoginLocationState } from '../app/auth.tsx';

interface LoginValues {
  username: string;
  password: string;
  totp?: string;
}

export default function LoginPage() {
  const { me, login, notice: authNotice } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as LoginLocationState;
  const [form] = Form.useForm<LoginValues>();
  const [needTotp, setNeedTotp] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | undefined>(authNotice);

  useEffect(() => setNotice(authNotice), [authNotice]);
  const totpRef = useRef<InputRef>(null);

  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  if (me) return <Navigate to={state.from && state.from !== '/login' ? state.from : '/'} replace />;

  const onFinish = async (values: LoginValues) => {
    setSubmitting(true);
    setError(null);
    setNotice(undefined);
    try {
      const signedIn = await login({
        username: values.username.trim(),
        password: values.password,
        ...(needTotp && values.totp ? { totp: values.totp } : {}),
      });
      if (signedIn)
        navigate(signedIn.totpSetupRequired ? '/profile' : state.from && state.from !== '/login' ? state.from : '/', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'TOTP_REQUIRED') {
        setNeedTotp(true);
        setNotice(e.message);
      } else if (e instanceof ApiError) {
        if (e.code === 'TOTP_INVALID') form.setFieldValue('totp', '');
        if (e.code === 'INVALID_CREDENTIALS') form.setFieldValue('password', '');
        setError(e.message);
      } else {
        setError('登录失败，请稍后再试');
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="lw-login">
      <div className="lw-login-top">
        <img src="/favicon.svg" alt="" width={40} height={40} />
        <div>
          <div style={{ fontSize: 20, fontWeight: 600, letterSpacing: 1 }}>劳务协作脱贫综合信息服务平台</div>
          <div style={{ fontSize: 12, opacity: 0.8, letterSpacing: 0.5 }}>
            Labor Cooperation for Poverty Alleviation · Information Service Platform
          </div>
        </div>
      </div>
      <div className="lw-login-main">
        <div className="lw-login-intro">
          <h1>
            东西部劳务协作
            <br />
            精准对接 · 稳岗就业
          </h1>
          <p>面向县、乡镇、村三级工作人员及驻外劳务对接服务中心，统一管理脱贫劳动力信息、岗位需求与劳务输出对接。</p>
          <div className="lw-login-points">
            <div className="lw-login-point">脱贫劳动力信息台账</div>
            <div className="lw-login-point">岗位信息精准推送</div>
            <div className="lw-login-point">劳务输出跟踪服务</div>
            <div className="lw-login-point">按区划分级授权管理</div>
          </div>
        </div>
        <Card className="lw-login-card" variant="borderless" styles={{ body: { padding: '32px 32px 20px' } }}>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4, textAlign: 'center' }}>
            用户登录
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginBottom: 24 }}>
            请使用本人工作账号登录
          </Typography.Paragraph>
          {notice && !error && <Alert type="info" showIcon title={notice} style={{ marginBottom: 16 }} data-testid="login-notice" />}
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Form<LoginValues> form={form} layout="vertical" size="large" onFinish={onFinish} requiredMark={false} autoComplete="on">
            <Form.Item name="username" label="用户名" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
              <Input
                prefix={<UserOutlined />}
                placeholder="用户名"
                autoComplete="username"
                maxLength={64}
                autoFocus
                readOnly={needTotp}
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password
                prefix={<LockOutlined />}
                placeholder="密码"
                autoComplete="current-password"
                maxLength={128}
                readOnly={needTotp}
                data-testid="login-password"
              />
            </Form.Item>
            {needTotp && (
              <Form.Item
                name="totp"
                label="动态验证码"
                extra="请打开手机上的身份验证器应用，输入显示的 6 位数字"
                rules={[
                  { required: true, message: '请输入动态验证码' },
                  { pattern: /^\d{6}$/, message: '动态验证码为 6 位数字' },
                ]}
              >
                <Input
                  ref={totpRef}
                  autoFocus
                  prefix={<SafetyOutlined />}
                  placeholder="6 位动态验证码"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  data-testid="login-totp"
                />
              </Form.Item>
            )}
            <Form.Item style={{ marginBottom: 8 }}>
              <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
                {needTotp ? '验证并登录' : '登 录'}
              </Button>
            </Form.Item>
            {needTotp && (
              <Button
                type="link"
                block
                onClick={() => {
                  setNeedTotp(false);
                  setNotice(undefined);
                  setError(null);
                  form.setFieldsValue({ password: '', totp: '' });
                }}
              >
                返回重新输入账号密码
              </Button>
            )}
          </Form>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, textAlign: 'center', marginTop: 12, marginBottom: 0 }}>
            连续 5 次密码错误将锁定账号 15 分钟。忘记密码请联系上级管理员重置。
          </Typography.Paragraph>
        </Card>
      </div>
      <div className="lw-login-footer">
        政务内部系统 · 仅限授权工作人员使用 · 所有操作均记录审计日志
        <br />
        建议使用 Chrome、Edge 或国产浏览器极速模式访问
      </div>
    </div>
  );
}
