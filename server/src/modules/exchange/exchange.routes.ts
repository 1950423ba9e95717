import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  CreatedExchangeClientSchema,
  CreateExchangeClientBody,
  ExchangeChangesQuery,
  ExchangeChangesSchema,
  ExchangeClientListSchema,
  ExchangeClientSchema,
} from '../../../../contracts/exchange.ts';
import { EXCHANGE_CHANGES_PATH, EXCHANGE_CLIENTS_PATH } from '../../../../contracts/paths.ts';
import { EXCHANGE_MANAGERS } from '../../../../contracts/roles.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import type { ExchangeService } from './exchange.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const exchangeRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; exchange: ExchangeService }> = async (app, { ctx, exchange }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(EXCHANGE_CHANGES_PATH, {
    config: { access: { exchange: true } },
    schema: {
      tags: ['exchange'],
      summary: '变更数据（供上级平台和其他系统增量读取；以接入系统的密钥认证，见 docs/exchange.md）',
      security: [{ exchangeKey: [] }],
      querystring: ExchangeChangesQuery,
      response: { 200: ExchangeChangesSchema, ...errors },
    },
    handler: async (request) => exchange.changes(ctx.db, request.exchangeClient!, request.query),
  });

  app.get(EXCHANGE_CLIENTS_PATH, {
    config: { access: { roles: EXCHANGE_MANAGERS } },
    schema: { tags: ['exchange'], summary: '数据交换接入系统列表', response: { 200: ExchangeClientListSchema, ...errors } },
    handler: async (request) => inTx((tx) => exchange.listClients(tx, request.actor!)),
  });

  app.post(EXCHANGE_CLIENTS_PATH, {
    config: { access: { roles: EXCHANGE_MANAGERS } },
    schema: {
      tags: ['exchange'],
      summary: '登记接入系统（省级管理员）；密钥只在本次响应中显示',
      body: CreateExchangeClientBody,
      response: { 201: CreatedExchangeClientSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => exchange.createClient(tx, request.actor!, request.body))),
  });

  app.post(`${EXCHANGE_CLIENTS_PATH}/:id/revoke`, {
    config: { access: { roles: EXCHANGE_MANAGERS } },
    schema: {
      tags: ['exchange'],
      summary: '吊销接入系统的密钥（省级管理员）',
      params: IdParams,
      response: { 200: ExchangeClientSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => exchange.revokeClient(tx, request.actor!, request.params.id)),
  });
};
