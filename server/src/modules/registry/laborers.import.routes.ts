import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import { ImportStatusSchema, LaborerListQuery } from '../../../../contracts/laborers.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import { hasBidiControls, hasInvalidText } from '../../platform/http.ts';
import { writeTemplate } from './collection-form.ts';
import type { LaborerImports } from './laborers.import.ts';
import { CARD_WRITERS, type LaborersService } from './laborers.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 413: ErrorSchema };
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const attachment = (name: string) => `attachment; filename="laowu.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** Uploads are .xlsx files of at most 20 MB (a 100,000-row form is about 8 MB). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export const laborerImportRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  imports: LaborerImports;
  laborers: LaborersService;
}> = async (app, { ctx, imports, laborers }) => {
  const staff = { roles: CARD_WRITERS };

  app.get('/api/v1/laborers/template', {
    config: { access: staff },
    schema: { tags: ['laborers'], summary: '下载劳动力资源信息采集表模板（.xlsx）', response: { ...errors } },
    handler: async (_request, reply) => {
      const stream = new PassThrough();
      void writeTemplate(stream).catch((error) => stream.destroy(error));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment('劳动力资源信息采集表.xlsx'))
        .send(stream as never);
    },
  });

  app.post('/api/v1/laborers/imports', {
    config: { access: staff },
    schema: {
      tags: ['laborers'],
      summary:
        '上传填好的采集表（multipart 字段 file；可选字段 mode=all_or_nothing）。同一账号同时只能有一个导入在排队或进行中（否则 409 IMPORT_IN_PROGRESS）',
      consumes: ['multipart/form-data'],
      response: { 202: Type.Object({ id: Type.String() }), ...errors, 409: ErrorSchema },
    },
    handler: async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件（字段 file）');
      if (!CARD_WRITERS.includes(request.actor!.role as (typeof CARD_WRITERS)[number])) throw new AppError('FORBIDDEN');
      // Refused before the body is stored: an account has one import queued or running at a time.
      await imports.assertCanStart(request.actor!);
      // The fields may come before or after the file: the file is stored first, the import
      // starts once every part has been read.
      let mode: 'partial' | 'all_or_nothing' = 'partial';
      let upload: { fileName: string; filePath: string } | null = null;
      for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } })) {
        if (part.type === 'field') {
          if (part.fieldname === 'mode' && part.value === 'all_or_nothing') mode = 'all_or_nothing';
          continue;
        }
        if (part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', '文件字段须名为 file');
        const file = part;
        // The file name is kept and shown: a NUL, a lone surrogate or a direction control in it is refused like in any other field (issue 15).
        if (file.filename && (hasInvalidText(file.filename) || hasBidiControls(file.filename))) {
          file.file.resume();
          throw new AppError('INVALID_CHARACTERS', '文件名中含有不允许的字符，请重命名后再上传');
        }
        const filePath = await imports.receive(async (target) => {
          await pipeline(file.file, target);
          if (file.file.truncated) throw new AppError('BODY_TOO_LARGE', '文件超过 20 MB');
        });
        upload = { fileName: file.filename || '采集表.xlsx', filePath };
      }
      if (!upload) throw new AppError('VALIDATION_FAILED', '请选择要上传的采集表文件（字段 file）');
      const id = await imports.startSaved(request.actor!, upload.fileName, upload.filePath, mode);
      return reply.status(202).send({ id });
    },
  });

  app.get('/api/v1/laborers/imports/:id', {
    config: { access: staff },
    schema: {
      tags: ['laborers'],
      summary: '导入进度、排队位置与逐行错误',
      params: IdParams,
      response: { 200: ImportStatusSchema, ...errors },
    },
    handler: async (request) => imports.status(request.actor!, request.params.id),
  });

  app.get('/api/v1/laborers/imports/:id/report', {
    config: { access: staff },
    schema: {
      tags: ['laborers'],
      summary: '下载错误报告（仅出错的行，证件号与手机号脱敏；仅上传者本人可下载，记入审计）',
      params: IdParams,
      response: { ...errors, 409: ErrorSchema },
    },
    handler: async (request, reply) => {
      const stream = new PassThrough();
      await imports.reportAccess(request.actor!, request.params.id);
      void imports.report(request.actor!, request.params.id, stream).catch((error) => stream.destroy(error));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(`导入${request.params.id}错误报告.xlsx`))
        .send(stream as never);
    },
  });

  app.get('/api/v1/laborers/export', {
    config: { access: staff },
    schema: {
      tags: ['laborers'],
      summary: '导出当前筛选的名册（.xlsx，证件号与手机号脱敏，记入审计）',
      querystring: LaborerListQuery,
      response: { ...errors },
    },
    handler: async (request, reply) => {
      const stream = new PassThrough();
      const { page: _p, pageSize: _s, ...filter } = request.query;
      // Validate scope and filters before the download starts, so errors come back as JSON.
      const name = await ctx.db.transaction().execute(async (tx) => {
        await laborers.list(tx, request.actor!, { ...filter, pageSize: 1 });
        return laborers.exportFileName(tx, request.actor!, filter);
      });
      void laborers.export(ctx.db, request.actor!, filter, stream).catch((error) => stream.destroy(error));
      return reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment(name))
        .send(stream as never);
    },
  });
};
