import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  ConfirmationProgressQuery,
  ConfirmationProgressSchema,
  CreateLaborerBody,
  DeleteLaborerBody,
  LaborerHistorySchema,
  LaborerListQuery,
  LaborerListSchema,
  LaborerSchema,
  RevealBody,
  RevealSchema,
  UpdateLaborerBody,
} from '../../../../contracts/laborers.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { CARD_WRITERS, type LaborersService } from './laborers.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
/** The cards are kept by village officers and township operators, and overseen by admins (DOMAIN.md roles). */
const registryStaff = { roles: CARD_WRITERS };

export const laborerRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; laborers: LaborersService }> = async (app, { ctx, laborers }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get('/api/v1/laborers', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '劳动力名册（一村一册、一乡一柜、一县一库）：分页、筛选、排序，可查询历史某日状态',
      querystring: LaborerListQuery,
      response: { 200: LaborerListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => laborers.list(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/laborers/confirmation-progress', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '本季度信息核实进度（按下级乡镇或村统计）',
      querystring: ConfirmationProgressQuery,
      response: { 200: ConfirmationProgressSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => laborers.confirmationProgress(tx, request.actor!, request.query.region)),
  });

  app.post('/api/v1/laborers', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '新建劳动力信息卡（一人一卡）',
      body: CreateLaborerBody,
      response: { 201: LaborerSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => laborers.create(tx, request.actor!, request.body))),
  });

  app.get('/api/v1/laborers/:id', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '劳动力信息卡（证件号、手机号脱敏）',
      params: IdParams,
      response: { 200: LaborerSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => laborers.get(tx, request.actor!, request.params.id)),
  });

  app.patch('/api/v1/laborers/:id', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '修改信息卡（每项变更记入动态管理台账）',
      params: IdParams,
      body: UpdateLaborerBody,
      response: { 200: LaborerSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => laborers.update(tx, request.actor!, request.params.id, request.body)),
  });

  app.delete('/api/v1/laborers/:id', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '删除（注销）信息卡：须说明原因，记入动态管理台账；此后不再计入名册和统计，此前各日期的数据不变',
      params: IdParams,
      body: DeleteLaborerBody,
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (request, reply) => {
      await inTx((tx) => laborers.remove(tx, request.actor!, request.params.id, request.body));
      return reply.status(204).send(null);
    },
  });

  app.get('/api/v1/laborers/:id/history', {
    config: { access: registryStaff },
    schema: { tags: ['laborers'], summary: '信息卡变更时间线', params: IdParams, response: { 200: LaborerHistorySchema, ...errors } },
    handler: async (request) => inTx((tx) => laborers.history(tx, request.actor!, request.params.id)),
  });

  app.post('/api/v1/laborers/:id/reveal', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '说明事由后查看完整身份证号和手机号（记入审计日志）',
      params: IdParams,
      body: RevealBody,
      response: { 200: RevealSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => laborers.reveal(tx, request.actor!, request.params.id, request.body.reason)),
  });

  app.post('/api/v1/laborers/confirmations', {
    config: { access: { roles: ['village_officer'] } },
    schema: {
      tags: ['laborers'],
      summary: '村信息员批量季度核实（所选信息卡一并核实，填写核实说明；任一卡不在本村则全部不核实）',
      body: Type.Object(
        {
          ids: Type.Array(Type.String({ pattern: '^[1-9][0-9]{0,17}$' }), { minItems: 1, maxItems: 200, description: '信息卡编号' }),
          reason: Type.String({ minLength: 2, maxLength: 200, pattern: '\\S', description: '核实说明，如“入户核实，无变化”' }),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          quarter: Type.String(),
          cards: Type.Integer(),
          confirmed: Type.Integer({ description: '本次新核实' }),
          alreadyConfirmed: Type.Integer({ description: '本季度此前已核实' }),
        }),
        ...errors,
      },
    },
    handler: async (request) => inTx((tx) => laborers.confirmMany(tx, request.actor!, request.body.ids, request.body.reason.trim())),
  });

  app.post('/api/v1/laborers/:id/confirm', {
    config: { access: { roles: ['village_officer'] } },
    schema: {
      tags: ['laborers'],
      summary: '村信息员季度核实（有无变化均可）',
      params: IdParams,
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (request, reply) => {
      await inTx((tx) => laborers.confirm(tx, request.actor!, request.params.id));
      return reply.status(204).send(null);
    },
  });
};
