import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  ApproveSubsidyBody,
  BatchApproveSubsidyBody,
  BatchPaySubsidyBody,
  CreateSubsidyBody,
  DraftRetentionBody,
  DraftRetentionSchema,
  EligibilityQuery,
  EligibilitySchema,
  PaySubsidyBody,
  RejectSubsidyBody,
  SetBankAccountBody,
  SubsidyListQuery,
  SubsidyBatchSchema,
  SubsidyListSchema,
  SubsidySchema,
  SubsidySummaryQuery,
  SubsidySummarySchema,
} from '../../../../contracts/subsidies.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { SUBSIDY_APPROVERS, SUBSIDY_MANAGERS, SUBSIDY_STAFF, type SubsidiesService } from './subsidies.service.ts';
import {
  RETENTION_DRAFT_PATH,
  RETENTION_ELIGIBILITY_PATH,
  SUBSIDIES_PATH,
  SUBSIDY_APPROVALS_PATH,
  SUBSIDY_PAYMENTS_PATH,
  SUBSIDY_SUMMARY_PATH,
} from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const subsidyRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; subsidies: SubsidiesService }> = async (
  app,
  { ctx, subsidies },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.post(SUBSIDIES_PATH, {
    config: { access: { roles: SUBSIDY_STAFF } },
    schema: {
      tags: ['subsidies'],
      summary: '申请补贴：劳动力个人补贴，或用人单位（扶贫车间）补贴、稳岗补贴',
      body: CreateSubsidyBody,
      response: { 201: SubsidySchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => subsidies.apply(tx, request.actor!, request.body))),
  });

  app.get(SUBSIDIES_PATH, {
    config: { access: { roles: SUBSIDY_STAFF } },
    schema: {
      tags: ['subsidies'],
      summary: '补贴列表（按状态、类别、对象筛选；queue=true 为待我审批）',
      querystring: SubsidyListQuery,
      response: { 200: SubsidyListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => subsidies.list(tx, request.actor!, request.query)),
  });

  app.get(SUBSIDY_SUMMARY_PATH, {
    config: { access: { roles: SUBSIDY_STAFF } },
    schema: {
      tags: ['subsidies'],
      summary: '补贴统计：期间内按类别的享受人数、发放笔数和金额',
      querystring: SubsidySummaryQuery,
      response: { 200: SubsidySummarySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => subsidies.summary(tx, request.actor!, request.query)),
  });

  app.get(RETENTION_ELIGIBILITY_PATH, {
    config: { access: { roles: SUBSIDY_MANAGERS } },
    schema: {
      tags: ['subsidies'],
      summary: '稳岗补贴测算：本辖区用人单位连续稳定就业一年以上的劳动力名单',
      querystring: EligibilityQuery,
      response: { 200: EligibilitySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => subsidies.eligibility(tx, request.actor!, request.query)),
  });

  app.post(RETENTION_DRAFT_PATH, {
    config: { access: { roles: SUBSIDY_MANAGERS } },
    schema: {
      tags: ['subsidies'],
      summary: '生成稳岗补贴申请名单（待审批）',
      body: DraftRetentionBody,
      response: { 201: DraftRetentionSchema, ...errors },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await inTx((tx) => subsidies.draftRetention(tx, request.actor!, request.body))),
  });

  app.post(SUBSIDY_APPROVALS_PATH, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary:
        '批量审批通过：所选申请一并通过，填写审批意见；任一笔不能审批（本人申请、不在辖区、已不在待审批）则全部不通过，并逐笔说明原因',
      body: BatchApproveSubsidyBody,
      response: { 200: SubsidyBatchSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => subsidies.approveMany(tx, request.actor!, request.body)),
  });

  app.post(SUBSIDY_PAYMENTS_PATH, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary:
        '批量发放：所选已审批的补贴一并记为已发放（发放日期、发放说明）；任一笔不能发放（已发放、未审批、不在辖区）则全部不发放，并逐笔说明原因',
      body: BatchPaySubsidyBody,
      response: { 200: SubsidyBatchSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => subsidies.payMany(tx, request.actor!, request.body)),
  });

  app.get(`${SUBSIDIES_PATH}/:id`, {
    config: { access: { roles: SUBSIDY_STAFF } },
    schema: {
      tags: ['subsidies'],
      summary: '补贴详情（申请、审批、发放各环节的经办人和时间）',
      params: IdParams,
      response: { 200: SubsidySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => subsidies.get(tx, request.actor!, request.params.id)),
  });

  app.post(`${SUBSIDIES_PATH}/:id/approve`, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary: '审批通过（县级及以上人社部门，申请人本人不能审批）',
      params: IdParams,
      body: ApproveSubsidyBody,
      response: { 200: SubsidySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => subsidies.approve(tx, request.actor!, request.params.id, request.body?.note)),
  });

  app.post(`${SUBSIDIES_PATH}/:id/reject`, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary: '驳回补贴申请',
      params: IdParams,
      body: RejectSubsidyBody,
      response: { 200: SubsidySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => subsidies.reject(tx, request.actor!, request.params.id, request.body)),
  });

  app.put(`${SUBSIDIES_PATH}/:id/bank-account`, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary: '填写或更正个人补贴的收款银行账号（未发放、且不在待回盘的代发批次中；须说明原因，记入审计）',
      params: IdParams,
      body: SetBankAccountBody,
      response: { 200: SubsidySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => subsidies.setBankAccount(tx, request.actor!, request.params.id, request.body)),
  });

  app.post(`${SUBSIDIES_PATH}/:id/pay`, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary: '发放补贴（每笔只能发放一次）',
      params: IdParams,
      body: PaySubsidyBody,
      response: { 200: SubsidySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => subsidies.pay(tx, request.actor!, request.params.id, request.body ?? {})),
  });
};
