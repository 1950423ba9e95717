import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import { AttendeeExportQuery } from '../../../../contracts/fairs.ts';
import { FAIRS_PATH } from '../../../../contracts/paths.ts';
import type { AppContext } from '../../context.ts';
import { sendXlsx } from '../../platform/excel/list-export.ts';
import { createFairAttendeeExport } from './fairs.export.ts';
import { FAIR_STAFF, type FairsService } from './fairs.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const fairExportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; fairs: Pick<FairsService, 'attendeePages'> }> = async (
  app,
  { ctx, fairs },
) => {
  const exporter = createFairAttendeeExport({ audit: ctx.audit, fairs });
  app.get(`${FAIRS_PATH}/:id/attendees/export`, {
    config: { access: { roles: FAIR_STAFF } },
    schema: {
      tags: ['fairs'],
      summary: '导出招聘会参会人员（与列表同一筛选的全部人员，.xlsx，含标题行，证件号、手机号脱敏，辖区外只显示标签，记入审计及行数）',
      params: IdParams,
      querystring: AttendeeExportQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const actor = request.actor!;
      const { id } = request.params;
      const fileName = await exporter.check(ctx.db, actor, id, request.query);
      return sendXlsx(reply, fileName, (output) => exporter.export(ctx.db, actor, id, request.query, output));
    },
  });
};
