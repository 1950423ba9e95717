import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  AgreementListQuery,
  AgreementListSchema,
  AgreementSchema,
  CreateAgreementBody,
  UpdateAgreementBody,
} from '../../../../contracts/agreements.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { AGREEMENT_READERS, AGREEMENT_WRITERS, type AgreementsService } from './agreements.service.ts';
import { AGREEMENTS_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const agreementRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; agreements: AgreementsService }> = async (
  app,
  { ctx, agreements },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(AGREEMENTS_PATH, {
    config: { access: { roles: AGREEMENT_READERS } },
    schema: {
      tags: ['agreements'],
      summary: '劳务协作协议列表：输出地或输入地与本辖区有交集的协议，附承诺事项及按平台记录计算的进度',
      querystring: AgreementListQuery,
      response: { 200: AgreementListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => agreements.list(tx, request.actor!, request.query)),
  });

  app.post(AGREEMENTS_PATH, {
    config: { access: { roles: AGREEMENT_WRITERS } },
    schema: {
      tags: ['agreements'],
      summary: '登记劳务协作协议（本辖区须为输出地或输入地）',
      body: CreateAgreementBody,
      response: { 201: AgreementSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => agreements.create(tx, request.actor!, request.body))),
  });

  app.get(`${AGREEMENTS_PATH}/:id`, {
    config: { access: { roles: AGREEMENT_READERS } },
    schema: {
      tags: ['agreements'],
      summary: '劳务协作协议详情：各项承诺及其进度（提供岗位、转移就业按平台记录计算）',
      params: IdParams,
      response: { 200: AgreementSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => agreements.get(tx, request.actor!, request.params.id)),
  });

  app.patch(`${AGREEMENTS_PATH}/:id`, {
    config: { access: { roles: AGREEMENT_WRITERS } },
    schema: {
      tags: ['agreements'],
      summary: '修改劳务协作协议（承诺事项整体替换）',
      params: IdParams,
      body: UpdateAgreementBody,
      response: { 200: AgreementSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => agreements.update(tx, request.actor!, request.params.id, request.body)),
  });
};
