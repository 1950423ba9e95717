import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, Paged } from '../../../../contracts/common.ts';
import { AuditEntrySchema, AuditListQuery, AuditVerifySchema } from '../../../../contracts/audit.ts';
import { AUDITORS } from '../../../../contracts/roles.ts';
import type { AppContext } from '../../context.ts';
import * as repo from './audit-log.repo.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema };
/** Separation of duties (等保 level 3): auditors read the audit log and nothing else; nobody alters it. */
const auditors = { roles: AUDITORS } as const;

export const auditLogRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/v1/audit', {
    config: { access: auditors },
    schema: {
      tags: ['audit'],
      summary: '审计日志（本辖区用户的操作）',
      querystring: AuditListQuery,
      response: { 200: Paged(AuditEntrySchema), ...errors },
    },
    handler: async (request) => {
      const actor = request.actor!;
      const { page = 1, pageSize = 20, ...filter } = request.query;
      return ctx.db.transaction().execute(async (tx) => {
        const result = await repo.list(tx, {
          ...filter,
          scopeRegion: actor.regionCode,
          includeAnonymous: actor.regionLevel === 1,
          offset: (page - 1) * pageSize,
          limit: pageSize,
        });
        await ctx.audit.record(
          tx,
          { actor, ip: actor.ip },
          { action: 'audit.search', entity: 'audit_log', details: { filter, total: result.total } },
        );
        return result;
      });
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
