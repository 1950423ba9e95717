import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { STATS_DRILL_EXPORT_PATH } from '../../../../contracts/paths.ts';
import type { AppContext } from '../../context.ts';
import { sendXlsx } from '../../platform/excel/list-export.ts';
import { createDrillExport } from './stats.export.ts';
import { DrillExportQuery } from './stats.schemas.ts';
import { STATS_READERS, type StatsService } from './stats.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const statsExportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; stats: Pick<StatsService, 'drillReader'> }> = async (
  app,
  { ctx, stats },
) => {
  const exporter = createDrillExport({ audit: ctx.audit, stats });
  app.get(STATS_DRILL_EXPORT_PATH, {
    config: { access: { roles: STATS_READERS } },
    schema: {
      tags: ['stats'],
      summary: '导出统计指标名单（某一指标背后的全部人员，.xlsx，含标题行，证件号、手机号脱敏，记入审计及行数）',
      querystring: DrillExportQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const actor = request.actor!;
      const fileName = await exporter.check(ctx.db, actor, request.query);
      return sendXlsx(reply, fileName, (output) => exporter.export(ctx.db, actor, request.query, output));
    },
  });
};
