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
import {
  AccreditBody,
  RemoveBody,
  ReviewBody,
  StandingQuery,
  StandingSchema,
  VisitBody,
  VisitListSchema,
  VisitRosterQuery,
  VisitRosterSchema,
  VisitSchema,
} from '../../../../contracts/workshops.ts';
import type { AppContext } from '../../context.ts';
import { createStandingService } from './standing.service.ts';
import type { Tx } from '../../db/database.ts';
import { WORKSHOP_EDITORS, WORKSHOP_READERS, type WorkshopsService } from './workshops.service.ts';
import { DESIGNATED_SUMMARY_PATH, WORKSHOPS_PATH, WORKSHOP_SUMMARY_PATH } from '../../../../contracts/paths.ts';
import { STANDING_DECIDERS, STATS_READERS, VISITORS } from '../../../../contracts/roles.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const workshopRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; workshops: WorkshopsService }> = async (
  app,
  { ctx, workshops },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);
  const standing = createStandingService({ audit: ctx.audit });

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

  // 认定、年审、摘牌 (issue 20 item 8): the standing as of a day, and the acts that change it.
  app.get(`${WORKSHOPS_PATH}/:id/standing`, {
    config: { access: { roles: WORKSHOP_READERS } },
    schema: {
      tags: ['workshops'],
      summary: '扶贫车间（基地）截至某日的认定状态（已认定 / 已摘牌 / 未认定）、最近一次年审及认定、年审、摘牌记录',
      params: IdParams,
      querystring: StandingQuery,
      response: { 200: StandingSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => standing.standing(tx, request.actor!, request.params.id, request.query)),
  });

  app.post(`${WORKSHOPS_PATH}/:id/accreditations`, {
    config: { access: { roles: STANDING_DECIDERS } },
    schema: {
      tags: ['workshops'],
      summary: '认定扶贫车间（基地）：核查并记录认定条件（按就业记录在岗的贫困劳动力人数及占比、场所、劳动合同），县级及以上管理员办理',
      params: IdParams,
      body: AccreditBody,
      response: { 201: StandingSchema, ...errors },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await inTx((tx) => standing.accredit(tx, request.actor!, request.params.id, request.body))),
  });

  app.post(`${WORKSHOPS_PATH}/:id/reviews`, {
    config: { access: { roles: STANDING_DECIDERS } },
    schema: {
      tags: ['workshops'],
      summary: '扶贫车间（基地）年审：某年度通过或未通过（未通过须写明发现的问题），每年度一次',
      params: IdParams,
      body: ReviewBody,
      response: { 201: StandingSchema, ...errors },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await inTx((tx) => standing.review(tx, request.actor!, request.params.id, request.body))),
  });

  app.post(`${WORKSHOPS_PATH}/:id/removal`, {
    config: { access: { roles: STANDING_DECIDERS } },
    schema: {
      tags: ['workshops'],
      summary: '扶贫车间（基地）摘牌：摘牌日期（当日起不再具有认定资格）和原因',
      params: IdParams,
      body: RemoveBody,
      response: { 201: StandingSchema, ...errors },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await inTx((tx) => standing.remove(tx, request.actor!, request.params.id, request.body))),
  });

  // 巡诊 of 就业扶贫基地 (湘潭's practice in the second article).
  app.get(`${WORKSHOPS_PATH}/:id/visits`, {
    config: { access: { roles: WORKSHOP_READERS } },
    schema: {
      tags: ['workshops'],
      summary: '就业扶贫基地的巡诊记录：巡诊日期、巡诊人、情况，以及逐人核查结果',
      params: IdParams,
      response: { 200: VisitListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => standing.visits(tx, request.actor!, request.params.id)),
  });

  app.get(`${WORKSHOPS_PATH}/:id/visits/roster`, {
    config: { access: { roles: VISITORS } },
    schema: {
      tags: ['workshops'],
      summary: '巡诊核查名单：巡诊当日按就业记录在该基地就业的贫困劳动力（身份证号脱敏）',
      params: IdParams,
      querystring: VisitRosterQuery,
      response: { 200: VisitRosterSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => standing.roster(tx, request.actor!, request.params.id, request.query)),
  });

  app.post(`${WORKSHOPS_PATH}/:id/visits`, {
    config: { access: { roles: VISITORS } },
    schema: {
      tags: ['workshops'],
      summary: '登记就业扶贫基地巡诊：当日在该基地就业的每一名贫困劳动力逐一核查（在岗 / 未见到 / 已离职）',
      params: IdParams,
      body: VisitBody,
      response: { 201: VisitSchema, ...errors },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await inTx((tx) => standing.recordVisit(tx, request.actor!, request.params.id, request.body))),
  });
};
