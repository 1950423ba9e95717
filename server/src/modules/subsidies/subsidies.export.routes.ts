import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { SUBSIDIES_EXPORT_PATH } from '../../../../contracts/paths.ts';
import { SubsidyExportQuery } from '../../../../contracts/subsidies.ts';
import type { AppContext } from '../../context.ts';
import { attachment, XLSX } from '../registry/index.ts';
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
      const stream = new PassThrough();
      void exporter.export(ctx.db, actor, request.query, stream).catch((error) => stream.destroy(error));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(exporter.fileName(name)))
        .send(stream as never);
    },
  });
};
