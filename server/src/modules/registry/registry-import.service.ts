/**
 * The registry import (建档立卡 / 防止返贫监测 export, issue 21 item 1) on the collection form's
 * pipeline: a file's headers read and a mapping proposed, mappings saved per source and region,
 * the import started with one (laborers.import.ts does the batches, ledger, report and resume),
 * and the per-file results: the review list of people the file no longer names (never deleted)
 * and the households re-formed.
 */
import type { Db, DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { cellToPlain } from '../../platform/excel/cell-values.ts';
import type { ByteSource } from '../../platform/excel/zip-guard.ts';
import type { RegistryImportStatus, RegistryPreview, SaveMappingInput } from '../../../../contracts/registry-import.ts';
import { REGISTRY_IMPORTERS } from '../../../../contracts/roles.ts';
import { regionRefs } from '../regions/index.ts';
import { headerName } from './collection-form.columns.ts';
import { scanFormSheet, type ScanEvent } from './form-sheet.ts';
import { maskIdNumber } from './identity.ts';
import { maskIdentifiersIn, type LaborerImports } from './laborers.import.ts';
import { maskPhone } from './phone.ts';
import { scanCsv } from './registry-csv.ts';
import * as repo from './registry-import.repo.ts';
import { NAME_AND_ID, proposeMapping, recogniseHeader, validateMapping } from './registry-mapping.ts';

export { REGISTRY_IMPORTERS };
const SAMPLE_ROWS = 5;

/** .csv by its name, or when it is not a ZIP (an .xlsx starts with PK). */
export async function fileFormat(fileName: string, source: ByteSource): Promise<'xlsx' | 'csv'> {
  if (/\.csv$/i.test(fileName)) return 'csv';
  if (/\.xlsx$/i.test(fileName)) return 'xlsx';
  const head = await source.read(0, 2);
  return head.toString('latin1') === 'PK' ? 'xlsx' : 'csv';
}

const cellText = (v: unknown) => {
  const plain = cellToPlain(v);
  if (plain === null || plain === undefined) return '';
  if (plain instanceof Date) return plain.toISOString().slice(0, 10);
  return String(plain).trim();
};

export function createRegistryImports({ db, audit, imports }: { db: Db; audit: AuditLog; imports: LaborerImports }) {
  const ctx = (actor: Actor) => ({ actor, ip: actor.ip });
  const allowed = (actor: Actor) => {
    if (!(REGISTRY_IMPORTERS as readonly string[]).includes(actor.role)) throw new AppError('FORBIDDEN');
  };

  /** The registry import `id`, if `actor` may see it; NOT_FOUND for a collection-form import or someone else's. */
  async function registryJob(actor: Actor, id: string) {
    allowed(actor);
    const job = await imports.visibleJob(actor, id);
    if (job.mapping_id === null) throw new AppError('NOT_FOUND');
    return job;
  }

  return {
    /**
     * A file's header row (the first of its first 10 rows naming 姓名 and 证件号码/身份证号), the
     * field proposed for each header and the first rows, ID and phone numbers masked. Audited: the
     * uploader sees people's names.
     */
    async preview(actor: Actor, fileName: string, source: ByteSource): Promise<RegistryPreview> {
      allowed(actor);
      const format = await fileFormat(fileName, source);
      const options = { headerMatcher: recogniseHeader, requiredColumns: NAME_AND_ID };
      const events: AsyncIterable<ScanEvent> = format === 'csv' ? scanCsv(source, options) : scanFormSheet(source, options);
      let header: Extract<ScanEvent, { type: 'header' }> | undefined;
      const rows: unknown[][] = [];
      for await (const event of events) {
        if (event.type === 'header') header = event;
        else if (!event.empty) rows.push(event.row.cells);
        if (rows.length >= SAMPLE_ROWS) break;
      }
      if (!header) throw new AppError('IMPORT_MISSING_COLUMNS', '没有找到表头');
      const cells = header.headerCells;
      const columns = proposeMapping(cells.map((c) => c.text));
      const samples = rows.map((cellsOfRow) =>
        cells.map(({ index }, i) => {
          const text = cellText(cellsOfRow[index]);
          if (!text) return '';
          if (columns[i]!.proposed === 'idNumber') return maskIdNumber(text.replace(/\s/g, ''));
          if (columns[i]!.proposed === 'phone') return maskPhone(text.replace(/[\s-]/g, ''));
          return maskIdentifiersIn(text);
        }),
      );
      const fileHeaders = new Set(cells.map((c) => headerName(c.text)));
      const saved = await repo.mappingsFor(db, actor.regionCode);
      const matching = saved.find((m) => m.columns.every((c) => c.target === null || fileHeaders.has(headerName(c.header))));
      await db.transaction().execute((tx) =>
        audit.record(tx, ctx(actor), {
          action: 'registry.import_preview',
          entity: 'registry_mapping',
          entityId: matching?.id ?? null,
          details: { file: fileName, rows: samples.length },
        }),
      );
      return {
        format,
        sheetName: header.info.sheetName,
        headerRow: header.info.headerRow,
        columns,
        samples,
        matchingMappingId: matching?.id ?? null,
      };
    },

    async mappings(tx: DbOrTx, actor: Actor) {
      allowed(actor);
      const rows = await repo.mappingsFor(tx, actor.regionCode);
      const names = await regionRefs(
        tx,
        rows.map((r) => r.regionCode),
      );
      return rows.map((r) => ({
        id: r.id,
        sourceName: r.sourceName,
        regionCode: r.regionCode,
        regionName: names.get(r.regionCode)?.fullName ?? r.regionCode,
        columns: r.columns,
        updatedAt: r.updatedAt.toISOString(),
      }));
    },

    /** Saves the mapping under the source's name for the actor's region (replacing the one saved before). */
    async saveMapping(tx: DbOrTx, actor: Actor, input: SaveMappingInput) {
      allowed(actor);
      const sourceName = input.sourceName.trim();
      if (!sourceName) throw new AppError('VALIDATION_FAILED', '请填写数据来源名称');
      const columns = validateMapping(input.columns.map((c) => ({ header: c.header.trim(), target: c.target })));
      const saved = await repo.saveMapping(tx, { regionCode: actor.regionCode, sourceName, columns, by: actor.id });
      await audit.record(tx, ctx(actor), {
        action: 'registry.mapping_save',
        entity: 'registry_mapping',
        entityId: saved.id,
        details: { source: sourceName, columns: columns.filter((c) => c.target !== null).length },
      });
      const names = await regionRefs(tx, [saved.regionCode]);
      return {
        id: saved.id,
        sourceName: saved.sourceName,
        regionCode: saved.regionCode,
        regionName: names.get(saved.regionCode)?.fullName ?? saved.regionCode,
        columns: saved.columns,
        updatedAt: saved.updatedAt.toISOString(),
      };
    },

    /** Queues the import of a received file with a saved mapping the actor may use. */
    async start(actor: Actor, fileName: string, filePath: string, source: ByteSource, mappingId: string, opts: { wait?: boolean } = {}) {
      allowed(actor);
      const mapping = (await repo.mappingsFor(db, actor.regionCode)).find((m) => m.id === mappingId);
      if (!mapping) throw new AppError('NOT_FOUND', '列对应关系不存在或无权使用');
      const format = await fileFormat(fileName, source);
      return imports.startSaved(actor, fileName, filePath, 'partial', {
        ...opts,
        registry: { mappingId: mapping.id, sourceName: mapping.sourceName, format },
      });
    },

    /**
     * Progress and results from one read of the job: the import marks itself done in the same
     * transaction that writes missing and householdsReformed, so a row that says done has them.
     */
    async status(actor: Actor, id: string): Promise<RegistryImportStatus> {
      const job = await registryJob(actor, id);
      const status = await imports.statusOf(actor, job);
      return { ...status, sourceName: job.source_name ?? '', missing: job.missing, householdsReformed: job.households_reformed };
    },

    /** The review list: people on the platform in the import's region that the file does not name. Audited. */
    async missing(tx: DbOrTx, actor: Actor, id: string, page: number, pageSize: number) {
      const job = await registryJob(actor, id);
      const { rows, total } = await repo.missingPage(tx, id, (page - 1) * pageSize, pageSize);
      const villages = await regionRefs(
        tx,
        rows.map((r) => r.home_village_code),
      );
      await audit.record(tx, ctx(actor), {
        action: 'registry.import_missing_view',
        entity: 'laborer_import',
        entityId: id,
        details: { file: job.file_name, rows: rows.length },
      });
      return {
        total,
        items: rows.map((r) => ({
          laborerId: String(r.id),
          name: r.name,
          idNumberMasked: r.id_masked,
          village: villages.get(r.home_village_code)?.fullName ?? r.home_village_code,
          householdCode: r.household_code,
        })),
      };
    },

    async households(tx: DbOrTx, actor: Actor, id: string, page: number, pageSize: number) {
      await registryJob(actor, id);
      const { rows, total } = await repo.householdsPage(tx, id, (page - 1) * pageSize, pageSize);
      return {
        total,
        items: rows.map((r) => ({
          householdCode: r.household_code,
          membersBefore: r.members_before,
          membersAfter: r.members_after,
          joined: r.joined,
          departed: r.departed,
        })),
      };
    },
  };
}

export type RegistryImports = ReturnType<typeof createRegistryImports>;
