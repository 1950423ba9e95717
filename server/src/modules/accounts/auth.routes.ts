import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { ChangePasswordBody, LoginBody, MeSchema, TotpCodeBody, TotpDisableBody, TotpSetupSchema } from '../../../../contracts/auth.ts';
import type { AppContext } from '../../context.ts';
import type { AuthService } from './auth.service.ts';

export const SESSION_COOKIE = 'laowu_session';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 423: ErrorSchema };

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; auth: AuthService }> = async (app, { ctx, auth }) => {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: ctx.config.env === 'production',
  };

  app.post('/api/v1/auth/login', {
    config: { access: { public: true } },
    schema: {
      tags: ['auth'],
      summary: '登录：成功后设置会话 Cookie；连续失败 5 次锁定 15 分钟（不存在的用户名同样计数锁定）；每个动态验证码只能使用一次',
      body: LoginBody,
      response: { 200: Type.Object({ user: MeSchema }), ...errors },
    },
    handler: async (request, reply) => {
      const { token, actor } = await auth.login(request.body, request.ip, request.headers['user-agent'] ?? null);
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
      return { user: await auth.me(actor) };
    },
  });

  app.post('/api/v1/auth/logout', {
    config: { access: { roles: 'any', allowDuringTotpSetup: true } },
    schema: { tags: ['auth'], summary: '退出登录', response: { 204: Type.Null(), ...errors } },
    handler: async (request, reply) => {
      await auth.logout(request.actor!, request.sessionTokenHash!);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/v1/auth/me', {
    config: { access: { roles: 'any', allowDuringTotpSetup: true } },
    schema: { tags: ['auth'], summary: '当前用户', response: { 200: MeSchema, ...errors } },
    handler: async (request) => auth.me(request.actor!),
  });

  app.post('/api/v1/auth/password', {
    config: { access: { roles: 'any', allowDuringTotpSetup: true } },
    schema: {
      tags: ['auth'],
      summary: '修改密码（结束该账号的所有会话）',
      body: ChangePasswordBody,
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (request, reply) => {
      await auth.changePassword(request.actor!, request.body.oldPassword, request.body.newPassword);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/v1/auth/totp/setup', {
    config: { access: { roles: 'any', allowDuringTotpSetup: true } },
    schema: { tags: ['auth'], summary: '生成动态验证码（TOTP）密钥', response: { 200: TotpSetupSchema, ...errors, 409: ErrorSchema } },
    handler: async (request) => auth.totpSetup(request.actor!),
  });

  app.post('/api/v1/auth/totp/enable', {
    config: { access: { roles: 'any', allowDuringTotpSetup: true } },
    schema: {
      tags: ['auth'],
      summary: '以一个动态验证码确认并启用双因素认证',
      body: TotpCodeBody,
      response: { 204: Type.Null(), ...errors, 409: ErrorSchema },
    },
    handler: async (request, reply) => {
      await auth.totpEnable(request.actor!, request.body.code);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/v1/auth/totp/disable', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['auth'],
      summary: '停用双因素认证（须输入密码和当前动态验证码）',
      body: TotpDisableBody,
      response: { 204: Type.Null(), ...errors, 409: ErrorSchema },
    },
    handler: async (request, reply) => {
      await auth.totpDisable(request.actor!, request.body.password, request.body.code);
      return reply.status(204).send(null);
    },
  });
};
