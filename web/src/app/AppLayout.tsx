import { useMemo, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Alert, App, Avatar, Button, Layout, Menu, Tooltip } from 'antd';
import {
  EnvironmentOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  SafetyCertificateOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useAuth, useMe } from './auth.tsx';
import { menuFor, menuKeyFor, type MenuEntry } from './menu.tsx';
import PageBreadcrumb from './PageBreadcrumb.tsx';
import RoleTag from '../components/RoleTag.tsx';

const { Header, Sider, Content, Footer } = Layout;

export default function AppLayout() {
  const me = useMe();
  const { logout } = useAuth();
  const { modal } = App.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const entries = useMemo(() => menuFor(me), [me]);

  const selectedKey = menuKeyFor(entries, location.pathname);
  const selected = selectedKey ? [selectedKey] : [];
  const menuItems = useMemo(() => buildMenuItems(entries), [entries]);
  const groupKeys = useMemo(() => [...new Set(entries.flatMap((e) => (e.group ? [e.group.key] : [])))], [entries]);

  const confirmLogout = () =>
    modal.confirm({
      title: '退出登录',
      content: '确定要退出劳务协作脱贫综合信息服务平台吗？',
      okText: '退出',
      cancelText: '取消',
      onOk: logout,
    });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header className="lw-header">
        <Link to="/" className="lw-brand">
          <img src="/favicon.svg" alt="" width={34} height={34} />
          <span className="lw-brand-title" data-testid="product-name">
            劳务协作脱贫综合信息服务平台
          </span>
          <span className="lw-brand-sub">工作人员管理端</span>
        </Link>
        <div className="lw-header-right">
          <Tooltip title={`所属区划：${me.region.fullName}（${me.region.code}）`}>
            <span className="lw-header-region">
              <EnvironmentOutlined />
              <span data-testid="current-region">{me.region.fullName}</span>
            </span>
          </Tooltip>
          <span className="lw-header-user" data-testid="current-user">
            <Avatar size={28} icon={<UserOutlined />} style={{ background: 'rgba(255,255,255,0.25)' }} />
            <span data-testid="current-user-name">{me.displayName}</span>
            <span data-testid="current-role">
              <RoleTag role={me.role} />
            </span>
          </span>
          <Button ghost size="small" icon={<LogoutOutlined />} onClick={confirmLogout} data-testid="logout">
            退出
          </Button>
        </div>
      </Header>
      <Layout>
        <Sider
          width={220}
          collapsible
          collapsed={collapsed}
          trigger={null}
          theme="light"
          style={{ borderRight: '1px solid #f0f0f0', position: 'sticky', top: 60, height: 'calc(100vh - 60px)' }}
        >
          {/* The menu scrolls on its own; the collapse toggle has a row of its own below it and never covers an entry. */}
          <div className="lw-sider">
            <Menu
              className="lw-sider-menu"
              mode="inline"
              selectedKeys={selected}
              style={{ borderInlineEnd: 'none', padding: '12px 8px' }}
              defaultOpenKeys={groupKeys}
              items={menuItems}
              // Expanded, the labels are there to read: no tooltip per entry (each is a trigger
              // component, 40–60 ms of every page's first render for the 44 entries). Collapsed, the tooltip names the entry.
              tooltip={collapsed ? undefined : false}
              onClick={({ key }) => navigate(key)}
            />
            <div className="lw-sider-toggle">
              <Button
                type="text"
                size="small"
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => setCollapsed((c) => !c)}
                aria-label={collapsed ? '展开菜单' : '收起菜单'}
              />
            </div>
          </div>
        </Sider>
        <Layout>
          <Content className="lw-content">
            <PageBreadcrumb />
            {me.totpSetupRequired && (
              <Alert
                type="warning"
                showIcon
                icon={<SafetyCertificateOutlined />}
                data-testid="totp-setup-required"
                style={{ marginBottom: 16 }}
                title="管理员账号须先绑定动态验证码"
                description="按照国家信息安全等级保护要求，管理员账号须启用双因素认证。请在下方“动态验证码”中完成绑定后再使用其他功能。"
              />
            )}
            <Outlet />
          </Content>
          <Footer className="lw-footer">劳务协作脱贫综合信息服务平台 · 政务内部系统，仅限授权工作人员使用，所有操作均记录审计日志</Footer>
        </Layout>
      </Layout>
    </Layout>
  );
}

const menuTestId = (path: string) => `menu-${path === '/' ? 'home' : path.slice(1).replace(/\//g, '-')}`;

/** Side-menu items: entries in menu order, entries of one group gathered into its sub-menu. */
function buildMenuItems(entries: MenuEntry[]) {
  type Item = { key: string; icon: ReactNode; label: string; 'data-testid': string; children?: Item[] };
  const items: Item[] = [];
  const groups = new Map<string, Item>();
  for (const e of entries) {
    const item: Item = { key: e.path, icon: e.icon, label: e.label, 'data-testid': menuTestId(e.path) };
    if (!e.group) {
      items.push(item);
      continue;
    }
    let group = groups.get(e.group.key);
    if (!group) {
      group = { key: e.group.key, icon: e.group.icon, label: e.group.label, 'data-testid': `menu-${e.group.key}`, children: [] };
      groups.set(e.group.key, group);
      items.push(group);
    }
    group.children!.push(item);
  }
  return items;
}
