import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema } from '../../../../contracts/common.ts';
import {
  CreateServiceRecordBody,
  PersonTimesQuery,
  PersonTimesSchema,
  ServiceRecordListQuery,
  ServiceRecordListSchema,
  ServiceRecordSchema,
} from '../../../../contracts/service-records.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { SERVICE_STAFF, type ServiceRecordsService } from './service-records.service.ts';
import { PERSON_TIMES_PATH, SERVICE_RECORDS_PATH } from '../../../../contracts/paths.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const serviceRecordRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; serviceRecords: ServiceRecordsService }> = async (
  app,
  { ctx, serviceRecords },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.post(SERVICE_RECORDS_PATH, {
    config: { access: { roles: SERVICE_STAFF } },
    schema: {
      tags: ['service-records'],
      summary: '登记服务记录：职业指导、职业介绍、职业培训（项目、课时、证书）、创业服务、政策扶持',
      body: CreateServiceRecordBody,
      response: { 201: ServiceRecordSchema, ...errors },
    },
    handler: async (request, reply) => reply.status(201).send(await inTx((tx) => serviceRecords.create(tx, request.actor!, request.body))),
  });

  app.get(SERVICE_RECORDS_PATH, {
    config: { access: { roles: SERVICE_STAFF } },
    schema: {
      tags: ['service-records'],
      summary: '服务记录列表（本辖区劳动力，或某一劳动力）',
      querystring: ServiceRecordListQuery,
      response: { 200: ServiceRecordListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => serviceRecords.list(tx, request.actor!, request.query)),
  });

  app.get(PERSON_TIMES_PATH, {
    config: { access: { roles: SERVICE_STAFF } },
    schema: {
      tags: ['service-records'],
      summary: '服务人次：按服务类别、月份和下级区划统计',
      querystring: PersonTimesQuery,
      response: { 200: PersonTimesSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => serviceRecords.personTimes(tx, request.actor!, request.query)),
  });
};
