import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorSchema, IdParams } from '../../../../contracts/common.ts';
import { REGISTRY_IMPORTS_PATH, REGISTRY_MAPPINGS_PATH, REGISTRY_PREVIEW_PATH } from '../../../../contracts/paths.ts';
import {
  ListPageQuery,
  MappingSchema,
  MissingPage,
  PreviewSchema,
  ReformedPage,
  RegistryImportStatusSchema,
  SaveMappingBody,
} from '../../../../contracts/registry-import.ts';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { hasBidiControls, hasInvalidText } from '../../platform/http.ts';
import { MAX_UPLOAD_BYTES } from './laborers.import.routes.ts';
import type { LaborerImports } from './laborers.import.ts';
import { REGISTRY_IMPORTERS, type RegistryImports } from './registry-import.service.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 413: ErrorSchema };

/**
 * The upload of a registry file (multipart: file, and mappingId for an import), stored
 * SM4-encrypted as it streams in, like the collection form's.
 */
async function receiveUpload(request: FastifyRequest, imports: LaborerImports) {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件（字段 file）');
  let mappingId: string | null = null;
  let upload: { fileName: string; filePath: string } | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } })) {
      if (part.type === 'field') {
        if (part.fieldname === 'mappingId' && typeof part.value === 'string') mappingId = part.value;
        continue;
      }
      if (part.fieldname !== 'file') throw new AppError('VALIDATION_FAILED', '文件字段须名为 file');
      const file = part;
      if (file.filename && (hasInvalidText(file.filename) || hasBidiControls(file.filename))) {
        file.file.resume();
        throw new AppError('INVALID_CHARACTERS', '文件名中含有不允许的字符，请重命名后再上传');
      }
      const filePath = await imports.receive(async (target) => {
        await pipeline(file.file, target);
        if (file.file.truncated) throw new AppError('BODY_TOO_LARGE', '文件超过 20 MB');
      });
      upload = { fileName: file.filename || '建档立卡数据.xlsx', filePath };
    }
  } catch (error) {
    if (upload) imports.discard(upload.filePath);
    throw error;
  }
  if (!upload) throw new AppError('VALIDATION_FAILED', '请选择要上传的文件（字段 file）');
  return { ...upload, mappingId };
}

/** 建档立卡 / 防返贫监测 data import (issue 21 item 1). */
export const registryImportRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  imports: LaborerImports;
  registry: RegistryImports;
}> = async (app, { ctx, imports, registry }) => {
  const access = { roles: REGISTRY_IMPORTERS };
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => ctx.db.transaction().execute(work);

  app.post(REGISTRY_PREVIEW_PATH, {
    config: { access },
    schema: {
      tags: ['registry-import'],
      summary: '读取建档立卡/防返贫监测导出文件（.xlsx 或 .csv，multipart 字段 file）的表头，给出列对应建议和前几行样例（脱敏，记入审计）',
      consumes: ['multipart/form-data'],
      response: { 200: PreviewSchema, ...errors },
    },
    handler: async (request) => {
      const upload = await receiveUpload(request, imports);
      try {
        const source = await imports.openReceived(upload.filePath);
        try {
          return await registry.preview(request.actor!, upload.fileName, source);
        } finally {
          await source.close();
        }
      } finally {
        imports.discard(upload.filePath);
      }
    },
  });

  app.get(REGISTRY_MAPPINGS_PATH, {
    config: { access },
    schema: {
      tags: ['registry-import'],
      summary: '已保存的列对应关系（本级、上级保存的，及下级保存的）',
      response: { 200: Type.Array(MappingSchema), ...errors },
    },
    handler: async (request) => inTx((tx) => registry.mappings(tx, request.actor!)),
  });

  app.post(REGISTRY_MAPPINGS_PATH, {
    config: { access },
    schema: {
      tags: ['registry-import'],
      summary: '按数据来源保存列对应关系（同一区划同名来源覆盖；须有姓名、身份证号、村，每个字段只对应一列；记入审计）',
      body: SaveMappingBody,
      response: { 200: MappingSchema, ...errors },
    },
    handler: async (request) => inTx((tx) => registry.saveMapping(tx, request.actor!, request.body)),
  });

  app.post(REGISTRY_IMPORTS_PATH, {
    config: { access },
    schema: {
      tags: ['registry-import'],
      summary: '用已保存的列对应关系导入建档立卡/防返贫监测文件（multipart 字段 file 与 mappingId）；同一账号同时只能有一个导入',
      consumes: ['multipart/form-data'],
      response: { 202: Type.Object({ id: Type.String() }), ...errors, 409: ErrorSchema },
    },
    handler: async (request, reply) => {
      await imports.assertCanStart(request.actor!);
      const upload = await receiveUpload(request, imports);
      let id: string | null = null;
      try {
        if (!upload.mappingId || !/^[1-9][0-9]{0,17}$/.test(upload.mappingId))
          throw new AppError('VALIDATION_FAILED', '请选择列对应关系（字段 mappingId）');
        const source = await imports.openReceived(upload.filePath);
        try {
          id = await registry.start(request.actor!, upload.fileName, upload.filePath, source, upload.mappingId);
        } finally {
          await source.close();
        }
      } finally {
        // Not queued: the upload goes (a queued import removes it when it ends).
        if (id === null) imports.discard(upload.filePath);
      }
      return reply.status(202).send({ id });
    },
  });

  app.get(`${REGISTRY_IMPORTS_PATH}/:id`, {
    config: { access },
    schema: {
      tags: ['registry-import'],
      summary: '建档立卡导入的进度与结果：新增、更新、未变化、错误行数，不在名单中的人数，户成员变化的户数',
      params: IdParams,
      response: { 200: RegistryImportStatusSchema, ...errors },
    },
    handler: async (request) => registry.status(request.actor!, request.params.id),
  });

  app.get(`${REGISTRY_IMPORTS_PATH}/:id/missing`, {
    config: { access },
    schema: {
      tags: ['registry-import'],
      summary: '待核实名单：平台上在本区划内、但文件中没有的人（不删除信息卡；证件号脱敏，记入审计）',
      params: IdParams,
      querystring: ListPageQuery,
      response: { 200: MissingPage, ...errors },
    },
    handler: async (request) =>
      inTx((tx) => registry.missing(tx, request.actor!, request.params.id, request.query.page ?? 1, request.query.pageSize ?? 20)),
  });

  app.get(`${REGISTRY_IMPORTS_PATH}/:id/households`, {
    config: { access },
    schema: {
      tags: ['registry-import'],
      summary: '户成员变化的户（户编号下的成员与导入前不同）',
      params: IdParams,
      querystring: ListPageQuery,
      response: { 200: ReformedPage, ...errors },
    },
    handler: async (request) =>
      inTx((tx) => registry.households(tx, request.actor!, request.params.id, request.query.page ?? 1, request.query.pageSize ?? 20)),
  });
};
