import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import {
  FIELD_KEY_GENERATION_HEADER,
  FieldKeyHeaders,
  FieldPackageSchema,
  SyncBody,
  SyncResponseSchema,
} from '../../../../contracts/field.ts';
import { FIELD_PACKAGE_PATH, FIELD_SYNC_PATH } from '../../../../contracts/paths.ts';
import { UpdateLaborerBody } from '../../../../contracts/laborers.ts';
import { FIELD_WORKERS } from '../../../../contracts/roles.ts';
import type { AppContext } from '../../context.ts';
import { sendCompressedJson } from '../../platform/compressed.ts';
import { createDeviceKeyService } from './device-key.service.ts';
import { deviceKeyRoutes } from './device-key.routes.ts';
import type { CheckEdit, FieldService } from './field.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 413: ErrorSchema };

export const fieldRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; field: FieldService }> = async (app, { ctx, field }) => {
  // The phone's device key (issue 19 item 4): every package and sync names the key generation it holds.
  const keys = createDeviceKeyService({ audit: ctx.audit, identifierKey: ctx.config.secrets.identifierKey });
  await app.register(deviceKeyRoutes, { ctx, keys });
  const generationOf = (headers: { [FIELD_KEY_GENERATION_HEADER]: string }) => Number(headers[FIELD_KEY_GENERATION_HEADER]);

  app.get(FIELD_PACKAGE_PATH, {
    config: { access: { roles: FIELD_WORKERS } },
    schema: {
      tags: ['field'],
      summary: '下载本村信息卡到手机（离线入户用）：证件号、手机号脱敏，另含待回访任务',
      headers: FieldKeyHeaders,
      response: { 200: FieldPackageSchema, ...errors, 409: ErrorSchema },
    },
    // Compressed when the phone accepts it: the village's cards are most of a slow connection's wait.
    handler: async (request, reply) =>
      sendCompressedJson(
        request,
        reply,
        await ctx.db.transaction().execute(async (tx) => {
          await keys.admit(tx, request.actor!, generationOf(request.headers), 'field.package');
          return field.package(tx, request.actor!);
        }),
      ),
  });

  app.post(FIELD_SYNC_PATH, {
    config: { access: { roles: FIELD_WORKERS } },
    schema: {
      tags: ['field'],
      summary: '同步手机离线录入：逐条幂等（重复发送不重复生效），修改逐字段合并，他人已改的字段返回冲突',
      headers: FieldKeyHeaders,
      body: SyncBody,
      response: { 200: SyncResponseSchema, ...errors, 409: ErrorSchema },
    },
    // Each entry commits in a transaction of its own with its idempotency key (field.service.ts).
    handler: async (request) => {
      await ctx.db.transaction().execute((tx) => keys.admit(tx, request.actor!, generationOf(request.headers), 'field.sync'));
      // An edit's new values are checked as PATCH /laborers/:id checks its body, by the same validator.
      const validate = request.compileValidationSchema(UpdateLaborerBody);
      const checkEdit: CheckEdit = (values) => {
        if (validate(values)) return null;
        const error = validate.errors?.[0];
        const field = error?.instancePath?.split('/')[1] || String(error?.params?.additionalProperty ?? '');
        return { field, message: error?.message ?? '' };
      };
      return field.sync(ctx.db, request.actor!, request.body, checkEdit);
    },
  });
};
