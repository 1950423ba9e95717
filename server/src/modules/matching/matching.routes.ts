import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  CandidatesQuery,
  CandidatesSchema,
  DemandQuery,
  DemandSchema,
  MatchRunBody,
  MatchRunListQuery,
  MatchRunListSchema,
  MatchRunSchema,
  RecommendationsQuery,
  RecommendationsSchema,
  SuggestionListSchema,
  SuggestionSchema,
  SuggestionsQuery,
  SupplyQuery,
  SupplySchema,
} from '../../../../contracts/matching.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { MATCHING_STAFF, RUN_STARTERS, type MatchingService } from './matching.service.ts';
import { MATCHING_DEMAND_PATH, MATCHING_RUNS_PATH, MATCHING_SUPPLY_PATH, POSTINGS_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const staff = { roles: MATCHING_STAFF };

export const matchingRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; matching: MatchingService }> = async (app, { ctx, matching }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get('/api/v1/laborers/:id/recommendations', {
    config: { access: staff },
    schema: {
      tags: ['matching'],
      summary: '为劳动力推荐岗位（附推荐理由）',
      params: IdParams,
      querystring: RecommendationsQuery,
      response: { 200: RecommendationsSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => matching.recommendations(tx, request.actor!, request.params.id, request.query.limit ?? 10)),
  });

  app.get(`${POSTINGS_PATH}/:id/candidates`, {
    config: { access: staff },
    schema: {
      tags: ['matching'],
      summary: '岗位的候选劳动力（仅本辖区，附推荐理由与不符合原因统计）',
      params: IdParams,
      querystring: CandidatesQuery,
      response: { 200: CandidatesSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => matching.candidates(tx, request.actor!, request.params.id, request.query)),
  });

  app.get(MATCHING_DEMAND_PATH, {
    config: { access: staff },
    schema: {
      tags: ['matching'],
      summary: '求职需求清单（本辖区有意愿、有能力、未就业的劳动力）',
      querystring: DemandQuery,
      response: { 200: DemandSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => matching.demand(tx, request.actor!, request.query)),
  });

  app.get(MATCHING_SUPPLY_PATH, {
    config: { access: staff },
    schema: {
      tags: ['matching'],
      summary: '岗位供给清单（在招岗位及本辖区符合条件的人数）',
      querystring: SupplyQuery,
      response: { 200: SupplySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => matching.supply(tx, request.actor!, request.query)),
  });

  app.post(MATCHING_RUNS_PATH, {
    config: { access: { roles: RUN_STARTERS } },
    schema: {
      tags: ['matching'],
      summary: '对本辖区运行批量稳定匹配（后台执行）',
      body: MatchRunBody,
      response: { 202: MatchRunSchema, ...errors },
    },
    handler: async (request, reply) => {
      const run = await inTx((tx) => matching.startRun(tx, request.actor!, request.body.region));
      // Started only once the run's row is committed; its failures are recorded on the run.
      void matching.executeRun(run.id, run.regionCode, request.actor!.id).catch((error) => request.log.error(error));
      return reply.status(202).send(run);
    },
  });

  app.get(MATCHING_RUNS_PATH, {
    config: { access: staff },
    schema: {
      tags: ['matching'],
      summary: '批量匹配记录',
      querystring: MatchRunListQuery,
      response: { 200: MatchRunListSchema, ...errors },
    },
    handler: async (request) => ({ items: await inTx((tx) => matching.listRuns(tx, request.actor!, request.query.region)) }),
  });

  app.get(`${MATCHING_RUNS_PATH}/:id`, {
    config: { access: staff },
    schema: { tags: ['matching'], summary: '批量匹配进度与结果', params: IdParams, response: { 200: MatchRunSchema, ...errors } },
    handler: async (request) => inTx((tx) => matching.getRun(tx, request.actor!, request.params.id)),
  });

  app.get(`${MATCHING_RUNS_PATH}/:id/suggestions`, {
    config: { access: staff },
    schema: {
      tags: ['matching'],
      summary: '批量匹配建议（待采纳的推荐）',
      params: IdParams,
      querystring: SuggestionsQuery,
      response: { 200: SuggestionListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => matching.suggestions(tx, request.actor!, request.params.id, request.query)),
  });

  app.post('/api/v1/matching/suggestions/:id/accept', {
    config: { access: staff },
    schema: { tags: ['matching'], summary: '采纳匹配建议（转为推荐）', params: IdParams, response: { 200: SuggestionSchema, ...errors } },
    handler: async (request) => inTx((tx) => matching.decide(tx, request.actor!, request.params.id, 'accept')),
  });

  app.post('/api/v1/matching/suggestions/:id/dismiss', {
    config: { access: staff },
    schema: { tags: ['matching'], summary: '驳回匹配建议', params: IdParams, response: { 200: SuggestionSchema, ...errors } },
    handler: async (request) => inTx((tx) => matching.decide(tx, request.actor!, request.params.id, 'dismiss')),
  });
};
