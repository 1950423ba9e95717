import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { FieldKeySchema } from '../../../../contracts/field.ts';
import { FIELD_KEY_PATH } from '../../../../contracts/paths.ts';
import { FIELD_PHONE_USERS } from '../../../../contracts/roles.ts';
import type { AppContext } from '../../context.ts';
import type { DeviceKeyService } from './device-key.service.ts';

const errors = { 401: ErrorSchema, 403: ErrorSchema };

/** The phone's device key (issue 19 item 4): released at sign-in, replaced at sign-out. */
export const deviceKeyRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; keys: DeviceKeyService }> = async (app, { ctx, keys }) => {
  app.get(FIELD_KEY_PATH, {
    config: { access: { roles: FIELD_PHONE_USERS } },
    schema: {
      tags: ['field'],
      summary: '手机登录后领取本账号的离线数据密钥（手机上的信息卡和待同步记录用它加密）；账号停用时拒绝',
      response: { 200: FieldKeySchema, ...errors },
    },
    handler: async (request) => ctx.db.transaction().execute((tx) => keys.release(tx, request.actor!)),
  });

  app.delete(FIELD_KEY_PATH, {
    config: { access: { roles: FIELD_PHONE_USERS } },
    schema: {
      tags: ['field'],
      summary: '手机退出登录：作废本账号的离线数据密钥（换新版本），留在手机上的旧数据无法再打开或同步',
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (request, reply) => {
      await ctx.db.transaction().execute((tx) => keys.rotate(tx, request.actor!));
      return reply.status(204).send(null);
    },
  });
};
