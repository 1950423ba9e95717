import { defineColumns } from '../list-columns.ts';

/** 账号管理: the accounts' columns (pages/accounts/columns.tsx), named here for an export too. */
export const ACCOUNT_COLUMNS = defineColumns({
  username: { title: '用户名' },
  displayName: { title: '姓名 / 单位' },
  role: { title: '角色' },
  region: { title: '所属区划' },
  status: { title: '状态' },
  totpEnabled: { title: '动态验证码' },
  createdAt: { title: '创建时间' },
  actions: { title: '操作', screenOnly: true },
});
