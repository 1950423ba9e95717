import { defineColumns } from '../list-columns.ts';

/** 审计日志: the log's columns, on screen (pages/audit/columns.tsx) and in its export (audit-log.service.ts). */
export const AUDIT_COLUMNS = defineColumns({
  id: { title: '编号' },
  at: { title: '时间' },
  actor: { title: '操作人' },
  actorDisplayName: { title: '操作人姓名', exportOnly: true },
  actorRole: { title: '角色', exportOnly: true },
  actorRegion: { title: '操作人所属区划', exportOnly: true },
  ip: { title: '来源IP', exportOnly: true },
  action: { title: '动作' },
  actionGroup: { title: '动作分类', exportOnly: true },
  actionCode: { title: '动作代码', exportOnly: true },
  entity: { title: '对象' },
  entityId: { title: '对象编号', exportOnly: true },
  objectName: { title: '对象名称', exportOnly: true },
  person: { title: '涉及劳动力', exportOnly: true },
  result: { title: '结果' },
  details: { title: '详情' },
});
