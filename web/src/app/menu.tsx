import type { ReactNode } from 'react';
import {
  AuditOutlined,
  CarryOutOutlined,
  CloudUploadOutlined,
  MergeCellsOutlined,
  SwapOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  IdcardOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { ACCOUNT_ADMIN_ROLES, AUDITOR_ROLES, REGISTRY_ROLES, STAFF_ROLES } from '../api/labels.ts';
import {
  AGREEMENT_READER_ROLES,
  ASSESSMENT_ROLES,
  BROKER_MANAGER_ROLES,
  BROKER_ROLES,
  DASHBOARD_ROLES,
  EMPLOYEE_READER_ROLES,
  EXCHANGE_ROLES,
  FAIR_ROLES,
  FOLLOW_UP_ROLES,
  JOB_READER_ROLES,
  LIAISON_ROLES,
  MATCHING_ROLES,
  REFERRAL_ROLES,
  REGISTRY_IMPORT_ROLES,
  SERVICE_RECORD_ROLES,
  ENROLMENT_ROLES,
  SI_REVIEWER_ROLES,
  SMS_INBOX_ROLES,
  SMS_ROLES,
  SUBSIDY_ROLES,
  TEAM_ROLES,
  TRIP_ROLES,
  TRAINING_ROLES,
  WISH_CONFIRMER_ROLES,
  WORKSHOP_ROLES,
  PUBLIC_WELFARE_ROLES,
} from '../api/roles.ts';
import type { Me, RoleName } from '../api/types.ts';
import { BankOutlined, ShopOutlined, ProfileOutlined } from '@ant-design/icons';
import { NodeIndexOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { FileProtectOutlined } from '@ant-design/icons';
import { FileDoneOutlined } from '@ant-design/icons';
import { ShopFilled } from '@ant-design/icons';
import { GlobalOutlined } from '@ant-design/icons';
import { ApartmentOutlined, HomeOutlined } from '@ant-design/icons';
import { FlagOutlined } from '@ant-design/icons';
import { CarOutlined } from '@ant-design/icons';
import { BuildOutlined, MoneyCollectOutlined, ReadOutlined } from '@ant-design/icons';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { BookOutlined } from '@ant-design/icons';
import { MessageOutlined, CommentOutlined, EditOutlined } from '@ant-design/icons';
import { BarChartOutlined, TrophyOutlined } from '@ant-design/icons';
import { TableOutlined } from '@ant-design/icons';
import { STATS_READERS } from '../../../contracts/roles.ts';
import { ApiOutlined, ToolOutlined } from '@ant-design/icons';

export interface MenuEntry {
  path: string;
  label: string;
  icon: ReactNode;
  /** Roles that see the entry; absent = every signed-in account. */
  roles?: RoleName[];
  description: string;
  /** Side-menu group (a sub-menu) the entry belongs to. */
  group?: MenuGroup;
  /**
   * The page's main API call (GET; `{region}`, `{city}` and `{today}` stand for the account's region,
   * that region or its first city, and today): every role that sees the entry must get 200 from it
   * (server/test/menu-access.test.ts).
   */
  api: string;
}

export interface MenuGroup {
  key: string;
  label: string;
  icon: ReactNode;
}

export const LABORER_GROUP: MenuGroup = { key: 'group-laborers', label: '劳动力信息', icon: <IdcardOutlined /> };

/** 岗位对接 (精准对接): employers, their postings, and the matching between the two lists. */
export const MATCHING_GROUP: MenuGroup = { key: 'group-matching', label: '岗位对接', icon: <ShopOutlined /> };

/** 精准服务: the services and subsidies laborers and workshops receive, and the workshops and bases. */
export const SERVICE_GROUP: MenuGroup = { key: 'group-service', label: '精准服务', icon: <ReadOutlined /> };

/** The console's pages, in menu order. Routes, the side menu and the workbench shortcuts all read this list. */
export const MENU: MenuEntry[] = [
  {
    path: '/',
    api: '/api/v1/workbench',
    label: '工作台',
    icon: <DashboardOutlined />,
    description: '查看本账号的角色、所属区划与可用功能',
  },
  {
    path: '/accounts',
    api: '/api/v1/accounts',
    label: '账号管理',
    icon: <TeamOutlined />,
    roles: ACCOUNT_ADMIN_ROLES,
    description: '新建、停用、启用本辖区工作人员账号，重置登录密码',
  },
  {
    path: '/laborers',
    api: '/api/v1/laborers',
    label: '劳动力名册',
    icon: <SolutionOutlined />,
    roles: REGISTRY_ROLES,
    group: LABORER_GROUP,
    description: '一村一册、一乡一柜、一县一库：建立和维护劳动力信息卡，按条件查询，查看历史状态',
  },
  {
    path: '/laborers/import',
    api: '/api/v1/laborers/template',
    label: '批量导入',
    icon: <CloudUploadOutlined />,
    roles: REGISTRY_ROLES,
    group: LABORER_GROUP,
    description: '上传劳动力资源信息采集表（Excel），批量建立信息卡',
  },
  {
    path: '/laborers/registry-import',
    api: '/api/v1/registry-imports/mappings',
    label: '建档立卡导入',
    icon: <CloudUploadOutlined />,
    roles: REGISTRY_IMPORT_ROLES,
    group: LABORER_GROUP,
    description: '导入防返贫监测系统（建档立卡）导出的 Excel/CSV：按数据来源保存列对应，新增或更新信息卡，列出不在名单中的人员',
  },
  {
    path: '/laborers/confirmation',
    api: '/api/v1/laborers/confirmation-progress',
    label: '核实进度',
    icon: <CarryOutOutlined />,
    roles: REGISTRY_ROLES,
    group: LABORER_GROUP,
    description: '本季度信息卡核实进度：按乡镇、村查看已核实比例和尚未核实的信息卡',
  },
  {
    path: '/laborers/duplicates',
    // A province admin picks a city first (the page asks before it calls): {city} is the account's region or its first city.
    api: '/api/v1/laborers/duplicates?region={city}',
    label: '疑似重复',
    icon: <MergeCellsOutlined />,
    roles: REGISTRY_ROLES,
    group: LABORER_GROUP,
    description: '同乡镇同名同出生日期或手机号相同的信息卡：核实后合并，或标记为不是同一人',
  },
  {
    path: '/laborers/transfers',
    api: '/api/v1/laborers/transfer-requests',
    label: '迁移申请',
    icon: <SwapOutlined />,
    roles: REGISTRY_ROLES,
    group: LABORER_GROUP,
    description: '向原登记县申请迁入信息卡，审批本辖区信息卡收到的迁移申请',
  },
  {
    path: '/employers',
    api: '/api/v1/employers',
    label: '用人单位',
    icon: <BankOutlined />,
    roles: JOB_READER_ROLES,
    group: MATCHING_GROUP,
    description: '定点接收单位、就业扶贫基地、扶贫车间和普通用人单位：登记、查询及其岗位',
  },
  {
    path: '/postings',
    api: '/api/v1/postings',
    label: '岗位',
    icon: <ProfileOutlined />,
    roles: JOB_READER_ROLES,
    group: MATCHING_GROUP,
    description: '发布和维护岗位；只看在招即岗位供给清单，可按工作地点、工种、月薪筛选',
  },
  {
    path: '/matching',
    api: '/api/v1/matching/demand',
    label: '供需对接',
    icon: <NodeIndexOutlined />,
    roles: MATCHING_ROLES,
    group: MATCHING_GROUP,
    description: '求职需求清单与岗位供给清单对照：为劳动力推荐岗位、为岗位推荐人选，附推荐理由',
  },
  {
    path: '/matching/runs',
    api: '/api/v1/matching/runs',
    label: '批量匹配',
    icon: <ThunderboltOutlined />,
    roles: MATCHING_ROLES,
    group: MATCHING_GROUP,
    description: '对本辖区求职者与在招岗位做稳定匹配，采纳或驳回匹配建议',
  },
  {
    path: '/agreements',
    api: '/api/v1/agreements',
    label: '劳务协作协议',
    icon: <FileProtectOutlined />,
    roles: AGREEMENT_READER_ROLES,
    group: MATCHING_GROUP,
    description: '输出地与输入地的劳务协作协议：承诺事项及按岗位、录用、招聘会、培训和两后生就读记录计算的完成进度',
  },
  {
    path: '/referrals',
    api: '/api/v1/referrals',
    label: '推荐',
    icon: <FileDoneOutlined />,
    roles: REFERRAL_ROLES,
    group: MATCHING_GROUP,
    description: '推荐劳动力到岗位并跟进：面试、录用（建立就业记录）、未录用、撤回；用人单位处理本单位的应聘人员',
  },
  {
    path: '/fairs',
    api: '/api/v1/fairs',
    label: '招聘会',
    icon: <ShopFilled />,
    roles: FAIR_ROLES,
    group: MATCHING_GROUP,
    description: '线上、线下及进村招聘会：参会单位和岗位、现场登记（识别贫困劳动力）、达成就业意向与录用成效',
  },
  {
    path: '/brokers',
    api: '/api/v1/brokers/contracts',
    label: '劳务经纪人',
    icon: <ApartmentOutlined />,
    roles: BROKER_MANAGER_ROLES,
    group: MATCHING_GROUP,
    description:
      '农村劳务经纪人（就业红娘）：签订和终止协议（协议村、协议期、购买服务条款），按日期查看推荐、录用和稳岗台账，结算购买服务费',
  },
  {
    path: '/teams',
    api: '/api/v1/teams',
    label: '招工小分队',
    icon: <FlagOutlined />,
    roles: TEAM_ROLES,
    group: MATCHING_GROUP,
    description: '县、乡镇组建招工小分队为企业进村招工：成员、走访村、工作期，以及推荐和录用成效',
  },
  {
    path: '/travel',
    api: '/api/v1/trips',
    label: '就业直通车',
    icon: <CarOutlined />,
    roles: TRIP_ROLES,
    group: MATCHING_GROUP,
    description: '从家门到车门、从车门到厂门：安排专车、专列，登记上车，厂门确认到达，在途人员一个不少，统计乘车补贴',
  },
  {
    path: '/sms',
    api: '/api/v1/sms/campaigns',
    label: '短信推送',
    icon: <MessageOutlined />,
    roles: SMS_ROLES,
    group: MATCHING_GROUP,
    description: '点对点短信：按条件选取劳动力，为每人推送最匹配的岗位和手机页面链接，另一名工作人员审批后发送，查看送达情况',
  },
  {
    path: '/sms/inbox',
    api: '/api/v1/sms/inbox',
    label: '短信回复',
    icon: <CommentOutlined />,
    roles: SMS_INBOX_ROLES,
    group: MATCHING_GROUP,
    description: '本辖区劳动力回复的短信：退订自动生效，其他回复由工作人员联系处理',
  },
  {
    path: '/wish-requests',
    api: '/api/v1/wish-requests',
    label: '意愿变更核实',
    icon: <EditOutlined />,
    roles: WISH_CONFIRMER_ROLES,
    group: LABORER_GROUP,
    description: '劳动者在手机页面修改的就业意愿：核实后记入信息卡台账',
  },
  {
    path: '/service-records',
    api: '/api/v1/service-records',
    label: '服务记录',
    icon: <ReadOutlined />,
    roles: SERVICE_RECORD_ROLES,
    group: SERVICE_GROUP,
    description: '职业指导、职业介绍、职业培训（项目、课时、证书）、创业服务、政策扶持：逐人登记，按类别、月份统计服务人次',
  },
  {
    path: '/school-enrolments',
    api: '/api/v1/school-enrolments',
    label: '两后生就读',
    icon: <ReadOutlined />,
    roles: ENROLMENT_ROLES,
    group: SERVICE_GROUP,
    description: '两后生入读技工学校、技师学院：学校、专业、入学和毕业日期，毕业后的就业；计入劳务协作协议的招收学生',
  },
  {
    path: '/training',
    api: '/api/v1/training-classes',
    label: '培训班',
    icon: <BookOutlined />,
    roles: TRAINING_ROLES,
    group: SERVICE_GROUP,
    description: '职业培训班：培训机构、项目、课时，花名册报名和出勤课时，结业后记入培训服务记录、生成培训补贴申请，登记证书',
  },
  {
    path: '/subsidies',
    api: '/api/v1/subsidies',
    label: '补贴',
    icon: <MoneyCollectOutlined />,
    roles: SUBSIDY_ROLES,
    group: SERVICE_GROUP,
    description: '个人补贴和扶贫车间补贴的申请、审批、发放（不重复发放），按就业记录测算稳岗补贴名单',
  },
  {
    path: '/workshops',
    api: '/api/v1/workshops',
    label: '扶贫车间和基地',
    icon: <BuildOutlined />,
    roles: WORKSHOP_ROLES,
    group: SERVICE_GROUP,
    description: '扶贫车间、就业扶贫基地名录：扶贫岗位、吸纳贫困劳动力就业人数、享受补贴、安置点，按区划汇总',
  },
  {
    path: '/public-welfare',
    api: '/api/v1/public-welfare/posts',
    label: '公益性岗位',
    icon: <ToolOutlined />,
    roles: PUBLIC_WELFARE_ROLES,
    group: SERVICE_GROUP,
    description: '为无法外出的贫困劳动力开发的公益性岗位：安置（登记就业）、按月出勤、按出勤生成月补贴（每月一次）、退岗',
  },
  {
    path: '/my-villages',
    api: '/api/v1/brokers/me/laborers',
    label: '我的村',
    icon: <HomeOutlined />,
    roles: BROKER_ROLES,
    description: '劳务经纪协议覆盖村的求职劳动力，推荐到在招岗位',
  },
  {
    path: '/employees',
    api: '/api/v1/employments',
    label: '本单位职工',
    icon: <TeamOutlined />,
    roles: EMPLOYEE_READER_ROLES,
    description: '经平台登记在本单位就业的劳动力：在职和已离职人员，及其入职后各次回访情况',
  },
  {
    path: '/liaison',
    api: '/api/v1/liaison/workers',
    label: '驻外服务',
    icon: <GlobalOutlined />,
    roles: LIAISON_ROLES,
    description: '本县在驻地城市务工人员：就业信息、反映的问题和提供的帮助，本中心发布的岗位',
  },
  {
    path: '/retention',
    api: '/api/v1/follow-ups',
    label: '稳岗服务',
    icon: <SafetyCertificateOutlined />,
    roles: FOLLOW_UP_ROLES,
    description: '回访任务（入职后 1、3、6、12 个月）、转岗服务、任务/责任/稳岗三个清单、稳岗率与离岗风险',
  },
  {
    path: '/social-insurance',
    api: '/api/v1/social-insurance/reviews',
    label: '社保比对核实',
    icon: <SafetyCertificateOutlined />,
    roles: SI_REVIEWER_ROLES,
    description: '每季度社保缴费数据与就业登记比对：疑似已就业、待核实、就业单位不一致的人员在 3 个工作日内核实',
  },
  {
    path: '/stats',
    api: '/api/v1/stats/summary?region={region}&asOf={today}',
    label: '统计报表',
    icon: <TableOutlined />,
    // The server's own list: brokers and liaison offices were offered a page that answered 403.
    roles: [...STATS_READERS],
    description: '区划截至某日的劳动力、就业去向、新增转移与目标、服务和补贴统计表，逐级下钻到人员名单，导出 Excel',
  },
  {
    path: '/dashboards',
    api: '/api/v1/dashboards/flows?region={region}&asOf={today}',
    label: '数据看板',
    icon: <BarChartOutlined />,
    roles: DASHBOARD_ROLES,
    description: '下级区划就业比例地图、劳动力流向、季度走势、推荐漏斗和稳岗曲线，可选区划和截至日期',
  },
  {
    path: '/assessment',
    api: '/api/v1/assessment',
    label: '量化考核',
    icon: <TrophyOutlined />,
    roles: ASSESSMENT_ROLES,
    description: '各县平台使用情况的加权评分、排名和依据；省级管理员设置考核权重',
  },
  {
    path: '/exchange',
    api: '/api/v1/exchange/clients',
    label: '数据交换',
    icon: <ApiOutlined />,
    roles: EXCHANGE_ROLES,
    description: '上级平台和其他系统的接入密钥：省级管理员登记、吊销，查看各系统最近一次读取变更数据的时间',
  },
  {
    path: '/audit',
    api: '/api/v1/audit',
    label: '审计日志',
    icon: <AuditOutlined />,
    roles: AUDITOR_ROLES,
    description: '查询操作记录，校验审计日志链的完整性',
  },
  {
    path: '/regions',
    api: '/api/v1/regions',
    label: '行政区划',
    icon: <EnvironmentOutlined />,
    roles: STAFF_ROLES,
    description: '按统计用区划代码浏览、检索省市县乡村五级行政区划',
  },
  {
    path: '/profile',
    api: '/api/v1/auth/me',
    label: '个人设置',
    icon: <UserOutlined />,
    description: '修改登录密码，绑定或解绑动态验证码（双因素认证）',
  },
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
