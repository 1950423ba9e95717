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
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

export const AuditListQuery = Strict({
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  entity: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  result: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')])),
  ...PageQuery,
});

export const AuditVerifySchema = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  pending: Type.Integer({ description: '已写入、尚未入链的记录数（入链程序随后处理）' }),
  firstBrokenId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});
