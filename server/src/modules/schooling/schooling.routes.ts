import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import { SCHOOL_ENROLMENTS_PATH } from '../../../../contracts/paths.ts';
import { ENROLMENT_STAFF } from '../../../../contracts/roles.ts';
import {
  CreateEnrolmentBody,
  EnrolmentListQuery,
  EnrolmentListSchema,
  EnrolmentSchema,
  FinishEnrolmentBody,
} from '../../../../contracts/schooling.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import type { SchoolingService } from './schooling.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const schoolingRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; schooling: SchoolingService }> = async (
  app,
  { ctx, schooling },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(SCHOOL_ENROLMENTS_PATH, {
    config: { access: { roles: ENROLMENT_STAFF } },
    schema: {
      tags: ['schooling'],
      summary: '两后生就读登记列表：本辖区劳动力的技工院校入学、毕业及毕业后就业（证件号脱敏）',
      querystring: EnrolmentListQuery,
      response: { 200: EnrolmentListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => schooling.list(tx, request.actor!, request.query)),
  });

  app.post(SCHOOL_ENROLMENTS_PATH, {
    config: { access: { roles: ENROLMENT_STAFF } },
    schema: {
      tags: ['schooling'],
      summary: '登记两后生就读：学校、学校所在地、专业、入学日期（可含毕业日期）',
      body: CreateEnrolmentBody,
      response: { 201: EnrolmentSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => schooling.create(tx, request.actor!, request.body))),
  });

  app.post(`${SCHOOL_ENROLMENTS_PATH}/:id/finish`, {
    config: { access: { roles: ENROLMENT_STAFF } },
    schema: {
      tags: ['schooling'],
      summary: '登记两后生毕业（结业）日期',
      params: IdParams,
      body: FinishEnrolmentBody,
      response: { 200: EnrolmentSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => schooling.finish(tx, request.actor!, request.params.id, request.body)),
  });
};
