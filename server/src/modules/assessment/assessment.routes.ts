import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import {
  AssessmentQuery,
  AssessmentSchema,
  SetWeightsBody,
  WeightsHistorySchema,
  WeightsVersionSchema,
} from '../../../../contracts/assessment.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { ASSESSMENT_READERS, type AssessmentService } from './assessment.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

/** 量化考核: county scores, ranks and evidence; the weights (set by the province admin, versioned). */
export const assessmentRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; assessment: AssessmentService }> = async (
  app,
  { ctx, assessment },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get('/api/v1/assessment', {
    config: { access: { roles: ASSESSMENT_READERS } },
    schema: {
      tags: ['assessment'],
      summary: '县级量化考核：各项指标、得分、排名及依据（省看全部县，县只看本县）',
      querystring: AssessmentQuery,
      response: { 200: AssessmentSchema, ...errors },
    },
    // The province's figures first, on the background connections (a computation may take longer
    // than a transaction may stay idle), then scoring, scope and audit in the request's transaction.
    handler: async (request) => {
      const figures = await assessment.figures(request.actor!, request.query);
      return inTx((tx) => assessment.assess(tx, request.actor!, request.query, figures));
    },
  });

  app.get('/api/v1/assessment/weights', {
    config: { access: { roles: ASSESSMENT_READERS } },
    schema: { tags: ['assessment'], summary: '考核权重（现行及历次修改）', response: { 200: WeightsHistorySchema, ...errors } },
    handler: async () => inTx((tx) => assessment.weights(tx)),
  });

  app.post('/api/v1/assessment/weights', {
    config: { access: { roles: ASSESSMENT_READERS } },
    schema: {
      tags: ['assessment'],
      summary: '设置考核权重（新增一个版本）（仅省级管理员；非负整数，合计 100）',
      body: SetWeightsBody,
      response: { 200: WeightsVersionSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => assessment.setWeights(tx, request.actor!, request.body)),
  });
};
