import type { ReactNode } from 'react';
import { AuditOutlined, CarryOutOutlined, CloudUploadOutlined, MergeCellsOutlined, SwapOutlined, DashboardOutlined, EnvironmentOutlined, IdcardOutlined, SolutionOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { ACCOUNT_ADMIN_ROLES, AUDITOR_ROLES, REGISTRY_ROLES, STAFF_ROLES } from '../api/labels.ts';
import type { Me, RoleName } from '../api/types.ts';
import { JOB_READER_ROLES } from '../api/employers.ts';
import { BankOutlined, ShopOutlined, ProfileOutlined } from '@ant-design/icons';
import { NodeIndexOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { MATCHING_ROLES, RUN_STARTER_ROLES } from '../api/matching.ts';
import { FileProtectOutlined } from '@ant-design/icons';
import { AGREEMENT_READER_ROLES } from '../api/agreements.ts';
import { FileDoneOutlined } from '@ant-design/icons';
import { REFERRAL_ROLES } from '../api/referrals.ts';
import { ShopFilled } from '@ant-design/icons';
import { FAIR_ROLES } from '../api/fairs.ts';
import { GlobalOutlined } from '@ant-design/icons';
import { LIAISON_ROLES } from '../api/liaison.ts';
import { ApartmentOutlined, HomeOutlined } from '@ant-design/icons';
import { BROKER_MANAGER_ROLES, BROKER_ROLES } from '../api/brokers.ts';
import { FlagOutlined } from '@ant-design/icons';
import { TEAM_ROLES } from '../api/teams.ts';
import { CarOutlined } from '@ant-design/icons';
import { TRIP_ROLES } from '../api/travel.ts';

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

/** 岗位对接 (精准对接): employers, their postings, and the matching between the two lists. */
export const MATCHING_GROUP: MenuGroup = { key: 'group-matching', label: '岗位对接', icon: <ShopOutlined /> };

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
  {
    path: '/laborers/confirmation',
    label: '核实进度',
    icon: <CarryOutOutlined />,
    roles: REGISTRY_ROLES,
    group: LABORER_GROUP,
    description: '本季度信息卡核实进度：按乡镇、村查看已核实比例和尚未核实的信息卡',
  },
  {
    path: '/laborers/duplicates',
    label: '疑似重复',
    icon: <MergeCellsOutlined />,
    roles: REGISTRY_ROLES,
    group: LABORER_GROUP,
    description: '同乡镇同名同出生日期或手机号相同的信息卡：核实后合并，或标记为不是同一人',
  },
  {
    path: '/laborers/transfers',
    label: '迁移申请',
    icon: <SwapOutlined />,
    roles: REGISTRY_ROLES,
    group: LABORER_GROUP,
    description: '向原登记县申请迁入信息卡，审批本辖区信息卡收到的迁移申请',
  },
  {
    path: '/employers',
    label: '用人单位',
    icon: <BankOutlined />,
    roles: JOB_READER_ROLES,
    group: MATCHING_GROUP,
    description: '定点接收单位、就业扶贫基地、扶贫车间和普通用人单位：登记、查询及其岗位',
  },
  {
    path: '/postings',
    label: '岗位',
    icon: <ProfileOutlined />,
    roles: JOB_READER_ROLES,
    group: MATCHING_GROUP,
    description: '发布和维护岗位；只看在招即岗位供给清单，可按工作地点、工种、月薪筛选',
  },
  {
    path: '/matching',
    label: '供需对接',
    icon: <NodeIndexOutlined />,
    roles: MATCHING_ROLES,
    group: MATCHING_GROUP,
    description: '求职需求清单与岗位供给清单对照：为劳动力推荐岗位、为岗位推荐人选，附推荐理由',
  },
  {
    path: '/matching/runs',
    label: '批量匹配',
    icon: <ThunderboltOutlined />,
    roles: MATCHING_ROLES,
    group: MATCHING_GROUP,
    description: '对本辖区求职者与在招岗位做稳定匹配，采纳或驳回匹配建议',
  },
  {
    path: '/agreements',
    label: '劳务协作协议',
    icon: <FileProtectOutlined />,
    roles: AGREEMENT_READER_ROLES,
    group: MATCHING_GROUP,
    description: '输出地与输入地的劳务协作协议：承诺事项及按岗位、录用记录计算的完成进度',
  },
  {
    path: '/referrals',
    label: '推荐',
    icon: <FileDoneOutlined />,
    roles: REFERRAL_ROLES,
    group: MATCHING_GROUP,
    description: '推荐劳动力到岗位并跟进：面试、录用（建立就业记录）、未录用、撤回；用人单位处理本单位的应聘人员',
  },
  {
    path: '/fairs',
    label: '招聘会',
    icon: <ShopFilled />,
    roles: FAIR_ROLES,
    group: MATCHING_GROUP,
    description: '线上、线下及进村招聘会：参会单位和岗位、现场登记（识别贫困劳动力）、达成就业意向与录用成效',
  },
  {
    path: '/brokers',
    label: '劳务经纪人',
    icon: <ApartmentOutlined />,
    roles: BROKER_MANAGER_ROLES,
    group: MATCHING_GROUP,
    description: '农村劳务经纪人（就业红娘）：签订和终止协议（协议村、协议期），按日期查看推荐、录用和稳岗台账',
  },
  {
    path: '/teams',
    label: '招工小分队',
    icon: <FlagOutlined />,
    roles: TEAM_ROLES,
    group: MATCHING_GROUP,
    description: '县、乡镇组建招工小分队为企业进村招工：成员、走访村、工作期，以及推荐和录用成效',
  },
  {
    path: '/travel',
    label: '就业直通车',
    icon: <CarOutlined />,
    roles: TRIP_ROLES,
    group: MATCHING_GROUP,
    description: '从家门到车门、从车门到厂门：安排专车、专列，登记上车，厂门确认到达，在途人员一个不少，统计乘车补贴',
  },
  {
    path: '/my-villages',
    label: '我的村',
    icon: <HomeOutlined />,
    roles: BROKER_ROLES,
    description: '劳务经纪协议覆盖村的求职劳动力，推荐到在招岗位',
  },
  {
    path: '/liaison',
    label: '驻外服务',
    icon: <GlobalOutlined />,
    roles: LIAISON_ROLES,
    description: '本县在驻地城市务工人员：就业信息、反映的问题和提供的帮助，本中心发布的岗位',
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
