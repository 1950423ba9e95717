import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import {
  ListExportParams,
  ListExportQuery,
  ResponsibilityQuery,
  ResponsibilitySchema,
  RetentionListQuery,
  RetentionListSchema,
  RetentionRateQuery,
  RetentionRateSchema,
  ReturneesQuery,
  ReturneesSchema,
  RiskListSchema,
  RiskQuery,
  TaskListQuery,
  TaskListSchema,
} from '../../../../contracts/employment.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { LIST_READERS, RATE_READERS, type RetentionService } from './retention.service.ts';
import { sendXlsx } from '../../platform/excel/list-export.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const retentionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; retention: RetentionService }> = async (
  app,
  { ctx, retention },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get('/api/v1/lists/tasks', {
    config: { access: { roles: LIST_READERS } },
    schema: {
      tags: ['retention'],
      summary: '任务清单：尚未转移就业的劳动力及其意愿和技能',
      querystring: TaskListQuery,
      response: { 200: TaskListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => retention.tasks(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/lists/responsibility', {
    config: { access: { roles: LIST_READERS } },
    schema: {
      tags: ['retention'],
      summary: '责任清单：谁对哪些劳动力负责（户籍县；就业后还有务工地县和驻外服务中心）及待办事项',
      querystring: ResponsibilityQuery,
      response: { 200: ResponsibilitySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => retention.responsibility(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/lists/retention', {
    config: { access: { roles: LIST_READERS } },
    schema: {
      tags: ['retention'],
      summary: '稳岗清单：已转移就业的劳动力按务工地分组，含用人单位和联系方式',
      querystring: RetentionListQuery,
      response: { 200: RetentionListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => retention.retention(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/lists/returnees', {
    config: { access: { roles: LIST_READERS } },
    schema: {
      tags: ['retention'],
      summary: '本月返乡人员：本辖区劳动力本月结束的工作，附回访责任人（无则为本村信息员），证件号与手机号脱敏',
      querystring: ReturneesQuery,
      response: { 200: ReturneesSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => retention.returnees(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/lists/:list/export', {
    config: { access: { roles: LIST_READERS } },
    schema: {
      tags: ['retention'],
      summary: '导出三个清单（.xlsx，证件号与手机号脱敏，记入审计）',
      params: ListExportParams,
      querystring: ListExportQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const region = retention.checkExport(request.actor!, request.query.region);
      const name = await retention.exportFileName(ctx.db, request.params.list, region);
      return sendXlsx(reply, name, (output) => retention.export(ctx.db, request.actor!, request.params.list, region, output));
    },
  });

  app.get('/api/v1/retention/rate', {
    config: { access: { roles: RATE_READERS } },
    schema: {
      tags: ['retention'],
      summary: '稳岗率：入职满 N 个月者中 N 个月后仍在岗的比例（区划、用人单位或经纪人），及其背后的劳动力',
      querystring: RetentionRateQuery,
      response: { 200: RetentionRateSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => retention.rate(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/retention/risks', {
    config: { access: { roles: LIST_READERS } },
    schema: {
      tags: ['retention'],
      summary: '稳岗风险：有离岗迹象的在岗劳动力及原因',
      querystring: RiskQuery,
      response: { 200: RiskListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => retention.risks(tx, request.actor!, request.query)),
  });
};
