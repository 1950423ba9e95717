import { Link } from 'react-router-dom';
import { Alert, Card, Col, Descriptions, Flex, Row, Tag, Typography } from 'antd';
import { EnvironmentOutlined, RightOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useMe } from '../app/auth.tsx';
import { menuFor } from '../app/menu.tsx';
import { LEVEL_LABELS } from '../api/labels.ts';
import RoleTag from '../components/RoleTag.tsx';
import Workbench from './Workbench.tsx';
import { chinaNow } from '../app/format.ts';

function greeting(): string {
  const h = chinaNow().hour();
  if (h < 6) return '夜深了';
  if (h < 11) return '上午好';
  if (h < 13) return '中午好';
  if (h < 18) return '下午好';
  return '晚上好';
}

export default function DashboardPage() {
  const me = useMe();
  const shortcuts = menuFor(me).filter((m) => m.path !== '/');

  return (
    <>
      <Card variant="borderless" style={{ marginBottom: 16 }} data-testid="welcome-card">
        <Flex justify="space-between" align="flex-start" wrap gap={16}>
          <div>
            <Typography.Title level={4} style={{ marginTop: 0, marginBottom: 8 }}>
              {greeting()}，{me.displayName}
            </Typography.Title>
            <Typography.Text type="secondary">
              {chinaNow().format('YYYY年M月D日 dddd')} · 欢迎使用劳务协作脱贫综合信息服务平台
            </Typography.Text>
          </div>
          <Tag icon={<EnvironmentOutlined />} color="red" style={{ fontSize: 14, padding: '4px 10px' }}>
            {me.region.fullName}
          </Tag>
        </Flex>
        <Descriptions
          style={{ marginTop: 20 }}
          column={{ xs: 1, sm: 2, lg: 4 }}
          size="small"
          items={[
            { key: 'username', label: '用户名', children: me.username },
            { key: 'role', label: '角色', children: <RoleTag role={me.role} /> },
            {
              key: 'region',
              label: '所属区划',
              children: (
                <span>
                  {me.region.fullName}
                  <Typography.Text type="secondary">（{LEVEL_LABELS[me.region.level]}级）</Typography.Text>
                </span>
              ),
            },
            ...(me.hostRegion ? [{ key: 'host', label: '对接城市', children: me.hostRegion.fullName }] : []),
            {
              key: 'totp',
              label: '动态验证码',
              children: me.totpEnabled ? <Tag color="success">已绑定</Tag> : <Tag>未绑定</Tag>,
            },
          ]}
        />
      </Card>

      {!me.totpEnabled && (
        <Alert
          type="info"
          showIcon
          icon={<SafetyCertificateOutlined />}
          style={{ marginBottom: 16 }}
          title="建议绑定动态验证码"
          description={
            <span>
              绑定后登录需同时输入密码和手机身份验证器生成的 6 位动态验证码，可有效防止密码泄露导致的账号盗用。
              <Link to="/profile">前往个人设置绑定</Link>
            </span>
          }
        />
      )}

      <Workbench />

      <Typography.Title level={5} style={{ margin: '8px 0 12px' }}>
        我的功能
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {shortcuts.map((m) => (
          <Col key={m.path} xs={24} sm={12} xl={6}>
            <Link to={m.path} data-testid={`shortcut-${m.path.slice(1)}`}>
              <Card hoverable variant="borderless" className="lw-shortcut">
                <Flex gap={14} align="flex-start">
                  <span className="lw-shortcut-icon">{m.icon}</span>
                  <div style={{ flex: 1 }}>
                    <Flex justify="space-between" align="center">
                      <Typography.Text strong style={{ fontSize: 16 }}>
                        {m.label}
                      </Typography.Text>
                      <RightOutlined style={{ color: 'rgba(0,0,0,0.25)' }} />
                    </Flex>
                    <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0', fontSize: 13 }}>
                      {m.description}
                    </Typography.Paragraph>
                  </div>
                </Flex>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </>
  );
}
