import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import {
  FiguresQuery,
  HouseholdCodeParams,
  HouseholdFiguresSchema,
  HouseholdListQuery,
  HouseholdListSchema,
  HouseholdQuery,
  HouseholdSchema,
  PovertyLineParams,
  PovertyLineSchema,
  PovertyLinesSchema,
  SetPovertyLineBody,
} from '../../../../contracts/households.ts';
import { HOUSEHOLD_FIGURES_PATH, HOUSEHOLDS_PATH, POVERTY_LINES_PATH } from '../../../../contracts/paths.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { HOUSEHOLD_READERS, type HouseholdsService, POVERTY_LINE_SETTERS } from './households.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

/** 家庭户 (issue 20 item 1): a household's page, a region's households and their figures, the yearly poverty line. */
export const householdRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; households: HouseholdsService }> = async (
  app,
  { ctx, households },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(HOUSEHOLD_FIGURES_PATH, {
    config: { access: { roles: HOUSEHOLD_READERS } },
    schema: {
      tags: ['households'],
      summary: '家庭户统计：区划（按户主所在村）截至某日的家庭户数、有成员就业的户数、零就业家庭户数、人均务工收入达到当年脱贫线的户数',
      querystring: FiguresQuery,
      response: { 200: HouseholdFiguresSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => households.figures(tx, request.actor!, request.query)),
  });

  app.get(POVERTY_LINES_PATH, {
    config: { access: { roles: HOUSEHOLD_READERS } },
    schema: { tags: ['households'], summary: '历年脱贫线（元/人·年，省级设定）', response: { 200: PovertyLinesSchema, ...errors } },
    handler: async () => inTx((tx) => households.povertyLines(tx)),
  });

  app.put(`${POVERTY_LINES_PATH}/:year`, {
    config: { access: { roles: POVERTY_LINE_SETTERS } },
    schema: {
      tags: ['households'],
      summary: '设定某年脱贫线（仅省级管理员，记入审计）',
      params: PovertyLineParams,
      body: SetPovertyLineBody,
      response: { 200: PovertyLineSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => households.setPovertyLine(tx, request.actor!, request.params.year, request.body.yuan)),
  });

  app.get(HOUSEHOLDS_PATH, {
    config: { access: { roles: HOUSEHOLD_READERS } },
    schema: {
      tags: ['households'],
      summary: '家庭户名单：区划截至某日的家庭户，可筛选零就业家庭等（证件号脱敏，记入审计）',
      querystring: HouseholdListQuery,
      response: { 200: HouseholdListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => households.list(tx, request.actor!, request.query)),
  });

  app.get(`${HOUSEHOLDS_PATH}/:code`, {
    config: { access: { roles: HOUSEHOLD_READERS } },
    schema: {
      tags: ['households'],
      summary: '家庭户：截至某日的成员、务工去向、近 12 个月务工收入及历次成员变动（证件号脱敏，记入审计）',
      params: HouseholdCodeParams,
      querystring: HouseholdQuery,
      response: { 200: HouseholdSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => households.household(tx, request.actor!, request.params.code, request.query.asOf)),
  });
};
