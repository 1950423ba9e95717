import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import { SI_COMPARISONS_PATH, SI_REVIEWS_PATH } from '../../../../contracts/paths.ts';
import {
  AcceptReviewBody,
  ComparisonListQuery,
  ComparisonListSchema,
  ComparisonSchema,
  ComparisonUploadQuery,
  RejectReviewBody,
  ReviewListQuery,
  ReviewListSchema,
  ReviewSchema,
} from '../../../../contracts/social-insurance.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { hasBidiControls, hasInvalidText } from '../../platform/http.ts';
import { SI_IMPORTERS, SI_REVIEWERS, type SocialInsuranceService } from './social-insurance.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 413: ErrorSchema };
/** A province's quarterly file as CSV is about 90 MB for 1.5 million lines. */
export const MAX_CONTRIBUTION_FILE_BYTES = 200 * 1024 * 1024;

export const socialInsuranceRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; socialInsurance: SocialInsuranceService }> = async (
  app,
  { ctx, socialInsurance },
) => {
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.post(SI_COMPARISONS_PATH, {
    config: { access: { roles: SI_IMPORTERS } },
    schema: {
      tags: ['social-insurance'],
      summary: '上传社保缴费数据（.xlsx 或 .csv，multipart 字段 file）并与就业记录比对；省级或县级管理员',
      consumes: ['multipart/form-data'],
      querystring: ComparisonUploadQuery,
      response: { 201: ComparisonSchema, ...errors },
    },
    handler: async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件（字段 file）');
      socialInsurance.assertCanImport(request.actor!);
      const file = await request.file({ limits: { fileSize: MAX_CONTRIBUTION_FILE_BYTES, files: 1 } });
      if (file?.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', '请选择要上传的社保缴费文件（字段 file）');
      const fileName = file.filename || '社保缴费数据.csv';
      if (hasInvalidText(fileName) || hasBidiControls(fileName)) {
        file.file.resume();
        throw new AppError('INVALID_CHARACTERS', '文件名中含有不允许的字符，请重命名后再上传');
      }
      let run: Awaited<ReturnType<SocialInsuranceService['importFile']>>;
      try {
        run = await socialInsurance.importFile(request.actor!, { fileName, period: request.query.period, input: file.file });
      } catch (error) {
        // The rest of the upload is read and dropped, so the error reaches the client.
        file.file.resume();
        throw error;
      }
      if (file.file.truncated) throw new AppError('BODY_TOO_LARGE', '文件超过 200 MB');
      return reply.status(201).send(run);
    },
  });

  app.get(SI_COMPARISONS_PATH, {
    config: { access: { roles: SI_REVIEWERS } },
    schema: {
      tags: ['social-insurance'],
      summary: '社保比对批次（本辖区及上级的批次）与各结果人数',
      querystring: ComparisonListQuery,
      response: { 200: ComparisonListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => socialInsurance.comparisons(tx, request.actor!, request.query)),
  });

  app.get(`${SI_COMPARISONS_PATH}/:id`, {
    config: { access: { roles: SI_REVIEWERS } },
    schema: {
      tags: ['social-insurance'],
      summary: '一次社保比对的各结果人数',
      params: IdParams,
      response: { 200: ComparisonSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => socialInsurance.comparison(tx, request.actor!, request.params.id)),
  });

  app.get(SI_REVIEWS_PATH, {
    config: { access: { roles: SI_REVIEWERS } },
    schema: {
      tags: ['social-insurance'],
      summary: '社保比对核实清单（疑似已就业、待核实、就业单位不一致；3 个工作日内核实，逾期标出）',
      querystring: ReviewListQuery,
      response: { 200: ReviewListSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => socialInsurance.reviews(tx, request.actor!, request.query)),
  });

  app.post(`${SI_REVIEWS_PATH}/:id/accept`, {
    config: { access: { roles: SI_REVIEWERS } },
    schema: {
      tags: ['social-insurance'],
      summary: '采纳比对结果：据此登记就业、登记离职或更换就业单位（以本次比对为依据）',
      params: IdParams,
      body: AcceptReviewBody,
      response: { 200: ReviewSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => socialInsurance.accept(tx, request.actor!, request.params.id, request.body)),
  });

  app.post(`${SI_REVIEWS_PATH}/:id/reject`, {
    config: { access: { roles: SI_REVIEWERS } },
    schema: {
      tags: ['social-insurance'],
      summary: '驳回比对结果（须填写理由，至少 4 个字），原记录不变',
      params: IdParams,
      body: RejectReviewBody,
      response: { 200: ReviewSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => socialInsurance.reject(tx, request.actor!, request.params.id, request.body)),
  });
};
