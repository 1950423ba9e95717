import { Type, type Static } from '@sinclair/typebox';
import { PageQuery, Strict } from './common.ts';

export const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  actorRegion: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  result: Type.String(),
  details: Type.Unknown(),
  // In the auditor's words (contracts/audit-actions.ts), and the names the ids stand for.
  actionName: Type.String({ description: '动作的中文名称' }),
  actionGroup: Type.String({ description: '动作分类' }),
  entityLabel: Type.String({ description: '对象类别的中文名称' }),
  objectName: Type.Union([Type.String(), Type.Null()], {
    description: '对象的名称：劳动力姓名脱敏（姓+*），用人单位名称，账号姓名（用户名），岗位名称，区划名称；其他对象为空',
  }),
  personName: Type.Union([Type.String(), Type.Null()], { description: '本条记录涉及的劳动力（对象或详情中的劳动力）姓名，脱敏' }),
  actorDisplayName: Type.Union([Type.String(), Type.Null()], { description: '操作人姓名' }),
  actorRegionName: Type.Union([Type.String(), Type.Null()], { description: '操作人所属区划名称' }),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

const auditFilters = {
  from: Type.Optional(Type.String({ format: 'date', description: '起始日期（中国时间）' })),
  to: Type.Optional(Type.String({ format: 'date', description: '截止日期（含当日，中国时间）' })),
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: '操作人：用户名或姓名' })),
  action: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: '动作：中文名称中的词（如“查看”“导出”）或动作代码前缀（如 auth.login）' }),
  ),
  entity: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '对象类别代码（如 laborer）' })),
  entityId: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z_-]{1,32}$', description: '对象编号' })),
  person: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: '劳动力姓名（完整姓名）：本辖区内该劳动力的记录' })),
  result: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')])),
};

export const AuditListQuery = Strict({ ...auditFilters, ...PageQuery });
export type AuditFilters = Static<typeof AuditExportQuery>;

/** The export takes the list's filters (every matching row, no paging). */
export const AuditExportQuery = Strict(auditFilters);

export const AuditVerifySchema = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  pending: Type.Integer({ description: '已写入、尚未入链的记录数（入链程序随后处理）' }),
  firstBrokenId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});
