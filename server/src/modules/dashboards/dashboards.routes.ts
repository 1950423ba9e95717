import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import {
  DashboardQuery,
  FlowsSchema,
  FunnelQuery,
  FunnelSchema,
  QuarterlySchema,
  RetentionCurveSchema,
} from '../../../../contracts/dashboards.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { DASHBOARD_READERS, type DashboardsService } from './dashboards.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

/** 数据看板: chart data for a region and date, in the caller's scope (the map's colours come from /api/v1/stats/breakdown). */
export const dashboardRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; dashboards: DashboardsService }> = async (
  app,
  { ctx, dashboards },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get('/api/v1/dashboards/flows', {
    config: { access: { roles: DASHBOARD_READERS } },
    schema: {
      tags: ['dashboards'],
      summary: '劳动力流向：户籍县 → 务工地（省内到市，省外到省），截至日期在岗人数',
      querystring: DashboardQuery,
      response: { 200: FlowsSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => dashboards.flows(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/dashboards/quarterly', {
    config: { access: { roles: DASHBOARD_READERS } },
    schema: {
      tags: ['dashboards'],
      summary: '2016 年以来各季度末就业比例和各季度新增转移就业人数',
      querystring: DashboardQuery,
      response: { 200: QuarterlySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => dashboards.quarterly(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/dashboards/funnel', {
    config: { access: { roles: DASHBOARD_READERS } },
    schema: {
      tags: ['dashboards'],
      summary: '推荐漏斗：推荐 → 面试 → 录用 → 6 个月后仍在岗',
      querystring: FunnelQuery,
      response: { 200: FunnelSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => dashboards.funnel(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/dashboards/retention-curve', {
    config: { access: { roles: DASHBOARD_READERS } },
    schema: {
      tags: ['dashboards'],
      summary: '稳岗曲线：入职满 N 个月（N = 1…12）者 N 个月后仍在岗的比例',
      querystring: DashboardQuery,
      response: { 200: RetentionCurveSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => dashboards.retentionCurve(tx, request.actor!, request.query)),
  });
};
