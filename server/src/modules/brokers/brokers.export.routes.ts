import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BrokerTableQuery } from '../../../../contracts/brokers.ts';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { BROKER_TABLE_EXPORT_PATH } from '../../../../contracts/paths.ts';
import type { AppContext } from '../../context.ts';
import { sendXlsx } from '../../platform/excel/list-export.ts';
import { createBrokerTableExport } from './brokers.export.ts';
import { BROKER_MANAGERS, type BrokersService } from './brokers.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const brokerExportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; brokers: Pick<BrokersService, 'table'> }> = async (
  app,
  { ctx, brokers },
) => {
  const exporter = createBrokerTableExport({ audit: ctx.audit, brokers });
  app.get(BROKER_TABLE_EXPORT_PATH, {
    config: { access: { roles: BROKER_MANAGERS } },
    schema: {
      tags: ['brokers'],
      summary: '导出劳务经纪人工作台账（截至某日，.xlsx，含标题行和合计行，记入审计及行数）',
      querystring: BrokerTableQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const actor = request.actor!;
      const fileName = await exporter.check(ctx.db, actor, request.query);
      return sendXlsx(reply, fileName, (output) => exporter.export(ctx.db, actor, request.query, output));
    },
  });
};
