import type { ReactNode } from 'react';
import { AuditOutlined, CloudUploadOutlined, DashboardOutlined, EnvironmentOutlined, IdcardOutlined, SolutionOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { ACCOUNT_ADMIN_ROLES, AUDITOR_ROLES, REGISTRY_ROLES, STAFF_ROLES } from '../api/labels.ts';
import type { Me, RoleName } from '../api/types.ts';

export interface MenuEntry {
  path: string;
  label: string;
  icon: ReactNode;
  /** Roles that see the entry; absent = every signed-in account. */
  roles?: RoleName[];
  description: string;
  /** Side-menu group (a sub-menu) the entry belongs to. */
  group?: MenuGroup;
}

export interface MenuGroup {
  key: string;
  label: string;
  icon: ReactNode;
}

export const LABORER_GROUP: MenuGroup = { key: 'group-laborers', label: '劳动力信息', icon: <IdcardOutlined /> };

/** The console's pages, in menu order. Routes, the side menu and the workbench shortcuts all read this list. */
export const MENU: MenuEntry[] = [
  { path: '/', label: '工作台', icon: <DashboardOutlined />, description: '查看本账号的角色、所属区划与可用功能' },
  {
    path: '/accounts',
    label: '账号管理',
    icon: <TeamOutlined />,
    roles: ACCOUNT_ADMIN_ROLES,
    description: '新建、停用、启用本辖区工作人员账号，重置登录密码',
  },
  {
    path: '/laborers',
    label: '劳动力名册',
    icon: <SolutionOutlined />,
    roles: REGISTRY_ROLES,
    group: LABORER_GROUP,
    description: '一村一册、一乡一柜、一县一库：建立和维护劳动力信息卡，按条件查询，查看历史状态',
  },
  {
    path: '/laborers/import',
    label: '批量导入',
    icon: <CloudUploadOutlined />,
    roles: REGISTRY_ROLES,
    group: LABORER_GROUP,
    description: '上传劳动力资源信息采集表（Excel），批量建立信息卡',
  },
  { path: '/audit', label: '审计日志', icon: <AuditOutlined />, roles: AUDITOR_ROLES, description: '查询操作记录，校验审计日志链的完整性' },
  {
    path: '/regions',
    label: '行政区划',
    icon: <EnvironmentOutlined />,
    roles: STAFF_ROLES,
    description: '按统计用区划代码浏览、检索省市县乡村五级行政区划',
  },
  { path: '/profile', label: '个人设置', icon: <UserOutlined />, description: '修改登录密码，绑定或解绑动态验证码（双因素认证）' },
];

/** The entry a path belongs to: the longest menu path that is the path or one of its parents. */
export function menuKeyFor(entries: MenuEntry[], pathname: string): string | undefined {
  let best: string | undefined;
  for (const { path } of entries) {
    const hit = path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
    if (hit && (!best || path.length > best.length)) best = path;
  }
  return best;
}

export const canSee = (entry: Pick<MenuEntry, 'roles'>, role: RoleName) => !entry.roles || entry.roles.includes(role);

/** Entries available to this account (only the profile while a second factor must be enrolled). */
export function menuFor(me: Me): MenuEntry[] {
  if (me.totpSetupRequired) return MENU.filter((m) => m.path === '/profile');
  return MENU.filter((m) => canSee(m, me.role));
}
