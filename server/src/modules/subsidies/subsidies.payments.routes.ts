import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { SUBSIDY_PAYMENT_BATCHES_PATH } from '../../../../contracts/paths.ts';
import {
  CreatePaymentBatchBody,
  PaymentBatchListQuery,
  PaymentBatchListSchema,
  PaymentBatchParams,
  PaymentBatchSchema,
  PaymentNoticeSchema,
  PaymentReturnBody,
  PaymentReturnSchema,
} from '../../../../contracts/subsidy-payments.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { attachment } from '../registry/index.ts';
import type { SubsidyPaymentsService } from './subsidies.payments.service.ts';
import { SUBSIDY_APPROVERS } from './subsidies.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

/** 补贴代发 (issue 21 item 6): admins of the county or above (the service refuses a township-bound admin). */
export const subsidyPaymentRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; payments: SubsidyPaymentsService }> = async (
  app,
  { ctx, payments },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.post(SUBSIDY_PAYMENT_BATCHES_PATH, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary: '生成补贴代发批次：本县已审批、有银行账号、未编入其他批次（或在其他批次中发放失败）的个人补贴，按月一批',
      body: CreatePaymentBatchBody,
      response: { 201: PaymentBatchSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => payments.create(tx, request.actor!, request.body))),
  });

  app.get(SUBSIDY_PAYMENT_BATCHES_PATH, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary: '补贴代发批次列表：本人辖区内各县的批次，新建的在前，含已发放、失败、待回盘笔数',
      querystring: PaymentBatchListQuery,
      response: { 200: PaymentBatchListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => payments.list(tx, request.actor!, request.query)),
  });

  app.get(`${SUBSIDY_PAYMENT_BATCHES_PATH}/:id`, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary: '查看一个补贴代发批次及其明细（账号遮挡），可重新下载代发文件或导入回盘',
      params: PaymentBatchParams,
      response: { 200: PaymentBatchSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => payments.view(tx, request.actor!, request.params.id)),
  });

  app.get(`${SUBSIDY_PAYMENT_BATCHES_PATH}/:id/bank-file`, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary: '下载银行代发文件（CSV，GBK 编码；序号、收款账号、收款人姓名、金额、业务参考号，格式见 docs/payments.md）',
      params: PaymentBatchParams,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const file = await inTx((tx) => payments.bankFile(tx, request.actor!, request.params.id));
      return reply
        .header('content-type', 'text/csv; charset=GBK')
        .header('content-disposition', attachment(file.fileName))
        .send(file.body as never);
    },
  });

  app.post(`${SUBSIDY_PAYMENT_BATCHES_PATH}/:id/returns`, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary: '导入银行回盘文件（业务参考号、成功/失败、失败原因）：成功的记为已发放，失败的可编入下一批次；整份文件全部导入或全部不导入',
      params: PaymentBatchParams,
      body: PaymentReturnBody,
      response: { 200: PaymentReturnSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => payments.importReturn(tx, request.actor!, request.params.id, request.body)),
  });

  app.get(`${SUBSIDY_PAYMENT_BATCHES_PATH}/:id/notice`, {
    config: { access: { roles: SUBSIDY_APPROVERS } },
    schema: {
      tags: ['subsidies'],
      summary: '补贴发放公示名单（姓名部分遮挡，供村务公开栏张贴）',
      params: PaymentBatchParams,
      response: { 200: PaymentNoticeSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => payments.notice(tx, request.actor!, request.params.id)),
  });
};
