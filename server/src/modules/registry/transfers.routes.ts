import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  CreateTransferBody,
  DecideTransferBody,
  RejectTransferBody,
  TransferListQuery,
  TransferListSchema,
  TransferRequestSchema,
} from '../../../../contracts/laborers.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { CARD_WRITERS } from './laborers.service.ts';
import { TRANSFER_DECIDERS, type TransfersService } from './transfers.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
/** Requests are made and followed by the staff who keep the cards. */
const registryStaff = { roles: CARD_WRITERS };
/** Decisions: the admins and township operators of the region holding the card. */
const deciders = { roles: TRANSFER_DECIDERS };

export const transferRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; transfers: TransfersService }> = async (
  app,
  { ctx, transfers },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get('/api/v1/laborers/transfer-requests', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '迁移申请：incoming 为本辖区信息卡收到的申请，outgoing 为迁入本辖区的申请',
      querystring: TransferListQuery,
      response: { 200: TransferListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => transfers.list(tx, request.actor!, request.query)),
  });

  app.post('/api/v1/laborers/transfer-requests', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '向信息卡所在县申请将信息卡迁入本辖区的村（只告知所在县）',
      body: CreateTransferBody,
      response: { 201: TransferRequestSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => transfers.create(tx, request.actor!, request.body))),
  });

  app.post('/api/v1/laborers/transfer-requests/:id/approve', {
    config: { access: deciders },
    schema: {
      tags: ['laborers'],
      summary: '批准迁移申请：信息卡的户籍所在村改为迁入村，记入动态管理台账',
      params: IdParams,
      body: DecideTransferBody,
      response: { 200: TransferRequestSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => transfers.approve(tx, request.actor!, request.params.id, request.body.reason)),
  });

  app.post('/api/v1/laborers/transfer-requests/:id/reject', {
    config: { access: deciders },
    schema: {
      tags: ['laborers'],
      summary: '驳回迁移申请（须说明理由）',
      params: IdParams,
      body: RejectTransferBody,
      response: { 200: TransferRequestSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => transfers.reject(tx, request.actor!, request.params.id, request.body.reason)),
  });
};
