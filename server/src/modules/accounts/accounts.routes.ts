import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorSchema, IdParams, Paged } from '../../../../contracts/common.ts';
import {
  AccountListQuery,
  AccountSchema,
  CreateAccountBody,
  GrantableRolesSchema,
  ResetPasswordBody,
  UpdateAccountBody,
} from '../../../../contracts/accounts.ts';
import { ACCOUNT_MANAGERS } from '../../../../contracts/roles.ts';
import type { AppContext } from '../../context.ts';
import type { AccountsService } from './accounts.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
/**
 * Account management: admins in their subtree; township operators for their township's officers and
 * brokers; auditors for the auditors below them only (三权分立, roles.ts).
 */
const managers = { roles: ACCOUNT_MANAGERS } as const;

export const accountRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; accounts: AccountsService }> = async (app, { ctx, accounts }) => {
  app.get('/api/v1/accounts', {
    config: { access: managers },
    schema: {
      tags: ['accounts'],
      summary: '账号列表（本辖区）',
      querystring: AccountListQuery,
      response: { 200: Paged(AccountSchema), ...errors },
    },
    handler: async (request) => ctx.db.transaction().execute((tx) => accounts.list(tx, request.actor!, request.query)),
  });

  app.get('/api/v1/accounts/grantable-roles', {
    config: { access: managers },
    schema: { tags: ['accounts'], summary: '当前用户可授予的角色', response: { 200: GrantableRolesSchema, ...errors } },
    handler: async (request) => ({ roles: accounts.grantableRoles(request.actor!) }),
  });

  app.get('/api/v1/accounts/:id', {
    config: { access: managers },
    schema: { tags: ['accounts'], summary: '账号详情', params: IdParams, response: { 200: AccountSchema, ...errors } },
    handler: async (request) => ctx.db.transaction().execute((tx) => accounts.get(tx, request.actor!, request.params.id)),
  });

  app.post('/api/v1/accounts', {
    config: { access: managers },
    schema: {
      tags: ['accounts'],
      summary: '新建账号（只能在本辖区内，不能授予高于自身的角色）',
      body: CreateAccountBody,
      response: { 201: AccountSchema, ...errors },
    },
    handler: async (request, reply) => {
      const account = await ctx.db.transaction().execute((tx) => accounts.create(tx, request.actor!, request.body));
      return reply.status(201).send(account);
    },
  });

  app.patch('/api/v1/accounts/:id', {
    config: { access: managers },
    schema: {
      tags: ['accounts'],
      summary: '修改、停用或启用账号',
      params: IdParams,
      body: UpdateAccountBody,
      response: { 200: AccountSchema, ...errors },
    },
    handler: async (request) => ctx.db.transaction().execute((tx) => accounts.update(tx, request.actor!, request.params.id, request.body)),
  });

  app.post('/api/v1/accounts/:id/reset-password', {
    config: { access: managers },
    schema: {
      tags: ['accounts'],
      summary: '重置密码（结束该账号的所有会话）',
      params: IdParams,
      body: ResetPasswordBody,
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (request, reply) => {
      await ctx.db.transaction().execute((tx) => accounts.resetPassword(tx, request.actor!, request.params.id, request.body.newPassword));
      return reply.status(204).send(null);
    },
  });
};
