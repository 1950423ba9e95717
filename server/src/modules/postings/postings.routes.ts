import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  ClosePostingBody,
  CreatePostingBody,
  PostingListQuery,
  PostingListSchema,
  PostingSchema,
  UpdatePostingBody,
} from '../../../../contracts/postings.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { POSTING_READERS, POSTING_WRITERS, type PostingsService } from './postings.service.ts';
import { POSTINGS_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const postingRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; postings: PostingsService }> = async (app, { ctx, postings }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(POSTINGS_PATH, {
    config: { access: { roles: POSTING_READERS } },
    schema: {
      tags: ['postings'],
      summary: '岗位列表（openOnly=true 即岗位供给清单）：按工作地点、单位、工种、状态、专岗、月薪筛选',
      querystring: PostingListQuery,
      response: { 200: PostingListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => postings.list(tx, request.actor!, request.query)),
  });

  app.post(POSTINGS_PATH, {
    config: { access: { roles: POSTING_WRITERS } },
    schema: { tags: ['postings'], summary: '发布岗位', body: CreatePostingBody, response: { 201: PostingSchema, ...errors } },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => postings.create(tx, request.actor!, request.body))),
  });

  app.get(`${POSTINGS_PATH}/:id`, {
    config: { access: { roles: POSTING_READERS } },
    schema: { tags: ['postings'], summary: '岗位详情', params: IdParams, response: { 200: PostingSchema, ...errors } },
    handler: async (request) => inTx((tx) => postings.get(tx, request.actor!, request.params.id)),
  });

  app.patch(`${POSTINGS_PATH}/:id`, {
    config: { access: { roles: POSTING_WRITERS } },
    schema: {
      tags: ['postings'],
      summary: '修改岗位（含已招人数；status=open 重新开始招聘）',
      params: IdParams,
      body: UpdatePostingBody,
      response: { 200: PostingSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => postings.update(tx, request.actor!, request.params.id, request.body)),
  });

  app.post(`${POSTINGS_PATH}/:id/close`, {
    config: { access: { roles: POSTING_WRITERS } },
    schema: {
      tags: ['postings'],
      summary: '停止招聘',
      params: IdParams,
      body: ClosePostingBody,
      response: { 200: PostingSchema, ...errors },
    },
    // The reason is optional: a POST without any body is a close without a reason.
    preValidation: async (request) => {
      request.body ??= {};
    },
    handler: async (request) => inTx((tx) => postings.close(tx, request.actor!, request.params.id, request.body?.reason)),
  });
};
