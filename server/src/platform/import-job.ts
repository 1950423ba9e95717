import { chmodSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import path from 'node:path';
import { sql } from 'kysely';
import type { BulkImportKind, BulkImportStatus } from '../../../contracts/bulk-imports.ts';
import type { Config } from '../config.ts';
import type { Db, Tx } from '../db/database.ts';
import type { Actor, AuditContext } from './actor.ts';
import type { AuditLog } from './audit.ts';
import { AppError } from './errors.ts';
import ExcelJS, { decodeUtf8For } from './excel/exceljs.ts';
import { readCell, scalarToText, type CellScalar } from './excel/cell-values.ts';
import { writeRecordedXlsx, writeRowsXlsx, type ExportCell } from './excel/excel-safety.ts';
import { FormError } from './excel/form-error.ts';
import { inspectZip, reorderedEntries, type ByteSource } from './excel/zip-guard.ts';
import { openSealed, sealKeysFrom, sealTo, SealedFileError } from './sealed-file.ts';

/**
 * Bulk imports from a template sheet (issue 21 item 4: postings, employment records), the
 * collection form's import machinery made generic (modules/registry/laborers.import.ts is the
 * model; it keeps its own copy until it is moved onto this):
 *
 * - receive: the upload is stored SM4-sealed as it streams in (0600 in a 0700 folder) and deleted
 *   as soon as its import ends;
 * - one row of bulk_import per upload, queued; a worker claims the oldest (FOR UPDATE SKIP
 *   LOCKED), at most config.importConcurrency at once; one account has one import queued or running
 *   (a unique index; a second upload is refused with IMPORT_IN_PROGRESS before it is stored);
 * - rows run in batches, each batch one transaction holding its rows' writes, their errors, the
 *   counts and done_through_row, so a crash loses nothing committed and half of nothing; each row
 *   in a savepoint, so a bad row (partial mode) is reported and the good rows of its batch stay;
 * - resume: an import that was running when the process stopped is queued again at the next start
 *   and goes on after its last committed batch — at most MAX_ATTEMPTS starts in all;
 * - the error report: the rejected rows (row number, their cells as typed, identifiers masked by
 *   the kind, 错误说明 naming the column), an .xlsx for the uploader alone, audited.
 *
 * A kind (ImportKind) gives the template's columns and `importRow`, which runs one row through the
 * owning module's service (its own rules, scope and audit) and says whether it created something
 * or found it there already (the row's idempotency key).
 */
export const MAX_ATTEMPTS = 2;
const DEFAULT_BATCH = 200;
/** Data rows a file may hold. */
export const MAX_IMPORT_ROWS = 50_000;
const EMPTY_ROWS_TO_STOP = 1000;
const ORPHAN_AGE_MS = 10 * 60_000;

export interface ImportColumn {
  key: string;
  /** The template's header (without the required mark, which the template adds). */
  header: string;
  required?: boolean;
  /** The template's note under the header (format, codes). */
  hint?: string;
  /** Masked in the error report (ID numbers). */
  mask?: (text: string) => string;
}

/** A data row: the cells by column key, text as typed (dates as YYYY-MM-DD, numbers as typed). */
export interface ImportRow {
  row: number;
  values: Record<string, string>;
  /** Raw scalars by key, for cells a kind parses itself (dates, numbers). */
  raw: Record<string, CellScalar | undefined>;
}

/** A row refused: the column (its header) and the Chinese reason. */
export class RowError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportKind {
  kind: BulkImportKind;
  /** 岗位 / 就业记录: in messages and file names. */
  label: string;
  /** The audit actions' prefix (posting → posting.import, posting.import_upload, posting.import_report). */
  auditAs: 'posting' | 'employment';
  roles: readonly string[];
  sheetName: string;
  columns: ImportColumn[];
  /** A field name in an AppError's details ('body.workRegionCode') → the column key it came from. */
  fieldColumns?: Record<string, string>;
  /** Called once per batch before its rows (a kind may prefetch what its rows look up). */
  importRow(tx: Tx, actor: Actor, row: ImportRow): Promise<'created' | 'unchanged'>;
}

const headerKey = (text: string) => text.replace(/[*＊\s]/g, '').replace(/（.*?）|\(.*?\)/g, '');

function cellText(v: CellScalar): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return scalarToText(v).trim();
}

/** The first worksheet of the upload: header row 1 (or the first row holding a required header), then its data rows. */
async function* readSheet(
  source: ByteSource,
  kind: ImportKind,
  onHeader: (headers: string[]) => void,
): AsyncGenerator<ImportRow, void, undefined> {
  let dir: Awaited<ReturnType<typeof inspectZip>>;
  try {
    dir = await inspectZip(source);
  } catch (error) {
    if (error instanceof FormError) throw error;
    throw new FormError('IMPORT_NOT_A_WORKBOOK', '文件不是有效的 Excel 工作簿（.xlsx），请使用下载的模板', {
      reason: (error as Error).message,
    });
  }
  const order = (name: string) => {
    const known = [
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/workbook.xml',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
    ];
    const i = known.indexOf(name);
    return i >= 0 ? i : /^xl\/worksheets\/sheet\d+\.xml$/.test(name) ? known.length + 1 : known.length;
  };
  // Parts in the order the streaming reader needs them, so no sheet is spilled in clear to a temporary file.
  const reader = decodeUtf8For(
    new ExcelJS.stream.xlsx.WorkbookReader(reorderedEntries(source, dir, order), {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      entries: 'emit',
    }),
  );
  (reader as unknown as { model?: unknown }).model = { sheets: [] };
  if (!dir.entries.some((e) => e.name === 'xl/sharedStrings.xml')) (reader as unknown as { sharedStrings?: unknown[] }).sharedStrings = [];
  const required = kind.columns.filter((c) => c.required);
  const byHeader = new Map(kind.columns.map((c) => [headerKey(c.header), c]));
  let found = false;
  try {
    for await (const ws of reader as unknown as AsyncIterable<AsyncIterable<{ number: number; values: unknown[] }>>) {
      if (found) {
        for await (const _ of ws) void _;
        continue;
      }
      found = true;
      let mapped: { column: ImportColumn; index: number }[] | null = null;
      let rows = 0;
      let empty = 0;
      for await (const r of ws) {
        const cells = r.values as unknown[];
        if (!mapped) {
          const candidate: { column: ImportColumn; index: number }[] = [];
          cells.forEach((v, index) => {
            const c = readCell(v);
            const column = c.kind === 'value' ? byHeader.get(headerKey(cellText(c.value))) : undefined;
            if (column && !candidate.some((m) => m.column.key === column.key)) candidate.push({ column, index });
          });
          if (required.length && !required.some((c) => candidate.some((m) => m.column.key === c.key))) {
            if (r.number >= 10) break;
            continue;
          }
          const missing = required.filter((c) => !candidate.some((m) => m.column.key === c.key));
          if (missing.length)
            throw new FormError(
              'IMPORT_MISSING_COLUMNS',
              `${kind.label}导入表缺少必填列：${missing.map((c) => c.header).join('、')}。请使用下载的模板`,
              { missing: missing.map((c) => c.header) },
            );
          mapped = kind.columns.flatMap((column) => candidate.filter((m) => m.column.key === column.key));
          onHeader(mapped.map((m) => m.column.header));
          continue;
        }
        const values: Record<string, string> = {};
        const raw: Record<string, CellScalar | undefined> = {};
        const errors: RowError[] = [];
        let any = false;
        for (const { column, index } of mapped) {
          const c = readCell(cells[index]);
          if (c.kind === 'error') {
            errors.push(new RowError(column.header, c.message));
            any = true;
          } else if (c.kind === 'value') {
            raw[column.key] = c.value;
            values[column.key] = cellText(c.value);
            if (values[column.key]) any = true;
          }
        }
        if (!any) {
          if (++empty >= EMPTY_ROWS_TO_STOP) break;
          continue;
        }
        empty = 0;
        if (++rows > MAX_IMPORT_ROWS)
          throw new FormError('IMPORT_TOO_MANY_ROWS', `文件超过 ${MAX_IMPORT_ROWS} 行，请分成几个文件上传`, { max: MAX_IMPORT_ROWS });
        yield Object.assign({ row: r.number, values, raw }, errors.length ? { cellErrors: errors } : {});
      }
      if (!mapped)
        throw new FormError(
          'IMPORT_MISSING_COLUMNS',
          `没有找到${kind.label}导入表的表头（须包含：${required.map((c) => c.header).join('、')}），请使用下载的模板`,
          { missing: required.map((c) => c.header) },
        );
    }
  } catch (error) {
    if (error instanceof FormError || error instanceof AppError) throw error;
    throw new FormError('IMPORT_NOT_A_WORKBOOK', '文件内容已损坏，无法读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再上传', {
      reason: (error as Error)?.message,
    });
  }
  if (!found) throw new FormError('IMPORT_SHEET_NOT_FOUND', '工作簿中没有工作表');
}

/** The template: one sheet, bold headers (required ones marked *), a note row, no data. */
export async function writeImportTemplate(kind: ImportKind, output: Writable, example: ExportCell[][] = []): Promise<number> {
  return writeRowsXlsx(
    kind.columns.map((c) => (c.required ? `${c.header}*` : c.header)),
    example,
    output,
    kind.sheetName,
    {
      title: `${kind.sheetName}（带 * 的列必填；${kind.columns
        .filter((c) => c.hint)
        .map((c) => `${c.header}：${c.hint}`)
        .join('；')}）`,
    },
  );
}

/** How an error thrown by a service names the column it is about. */
function rowErrorsOf(error: unknown, kind: ImportKind): RowError[] {
  if (error instanceof RowError) return [error];
  // A unique index refused the row: another import (or a hand) wrote the same record at the same moment.
  if ((error as { code?: string }).code === '23505') return [new RowError('整行', '与刚刚写入的另一条记录重复，请稍后重新导入该行')];
  if (error instanceof AppError) {
    const byKey = new Map(kind.columns.map((c) => [c.key, c.header]));
    const details = Array.isArray(error.details) ? (error.details as { field?: string; message?: string }[]) : [];
    const field = details.find((d) => typeof d.field === 'string')?.field?.replace(/^body\./, '');
    const key = field ? (kind.fieldColumns?.[field] ?? field) : undefined;
    const header = (key && byKey.get(key)) ?? '整行';
    // A refusal out of scope answers NOT_FOUND to requests (no record's existence leaks); a row says why in words.
    const message = error.code === 'NOT_FOUND' ? '不存在或不在您的管辖范围内' : error.message;
    return [new RowError(header, message)];
  }
  throw error;
}

export function createImportJobs({
  config,
  db,
  audit,
  kinds,
  actorOf,
  batchSize = DEFAULT_BATCH,
}: {
  config: Config;
  db: Db;
  audit: AuditLog;
  kinds: ImportKind[];
  /** The uploader as an Actor (the import runs with the uploader's rights). */
  actorOf: (accountId: string) => Promise<Actor>;
  batchSize?: number;
}) {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  const kindOf = (name: string) => {
    const k = byKind.get(name as BulkImportKind);
    if (!k) throw new Error(`no import kind ${name}`);
    return k;
  };
  const dir = path.join(config.dataDir, 'bulk-imports');
  const keys = sealKeysFrom(config.secrets.identifierKey);
  const slots = Math.max(1, config.importConcurrency ?? 2);
  const running = new Map<string, Promise<void>>();

  function uploadFolder(): string {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    return dir;
  }
  const removeUpload = (filePath: string) => rmSync(filePath, { force: true });

  /** An import's audit row. The action is spelled out of its two literal parts here, so the audit catalogue's scan reads every code. */
  function recordImport(
    tx: Tx,
    context: AuditContext,
    auditAs: 'posting' | 'employment',
    step: 'import' | 'import_upload' | 'import_report',
    entityId: string,
    result: 'success' | 'failure',
    details: Record<string, unknown>,
  ) {
    return audit.record(tx, context, { action: `${auditAs}.${step}`, entity: 'bulk_import', entityId, result, details });
  }

  async function openUpload(filePath: string): Promise<ByteSource> {
    try {
      return await openSealed(keys, filePath);
    } catch (error) {
      if (error instanceof SealedFileError || (error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new AppError('IMPORT_NOT_A_WORKBOOK', '上传的文件已失效（不存在或被改动），请重新上传', { reason: 'sealed-file' });
      throw error;
    }
  }

  /** Counts the data rows first, so the progress has a total (the reading is cheap beside the writes). */
  async function countRows(filePath: string, kind: ImportKind): Promise<{ total: number; headers: string[] }> {
    const source = await openUpload(filePath);
    try {
      let total = 0;
      const headers: string[] = [];
      for await (const _ of readSheet(source, kind, (h) => headers.push(...h))) total++;
      return { total, headers };
    } finally {
      await source.close().catch(() => undefined);
    }
  }

  type Outcome = { created: number; unchanged: number; rejected: number };

  /** One batch, in one transaction: each row in a savepoint; its errors, the counts and the place reached committed with it. */
  async function processBatch(
    importId: string,
    kind: ImportKind,
    actor: Actor,
    rows: (ImportRow & { cellErrors?: RowError[] })[],
    columnKeys: string[],
  ) {
    return db.transaction().execute(async (tx) => {
      const outcome: Outcome = { created: 0, unchanged: 0, rejected: 0 };
      const errors: { row: number; col: string; message: string }[] = [];
      const rejected: { row: number; cells: string[] }[] = [];
      for (const row of rows) {
        let problems: RowError[] = row.cellErrors ?? [];
        if (!problems.length) {
          await sql`SAVEPOINT import_row`.execute(tx);
          try {
            outcome[await kind.importRow(tx, actor, row)]++;
            await sql`RELEASE SAVEPOINT import_row`.execute(tx);
          } catch (error) {
            await sql`ROLLBACK TO SAVEPOINT import_row`.execute(tx);
            problems = rowErrorsOf(error, kind);
            // A refusal that the service audits (a card out of scope) is on record here too.
            if (error instanceof AppError) for (const a of error.audits) await audit.record(tx, a.context, a.entry);
          }
        }
        if (problems.length) {
          outcome.rejected++;
          for (const p of problems) errors.push({ row: row.row, col: p.column, message: p.message });
          rejected.push({
            row: row.row,
            cells: columnKeys.map((key) => {
              const text = row.values[key] ?? '';
              const mask = kind.columns.find((c) => c.key === key)?.mask;
              return text && mask ? mask(text) : text;
            }),
          });
        }
      }
      if (errors.length)
        await tx
          .insertInto('bulk_import_error')
          .values(errors.map((e) => ({ import_id: importId, ...e })))
          .execute();
      if (rejected.length)
        await tx
          .insertInto('bulk_import_rejected_row')
          .values(rejected.map((r) => ({ import_id: importId, row: r.row, cells: JSON.stringify(r.cells) })))
          .execute();
      await tx
        .updateTable('bulk_import')
        .set({
          processed: sql`processed + ${rows.length}`,
          created: sql`created + ${outcome.created}`,
          unchanged: sql`unchanged + ${outcome.unchanged}`,
          rejected: sql`rejected + ${outcome.rejected}`,
          done_through_row: rows[rows.length - 1]!.row,
        })
        .where('id', '=', importId)
        .execute();
      return outcome;
    });
  }

  async function finish(importId: string, actor: Actor, kind: ImportKind, fileName: string, filePath: string, failure: unknown) {
    const message = failure ? (failure instanceof AppError ? failure.message : '导入失败，请稍后重试') : null;
    const code = failure ? (failure instanceof AppError ? failure.code : 'INTERNAL') : null;
    await db.transaction().execute(async (tx) => {
      const job = await tx
        .updateTable('bulk_import')
        .set({ status: failure ? 'failed' : 'done', message, error_code: code, finished_at: new Date() })
        .where('id', '=', importId)
        .returning(['total', 'processed', 'created', 'unchanged', 'rejected'])
        .executeTakeFirstOrThrow();
      await recordImport(tx, { actor, ip: null }, kind.auditAs, 'import', importId, failure ? 'failure' : 'success', {
        file: fileName,
        total: job.total,
        processed: job.processed,
        created: job.created,
        unchanged: job.unchanged,
        rejected: job.rejected,
        ...(failure ? { code, message } : {}),
      });
    });
    removeUpload(filePath);
  }

  async function run(importId: string): Promise<void> {
    const job = await db.selectFrom('bulk_import').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
    const kind = kindOf(job.kind);
    const actor = await actorOf(String(job.created_by));
    let source: ByteSource | null = null;
    try {
      if (job.total === null) {
        // The headers of the file as the template names them: the error report's columns.
        const { total, headers } = await countRows(job.file_path, kind);
        await db
          .updateTable('bulk_import')
          .set({ total, report_columns: JSON.stringify(headers) })
          .where('id', '=', importId)
          .execute();
      }
      source = await openUpload(job.file_path);
      let columnKeys: string[] = [];
      const onHeader = (headers: string[]) => {
        columnKeys = headers.map((h) => kind.columns.find((c) => c.header === h)!.key);
      };
      // A resumed import goes on after its last committed batch.
      const after = job.done_through_row;
      let batch: ImportRow[] = [];
      for await (const row of readSheet(source, kind, onHeader)) {
        if (row.row <= after) continue;
        batch.push(row);
        if (batch.length >= batchSize) {
          await processBatch(importId, kind, actor, batch, columnKeys);
          batch = [];
        }
      }
      if (batch.length) await processBatch(importId, kind, actor, batch, columnKeys);
      await source.close();
      source = null;
      await finish(importId, actor, kind, job.file_name, job.file_path, null);
    } catch (error) {
      await source?.close().catch(() => undefined);
      await finish(importId, actor, kind, job.file_name, job.file_path, error);
      if (!(error instanceof AppError)) throw error;
    }
  }

  // --- the queue (the same as laborers.import.ts's) -------------------------------------------

  async function claimNext(): Promise<string | undefined> {
    const row = await sql<{ id: string }>`
      UPDATE bulk_import SET status = 'running', attempts = attempts + 1, started_at = now()
       WHERE id = (SELECT id FROM bulk_import WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id`.execute(db);
    return row.rows[0] ? String(row.rows[0].id) : undefined;
  }

  let pumping: Promise<void> | null = null;
  let pumpAgain = false;
  let pumps = 0;
  function pump(): Promise<void> {
    pumpAgain = true;
    if (pumping) return pumping;
    const generation = ++pumps;
    const task: Promise<void> = (async () => {
      await null;
      try {
        while (pumpAgain) {
          pumpAgain = false;
          while (running.size < slots) {
            const id = await claimNext();
            if (!id) break;
            launch(id);
          }
        }
      } catch {
        // The database is away (shutting down): what is queued stays queued for the next start.
      } finally {
        if (pumps === generation) pumping = null;
      }
    })();
    pumping = task;
    return task;
  }

  function launch(importId: string) {
    const task = run(importId)
      .catch(() => undefined)
      .finally(() => {
        running.delete(importId);
        void pump();
      });
    running.set(importId, task);
  }

  const pendingOf = (accountId: string) =>
    db
      .selectFrom('bulk_import')
      .select('id')
      .where('created_by', '=', accountId)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();

  const inProgress = (importId: string | undefined) =>
    new AppError(
      'IMPORT_IN_PROGRESS',
      `您上传的导入${importId ? ` #${importId} ` : ''}还在排队或进行中，请等它完成后再上传下一个文件（同一账号同时只能进行一个导入）`,
      importId ? { importId } : undefined,
    );

  function mayImport(actor: Actor, kind: ImportKind) {
    if (!kind.roles.includes(actor.role)) throw new AppError('FORBIDDEN');
  }

  /** The import of this kind visible to the actor: the uploader's own, or an admin's above the uploader. */
  async function findVisible(actor: Actor, kind: ImportKind, id: string) {
    const job = await db
      .selectFrom('bulk_import as b')
      .innerJoin('account as a', 'a.id', 'b.created_by')
      .selectAll('b')
      .select('a.region_code as owner_region')
      .where('b.id', '=', id)
      .where('b.kind', '=', kind.kind)
      .executeTakeFirst();
    if (!job || !(String(job.created_by) === String(actor.id) || (actor.role === 'admin' && job.owner_region.startsWith(actor.regionCode))))
      throw new AppError('NOT_FOUND');
    return job;
  }

  async function reportJob(actor: Actor, kind: ImportKind, id: string) {
    const job = await findVisible(actor, kind, id);
    if (String(job.created_by) !== String(actor.id)) throw new AppError('NOT_FOUND');
    if (job.status !== 'done' && job.status !== 'failed') throw new AppError('CONFLICT', '导入尚未完成，完成后才能下载错误报告');
    if (job.rejected === 0) throw new AppError('NOT_FOUND', '本次导入没有出错的行，没有错误报告');
    return job;
  }

  return {
    kind: kindOf,

    /** Refuses an actor who may not import this kind, or whose earlier import is still pending (before the upload is stored). */
    async assertCanStart(actor: Actor, kindName: BulkImportKind) {
      mayImport(actor, kindOf(kindName));
      const pending = await pendingOf(actor.id);
      if (pending) throw inProgress(String(pending.id));
    },

    /** Stores an upload sealed as it streams in; returns where. */
    async receive(save: (target: Writable) => Promise<void>): Promise<string> {
      const filePath = path.join(uploadFolder(), `${randomUUID()}.sealed`);
      const { writable, done } = sealTo(keys, filePath);
      done.catch(() => undefined);
      try {
        await save(writable);
        await done;
      } catch (error) {
        writable.destroy();
        await done.catch(() => undefined);
        removeUpload(filePath);
        throw error;
      }
      return filePath;
    },

    /** Queues the import of a received file (removed if it cannot be queued). */
    async startSaved(actor: Actor, kindName: BulkImportKind, fileName: string, filePath: string): Promise<string> {
      const kind = kindOf(kindName);
      let id: string;
      try {
        mayImport(actor, kind);
        id = await db.transaction().execute(async (tx) => {
          const row = await tx
            .insertInto('bulk_import')
            .values({ kind: kind.kind, file_name: fileName.slice(0, 200), file_path: filePath, created_by: actor.id })
            .returning('id')
            .executeTakeFirstOrThrow();
          await recordImport(tx, { actor, ip: actor.ip }, kind.auditAs, 'import_upload', String(row.id), 'success', { file: fileName });
          return String(row.id);
        });
      } catch (error) {
        removeUpload(filePath);
        if ((error as { constraint?: string }).constraint === 'bulk_import_one_pending_per_account')
          throw inProgress((await pendingOf(actor.id))?.id);
        throw error;
      }
      void pump();
      return id;
    },

    run,

    async status(actor: Actor, kindName: BulkImportKind, id: string): Promise<BulkImportStatus> {
      const kind = kindOf(kindName);
      const job = await findVisible(actor, kind, id);
      const errors = await db
        .selectFrom('bulk_import_error')
        .select(['row', 'col', 'message'])
        .where('import_id', '=', id)
        .orderBy('row')
        .limit(200)
        .execute();
      let queuePosition: number | null = null;
      if (job.status === 'queued') {
        const ahead = await db
          .selectFrom('bulk_import')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status', '=', 'queued')
          .where('id', '<', id)
          .executeTakeFirstOrThrow();
        queuePosition = Number(ahead.n) + 1;
      }
      return {
        id,
        kind: kind.kind,
        fileName: job.file_name,
        status: job.status as BulkImportStatus['status'],
        total: job.total,
        processed: job.processed,
        created: job.created,
        unchanged: job.unchanged,
        rejected: job.rejected,
        message: job.message,
        errorCode: job.error_code,
        queuePosition,
        reportAvailable:
          String(job.created_by) === String(actor.id) && (job.status === 'done' || job.status === 'failed') && job.rejected > 0,
        errors: errors.map((e) => ({ row: e.row, column: e.col, message: e.message })),
      };
    },

    async reportAccess(actor: Actor, kindName: BulkImportKind, id: string) {
      await reportJob(actor, kindOf(kindName), id);
    },

    /** The error report: 行号, the rejected rows' cells under the file's headers, 错误说明; audited with its row count. */
    async report(actor: Actor, kindName: BulkImportKind, id: string, output: Writable) {
      const kind = kindOf(kindName);
      const job = await reportJob(actor, kind, id);
      const columns = (job.report_columns as string[] | null) ?? [];
      async function* rows(): AsyncGenerator<ExportCell[]> {
        let after = 0;
        for (;;) {
          const page = await db
            .selectFrom('bulk_import_rejected_row')
            .select(['row', 'cells'])
            .where('import_id', '=', id)
            .where('row', '>', after)
            .orderBy('row')
            .limit(1000)
            .execute();
          if (!page.length) return;
          const last = page[page.length - 1]!.row;
          const errors = await db
            .selectFrom('bulk_import_error')
            .select(['row', 'col', 'message'])
            .where('import_id', '=', id)
            .where('row', '>', after)
            .where('row', '<=', last)
            .orderBy('row')
            .execute();
          const notes = new Map<number, string[]>();
          for (const e of errors) notes.set(e.row, [...(notes.get(e.row) ?? []), `${e.col}：${e.message}`]);
          for (const r of page) {
            const cells = r.cells as string[];
            yield [r.row, ...columns.map((_, i) => cells[i] ?? ''), (notes.get(r.row) ?? []).join('；')];
          }
          after = last;
        }
      }
      await writeRecordedXlsx(['行号', ...columns, '错误说明'], rows(), output, '错误报告', (count) =>
        db
          .transaction()
          .execute((tx) =>
            recordImport(tx, { actor, ip: actor.ip }, kind.auditAs, 'import_report', id, 'success', { file: job.file_name, rows: count }),
          ),
      );
    },

    /**
     * At start: imports that were running are queued again (they go on after their last committed
     * batch), unless they were started MAX_ATTEMPTS times already: those stop as failed. Upload
     * files no pending import names are removed. Returns how many imports are pending.
     */
    async resumePending() {
      const interrupted = await db
        .selectFrom('bulk_import')
        .select(['id', 'kind', 'attempts', 'created_by', 'file_name', 'file_path'])
        .where('status', '=', 'running')
        .execute();
      for (const job of interrupted) {
        if (job.attempts < MAX_ATTEMPTS) {
          await db.updateTable('bulk_import').set({ status: 'queued' }).where('id', '=', job.id).where('status', '=', 'running').execute();
          continue;
        }
        const failure = new AppError(
          'IMPORT_ATTEMPTS_EXHAUSTED',
          `导入已开始 ${job.attempts} 次，每次都在处理中中断（服务器停止或重启），已停止重试。请检查文件（可分成几个较小的文件）后重新上传`,
        );
        await finish(String(job.id), await actorOf(String(job.created_by)), kindOf(job.kind), job.file_name, job.file_path, failure);
      }
      const pending = await db.selectFrom('bulk_import').select('file_path').where('status', 'in', ['queued', 'running']).execute();
      const keep = new Set(pending.map((p) => path.resolve(p.file_path)));
      const folder = uploadFolder();
      for (const name of readdirSync(folder)) {
        const file = path.join(folder, name);
        const stat = statSync(file, { throwIfNoEntry: false });
        if (!stat?.isFile() || keep.has(file) || Date.now() - stat.mtimeMs < ORPHAN_AGE_MS) continue;
        removeUpload(file);
      }
      void pump();
      return pending.length;
    },

    /** Wait until the queue is empty and nothing runs (tests, shutdown). */
    async settle() {
      while (pumping || running.size) {
        await Promise.allSettled([pumping, ...running.values()]);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

export type ImportJobs = ReturnType<typeof createImportJobs>;
