import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { SUBSIDIES_EXPORT_PATH } from '../../../../contracts/paths.ts';
import { SubsidyExportQuery } from '../../../../contracts/subsidies.ts';
import type { AppContext } from '../../context.ts';
import { sendXlsx } from '../../platform/excel/list-export.ts';
import { createSubsidyExport } from './subsidies.export.ts';
import { SUBSIDY_STAFF } from './subsidies.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const subsidyExportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const exporter = createSubsidyExport({ audit: ctx.audit });
  app.get(SUBSIDIES_EXPORT_PATH, {
    config: { access: { roles: SUBSIDY_STAFF } },
    schema: {
      tags: ['subsidies'],
      summary: '导出补贴台账（与列表同一筛选的全部记录，.xlsx，含标题行，证件号脱敏，记入审计及行数）',
      querystring: SubsidyExportQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const actor = request.actor!;
      const { name } = await ctx.db.transaction().execute((tx) => exporter.check(tx, actor, request.query));
      return sendXlsx(reply, exporter.fileName(name), (output) => exporter.export(ctx.db, actor, request.query, output));
    },
  });
};
