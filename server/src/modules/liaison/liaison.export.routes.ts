import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { WorkerExportQuery } from '../../../../contracts/liaison.ts';
import { LIAISON_WORKERS_EXPORT_PATH } from '../../../../contracts/paths.ts';
import type { AppContext } from '../../context.ts';
import { sendXlsx } from '../../platform/excel/list-export.ts';
import { createLiaisonWorkerExport } from './liaison.export.ts';
import { LIAISON_OFFICE } from './liaison.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const liaisonExportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const exporter = createLiaisonWorkerExport({ audit: ctx.audit });
  app.get(LIAISON_WORKERS_EXPORT_PATH, {
    config: { access: { roles: LIAISON_OFFICE } },
    schema: {
      tags: ['liaison'],
      summary: '导出驻外务工人员（与列表同一查询的全部人员，.xlsx，含标题行，证件号、手机号脱敏，记入审计及行数）',
      querystring: WorkerExportQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const actor = request.actor!;
      const fileName = await exporter.check(ctx.db, actor);
      return sendXlsx(reply, fileName, (output) => exporter.export(ctx.db, actor, request.query, output));
    },
  });
};
