import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  DesignatedSummaryQuery,
  DesignatedSummarySchema,
  UpdateWorkshopBody,
  WorkshopDetailSchema,
  WorkshopListQuery,
  WorkshopListSchema,
  WorkshopSchema,
  WorkshopSummaryQuery,
  WorkshopSummarySchema,
} from '../../../../contracts/workshops.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { WORKSHOP_EDITORS, WORKSHOP_READERS, type WorkshopsService } from './workshops.service.ts';
import { DESIGNATED_SUMMARY_PATH, WORKSHOPS_PATH, WORKSHOP_SUMMARY_PATH } from '../../../../contracts/paths.ts';
import { STATS_READERS } from '../../../../contracts/roles.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const workshopRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; workshops: WorkshopsService }> = async (
  app,
  { ctx, workshops },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(WORKSHOPS_PATH, {
    config: { access: { roles: WORKSHOP_READERS } },
    schema: {
      tags: ['workshops'],
      summary: '扶贫车间和就业扶贫基地名录：扶贫岗位、吸纳贫困劳动力就业人数、享受补贴、安置点',
      querystring: WorkshopListQuery,
      response: { 200: WorkshopListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => workshops.list(tx, request.actor!, request.query)),
  });

  app.get(WORKSHOP_SUMMARY_PATH, {
    config: { access: { roles: WORKSHOP_READERS } },
    schema: {
      tags: ['workshops'],
      summary: '扶贫车间和就业扶贫基地统计：按下级区划的车间数、基地数、岗位数、吸纳就业人数及合计',
      querystring: WorkshopSummaryQuery,
      response: { 200: WorkshopSummarySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => workshops.summary(tx, request.actor!, request.query)),
  });

  app.get(DESIGNATED_SUMMARY_PATH, {
    config: { access: { roles: STATS_READERS } },
    schema: {
      tags: ['workshops'],
      summary:
        '定点接收单位统计：截至某日的单位数（其中就业扶贫基地）、拟接收（就业扶贫专岗）、本区划贫困劳动力接收人数和已上岗专岗，按下级区划',
      querystring: DesignatedSummaryQuery,
      response: { 200: DesignatedSummarySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => workshops.designatedSummary(tx, request.actor!, request.query)),
  });

  app.get(`${WORKSHOPS_PATH}/:id`, {
    config: { access: { roles: WORKSHOP_READERS } },
    schema: {
      tags: ['workshops'],
      summary: '扶贫车间（基地）详情：在岗贫困劳动力和补贴',
      params: IdParams,
      response: { 200: WorkshopDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => workshops.get(tx, request.actor!, request.params.id)),
  });

  app.patch(`${WORKSHOPS_PATH}/:id`, {
    config: { access: { roles: WORKSHOP_EDITORS } },
    schema: {
      tags: ['workshops'],
      summary: '设置扶贫车间（基地）开发的扶贫岗位数',
      params: IdParams,
      body: UpdateWorkshopBody,
      response: { 200: WorkshopSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => workshops.update(tx, request.actor!, request.params.id, request.body)),
  });
};
