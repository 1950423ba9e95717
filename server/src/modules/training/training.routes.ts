import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import { TRAINING_CLASSES_PATH } from '../../../../contracts/paths.ts';
import {
  AttendanceBody,
  CertificateBody,
  CreateTrainingClassBody,
  EnrolBody,
  FinishSchema,
  RosterSchema,
  TrainingClassListQuery,
  TrainingClassListSchema,
  TrainingClassSchema,
} from '../../../../contracts/training.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { TRAINING_ORGANISERS, type TrainingService } from './training.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const access = { access: { roles: TRAINING_ORGANISERS } };

export const trainingRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; training: TrainingService }> = async (app, { ctx, training }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(TRAINING_CLASSES_PATH, {
    config: access,
    schema: {
      tags: ['training'],
      summary: '职业培训班列表（本辖区组织的培训班）',
      querystring: TrainingClassListQuery,
      response: { 200: TrainingClassListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => training.list(tx, request.actor!, request.query)),
  });

  app.post(TRAINING_CLASSES_PATH, {
    config: access,
    schema: {
      tags: ['training'],
      summary: '开办职业培训班：培训机构、培训项目、职业（大典代码）、课时、起止日期、组织地区、每人培训补贴',
      body: CreateTrainingClassBody,
      response: { 201: TrainingClassSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => training.create(tx, request.actor!, request.body))),
  });

  app.get(`${TRAINING_CLASSES_PATH}/:id`, {
    config: access,
    schema: {
      tags: ['training'],
      summary: '培训班详情（报名、结业、证书人数及培训补贴合计）',
      params: IdParams,
      response: { 200: TrainingClassSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => training.get(tx, request.actor!, request.params.id)),
  });

  app.get(`${TRAINING_CLASSES_PATH}/:id/roster`, {
    config: access,
    schema: {
      tags: ['training'],
      summary: '培训班花名册（证件号、手机号脱敏）：出勤课时、结业结果、证书、培训补贴',
      params: IdParams,
      response: { 200: RosterSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => training.roster(tx, request.actor!, request.params.id)),
  });

  app.post(`${TRAINING_CLASSES_PATH}/:id/roster`, {
    config: access,
    schema: {
      tags: ['training'],
      summary: '报名：将组织地区内的劳动力加入花名册（每人每班一次）',
      params: IdParams,
      body: EnrolBody,
      response: { 200: RosterSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => training.enrol(tx, request.actor!, request.params.id, request.body)),
  });

  app.post(`${TRAINING_CLASSES_PATH}/:id/attendance`, {
    config: access,
    schema: {
      tags: ['training'],
      summary: '登记出勤课时（每人累计出勤课时）',
      params: IdParams,
      body: AttendanceBody,
      response: { 200: RosterSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => training.attendance(tx, request.actor!, request.params.id, request.body)),
  });

  app.post(`${TRAINING_CLASSES_PATH}/:id/finish`, {
    config: access,
    schema: {
      tags: ['training'],
      summary: '结业：出勤达到要求的人员记入职业培训服务记录，并生成职业培训补贴申请（每人每班只生成一次）',
      params: IdParams,
      response: { 200: FinishSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => training.finish(tx, request.actor!, request.params.id)),
  });

  app.post(`${TRAINING_CLASSES_PATH}/:id/certificates`, {
    config: access,
    schema: {
      tags: ['training'],
      summary: '登记结业人员的证书（证书种类、编号）',
      params: IdParams,
      body: CertificateBody,
      response: { 200: RosterSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => training.certificate(tx, request.actor!, request.params.id, request.body)),
  });
};
