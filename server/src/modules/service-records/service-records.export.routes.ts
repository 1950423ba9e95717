import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { SERVICE_RECORDS_EXPORT_PATH } from '../../../../contracts/paths.ts';
import { ServiceRecordExportQuery } from '../../../../contracts/service-records.ts';
import type { AppContext } from '../../context.ts';
import { sendXlsx } from '../../platform/excel/list-export.ts';
import { createServiceRecordExport } from './service-records.export.ts';
import { SERVICE_STAFF } from './service-records.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const serviceRecordExportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const exporter = createServiceRecordExport({ audit: ctx.audit });
  app.get(SERVICE_RECORDS_EXPORT_PATH, {
    config: { access: { roles: SERVICE_STAFF } },
    schema: {
      tags: ['service-records'],
      summary: '导出服务记录（与列表同一筛选的全部记录，.xlsx，含标题行，证件号脱敏，记入审计及行数）',
      querystring: ServiceRecordExportQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const actor = request.actor!;
      const fileName = await exporter.check(ctx.db, actor, request.query);
      return sendXlsx(reply, fileName, (output) => exporter.export(ctx.db, actor, request.query, output));
    },
  });
};
