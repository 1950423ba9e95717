import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import { PUBLIC_WELFARE_PATH } from '../../../../contracts/paths.ts';
import {
  AssignPublicWelfareBody,
  AttendanceListSchema,
  AttendanceSchema,
  CreatePublicWelfarePostBody,
  DraftPayBody,
  ExitPublicWelfareBody,
  PayDraftSchema,
  PublicWelfareHoldingListQuery,
  PublicWelfareHoldingListSchema,
  PublicWelfareHoldingSchema,
  PublicWelfarePostListQuery,
  PublicWelfarePostListSchema,
  PublicWelfarePostSchema,
  RecordAttendanceBody,
} from '../../../../contracts/public-welfare.ts';
import { PUBLIC_WELFARE_MANAGERS, PUBLIC_WELFARE_READERS } from '../../../../contracts/roles.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import type { PublicWelfareService } from './public-welfare.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ['public-welfare'];

export const publicWelfareRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; publicWelfare: PublicWelfareService }> = async (
  app,
  { ctx, publicWelfare },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.get(`${PUBLIC_WELFARE_PATH}/posts`, {
    config: { access: { roles: PUBLIC_WELFARE_READERS } },
    schema: {
      tags,
      summary: '公益性岗位列表（本辖区的岗位，含用工单位、所在地、月补贴标准、在岗人数）',
      querystring: PublicWelfarePostListQuery,
      response: { 200: PublicWelfarePostListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => publicWelfare.listPosts(tx, request.actor!, request.query)),
  });

  app.post(`${PUBLIC_WELFARE_PATH}/posts`, {
    config: { access: { roles: PUBLIC_WELFARE_MANAGERS } },
    schema: {
      tags,
      summary: '开发公益性岗位：岗位名称、用工单位（登记的用人单位或村委会、乡镇名称）、所在乡镇或村、月补贴标准、人数',
      body: CreatePublicWelfarePostBody,
      response: { 201: PublicWelfarePostSchema, ...errors },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await inTx((tx) => publicWelfare.createPost(tx, request.actor!, request.body))),
  });

  app.get(`${PUBLIC_WELFARE_PATH}/holdings`, {
    config: { access: { roles: PUBLIC_WELFARE_READERS } },
    schema: {
      tags,
      summary: '公益性岗位在岗人员（证件号脱敏；在岗或已退岗）',
      querystring: PublicWelfareHoldingListQuery,
      response: { 200: PublicWelfareHoldingListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => publicWelfare.listHoldings(tx, request.actor!, request.query)),
  });

  app.post(`${PUBLIC_WELFARE_PATH}/holdings`, {
    config: { access: { roles: PUBLIC_WELFARE_MANAGERS } },
    schema: {
      tags,
      summary: '安置公益性岗位（有劳动能力、因家庭原因或不愿外出无法外出务工、非村干部），同时登记公益性岗位就业',
      body: AssignPublicWelfareBody,
      response: { 201: PublicWelfareHoldingSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => publicWelfare.assign(tx, request.actor!, request.body))),
  });

  app.post(`${PUBLIC_WELFARE_PATH}/holdings/:id/exit`, {
    config: { access: { roles: PUBLIC_WELFARE_MANAGERS } },
    schema: {
      tags,
      summary: '公益性岗位退岗（同时结束其就业记录）',
      params: IdParams,
      body: ExitPublicWelfareBody,
      response: { 200: PublicWelfareHoldingSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => publicWelfare.exit(tx, request.actor!, request.params.id, request.body)),
  });

  app.get(`${PUBLIC_WELFARE_PATH}/holdings/:id/attendance`, {
    config: { access: { roles: PUBLIC_WELFARE_READERS } },
    schema: {
      tags,
      summary: '在岗人员的月度出勤与应发补贴',
      params: IdParams,
      response: { 200: AttendanceListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => publicWelfare.attendance(tx, request.actor!, request.params.id)),
  });

  app.put(`${PUBLIC_WELFARE_PATH}/holdings/:id/attendance`, {
    config: { access: { roles: PUBLIC_WELFARE_READERS } },
    schema: {
      tags,
      summary: '登记某月出勤天数（应发补贴 = 月补贴标准 × 出勤天数 ÷ 21.75，不超过标准）',
      params: IdParams,
      body: RecordAttendanceBody,
      response: { 200: AttendanceSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => publicWelfare.recordAttendance(tx, request.actor!, request.params.id, request.body)),
  });

  app.post(`${PUBLIC_WELFARE_PATH}/pay`, {
    config: { access: { roles: PUBLIC_WELFARE_MANAGERS } },
    schema: {
      tags,
      summary: '按出勤生成某月公益性岗位补贴申请，记入补贴台账；每人每月只生成一次',
      body: DraftPayBody,
      response: { 200: PayDraftSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => publicWelfare.draftPay(tx, request.actor!, request.body)),
  });
};
