import { defineColumns } from '../list-columns.ts';

/** 数据交换接入系统: the client systems' columns (pages/exchange/columns.tsx), named here for an export too. */
export const EXCHANGE_CLIENT_COLUMNS = defineColumns({
  name: { title: '系统名称' },
  keyId: { title: '密钥标识' },
  regionName: { title: '可读区划' },
  kinds: { title: '可读数据' },
  createdBy: { title: '登记人' },
  createdAt: { title: '登记时间' },
  lastReadAt: { title: '最近读取' },
  revokedAt: { title: '状态' },
  actions: { title: '操作', screenOnly: true },
});
