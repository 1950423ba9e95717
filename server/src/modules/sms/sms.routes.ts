import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  CampaignListQuery,
  CampaignListSchema,
  CampaignSchema,
  CreateCampaignBody,
  DecisionBody,
  InboxQuery,
  InboxSchema,
  MessageListQuery,
  MessageListSchema,
  PreviewBody,
  PreviewSchema,
  TemplateFieldsSchema,
} from '../../../../contracts/sms.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { INBOX_READERS, SMS_MANAGERS, type SmsService } from './sms.service.ts';
import { SMS_CAMPAIGNS_PATH, SMS_FIELDS_PATH, SMS_INBOX_PATH, SMS_PREVIEW_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const smsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; sms: SmsService }> = async (app, { ctx, sms }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);
  const access = { access: { roles: SMS_MANAGERS } };

  app.get(SMS_FIELDS_PATH, {
    config: access,
    schema: { tags: ['sms'], summary: '短信模板可用字段与默认签名', response: { 200: TemplateFieldsSchema, ...errors } },
    handler: async () => sms.fields(),
  });

  app.post(SMS_PREVIEW_PATH, {
    config: access,
    schema: {
      tags: ['sms'],
      summary: '预览：按筛选条件统计接收人数，并为前几名真实接收人生成短信（含条数）',
      body: PreviewBody,
      response: { 200: PreviewSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => sms.preview(tx, request.actor!, request.body)),
  });

  app.get(SMS_CAMPAIGNS_PATH, {
    config: access,
    schema: {
      tags: ['sms'],
      summary: '短信活动列表（本辖区）',
      querystring: CampaignListQuery,
      response: { 200: CampaignListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => sms.list(tx, request.actor!, request.query)),
  });

  app.post(SMS_CAMPAIGNS_PATH, {
    config: access,
    schema: { tags: ['sms'], summary: '新建短信活动（草稿）', body: CreateCampaignBody, response: { 201: CampaignSchema, ...errors } },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => sms.create(tx, request.actor!, request.body))),
  });

  app.get(`${SMS_CAMPAIGNS_PATH}/:id`, {
    config: access,
    schema: { tags: ['sms'], summary: '短信活动详情与发送进度', params: IdParams, response: { 200: CampaignSchema, ...errors } },
    handler: async (request) => inTx((tx) => sms.get(tx, request.actor!, request.params.id)),
  });

  app.post(`${SMS_CAMPAIGNS_PATH}/:id/submit`, {
    config: access,
    schema: {
      tags: ['sms'],
      summary: '提交审批：生成每人一条短信，等待另一名工作人员审批',
      params: IdParams,
      response: { 200: CampaignSchema, ...errors },
    },
    handler: async (request) => {
      const campaign = await inTx((tx) => sms.submit(tx, request.actor!, request.params.id));
      void sms.compose(campaign.id).catch((error: unknown) => request.log.error({ err: error }, 'sms compose failed'));
      return campaign;
    },
  });

  app.post(`${SMS_CAMPAIGNS_PATH}/:id/approve`, {
    config: access,
    schema: {
      tags: ['sms'],
      summary: '审批通过：开始通过短信网关发送',
      params: IdParams,
      body: DecisionBody,
      response: { 200: CampaignSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => sms.approve(tx, request.actor!, request.params.id, request.body.note)),
  });

  app.post(`${SMS_CAMPAIGNS_PATH}/:id/reject`, {
    config: access,
    schema: {
      tags: ['sms'],
      summary: '驳回（须填写理由）',
      params: IdParams,
      body: DecisionBody,
      response: { 200: CampaignSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => sms.reject(tx, request.actor!, request.params.id, request.body.note)),
  });

  app.post(`${SMS_CAMPAIGNS_PATH}/:id/cancel`, {
    config: access,
    schema: { tags: ['sms'], summary: '取消活动：未发出的短信不再发送', params: IdParams, response: { 200: CampaignSchema, ...errors } },
    handler: async (request) => inTx((tx) => sms.cancel(tx, request.actor!, request.params.id)),
  });

  app.get(`${SMS_CAMPAIGNS_PATH}/:id/messages`, {
    config: access,
    schema: {
      tags: ['sms'],
      summary: '活动的短信明细（手机号脱敏）',
      params: IdParams,
      querystring: MessageListQuery,
      response: { 200: MessageListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => sms.messages(tx, request.actor!, request.params.id, request.query)),
  });

  app.get(SMS_INBOX_PATH, {
    config: { access: { roles: INBOX_READERS } },
    schema: {
      tags: ['sms'],
      summary: '短信回复收件箱（本辖区劳动力的回复与退订）',
      querystring: InboxQuery,
      response: { 200: InboxSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => sms.inbox(tx, request.actor!, request.query)),
  });

  app.post(`${SMS_INBOX_PATH}/:id/handled`, {
    config: { access: { roles: INBOX_READERS } },
    schema: {
      tags: ['sms'],
      summary: '标记回复已处理',
      params: IdParams,
      response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors },
    },
    handler: async (request) => {
      await inTx((tx) => sms.markHandled(tx, request.actor!, request.params.id));
      return { ok: true };
    },
  });
};
