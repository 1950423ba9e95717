import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditEntrySchema, AuditExportQuery, AuditListQuery, AuditVerifySchema } from '../../../../contracts/audit.ts';
import { ErrorSchema, Paged } from '../../../../contracts/common.ts';
import { AUDITORS } from '../../../../contracts/roles.ts';
import type { AppContext } from '../../context.ts';
import { attachment, XLSX } from '../registry/index.ts';
import { createAuditLogService } from './audit-log.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema };
/** Separation of duties (等保 level 3): auditors read the audit log and nothing else; nobody alters it. */
const auditors = { roles: AUDITORS } as const;

export const auditLogRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const auditLog = createAuditLogService({ audit: ctx.audit });

  app.get('/api/v1/audit', {
    config: { access: auditors },
    schema: {
      tags: ['audit'],
      summary:
        '审计日志（本辖区用户的操作）：动作的中文名称，对象的名称（劳动力姓名脱敏），可按劳动力姓名、动作（中文）、对象、操作人、日期查询',
      querystring: AuditListQuery,
      response: { 200: Paged(AuditEntrySchema), ...errors },
    },
    handler: async (request) => ctx.db.transaction().execute((tx) => auditLog.search(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/audit/export', {
    config: { access: auditors },
    schema: {
      tags: ['audit'],
      summary: '导出查询到的全部审计记录（.xlsx，含标题行，劳动力姓名脱敏，记入审计及行数）',
      querystring: AuditExportQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const actor = request.actor!;
      const region = await ctx.db.transaction().execute((tx) => auditLog.exportRegion(tx, actor));
      const stream = new PassThrough();
      void auditLog.export(ctx.db, actor, request.query, stream).catch((error) => stream.destroy(error));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(auditLog.fileName(region)))
        .send(stream as never);
    },
  });

  app.get('/api/v1/audit/verify', {
    config: { access: auditors },
    schema: { tags: ['audit'], summary: '校验审计日志的 HMAC-SM3 链，报告第一处断点', response: { 200: AuditVerifySchema, ...errors } },
    handler: async (request) => {
      // A walk over the whole chain: the background connections' work, not a request's.
      const result = await ctx.audit.verify(ctx.background);
      await ctx.db
        .transaction()
        .execute((tx) =>
          ctx.audit.record(
            tx,
            { actor: request.actor!, ip: request.ip },
            { action: 'audit.verify', entity: 'audit_log', details: { ...result } },
          ),
        );
      return result;
    },
  });
};
