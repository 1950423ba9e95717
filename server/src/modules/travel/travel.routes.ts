import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import {
  AddPassengersBody,
  ArrivalBody,
  BoardingBody,
  CreateTripBody,
  ManifestSchema,
  TripCandidatesSchema,
  TripListQuery,
  TripListSchema,
  TripSchema,
  TripStatusBody,
  TripSubsidyDraftSchema,
} from '../../../../contracts/travel.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { TRIP_ORGANISERS, TRIP_READERS, type TravelService } from './travel.service.ts';
import { TRIPS_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const travelRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; travel: TravelService }> = async (app, { ctx, travel }) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(TRIPS_PATH, {
    config: { access: { roles: TRIP_READERS } },
    schema: {
      tags: ['travel'],
      summary: '就业直通车车次列表（本辖区出发县的车次；用人单位看本单位的车次）',
      querystring: TripListQuery,
      response: { 200: TripListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => travel.list(tx, request.actor!, request.query)),
  });

  app.post(TRIPS_PATH, {
    config: { access: { roles: TRIP_ORGANISERS } },
    schema: {
      tags: ['travel'],
      summary: '安排就业直通车（专车、专列）：出发县、目的地（用人单位或地区）、发车日期、核定人数、每人乘车补贴',
      body: CreateTripBody,
      response: { 201: TripSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => travel.create(tx, request.actor!, request.body))),
  });

  app.get(`${TRIPS_PATH}/:id`, {
    config: { access: { roles: TRIP_READERS } },
    schema: {
      tags: ['travel'],
      summary: '车次详情（乘车、上车、到达人数及补贴合计）',
      params: IdParams,
      response: { 200: TripSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => travel.get(tx, request.actor!, request.params.id)),
  });

  app.get(`${TRIPS_PATH}/:id/manifest`, {
    config: { access: { roles: TRIP_READERS } },
    schema: {
      tags: ['travel'],
      summary: '乘车名单（证件号、手机号脱敏）及在途未到人员',
      params: IdParams,
      response: { 200: ManifestSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => travel.manifest(tx, request.actor!, request.params.id)),
  });

  app.get(`${TRIPS_PATH}/:id/candidates`, {
    config: { access: { roles: TRIP_ORGANISERS } },
    schema: {
      tags: ['travel'],
      summary: '可按录用人员添加的劳动力（出发县、本辖区、在本车次用人单位在岗）',
      params: IdParams,
      response: { 200: TripCandidatesSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => travel.candidates(tx, request.actor!, request.params.id)),
  });

  app.post(`${TRIPS_PATH}/:id/passengers`, {
    config: { access: { roles: TRIP_ORGANISERS } },
    schema: {
      tags: ['travel'],
      summary: '添加乘车人员（录用人员或返岗名单；同一人同一天只能乘一个车次）',
      params: IdParams,
      body: AddPassengersBody,
      response: { 200: TripSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => travel.addPassengers(tx, request.actor!, request.params.id, request.body)),
  });

  app.post(`${TRIPS_PATH}/:id/boarding`, {
    config: { access: { roles: TRIP_ORGANISERS } },
    schema: {
      tags: ['travel'],
      summary: '登记上车（从家门到车门）',
      params: IdParams,
      body: BoardingBody,
      response: { 200: TripSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => travel.board(tx, request.actor!, request.params.id, request.body)),
  });

  app.post(`${TRIPS_PATH}/:id/arrivals`, {
    config: { access: { roles: TRIP_READERS } },
    schema: {
      tags: ['travel'],
      summary: '确认到达（从车门到厂门；用人单位可在厂门确认本单位车次），或登记未到原因',
      params: IdParams,
      body: ArrivalBody,
      response: { 200: TripSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => travel.arrive(tx, request.actor!, request.params.id, request.body)),
  });

  app.post(`${TRIPS_PATH}/:id/status`, {
    config: { access: { roles: TRIP_ORGANISERS } },
    schema: {
      tags: ['travel'],
      summary: '发车、到达（须每名已上车人员均已确认到达或登记原因）或取消',
      params: IdParams,
      body: TripStatusBody,
      response: { 200: TripSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => travel.setStatus(tx, request.actor!, request.params.id, request.body)),
  });
  app.post(`${TRIPS_PATH}/:id/subsidies`, {
    config: { access: { roles: TRIP_ORGANISERS } },
    schema: {
      tags: ['travel'],
      summary: '为本辖区已上车人员生成免费乘车补贴（交通补贴）申请，记入补贴台账；已有当天交通补贴的人员跳过',
      params: IdParams,
      response: { 200: TripSubsidyDraftSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => travel.draftSubsidies(tx, request.actor!, request.params.id)),
  });
};
