import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  CreatedExchangeClientSchema,
  CreateExchangeClientBody,
  ExchangeCardsFileQuery,
  ExchangeChangesQuery,
  ExchangeChangesSchema,
  ExchangeClientListSchema,
  ExchangeClientSchema,
  ExchangeStatisticsFileQuery,
} from '../../../../contracts/exchange.ts';
import { EXCHANGE_CHANGES_PATH, EXCHANGE_CLIENTS_PATH, EXCHANGE_FILES_PATH } from '../../../../contracts/paths.ts';
import { EXCHANGE_MANAGERS } from '../../../../contracts/roles.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import type { ExchangeFile, ExchangeFiles } from './exchange.files.ts';
import type { ExchangeService } from './exchange.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const exchangeRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; exchange: ExchangeService; files: ExchangeFiles }> = async (
  app,
  { ctx, exchange, files },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);
  /** The file's bytes as they are written, its name in UTF-8 (RFC 6266) with an ASCII fallback. */
  const send = (reply: FastifyReply, file: ExchangeFile) => {
    const stream = new PassThrough();
    void file.write(stream).catch((error) => stream.destroy(error));
    const ext = file.fileName.endsWith('.csv') ? 'csv' : 'xlsx';
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="laowu.${ext}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .send(stream as never);
  };

  app.get(`${EXCHANGE_FILES_PATH}/statistics`, {
    config: { access: { exchange: true } },
    schema: {
      tags: ['exchange'],
      summary: '统计表文件（地区及其下级，与统计汇总同口径；CSV 或 .xlsx；需授予“统计表”类别，见 docs/exchange.md）',
      security: [{ exchangeKey: [] }],
      querystring: ExchangeStatisticsFileQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => send(reply, await files.statistics(ctx.db, request.exchangeClient!, request.query)),
  });

  app.get(`${EXCHANGE_FILES_PATH}/cards`, {
    config: { access: { exchange: true } },
    schema: {
      tags: ['exchange'],
      summary: '劳动力信息卡文件（地区内现存的卡，证件号脱敏，无手机号；CSV 或 .xlsx；需授予“劳动力信息卡”类别，见 docs/exchange.md）',
      security: [{ exchangeKey: [] }],
      querystring: ExchangeCardsFileQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => send(reply, files.cards(ctx.db, request.exchangeClient!, request.query)),
  });

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
