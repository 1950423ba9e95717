import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorSchema, IdParams, PageQuery, Strict } from '../../../../contracts/common.ts';
import {
  ApplicationListSchema,
  ApplyBody,
  CodeRequestBody,
  CodeRequestSchema,
  FairApplicationSchema,
  MobileLinkSchema,
  MobileLoginBody,
  MobileMeSchema,
  MobileRecommendationsSchema,
  OnlineFairDetailSchema,
  OnlineFairListSchema,
  SmsPreferenceBody,
  WishDecisionBody,
  WishesBody,
  WishRequestListSchema,
} from '../../../../contracts/mobile.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { MOBILE_COOKIE, SESSION_DAYS, WISH_CONFIRMERS, type MobileService } from './mobile.service.ts';

const errors = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  429: ErrorSchema,
  503: ErrorSchema,
};
const laborer = { access: { laborer: true as const } };

export const mobileRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; mobile: MobileService }> = async (app, { ctx, mobile }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);
  // Lax, not Strict: the page is opened from a link in an SMS, a navigation from outside the site.
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: ctx.config.env === 'production' };

  app.post('/api/v1/mobile/code', {
    config: { access: { public: true } },
    schema: {
      tags: ['mobile'],
      summary: '劳动者获取短信验证码（每号码每分钟1次、每小时5次、每天10次；每个网络地址每小时20次、每天50次）',
      body: CodeRequestBody,
      response: { 200: CodeRequestSchema, ...errors },
    },
    handler: async (request) => {
      const { answer, deliver } = await inTx((tx) => mobile.requestCode(tx, request.body.phone, request.ip));
      // Sent after the code is committed and the answer given: the same answer, in the same time, for every number.
      if (deliver) void deliver(ctx.background).catch((error: unknown) => request.log.error({ err: error }, 'sign-in code not sent'));
      return answer;
    },
  });

  app.post('/api/v1/mobile/login', {
    config: { access: { public: true } },
    schema: {
      tags: ['mobile'],
      summary:
        '劳动者用手机号和验证码登录（验证码5分钟内有效，仅可使用一次，错误5次作废；每号码每小时错10次、每个网络地址错20次后暂停1小时）',
      body: MobileLoginBody,
      response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors },
    },
    handler: async (request, reply) => {
      // The service owns its transaction: a refusal commits its count before it is thrown.
      const { token } = await mobile.login(ctx.db, request.body.phone, request.body.code, request.ip);
      reply.setCookie(MOBILE_COOKIE, token, { ...cookieOptions, maxAge: SESSION_DAYS * 86_400 });
      return { ok: true };
    },
  });

  app.post('/api/v1/mobile/logout', {
    config: laborer,
    schema: { tags: ['mobile'], summary: '退出手机页面', response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors } },
    handler: async (request, reply) => {
      await inTx((tx) => mobile.logout(tx, request.laborer!));
      reply.clearCookie(MOBILE_COOKIE, cookieOptions);
      return { ok: true };
    },
  });

  app.get('/api/v1/mobile/me', {
    config: laborer,
    schema: { tags: ['mobile'], summary: '本人信息卡（证件号、手机号脱敏）', response: { 200: MobileMeSchema, ...errors } },
    handler: async (request) => inTx((tx) => mobile.me(tx, request.laborer!)),
  });

  app.get('/api/v1/mobile/recommendations', {
    config: laborer,
    schema: { tags: ['mobile'], summary: '为本人推荐的岗位及推荐理由', response: { 200: MobileRecommendationsSchema, ...errors } },
    handler: async (request) => inTx((tx) => mobile.recommendations(tx, request.laborer!)),
  });

  app.get('/api/v1/mobile/links/:code', {
    config: laborer,
    schema: {
      tags: ['mobile'],
      summary: '短信链接中的岗位（仅本人的短信）',
      params: Strict({ code: Type.String({ pattern: '^[0-9a-z]{1,12}$' }) }),
      response: { 200: MobileLinkSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => mobile.link(tx, request.laborer!, request.params.code)),
  });

  app.get('/api/v1/mobile/applications', {
    config: laborer,
    schema: { tags: ['mobile'], summary: '本人的岗位申请', response: { 200: ApplicationListSchema, ...errors } },
    handler: async (request) => inTx((tx) => mobile.applications(tx, request.laborer!)),
  });

  app.post('/api/v1/mobile/applications', {
    config: laborer,
    schema: {
      tags: ['mobile'],
      summary: '申请岗位（本人申请，进入推荐流程）',
      body: ApplyBody,
      response: { 201: Type.Object({ id: Type.String(), status: Type.String() }), ...errors },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await inTx((tx) => mobile.apply(tx, request.laborer!, request.body.postingId))),
  });

  app.get('/api/v1/mobile/fairs', {
    config: laborer,
    schema: {
      tags: ['mobile'],
      summary: '本人可参加的线上招聘会（进行中和即将开始的）',
      response: { 200: OnlineFairListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => mobile.fairs(tx, request.laborer!)),
  });

  app.get('/api/v1/mobile/fairs/:id', {
    config: laborer,
    schema: {
      tags: ['mobile'],
      summary: '线上招聘会的岗位（仅本人所在区划主办的线上招聘会）',
      params: IdParams,
      response: { 200: OnlineFairDetailSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => mobile.fair(tx, request.laborer!, request.params.id)),
  });

  app.post('/api/v1/mobile/fairs/:id/applications', {
    config: laborer,
    schema: {
      tags: ['mobile'],
      summary: '在线上招聘会申请岗位（计入招聘会参会人数、达成意向和录用）',
      params: IdParams,
      body: ApplyBody,
      response: { 201: FairApplicationSchema, ...errors },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await inTx((tx) => mobile.applyAtFair(tx, request.laborer!, request.params.id, request.body.postingId))),
  });

  app.post('/api/v1/mobile/wishes', {
    config: laborer,
    schema: {
      tags: ['mobile'],
      summary: '修改就业意愿（待村信息员核实后记入台账）',
      body: WishesBody,
      response: { 200: Type.Object({ id: Type.String(), status: Type.String() }), ...errors },
    },
    handler: async (request) => inTx((tx) => mobile.wishes(tx, request.laborer!, request.body)),
  });

  app.post('/api/v1/mobile/sms-preference', {
    config: laborer,
    schema: {
      tags: ['mobile'],
      summary: '退订或恢复接收岗位短信',
      body: SmsPreferenceBody,
      response: { 200: Type.Object({ smsOptedOut: Type.Boolean() }), ...errors },
    },
    handler: async (request) => inTx((tx) => mobile.smsPreference(tx, request.laborer!, request.body.receive)),
  });

  app.get('/api/v1/wish-requests', {
    config: { access: { roles: WISH_CONFIRMERS } },
    schema: {
      tags: ['mobile'],
      summary: '劳动者在手机端提交的意愿变更（待核实）',
      querystring: Strict({ ...PageQuery }),
      response: { 200: WishRequestListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => mobile.listWishes(tx, request.actor!, request.query)),
  });

  app.post('/api/v1/wish-requests/:id/confirm', {
    config: { access: { roles: WISH_CONFIRMERS } },
    schema: {
      tags: ['mobile'],
      summary: '核实确认：记入信息卡台账',
      params: IdParams,
      body: WishDecisionBody,
      response: { 200: Type.Object({ id: Type.String(), status: Type.String() }), ...errors },
    },
    handler: async (request) => inTx((tx) => mobile.decideWish(tx, request.actor!, request.params.id, 'confirm', request.body.note)),
  });

  app.post('/api/v1/wish-requests/:id/reject', {
    config: { access: { roles: WISH_CONFIRMERS } },
    schema: {
      tags: ['mobile'],
      summary: '不予确认',
      params: IdParams,
      body: WishDecisionBody,
      response: { 200: Type.Object({ id: Type.String(), status: Type.String() }), ...errors },
    },
    handler: async (request) => inTx((tx) => mobile.decideWish(tx, request.actor!, request.params.id, 'reject', request.body.note)),
  });
};
