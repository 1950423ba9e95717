import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { REFERRALS_EXPORT_PATH } from '../../../../contracts/paths.ts';
import { ReferralExportQuery } from '../../../../contracts/referrals.ts';
import type { AppContext } from '../../context.ts';
import { sendXlsx } from '../../platform/excel/list-export.ts';
import { createReferralExport } from './referrals.export.ts';
import { REFERRAL_READERS } from './referrals.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const referralExportRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const exporter = createReferralExport({ audit: ctx.audit });
  app.get(REFERRALS_EXPORT_PATH, {
    config: { access: { roles: REFERRAL_READERS } },
    schema: {
      tags: ['referrals'],
      summary: '导出推荐记录（与列表同一范围和筛选的全部记录，.xlsx，含标题行，证件号、手机号脱敏，记入审计及行数）',
      querystring: ReferralExportQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const actor = request.actor!;
      const fileName = await exporter.check(ctx.db, actor, request.query);
      return sendXlsx(reply, fileName, (output) => exporter.export(ctx.db, actor, request.query, output));
    },
  });
};
