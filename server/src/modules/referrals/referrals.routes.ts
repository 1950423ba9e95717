import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  CreateReferralBody,
  ReferralDetailSchema,
  ReferralListQuery,
  ReferralListSchema,
  ReferralStepBody,
} from '../../../../contracts/referrals.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { REFERRAL_CREATORS, REFERRAL_HANDLERS, REFERRAL_READERS, type ReferralsService } from './referrals.service.ts';
import { REFERRALS_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const referralRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; referrals: ReferralsService }> = async (
  app,
  { ctx, referrals },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.post(REFERRALS_PATH, {
    config: { access: { roles: REFERRAL_CREATORS } },
    schema: {
      tags: ['referrals'],
      summary: '推荐本辖区劳动力到在招岗位（同一劳动力与岗位只能有一条进行中的推荐）',
      body: CreateReferralBody,
      response: { 201: ReferralDetailSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => referrals.create(tx, request.actor!, request.body))),
  });

  app.get(REFERRALS_PATH, {
    config: { access: { roles: REFERRAL_READERS } },
    schema: {
      tags: ['referrals'],
      summary: '推荐列表（工作人员：本辖区劳动力；用人单位：本单位岗位的应聘人员；劳务经纪人：本人的推荐及结果）',
      querystring: ReferralListQuery,
      response: { 200: ReferralListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => referrals.list(tx, request.actor!, request.query)),
  });

  app.get(`${REFERRALS_PATH}/:id`, {
    config: { access: { roles: REFERRAL_READERS } },
    schema: {
      tags: ['referrals'],
      summary: '推荐详情及每一步的时间和经办人',
      params: IdParams,
      response: { 200: ReferralDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => referrals.get(tx, request.actor!, request.params.id)),
  });

  app.post(`${REFERRALS_PATH}/:id/steps`, {
    config: { access: { roles: REFERRAL_HANDLERS } },
    schema: {
      tags: ['referrals'],
      summary: '推荐进度：面试、录用（建立就业记录）、未录用、撤回',
      params: IdParams,
      body: ReferralStepBody,
      response: { 200: ReferralDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => referrals.step(tx, request.actor!, request.params.id, request.body)),
  });
};
