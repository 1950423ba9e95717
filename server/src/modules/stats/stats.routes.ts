import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { STATS_MONTHLY_PATH, STATS_TARGETS_PATH, STATS_VERIFICATION_PATH } from '../../../../contracts/paths.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { attachment, XLSX } from '../registry/index.ts';
import {
  BreakdownQuery,
  BreakdownSchema,
  DrillQuery,
  DrillSchema,
  MonthlyQuery,
  MonthlySchema,
  SummaryQuery,
  SummarySchema,
  TargetBody,
  TargetQuery,
  TargetsSchema,
  VerificationQuery,
  VerificationSchema,
} from './stats.schemas.ts';
import { STATS_READERS, type StatsService } from './stats.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const statsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; stats: StatsService }> = async (app, { ctx, stats }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get('/api/v1/stats/summary', {
    config: { access: { roles: STATS_READERS } },
    schema: {
      tags: ['stats'],
      summary: '统计汇总：区划（含下级）截至某日的建档立卡贫困劳动力、就业、去向、渠道、工资、新增转移、服务与补贴、稳岗率',
      querystring: SummaryQuery,
      response: { 200: SummarySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => stats.summary(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/stats/breakdown', {
    config: { access: { roles: STATS_READERS } },
    schema: {
      tags: ['stats'],
      summary: '统计汇总按下级区划（或全部县，by=county）分列，与汇总同口径',
      querystring: BreakdownQuery,
      response: { 200: BreakdownSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => stats.breakdown(tx, request.actor!, request.query)),
  });

  app.get(STATS_MONTHLY_PATH, {
    config: { access: { roles: STATS_READERS } },
    schema: {
      tags: ['stats'],
      summary: '务工规模月度走势：区划（含下级）每月末的已就业人数（最后一个月截至 asOf，默认今天），默认 24 个月',
      querystring: MonthlyQuery,
      response: { 200: MonthlySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => stats.monthly(tx, request.actor!, request.query)),
  });

  app.get(STATS_VERIFICATION_PATH, {
    config: { access: { roles: STATS_READERS } },
    schema: {
      tags: ['stats'],
      summary: '就业核实情况：截至某日的已就业人数中，近三个月内经回访、用人单位或社保比对确认的人数及占比',
      querystring: VerificationQuery,
      response: { 200: VerificationSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => stats.verification(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/stats/drill', {
    config: { access: { roles: STATS_READERS } },
    schema: {
      tags: ['stats'],
      summary: '统计指标背后的劳动力（或记录）名单，证件号与手机号脱敏，总数等于该指标',
      querystring: DrillQuery,
      response: { 200: DrillSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => stats.drill(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/stats/export', {
    config: { access: { roles: STATS_READERS } },
    schema: {
      tags: ['stats'],
      summary: '导出统计表（.xlsx，按第二篇报道的表式，含下级区划，记入审计）',
      querystring: SummaryQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const { region } = await stats.checkExport(ctx.db, request.actor!, request.query);
      const stream = new PassThrough();
      void stats.export(ctx.db, request.actor!, request.query, stream).catch((error) => stream.destroy(error));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(`统计表-${region.name}-${request.query.asOf}.xlsx`))
        .send(stream as never);
    },
  });

  app.get(STATS_TARGETS_PATH, {
    config: { access: { roles: STATS_READERS } },
    schema: {
      tags: ['stats'],
      summary: '年度新增转移就业目标：本区划及下级区划',
      querystring: TargetQuery,
      response: { 200: TargetsSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => stats.targets(tx, request.actor!, request.query)),
  });

  app.post(STATS_TARGETS_PATH, {
    config: { access: { roles: ['admin'] } },
    schema: {
      tags: ['stats'],
      summary: '设定下级区划的年度新增转移就业目标（由上级设定）',
      body: TargetBody,
      response: { 200: TargetBody, ...errors },
    },
    handler: async (request) => inTx((tx) => stats.setTarget(tx, request.actor!, request.body)),
  });
};
