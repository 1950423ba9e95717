import type { Db } from '../db/database.ts';
import type { Role } from '../db/schema.ts';
import type { AuditLog } from '../platform/audit.ts';
import { ROLE_LABELS } from '../../../contracts/common.ts';
import { accountsRepo } from '../modules/accounts/index.ts';
import { createAccountsService } from '../modules/accounts/index.ts';
import { ensureDemoEmployer } from './demo-employers.ts';

/**
 * The demo province's accounts, centred on the seeds' places (新邵县 and its 大竹村 workshop village,
 * 花垣县 with its liaison office in 深圳, 古丈县). Created on `npm start` when missing; never changed after.
 * The password is printed at start: this is a demonstration installation, not a production one.
 */
export const DEMO_PASSWORD = 'Laowu@2026';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  hostRegionCode?: string;
  label: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'hunan_admin', displayName: '湖南省人社厅管理员', role: 'admin', regionCode: '43', label: '省级管理员 · 湖南省' },
  { username: 'shaoyang_admin', displayName: '邵阳市人社局管理员', role: 'admin', regionCode: '4305', label: '市级管理员 · 邵阳市' },
  { username: 'xinshao_admin', displayName: '新邵县人社局管理员', role: 'admin', regionCode: '430522', label: '县级管理员 · 新邵县' },
  { username: 'huayuan_admin', displayName: '花垣县人社局管理员', role: 'admin', regionCode: '433124', label: '县级管理员 · 花垣县' },
  { username: 'guzhang_admin', displayName: '古丈县人社局管理员', role: 'admin', regionCode: '433126', label: '县级管理员 · 古丈县' },
  {
    username: 'longxipu_operator',
    displayName: '龙溪铺镇劳动保障服务站',
    role: 'township_operator',
    regionCode: '430522107',
    label: '乡镇经办员 · 新邵县龙溪铺镇',
  },
  {
    username: 'dazhu_officer',
    displayName: '大竹村信息员',
    role: 'village_officer',
    regionCode: '430522107212',
    label: '村信息员 · 龙溪铺镇大竹村',
  },
  {
    username: 'longxipu_broker',
    displayName: '龙溪铺镇劳务经纪人',
    role: 'broker',
    regionCode: '430522107',
    label: '劳务经纪人 · 龙溪铺镇',
  },
  {
    username: 'huayuan_shenzhen',
    displayName: '花垣县驻深圳劳务对接服务中心',
    role: 'liaison_office',
    regionCode: '433124',
    hostRegionCode: '4403',
    label: '驻外服务中心 · 花垣县驻深圳',
  },
  {
    username: 'guohui_employer',
    displayName: '邵阳国辉箱包扶贫车间',
    role: 'employer',
    regionCode: '430522107212',
    label: '用人单位 · 大竹村扶贫车间',
  },
  { username: 'hunan_auditor', displayName: '湖南省审计员', role: 'auditor', regionCode: '43', label: '审计员 · 湖南省' },
];

export async function ensureDemoAccounts(db: Db, audit: AuditLog): Promise<{ created: number; accounts: DemoAccount[] }> {
  const service = createAccountsService({ audit });
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    if (await accountsRepo.usernameExists(db, account.username)) continue;
    await db
      .transaction()
      .execute((tx) =>
        service.createSystemAccount(tx, { ...account, password: DEMO_PASSWORD }, { actor: null, ip: null, claimedUsername: 'demo' }),
      );
    created++;
  }
  // guohui_employer acts for a real employer row, with its open postings.
  await ensureDemoEmployer(db, audit);
  return { created, accounts: DEMO_ACCOUNTS };
}

export const roleLabel = (role: Role) => ROLE_LABELS[role];
