import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  CreateTeamBody,
  TeamListQuery,
  TeamListSchema,
  TeamResultsQuery,
  TeamResultsSchema,
  TeamSchema,
} from '../../../../contracts/teams.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { TEAM_MANAGERS, type TeamsService } from './teams.service.ts';
import { TEAMS_PATH, TEAM_RESULTS_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const teamRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; teams: TeamsService }> = async (app, { ctx, teams }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(TEAMS_PATH, {
    config: { access: { roles: TEAM_MANAGERS } },
    schema: {
      tags: ['teams'],
      summary: '招工小分队列表（本辖区组建，可按区划和期间筛选）',
      querystring: TeamListQuery,
      response: { 200: TeamListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => teams.list(tx, request.actor!, request.query)),
  });

  app.post(TEAMS_PATH, {
    config: { access: { roles: TEAM_MANAGERS } },
    schema: {
      tags: ['teams'],
      summary: '组建招工小分队：为一家用人单位，派工作人员到若干村招工',
      body: CreateTeamBody,
      response: { 201: TeamSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => teams.create(tx, request.actor!, request.body))),
  });

  app.get(TEAM_RESULTS_PATH, {
    config: { access: { roles: TEAM_MANAGERS } },
    schema: {
      tags: ['teams'],
      summary: '招工小分队成效：每支小分队走访村数、推荐人数、录用人数及合计',
      querystring: TeamResultsQuery,
      response: { 200: TeamResultsSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => teams.results(tx, request.actor!, request.query)),
  });

  app.get(`${TEAMS_PATH}/:id`, {
    config: { access: { roles: TEAM_MANAGERS } },
    schema: { tags: ['teams'], summary: '招工小分队详情', params: IdParams, response: { 200: TeamSchema, ...errors } },
    handler: async (request) => inTx((tx) => teams.get(tx, request.actor!, request.params.id)),
  });
};
