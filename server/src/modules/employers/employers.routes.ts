import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  CreateEmployerBody,
  EmployerListQuery,
  EmployerListSchema,
  EmployerSchema,
  UpdateEmployerBody,
} from '../../../../contracts/employers.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { EMPLOYER_CREATORS, EMPLOYER_EDITORS, EMPLOYER_READERS, type EmployersService } from './employers.service.ts';
import { EMPLOYERS_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const employerRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; employers: EmployersService }> = async (
  app,
  { ctx, employers },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(EMPLOYERS_PATH, {
    config: { access: { roles: EMPLOYER_READERS } },
    schema: {
      tags: ['employers'],
      summary: '用人单位列表：按所在地、类型、行业筛选，按名称或统一社会信用代码查找',
      querystring: EmployerListQuery,
      response: { 200: EmployerListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employers.list(tx, request.actor!, request.query)),
  });

  app.post(EMPLOYERS_PATH, {
    config: { access: { roles: EMPLOYER_CREATORS } },
    schema: {
      tags: ['employers'],
      summary: '登记用人单位（统一社会信用代码按 GB 32100 校验）',
      body: CreateEmployerBody,
      response: { 201: EmployerSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => employers.create(tx, request.actor!, request.body))),
  });

  app.get(`${EMPLOYERS_PATH}/:id`, {
    config: { access: { roles: EMPLOYER_READERS } },
    schema: { tags: ['employers'], summary: '用人单位详情', params: IdParams, response: { 200: EmployerSchema, ...errors } },
    handler: async (request) => inTx((tx) => employers.get(tx, request.actor!, request.params.id)),
  });

  app.patch(`${EMPLOYERS_PATH}/:id`, {
    config: { access: { roles: EMPLOYER_EDITORS } },
    schema: {
      tags: ['employers'],
      summary: '修改用人单位信息',
      params: IdParams,
      body: UpdateEmployerBody,
      response: { 200: EmployerSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => employers.update(tx, request.actor!, request.params.id, request.body)),
  });
};
