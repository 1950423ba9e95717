import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  CardEmploymentsSchema,
  CaseListQuery,
  CloseCaseBody,
  ConfirmEmploymentBody,
  CorrectEmploymentBody,
  CreateEmploymentBody,
  EmploymentDetailSchema,
  EmploymentListQuery,
  EmploymentListSchema,
  EndEmploymentBody,
  FollowUpListQuery,
  FollowUpListSchema,
  FollowUpSchema,
  OverdueQuery,
  OverdueSummarySchema,
  FollowUpBatchSchema,
  RecordFollowUpBody,
  RecordFollowUpsBody,
  ReemploymentCaseListSchema,
  ReemploymentCaseSchema,
  UpdateCaseBody,
} from '../../../../contracts/employment.ts';
import { FOLLOW_UP_RECORDS_PATH } from '../../../../contracts/paths.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import {
  EMPLOYMENT_ENDERS,
  EMPLOYMENT_READERS,
  EMPLOYMENT_STAFF,
  FOLLOW_UP_WORKERS,
  type EmploymentService,
} from './employment.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const employmentRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; employment: EmploymentService }> = async (
  app,
  { ctx, employment },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get('/api/v1/employments', {
    config: { access: { roles: EMPLOYMENT_READERS } },
    schema: {
      tags: ['employment'],
      summary: '就业记录列表（工作人员：本辖区劳动力；用人单位：本单位职工；驻外服务中心：在本市务工的本县劳动力）',
      querystring: EmploymentListQuery,
      response: { 200: EmploymentListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.list(tx, request.actor!, request.query)),
  });

  app.post('/api/v1/employments', {
    config: { access: { roles: EMPLOYMENT_STAFF } },
    schema: {
      tags: ['employment'],
      summary: '登记就业（自主就业、创业、公益性岗位等；经推荐录用的由推荐流程自动登记），并排定 1、3、6、12 个月回访',
      body: CreateEmploymentBody,
      response: { 201: EmploymentDetailSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => employment.create(tx, request.actor!, request.body))),
  });

  app.get('/api/v1/employments/:id', {
    config: { access: { roles: EMPLOYMENT_READERS } },
    schema: {
      tags: ['employment'],
      summary: '就业记录详情，含回访与转岗服务',
      params: IdParams,
      response: { 200: EmploymentDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.get(tx, request.actor!, request.params.id)),
  });

  app.post('/api/v1/employments/:id/end', {
    config: { access: { roles: EMPLOYMENT_ENDERS } },
    schema: {
      tags: ['employment'],
      summary: '登记离职：结束就业记录，开启转岗服务，劳动力回到求职需求清单',
      params: IdParams,
      body: EndEmploymentBody,
      response: { 200: EmploymentDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.end(tx, request.actor!, request.params.id, request.body)),
  });

  app.post('/api/v1/employments/:id/confirmations', {
    config: { access: { roles: ['employer'] } },
    schema: {
      tags: ['employment'],
      summary: '用人单位确认本单位职工仍在岗（就业记录的核实依据之一，计入统计的“本季度已核实”）',
      params: IdParams,
      body: ConfirmEmploymentBody,
      response: { 200: EmploymentDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.confirm(tx, request.actor!, request.params.id, request.body ?? {})),
  });

  app.post('/api/v1/employments/:id/corrections', {
    config: { access: { roles: EMPLOYMENT_STAFF } },
    schema: {
      tags: ['employment'],
      summary: '更正就业记录的入职或离职日期、工作地、月工资：须说明原因，每次更正记入就业记录台账并影响所涉日期的统计',
      params: IdParams,
      body: CorrectEmploymentBody,
      response: { 200: EmploymentDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.correct(tx, request.actor!, request.params.id, request.body)),
  });

  app.get('/api/v1/laborers/:id/employments', {
    config: { access: { roles: EMPLOYMENT_STAFF } },
    schema: {
      tags: ['employment'],
      summary: '信息卡上的就业情况：由就业记录得出的就业状态、当前工作（工作地、单位、入职日期、月工资）和以往工作',
      params: IdParams,
      response: { 200: CardEmploymentsSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.cardEmployments(tx, request.actor!, request.params.id)),
  });

  app.get('/api/v1/follow-ups', {
    config: { access: { roles: FOLLOW_UP_WORKERS } },
    schema: {
      tags: ['employment'],
      summary: '回访任务（待回访、逾期、已回访；mine=true 只看本人负责的）',
      querystring: FollowUpListQuery,
      response: { 200: FollowUpListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.followUps(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/follow-ups/overdue', {
    config: { access: { roles: EMPLOYMENT_STAFF } },
    schema: {
      tags: ['employment'],
      summary: '逾期回访：按下级区划和责任人统计',
      querystring: OverdueQuery,
      response: { 200: OverdueSummarySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.overdue(tx, request.actor!, request.query)),
  });

  app.post(FOLLOW_UP_RECORDS_PATH, {
    config: { access: { roles: FOLLOW_UP_WORKERS } },
    schema: {
      tags: ['employment'],
      summary:
        '批量记录回访：所选多人的回访一并记录（同一回访日期、方式、是否在岗、问题与帮扶）；任一条不能记录则全部不记录，并逐条说明原因',
      body: RecordFollowUpsBody,
      response: { 200: FollowUpBatchSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.recordFollowUps(tx, request.actor!, request.body)),
  });

  app.post('/api/v1/follow-ups/:id', {
    config: { access: { roles: FOLLOW_UP_WORKERS } },
    schema: {
      tags: ['employment'],
      summary: '记录回访：日期、方式、是否在岗、问题与帮扶；不在岗则登记离职并开启转岗服务',
      params: IdParams,
      body: RecordFollowUpBody,
      response: { 200: FollowUpSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.recordFollowUp(tx, request.actor!, request.params.id, request.body)),
  });

  app.get('/api/v1/reemployment-cases', {
    config: { access: { roles: EMPLOYMENT_STAFF } },
    schema: {
      tags: ['employment'],
      summary: '转岗服务列表',
      querystring: CaseListQuery,
      response: { 200: ReemploymentCaseListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.cases(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/reemployment-cases/:id', {
    config: { access: { roles: EMPLOYMENT_STAFF } },
    schema: {
      tags: ['employment'],
      summary: '转岗服务详情（新岗位推荐见 /laborers/:id/recommendations）',
      params: IdParams,
      response: { 200: ReemploymentCaseSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.getCase(tx, request.actor!, request.params.id)),
  });

  app.patch('/api/v1/reemployment-cases/:id', {
    config: { access: { roles: EMPLOYMENT_STAFF } },
    schema: {
      tags: ['employment'],
      summary: '记录转岗服务：失业保险金、转岗培训、服务记录',
      params: IdParams,
      body: UpdateCaseBody,
      response: { 200: ReemploymentCaseSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.updateCase(tx, request.actor!, request.params.id, request.body)),
  });

  app.post('/api/v1/reemployment-cases/:id/close', {
    config: { access: { roles: EMPLOYMENT_STAFF } },
    schema: {
      tags: ['employment'],
      summary: '结案（暂无就业意愿、迁出或失联等；重新就业时自动结案）',
      params: IdParams,
      body: CloseCaseBody,
      response: { 200: ReemploymentCaseSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employment.closeCase(tx, request.actor!, request.params.id, request.body)),
  });
};
