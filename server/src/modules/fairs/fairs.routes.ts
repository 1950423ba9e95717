import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  AddFairPostingsBody,
  AttendeeBatchResultSchema,
  AttendeeListQuery,
  AttendeeListSchema,
  AttendeeRowResultSchema,
  CreateFairBody,
  CreateIntentionBody,
  FairDetailSchema,
  FairListQuery,
  FairListSchema,
  FairResultsQuery,
  FairResultsSchema,
  IntentionSchema,
  PreRecruitmentSchema,
  RegisterAttendeeBody,
  RegisterAttendeesBody,
} from '../../../../contracts/fairs.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { FAIR_STAFF, type FairsService } from './fairs.service.ts';
import { FAIRS_PATH, FAIR_RESULTS_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const access = { roles: FAIR_STAFF };
/** Door registration also answers 429 FAIR_LOOKUP_RATE (lookups per account and minute or day). */
const doorErrors = { ...errors, 429: ErrorSchema };

export const fairRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; fairs: FairsService }> = async (app, { ctx, fairs }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(FAIR_RESULTS_PATH, {
    config: { access },
    schema: {
      tags: ['fairs'],
      summary: '招聘会成效表（场次、参会人数、其中贫困劳动力、达成就业意向、其中贫困劳动力、录用），按区划与时段汇总',
      querystring: FairResultsQuery,
      response: { 200: FairResultsSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => fairs.results(tx, request.actor!, request.query)),
  });

  app.post(FAIRS_PATH, {
    config: { access },
    schema: {
      tags: ['fairs'],
      summary: '举办招聘会（线上/线下，可在村开展），登记参会单位和岗位',
      body: CreateFairBody,
      response: { 201: FairDetailSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => fairs.create(tx, request.actor!, request.body))),
  });

  app.get(FAIRS_PATH, {
    config: { access },
    schema: {
      tags: ['fairs'],
      summary: '本辖区招聘会列表及成效',
      querystring: FairListQuery,
      response: { 200: FairListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => fairs.list(tx, request.actor!, request.query)),
  });

  app.get(`${FAIRS_PATH}/:id`, {
    config: { access },
    schema: {
      tags: ['fairs'],
      summary: '招聘会详情：参会单位、岗位与成效',
      params: IdParams,
      response: { 200: FairDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => fairs.get(tx, request.actor!, request.params.id)),
  });

  app.post(`${FAIRS_PATH}/:id/postings`, {
    config: { access },
    schema: {
      tags: ['fairs'],
      summary: '增加参会岗位（及其用人单位）',
      params: IdParams,
      body: AddFairPostingsBody,
      response: { 200: FairDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => fairs.addPostings(tx, request.actor!, request.params.id, request.body.postingIds)),
  });

  app.post(`${FAIRS_PATH}/:id/attendees`, {
    config: { access },
    schema: {
      tags: ['fairs'],
      summary:
        '现场登记一名参会人员（身份证号或手机号；识别建档立卡贫困劳动力，本辖区以外的只答“贫困劳动力（外县）”；同一场次不重复登记；每账号识别次数限流）',
      params: IdParams,
      body: RegisterAttendeeBody,
      response: { 201: AttendeeRowResultSchema, ...doorErrors },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await inTx((tx) => fairs.registerOne(tx, request.actor!, request.params.id, request.body.identifier))),
  });

  app.post(`${FAIRS_PATH}/:id/attendees/batch`, {
    config: { access },
    schema: {
      tags: ['fairs'],
      summary: '批量现场登记（至多 200 人，一个事务，逐行返回结果；本辖区以外的贫困劳动力不显示身份信息；每账号识别次数限流）',
      params: IdParams,
      body: RegisterAttendeesBody,
      response: { 200: AttendeeBatchResultSchema, ...doorErrors },
    },
    handler: async (request) => inTx((tx) => fairs.register(tx, request.actor!, request.params.id, request.body.identifiers)),
  });

  app.get(`${FAIRS_PATH}/:id/attendees`, {
    config: { access },
    schema: {
      tags: ['fairs'],
      summary: '参会人员及其就业意向（个人信息，查看留痕）',
      params: IdParams,
      querystring: AttendeeListQuery,
      response: { 200: AttendeeListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => fairs.attendees(tx, request.actor!, request.params.id, request.query)),
  });

  app.post(`${FAIRS_PATH}/:id/intentions`, {
    config: { access },
    schema: {
      tags: ['fairs'],
      summary: '登记达成就业意向（可同时生成“招聘会”渠道的推荐）',
      params: IdParams,
      body: CreateIntentionBody,
      response: { 201: IntentionSchema, ...errors },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await inTx((tx) => fairs.createIntention(tx, request.actor!, request.params.id, request.body))),
  });

  app.get(`${FAIRS_PATH}/:id/pre-recruitment`, {
    config: { access },
    schema: {
      tags: ['fairs'],
      summary: '在村招聘会的预招名单：该村求职劳动力及是否到场',
      params: IdParams,
      response: { 200: PreRecruitmentSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => fairs.preRecruitment(tx, request.actor!, request.params.id)),
  });
};
