import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  CaseListQuery,
  CreateCaseBody,
  LaborerIdParams,
  LiaisonCaseListSchema,
  LiaisonCaseSchema,
  OfficePostingListSchema,
  OfficePostingQuery,
  UpdateCaseBody,
  WorkerDetailSchema,
  WorkerListQuery,
  WorkerListSchema,
} from '../../../../contracts/liaison.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { CASE_READERS, LIAISON_OFFICE, type LiaisonService } from './liaison.service.ts';
import { LIAISON_CASES_PATH, LIAISON_POSTINGS_PATH, LIAISON_WORKERS_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ['liaison'];

export const liaisonRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; liaison: LiaisonService }> = async (app, { ctx, liaison }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(LIAISON_WORKERS_PATH, {
    config: { access: { roles: LIAISON_OFFICE } },
    schema: {
      tags,
      summary: '驻外服务中心：本县劳动力在驻地城市务工人员（在职就业记录）',
      querystring: WorkerListQuery,
      response: { 200: WorkerListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => liaison.listWorkers(tx, request.actor!, request.query)),
  });

  app.get(`${LIAISON_WORKERS_PATH}/:laborerId`, {
    config: { access: { roles: LIAISON_OFFICE } },
    schema: {
      tags,
      summary: '务工人员详情：当前就业及本中心的问题与帮扶记录',
      params: LaborerIdParams,
      response: { 200: WorkerDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => liaison.getWorker(tx, request.actor!, request.params.laborerId)),
  });

  app.post(`${LIAISON_WORKERS_PATH}/:laborerId/cases`, {
    config: { access: { roles: LIAISON_OFFICE } },
    schema: {
      tags,
      summary: '登记务工人员反映的问题（工资拖欠、劳动纠纷、工伤、生活困难、返乡意愿等）',
      params: LaborerIdParams,
      body: CreateCaseBody,
      response: { 201: LiaisonCaseSchema, ...errors },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await inTx((tx) => liaison.createCase(tx, request.actor!, request.params.laborerId, request.body))),
  });

  app.patch(`${LIAISON_CASES_PATH}/:id`, {
    config: { access: { roles: LIAISON_OFFICE } },
    schema: {
      tags,
      summary: '修改未办结的问题，或填写提供的帮助并办结',
      params: IdParams,
      body: UpdateCaseBody,
      response: { 200: LiaisonCaseSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => liaison.updateCase(tx, request.actor!, request.params.id, request.body)),
  });

  app.get(LIAISON_CASES_PATH, {
    config: { access: { roles: CASE_READERS } },
    schema: {
      tags,
      summary: '问题与帮扶记录（驻外服务中心：本中心的；管理员：本辖区劳动力的）',
      querystring: CaseListQuery,
      response: { 200: LiaisonCaseListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => liaison.listCases(tx, request.actor!, request.query)),
  });

  app.get(LIAISON_POSTINGS_PATH, {
    config: { access: { roles: LIAISON_OFFICE } },
    schema: {
      tags,
      summary: '本中心在驻地城市收集发布的岗位',
      querystring: OfficePostingQuery,
      response: { 200: OfficePostingListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => liaison.listPostings(tx, request.actor!, request.query)),
  });
};
