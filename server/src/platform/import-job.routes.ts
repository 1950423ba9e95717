import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type BulkImportKind, BulkImportStatusSchema } from '../../../contracts/bulk-imports.ts';
import { ErrorSchema, IdParams } from '../../../contracts/common.ts';
import { AppError } from './errors.ts';
import type { ExportCell } from './excel/excel-safety.ts';
import { XLSX_CONTENT_TYPE } from './excel/list-export.ts';
import { hasBidiControls, hasInvalidText } from './http.ts';
import { type ImportJobs, writeImportTemplate } from './import-job.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 413: ErrorSchema };
const attachment = (name: string) => `attachment; filename="laowu.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;
/** Uploads are .xlsx files of at most 20 MB, as the collection form's. */
export const MAX_BULK_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * The four routes of a bulk import, under `base` (the owning module's path): GET template,
 * POST imports (multipart field file), GET imports/:id (status), GET imports/:id/report.
 */
export const bulkImportRoutes: FastifyPluginAsyncTypebox<{
  jobs: ImportJobs;
  kind: BulkImportKind;
  base: string;
  tag: string;
  roles: readonly string[];
  /** The template's example rows. */
  example?: ExportCell[][];
}> = async (app, { jobs, kind: kindName, base, tag, roles, example }) => {
  const kind = jobs.kind(kindName);
  const access = { roles: roles as never };

  app.get(`${base}/import-template`, {
    config: { access },
    schema: { tags: [tag], summary: `下载${kind.label}导入模板（.xlsx）`, response: { ...errors } },
    handler: async (_request, reply) => {
      const stream = new PassThrough();
      void writeImportTemplate(kind, stream, example).catch((error) => stream.destroy(error));
      return reply
        .header('content-type', XLSX_CONTENT_TYPE)
        .header('content-disposition', attachment(`${kind.sheetName}.xlsx`))
        .send(stream as never);
    },
  });

  app.post(`${base}/imports`, {
    config: { access },
    schema: {
      tags: [tag],
      summary: `上传填好的${kind.label}导入表（multipart 字段 file）。好的行导入，出错的行进错误报告；同一账号同时只能有一个导入在排队或进行中（否则 409 IMPORT_IN_PROGRESS）`,
      consumes: ['multipart/form-data'],
      response: { 202: Type.Object({ id: Type.String() }), ...errors, 409: ErrorSchema },
    },
    handler: async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件（字段 file）');
      await jobs.assertCanStart(request.actor!, kindName);
      let upload: { fileName: string; filePath: string } | null = null;
      for await (const part of request.parts({ limits: { fileSize: MAX_BULK_UPLOAD_BYTES, files: 1, fields: 5 } })) {
        if (part.type === 'field') continue;
        if (part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', '文件字段须名为 file');
        const file = part;
        if (file.filename && (hasInvalidText(file.filename) || hasBidiControls(file.filename))) {
          file.file.resume();
          throw new AppError('INVALID_CHARACTERS', '文件名中含有不允许的字符，请重命名后再上传');
        }
        const filePath = await jobs.receive(async (target) => {
          await pipeline(file.file, target);
          if (file.file.truncated) throw new AppError('BODY_TOO_LARGE', '文件超过 20 MB');
        });
        upload = { fileName: file.filename || `${kind.sheetName}.xlsx`, filePath };
      }
      if (!upload) throw new AppError('VALIDATION_FAILED', '请选择要上传的文件（字段 file）');
      const id = await jobs.startSaved(request.actor!, kindName, upload.fileName, upload.filePath);
      return reply.status(202).send({ id });
    },
  });

  app.get(`${base}/imports/:id`, {
    config: { access },
    schema: {
      tags: [tag],
      summary: `${kind.label}导入的进度、各类行数与逐行错误`,
      params: IdParams,
      response: { 200: BulkImportStatusSchema, ...errors },
    },
    handler: async (request) => jobs.status(request.actor!, kindName, request.params.id),
  });

  app.get(`${base}/imports/:id/report`, {
    config: { access },
    schema: {
      tags: [tag],
      summary: `下载${kind.label}导入的错误报告（行号、列、原因；仅上传者本人可下载，记入审计）`,
      params: IdParams,
      response: { ...errors, 409: ErrorSchema },
    },
    handler: async (request, reply) => {
      await jobs.reportAccess(request.actor!, kindName, request.params.id);
      const stream = new PassThrough();
      void jobs.report(request.actor!, kindName, request.params.id, stream).catch((error) => stream.destroy(error));
      return reply
        .header('content-type', XLSX_CONTENT_TYPE)
        .header('content-disposition', attachment(`${kind.label}导入${request.params.id}错误报告.xlsx`))
        .send(stream as never);
    },
  });
};
