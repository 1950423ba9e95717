import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import { DismissDuplicateBody, DuplicateListSchema, DuplicatesQuery, LaborerSchema, MergeBody } from '../../../../contracts/laborers.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import type { DuplicatesService } from './duplicates.service.ts';
import { CARD_WRITERS } from './laborers.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
/** The staff who keep the cards; a merge or a dismissal also needs both cards in the caller's scope. */
const registryStaff = { roles: CARD_WRITERS };

export const duplicateRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; duplicates: DuplicatesService }> = async (
  app,
  { ctx, duplicates },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get('/api/v1/laborers/duplicates', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '疑似重复信息卡：同乡镇同名同出生日期，或手机号相同（本辖区内，按市、县或以下区划）',
      querystring: DuplicatesQuery,
      response: { 200: DuplicateListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => duplicates.list(tx, request.actor!, request.query)),
  });

  app.post('/api/v1/laborers/duplicates/dismiss', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '核实不是同一人：这两张信息卡不再列为疑似重复',
      body: DismissDuplicateBody,
      response: { 204: Type.Null(), ...errors },
    },
    handler: async (request, reply) => {
      await inTx((tx) => duplicates.dismiss(tx, request.actor!, request.body.laborerIds, request.body.reason));
      return reply.status(204).send(null);
    },
  });

  app.post('/api/v1/laborers/:id/merge', {
    config: { access: registryStaff },
    schema: {
      tags: ['laborers'],
      summary: '合并疑似重复：保留本卡，注销被合并卡；两张卡的变更记录都保留，本卡空缺项可由被合并卡补齐',
      params: IdParams,
      body: MergeBody,
      response: { 200: LaborerSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => duplicates.merge(tx, request.actor!, request.params.id, request.body)),
  });
};
