import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  BrokerContractListQuery,
  BrokerContractListSchema,
  BrokerContractSchema,
  BrokerPayDraftSchema,
  BrokerPayQuery,
  BrokerPaySchema,
  BrokerPayTermsBody,
  DraftBrokerPayBody,
  BrokerTableQuery,
  BrokerTableSchema,
  CreateBrokerContractBody,
  EndBrokerContractBody,
  MyContractsSchema,
  MyLaborersQuery,
  MyLaborersSchema,
  MyBrokerRowQuery,
  MyBrokerRowSchema,
} from '../../../../contracts/brokers.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { BROKER_MANAGERS, BROKER_SELF, type BrokersService } from './brokers.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const brokerRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; brokers: BrokersService }> = async (app, { ctx, brokers }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get('/api/v1/brokers/contracts', {
    config: { access: { roles: BROKER_MANAGERS } },
    schema: {
      tags: ['brokers'],
      summary: '劳务经纪人协议列表（本辖区乡镇管理的协议）',
      querystring: BrokerContractListQuery,
      response: { 200: BrokerContractListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => brokers.listContracts(tx, request.actor!, request.query)),
  });

  app.post('/api/v1/brokers/contracts', {
    config: { access: { roles: BROKER_MANAGERS } },
    schema: {
      tags: ['brokers'],
      summary: '签订劳务经纪人协议：同一乡镇内的若干村及协议期（乡镇、县人社双线管理）',
      body: CreateBrokerContractBody,
      response: { 201: BrokerContractSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => brokers.createContract(tx, request.actor!, request.body))),
  });

  app.post('/api/v1/brokers/contracts/:id/end', {
    config: { access: { roles: BROKER_MANAGERS } },
    schema: {
      tags: ['brokers'],
      summary: '终止劳务经纪人协议（自终止日期起不再覆盖其村）',
      params: IdParams,
      body: EndBrokerContractBody,
      response: { 200: BrokerContractSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => brokers.endContract(tx, request.actor!, request.params.id, request.body)),
  });

  app.put('/api/v1/brokers/contracts/:id/pay-terms', {
    config: { access: { roles: BROKER_MANAGERS } },
    schema: {
      tags: ['brokers'],
      summary: '设置劳务经纪人协议的购买服务条款：每名稳定就业人员的服务费和须稳定就业的月数',
      params: IdParams,
      body: BrokerPayTermsBody,
      response: { 200: BrokerContractSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => brokers.setPayTerms(tx, request.actor!, request.params.id, request.body)),
  });

  app.get('/api/v1/brokers/contracts/:id/pay', {
    config: { access: { roles: BROKER_MANAGERS } },
    schema: {
      tags: ['brokers'],
      summary: '劳务经纪人购买服务结算：期间内介绍录用的人员及其是否稳定就业满约定月数、应付金额（已列入补贴台账的不再计付）',
      params: IdParams,
      querystring: BrokerPayQuery,
      response: { 200: BrokerPaySchema, ...errors },
    },
    handler: async (request) => inTx((tx) => brokers.pay(tx, request.actor!, request.params.id, request.query)),
  });

  app.post('/api/v1/brokers/contracts/:id/pay/draft', {
    config: { access: { roles: BROKER_MANAGERS } },
    schema: {
      tags: ['brokers'],
      summary: '将期间内应付的购买服务费列入补贴台账（待审批），每名人员只付一次',
      params: IdParams,
      body: DraftBrokerPayBody,
      response: { 200: BrokerPayDraftSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => brokers.draftPay(tx, request.actor!, request.params.id, request.body)),
  });

  app.get('/api/v1/brokers/table', {
    config: { access: { roles: BROKER_MANAGERS } },
    schema: {
      tags: ['brokers'],
      summary: '劳务经纪人工作台账：推荐人数、录用人数、录用后在岗满3个月和6个月人数（截至某日）',
      querystring: BrokerTableQuery,
      response: { 200: BrokerTableSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => brokers.table(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/brokers/me/contracts', {
    config: { access: { roles: BROKER_SELF } },
    schema: { tags: ['brokers'], summary: '本人的劳务经纪协议（含已到期、已终止）', response: { 200: MyContractsSchema, ...errors } },
    handler: async (request) => inTx((tx) => brokers.myContracts(tx, request.actor!)),
  });

  app.get('/api/v1/brokers/me/table', {
    config: { access: { roles: BROKER_SELF } },
    schema: {
      tags: ['brokers'],
      summary: '本人在劳务经纪人工作台账中的一行：推荐人数、录用人数、录用后在岗满3个月和6个月人数（截至某日）',
      querystring: MyBrokerRowQuery,
      response: { 200: MyBrokerRowSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => brokers.myRow(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/brokers/me/laborers', {
    config: { access: { roles: BROKER_SELF } },
    schema: {
      tags: ['brokers'],
      summary: '本人协议村（今日有效）的求职劳动力（证件号、手机号脱敏）',
      querystring: MyLaborersQuery,
      response: { 200: MyLaborersSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => brokers.myLaborers(tx, request.actor!, request.query)),
  });
};
