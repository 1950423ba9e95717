import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import { RegionCodeParams, RegionDetailSchema, RegionListSchema, RegionSearchQuery } from '../../../../contracts/regions.ts';
import type { AppContext } from '../../context.ts';
import * as regions from './regions.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema };

export const regionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/v1/regions', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['regions'],
      summary: '搜索行政区划（中文、全拼或拼音首字母）；不带 q 时返回各省',
      querystring: RegionSearchQuery,
      response: { 200: RegionListSchema, ...errors },
    },
    handler: async (request) => {
      const { q, level, within, limit } = request.query;
      const items = q
        ? await regions.searchRegions(ctx.db, q, { level, within, limit, preferWithin: request.actor!.regionCode })
        : await regions.getProvinces(ctx.db);
      return { items };
    },
  });

  app.get('/api/v1/regions/:code', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['regions'],
      summary: '行政区划详情（含上级）',
      params: RegionCodeParams,
      response: { 200: RegionDetailSchema, ...errors },
    },
    handler: async (request) => regions.getRegion(ctx.db, request.params.code),
  });

  app.get('/api/v1/regions/:code/children', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['regions'],
      summary: '下级行政区划',
      params: RegionCodeParams,
      response: { 200: RegionListSchema, ...errors },
    },
    handler: async (request) => ({ items: await regions.getChildren(ctx.db, request.params.code) }),
  });
};
