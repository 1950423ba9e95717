import { chmodSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { sealKeysFrom, sealTo, type ByteSource } from '../../platform/sealed-file.ts';
import type { ImportStatus } from '../../../../contracts/laborers.ts';
import type { FormRow, MappedColumn } from './collection-form.ts';
import { openUpload as openSealedUpload, readInWorker, warmReader, type ReadRow } from './import-reader.ts';
import { cellToPlain } from '../../platform/excel/cell-values.ts';
import { writeRecordedXlsx, type ExportCell } from '../../platform/excel/excel-safety.ts';
import { FormError } from '../../platform/excel/form-error.ts';
import { accountsRepo, toActor } from '../accounts/index.ts';
import { createRegionNameResolver, regionRefs, type RegionNamePath } from '../regions/index.ts';
import type { MappingColumn } from '../../../../contracts/registry-import.ts';
import { NEW_CARD_DEFAULTS, NEW_CARD_FIELDS, PLACE_TARGETS, readOptionsFor } from './registry-mapping.ts';
import * as registryRepo from './registry-import.repo.ts';
import { maskIdNumber, parseIdNumber } from './identity.ts';
import { maskPhone } from './phone.ts';
import * as repo from './laborers.repo.ts';
import { CARD_WRITERS, type LaborersService } from './laborers.service.ts';

/**
 * Imports of the collection form: rows upsert by ID number in batches, each batch one transaction
 * that also records its errors and the progress, so a crash leaves no half-written row and a
 * re-run finishes the job (rows already imported are found unchanged). Importing the same sheet
 * twice changes nothing the second time. Each row is one of 新增 (created), 更新 (updated),
 * 未变化 (unchanged) or 错误 (rejected); every saved or matching row confirms its card for the
 * quarter (the form is filled in door to door). In all-or-nothing mode the whole sheet is one transaction
 * and any row error keeps it from being saved.
 *
 * Bounded, so that no upload can take the platform down (issue 15):
 * - a queue: at most config.importConcurrency imports run at once, platform-wide, the others wait
 *   in upload order (their place is in the status); one account has at most one import queued or
 *   running — a second upload is refused with IMPORT_IN_PROGRESS before its body is stored (a
 *   unique index enforces it), so one account can neither fill the queue nor the disk, and the
 *   uploader is told plainly instead of watching an import that does not move;
 * - attempts: an import that was running when the process died is started again at the next
 *   start, at most MAX_ATTEMPTS times in all; then it stops as failed with a message, so a file
 *   that kills the process cannot kill every restart;
 * - the uploaded file is kept SM4-encrypted (platform/sealed-file.ts, 0600 in a 0700 folder) only
 *   while the import is pending, and deleted as soon as it ends;
 * - the error report holds only the rejected rows, masked, kept in the database, downloadable by
 *   the uploader alone and audited.
 *
 * The file is read in a worker thread (import-reader.ts): the reader, the rows' validation and the
 * SM4/SM3 of their identifiers run on the second core while this thread and PostgreSQL write the
 * batches; rows and file-level errors arrive in the order the reader met them, so everything above
 * holds as when the file was read here. A reader thread that dies fails the import
 * (IMPORT_READER_FAILED) and leaves what the committed batches wrote.
 */
const BATCH = 1000;
export const MAX_ATTEMPTS = 2;
/** Files in the upload folder that no pending import names are removed at start once this old. */
const ORPHAN_AGE_MS = 10 * 60_000;

/** 18- and 15-digit ID numbers and 11-digit mobile numbers standing on their own in free text. */
const ID_IN_TEXT = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const PHONE_IN_TEXT = /(?<!\d)1\d{10}(?!\d)/g;
/** Any ID or mobile number inside a text masked (an error message quoting a cell, a note). */
export const maskIdentifiersIn = (text: string) => text.replace(ID_IN_TEXT, maskIdNumber).replace(PHONE_IN_TEXT, maskPhone);

/**
 * A registry file being imported (registry-import.service.ts): its saved mapping, the region it
 * covers and the resolver of its place names, kept for the whole file.
 */
interface RegistryRun {
  sourceName: string;
  regionCode: string;
  columns: MappingColumn[];
  mapped: Set<string>;
  places: ReturnType<typeof createRegionNameResolver>;
}

/** A row's card fields: place names and fields the file leaves empty taken out. */
function cardValues(values: FormRow['values']): FormRow['values'] {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || (PLACE_TARGETS as readonly string[]).includes(key)) continue;
    out[key] = value;
  }
  return out as FormRow['values'];
}

function plainText(v: unknown): string {
  const plain = cellToPlain(v);
  if (plain === null || plain === undefined) return '';
  if (plain instanceof Date) return plain.toISOString().slice(0, 10);
  return String(plain).trim();
}

/** A rejected row as the report shows it: the mapped columns' values, identifiers masked. */
function maskedCells(row: FormRow, columns: MappedColumn[]): string[] {
  return columns.map(({ column, index }) => {
    const text = plainText(row.raw.cells[index]);
    if (!text) return '';
    if (column.kind === 'idNumber') return maskIdNumber(text.replace(/\s/g, ''));
    if (column.kind === 'phone') return maskPhone(text.replace(/[\s-]/g, ''));
    return maskIdentifiersIn(text);
  });
}

export function createLaborerImports({
  config,
  db,
  audit,
  laborers,
}: {
  config: Config;
  db: Db;
  audit: AuditLog;
  laborers: LaborersService;
}) {
  const dir = path.join(config.dataDir, 'imports');
  const keys = sealKeysFrom(config.secrets.identifierKey);
  const slots = Math.max(1, config.importConcurrency ?? 2);
  const running = new Map<string, Promise<void>>();

  function uploadFolder(): string {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A folder made by an earlier version was 0755.
    chmodSync(dir, 0o700);
    return dir;
  }

  const removeUpload = (filePath: string) => rmSync(filePath, { force: true });

  async function actorOf(accountId: string): Promise<Actor> {
    const a = await accountsRepo.findById(db, accountId);
    if (!a) throw new Error(`import owner ${accountId} is gone`);
    return toActor(a, 'import');
  }

  /** A registry import's saved mapping, region and place-name resolver; null for the collection form. */
  async function registryRunOf(job: { mapping_id: string | number | null; source_name: string | null; region_code: string | null }) {
    if (job.mapping_id === null) return null;
    const mapping = await registryRepo.findMapping(db, String(job.mapping_id));
    if (!mapping || !job.region_code) throw new AppError('NOT_FOUND', '导入所用的列对应关系已不存在');
    return {
      sourceName: job.source_name ?? mapping.sourceName,
      regionCode: job.region_code,
      columns: mapping.columns,
      mapped: readOptionsFor(mapping.columns).mapped as Set<string>,
      places: createRegionNameResolver(job.region_code),
    } satisfies RegistryRun;
  }

  /**
   * One batch: validate villages and scope, insert new cards, update changed ones, record errors.
   * Errors and rejected rows go to `sink`: the batch's transaction, or (all-or-nothing, whose one
   * transaction is rolled back when any row fails) the pool, so the report keeps them.
   */
  async function processBatch(
    tx: DbOrTx,
    sink: DbOrTx,
    importId: string,
    actor: Actor,
    rows: ReadRow[],
    columns: MappedColumn[],
    registry: RegistryRun | null = null,
  ) {
    const errors: { row: number; col: string; message: string; warning?: boolean }[] = [];
    const rejectedRows = new Map<number, FormRow>();
    /** A row saved all the same, with a note the status and the uploader see. */
    const warn = (row: FormRow, col: string, message: string) => errors.push({ row: row.row, col, message, warning: true });
    const reject = (row: FormRow, col: string, message: string) => {
      errors.push({ row: row.row, col, message: maskIdentifiersIn(message) });
      rejectedRows.set(row.row, row);
    };
    let good: ReadRow[] = [];
    for (const r of rows) {
      if (r.errors.length) for (const e of r.errors) reject(r, e.column, e.message);
      else good.push(r);
    }
    if (registry) {
      // The registry names its places: each row's village found by name within its parents (or
      // through a former name); a name that matches none or several is the row's error, never a guess.
      const named = good.filter((r) => !r.values.homeVillageCode);
      const places = await registry.places.resolve(
        tx,
        named.map((r) => PLACE_TARGETS.map((k) => (r.values as Record<string, string | undefined>)[k]) as RegionNamePath),
      );
      const unplaced = new Set<FormRow>();
      named.forEach((r, i) => {
        const place = places[i]!;
        if (place.ok) r.values.homeVillageCode = place.code;
        else {
          reject(r, ['省', '市', '县', '乡镇', '村'][place.level]!, place.message);
          unplaced.add(r);
        }
      });
      good = good.filter((r) => !unplaced.has(r)).map((r) => ({ ...r, values: cardValues(r.values) }));
    }
    const villages = await regionRefs(
      tx,
      good.map((r) => r.values.homeVillageCode ?? null),
    );
    const valid: { row: ReadRow; identity: ReturnType<typeof parseIdNumber> & { ok: true }; index: Buffer }[] = [];
    for (const r of good) {
      const code = r.values.homeVillageCode!;
      const village = villages.get(code);
      if (village?.level !== 'village') reject(r, '户籍所在村代码', `村代码 ${code} 不存在`);
      else if (!code.startsWith(actor.regionCode)) reject(r, '户籍所在村代码', `${village.fullName} 不在您的管辖范围内`);
      else {
        const identity = parseIdNumber(r.values.idNumber!);
        if (!identity.ok) reject(r, '身份证号', identity.message);
        else {
          // The reader thread sealed the row's identifiers ahead; its index is of this ID number.
          const id = identity.value.idNumber;
          const index = r.sealed?.idNumber === id ? Buffer.from(r.sealed.idIndex, 'hex') : laborers.idIndex(id);
          valid.push({ row: r, identity, index });
        }
      }
    }
    const existing = new Map(
      (
        await repo.findByIdentities(
          tx,
          valid.map((v) => v.index),
        )
      ).map((c) => [c.id_index.toString('hex'), c]),
    );
    const fresh: repo.NewCard[] = [];
    /** Registry: the cards the file named, with their household before and after. */
    const named: { laborerId: string; householdCode: string | null; previousHouseholdCode: string | null }[] = [];
    /** Existing cards the sheet re-collected, changed or not: confirmed for the quarter with the new ones. */
    const seen: string[] = [];
    let updated = 0;
    let unchanged = 0;
    const countyNames = await regionRefs(
      tx,
      [...existing.values()].map((c) => c.home_village_code.slice(0, 6)),
    );
    // 已就业 / 未就业 come from the employment records: a row's 就业状态 that disagrees with them is
    // not written (the card is saved with the rest of the row and the row gets a warning); only
    // 不具备就业条件 is taken from the sheet. No job is made from a sheet: where and for whom the
    // person works is registered on the card.
    const working = await laborers.employedToday(
      tx,
      [...existing.values()].map((c) => String(c.id)),
    );
    const statusOf = (row: FormRow, cardId: string | null) => {
      const { status, warning } = laborers.typedEmploymentStatus(row.values.employmentStatus, cardId !== null && working.has(cardId));
      if (warning) warn(row, '就业状态', warning);
      return { ...row.values, employmentStatus: status };
    };
    for (const { row, identity, index } of valid) {
      const card = existing.get(index.toString('hex'));
      if (!card) {
        if (registry) {
          const lacking = NEW_CARD_FIELDS.filter((f) => row.values[f] === undefined);
          if (lacking.length) {
            const names = { povertyStatus: '户类型', education: '文化程度', health: '健康状况', laborCapacity: '劳动能力' };
            reject(row, names[lacking[0]!], `新建信息卡须有${lacking.map((f) => names[f]).join('、')}，文件中未填写或未对应`);
            continue;
          }
          const values = { ...NEW_CARD_DEFAULTS, ...statusOf(row, null) };
          if (values.employmentStatus === undefined) values.employmentStatus = NEW_CARD_DEFAULTS.employmentStatus;
          fresh.push({ ...laborers.buildNewCard(identity.value, values, index, row.sealed), created_by: actor.id });
          continue;
        }
        fresh.push({ ...laborers.buildNewCard(identity.value, statusOf(row, null), index, row.sealed), created_by: actor.id });
        continue;
      }
      if (!card.home_village_code.startsWith(actor.regionCode) || card.deleted_at) {
        const county = countyNames.get(card.home_village_code.slice(0, 6));
        reject(row, '身份证号', `该身份证号已在${county?.fullName ?? '其他县'}登记，可向该县申请转移`);
        continue;
      }
      seen.push(String(card.id));
      if (registry)
        named.push({
          laborerId: String(card.id),
          previousHouseholdCode: card.household_code,
          householdCode: registry.mapped.has('householdCode') ? (row.values.householdCode ?? null) : card.household_code,
        });
      const typed = statusOf(row, String(card.id));
      if (typed.employmentStatus === undefined) delete typed.employmentStatus;
      const { patch: patchColumns, changes } = laborers.changesFor(card, typed);
      if (!Object.keys(changes).length) {
        unchanged++;
        continue;
      }
      await repo.updateCard(tx, String(card.id), patchColumns, {
        by: actor.id,
        kind: 'import',
        // The ledger names where a change came from: the registry's source, or the collection form.
        reason: registry ? `registry:${registry.sourceName} · 导入 #${importId} 第 ${row.row} 行` : `导入 #${importId} 第 ${row.row} 行`,
        changes,
      });
      updated++;
    }
    // Two rows of one batch naming the same new person were already refused by the reader.
    const inserted = await repo.insertCards(tx, fresh, 'import');
    // A row of the collection form is the card seen door to door: it counts as the quarter's
    // confirmation, once per card per quarter, so importing the sheet again confirms nothing new.
    // A registry file is the poverty office's record, not a visit: it confirms nothing.
    if (registry) await registryRepo.recordSeen(tx, importId, named, inserted);
    else await laborers.recordConfirmations(tx, actor, [...seen, ...inserted]);
    if (errors.length) {
      await sink
        .insertInto('laborer_import_error')
        .values(errors.map((e) => ({ import_id: importId, row: e.row, col: e.col, message: e.message, warning: e.warning === true })))
        .execute();
      if (rejectedRows.size)
        await sink
          .insertInto('laborer_import_rejected_row')
          .values(
            [...rejectedRows.values()].map((r) => ({ import_id: importId, row: r.row, cells: JSON.stringify(maskedCells(r, columns)) })),
          )
          .execute();
    }
    await tx
      .updateTable('laborer_import')
      .set({
        processed: sql`processed + ${rows.length}`,
        accepted: sql`accepted + ${inserted.length + updated + unchanged}`,
        created: sql`created + ${inserted.length}`,
        updated: sql`updated + ${updated}`,
        unchanged: sql`unchanged + ${unchanged}`,
        rejected: sql`rejected + ${rejectedRows.size}`,
      })
      .where('id', '=', importId)
      .execute();
    return { created: inserted.length, updated, unchanged, rejected: rejectedRows.size };
  }

  /** The upload, decrypted as it is read; a file that is not sealed by us, or was altered, is refused. */
  const openUpload = (filePath: string): Promise<ByteSource> => openSealedUpload(keys, filePath);

  async function run(importId: string, onProgress?: (processed: number) => void): Promise<void> {
    const job = await db.selectFrom('laborer_import').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
    const actor = await actorOf(String(job.created_by));
    const registry = await registryRunOf(job);
    // A re-run starts over: counts and errors are recomputed, rows already saved come out unchanged.
    await db.transaction().execute(async (tx) => {
      if (registry) await registryRepo.clearResults(tx, importId);
      await tx.deleteFrom('laborer_import_error').where('import_id', '=', importId).execute();
      await tx.deleteFrom('laborer_import_rejected_row').where('import_id', '=', importId).execute();
      await tx
        .updateTable('laborer_import')
        .set({
          status: 'running',
          processed: 0,
          accepted: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
          rejected: 0,
          message: null,
          error_code: null,
          missing: null,
          households_reformed: null,
        })
        .where('id', '=', importId)
        .execute();
    });
    let processed = 0;
    let columns: MappedColumn[] = [];
    const reportColumns = () => (columns.length ? JSON.stringify(columns.map((c) => c.header)) : null);
    // The file is read, and each row's identifiers sealed, in a worker thread (import-reader.ts).
    const reader = () =>
      readInWorker(
        {
          filePath: job.file_path,
          sealKeys: keys,
          // Only the identifier keys cross to the thread, not the other secrets.
          keys: { identifierKey: config.secrets.identifierKey, identifierIndexKey: config.secrets.identifierIndexKey },
          registry: registry ? { columns: registry.columns, format: job.file_format === 'csv' ? 'csv' : 'xlsx' } : null,
        },
        (found) => {
          columns = found;
        },
      );
    try {
      if (job.mode === 'all_or_nothing') {
        await db.transaction().execute(async (tx) => {
          let batch: ReadRow[] = [];
          let rejected = 0;
          const read = reader();
          for await (const row of read.rows) {
            batch.push(row);
            if (batch.length >= BATCH) {
              const done = await processBatch(tx, db, importId, actor, batch, columns, registry);
              read.fresh(done.created / batch.length);
              rejected += done.rejected;
              processed += batch.length;
              onProgress?.(processed);
              batch = [];
            }
          }
          if (batch.length) rejected += (await processBatch(tx, db, importId, actor, batch, columns, registry)).rejected;
          processed += batch.length;
          if (rejected > 0) throw new AllOrNothing(rejected);
        });
      } else {
        // Up to two batches in flight while the next is read: the reader thread parses and
        // encrypts while the main thread and PostgreSQL write. The reader has already refused repeated ID numbers, so two batches
        // never touch the same card.
        let batch: ReadRow[] = [];
        const read = reader();
        const inFlight = new Set<Promise<void>>();
        let failure: unknown = null;
        const flush = (rows: ReadRow[]) => {
          const task: Promise<void> = db
            .transaction()
            .execute(async (tx) => {
              // A batch need not wait for its own WAL flush: the import's final commit below is
              // synchronous and flushes every batch before it, and a crash in between loses only
              // batches that the resumed import upserts again (rows are keyed by ID number).
              await sql`SET LOCAL synchronous_commit = off`.execute(tx);
              return processBatch(tx, tx, importId, actor, rows, columns, registry);
            })
            .then((done) => {
              read.fresh(done.created / rows.length);
              processed += rows.length;
              onProgress?.(processed);
            })
            .catch((error) => {
              failure ??= error;
            })
            .finally(() => inFlight.delete(task));
          inFlight.add(task);
        };
        try {
          for await (const row of read.rows) {
            batch.push(row);
            if (batch.length >= BATCH) {
              while (inFlight.size >= 2) await Promise.race(inFlight);
              if (failure) throw failure;
              flush(batch);
              batch = [];
            }
          }
          if (batch.length) flush(batch);
        } finally {
          // A file-level error mid-way still lets the batches already sent finish and count.
          await Promise.allSettled(inFlight);
        }
        if (failure) throw failure;
      }
      await db.transaction().execute(async (tx) => {
        // Per file: who on the platform the registry no longer names, which households re-formed.
        const results = registry ? await registryRepo.finishResults(tx, importId, registry.regionCode) : null;
        const done = await tx
          .updateTable('laborer_import')
          .set({
            status: 'done',
            total: processed,
            finished_at: new Date(),
            report_columns: reportColumns(),
            ...(results ? { missing: results.missing, households_reformed: results.households } : {}),
          })
          .where('id', '=', importId)
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit.record(
          tx,
          { actor, ip: null },
          {
            action: 'laborer.import',
            entity: 'laborer_import',
            entityId: importId,
            details: {
              file: job.file_name,
              total: processed,
              accepted: done.accepted,
              created: done.created,
              updated: done.updated,
              unchanged: done.unchanged,
              rejected: done.rejected,
              ...(registry ? { source: registry.sourceName, missing: done.missing, householdsReformed: done.households_reformed } : {}),
            },
          },
        );
      });
      removeUpload(job.file_path);
    } catch (error) {
      const message =
        error instanceof AllOrNothing
          ? `有 ${error.rejected} 行存在问题，按“全部成功才保存”的要求，本次未保存任何数据`
          : error instanceof FormError || error instanceof AppError
            ? error.message
            : '导入失败，请稍后重试';
      const code = error instanceof AppError ? error.code : error instanceof AllOrNothing ? null : 'INTERNAL';
      await db.transaction().execute(async (tx) => {
        if (error instanceof AllOrNothing) {
          // The rolled-back transaction took the cards and counts with it; the errors and rejected rows were kept.
          await tx
            .updateTable('laborer_import')
            .set({ total: processed, processed, accepted: 0, created: 0, updated: 0, unchanged: 0, rejected: error.rejected })
            .where('id', '=', importId)
            .execute();
        }
        await tx
          .updateTable('laborer_import')
          .set({ status: 'failed', message, error_code: code, finished_at: new Date(), report_columns: reportColumns() })
          .where('id', '=', importId)
          .execute();
        await audit.record(
          tx,
          { actor, ip: null },
          {
            action: 'laborer.import',
            entity: 'laborer_import',
            entityId: importId,
            result: 'failure',
            details: { file: job.file_name, code, message },
          },
        );
      });
      removeUpload(job.file_path);
      if (!(error instanceof AllOrNothing || error instanceof AppError)) throw error;
    }
  }

  // --- the queue ------------------------------------------------------------------------------

  /** The oldest queued import, now running (its attempt counted), or undefined. */
  async function claimNext(): Promise<string | undefined> {
    const row = await sql<{ id: string }>`
      UPDATE laborer_import SET status = 'running', attempts = attempts + 1, started_at = now()
       WHERE id = (SELECT id FROM laborer_import WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id`.execute(db);
    return row.rows[0] ? String(row.rows[0].id) : undefined;
  }

  let pumping: Promise<void> | null = null;
  let pumpAgain = false;
  let pumps = 0;
  /** Starts queued imports while a slot is free. Calls while it works make it look once more. */
  function pump(): Promise<void> {
    pumpAgain = true;
    if (pumping) return pumping;
    const generation = ++pumps;
    const task: Promise<void> = (async () => {
      // Nothing before `pumping` is set: with every slot taken the loop below has nothing to await,
      // and its `finally` would otherwise run before the assignment and leave it set for good.
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
    return task;
  }

  /** The import this account has queued or running, if any. */
  const pendingOf = (accountId: string) =>
    db
      .selectFrom('laborer_import')
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

  async function findVisible(actor: Actor, id: string) {
    const job = await db.selectFrom('laborer_import').selectAll().where('id', '=', id).executeTakeFirst();
    // Imports are visible to the one who uploaded them and to admins above them.
    const owner = job ? await accountsRepo.findById(db, String(job.created_by)) : undefined;
    if (!job || !owner || !(owner.id === actor.id || (actor.role === 'admin' && owner.regionCode.startsWith(actor.regionCode))))
      throw new AppError('NOT_FOUND');
    return job;
  }

  /** The uploader's own finished import with rejected rows; anyone else gets NOT_FOUND. */
  async function reportJob(actor: Actor, id: string) {
    const job = await db.selectFrom('laborer_import').selectAll().where('id', '=', id).executeTakeFirst();
    if (!job || String(job.created_by) !== String(actor.id)) throw new AppError('NOT_FOUND');
    if (job.status !== 'done' && job.status !== 'failed') throw new AppError('CONFLICT', '导入尚未完成，完成后才能下载错误报告');
    if (job.rejected === 0) throw new AppError('NOT_FOUND', '本次导入没有出错的行，没有错误报告');
    return job;
  }

  type VisibleJob = Awaited<ReturnType<typeof findVisible>>;

  async function statusOf(actor: Actor, job: VisibleJob): Promise<ImportStatus> {
    const id = String(job.id);
    const notes = await db
      .selectFrom('laborer_import_error')
      .select(['row', 'col', 'message', 'warning'])
      .where('import_id', '=', id)
      .orderBy('row')
      .limit(2000)
      .execute();
    const errors = notes.filter((e) => !e.warning).slice(0, 1000);
    const warnings = notes.filter((e) => e.warning).slice(0, 1000);
    let queuePosition: number | null = null;
    if (job.status === 'queued') {
      const ahead = await db
        .selectFrom('laborer_import')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'queued')
        .where('id', '<', id)
        .executeTakeFirstOrThrow();
      queuePosition = Number(ahead.n) + 1;
    }
    return {
      id,
      fileName: job.file_name,
      mode: job.mode,
      status: job.status,
      total: job.total,
      processed: job.processed,
      accepted: job.accepted,
      created: job.created,
      updated: job.updated,
      unchanged: job.unchanged,
      rejected: job.rejected,
      message: job.message,
      errorCode: job.error_code,
      queuePosition,
      reportAvailable:
        String(job.created_by) === String(actor.id) && (job.status === 'done' || job.status === 'failed') && job.rejected > 0,
      errors: errors.map((e) => ({ row: e.row, column: e.col, message: e.message })),
      warnings: warnings.map((e) => ({ row: e.row, column: e.col, message: e.message })),
    };
  }

  return {
    /** Keep the uploaded file under the data directory and queue its import. */
    async start(
      actor: Actor,
      fileName: string,
      save: (target: Writable) => Promise<void>,
      mode: 'partial' | 'all_or_nothing',
      opts: { wait?: boolean } = {},
    ) {
      if (!(CARD_WRITERS as readonly string[]).includes(actor.role)) throw new AppError('FORBIDDEN');
      await this.assertCanStart(actor);
      return this.startSaved(actor, fileName, await this.receive(save), mode, opts);
    },

    /** Refuses (IMPORT_IN_PROGRESS) an account that has an import queued or running: checked before an upload is stored. */
    async assertCanStart(actor: Actor) {
      const pending = await pendingOf(actor.id);
      if (pending) throw inProgress(String(pending.id));
    },

    /** Stores an uploaded file, SM4-encrypted as it streams in (0600 in a 0700 folder); returns where. */
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
      // Its import will read it in a reader thread: one is made ready meanwhile (import-reader.ts).
      warmReader();
      return filePath;
    },

    /** Queues the import of a file already received (the file is removed if the import cannot be queued). */
    async startSaved(
      actor: Actor,
      fileName: string,
      filePath: string,
      mode: 'partial' | 'all_or_nothing',
      opts: { wait?: boolean; registry?: { mappingId: string; sourceName: string; format: 'xlsx' | 'csv' } } = {},
    ) {
      let id: string;
      try {
        if (!(CARD_WRITERS as readonly string[]).includes(actor.role)) throw new AppError('FORBIDDEN');
        const job = await db.transaction().execute(async (tx) => {
          const row = await tx
            .insertInto('laborer_import')
            .values({
              file_name: fileName.slice(0, 200),
              file_path: filePath,
              mode,
              created_by: actor.id,
              total: null,
              message: null,
              finished_at: null,
              ...(opts.registry
                ? {
                    mapping_id: opts.registry.mappingId,
                    source_name: opts.registry.sourceName,
                    file_format: opts.registry.format,
                    region_code: actor.regionCode,
                  }
                : {}),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await audit.record(
            tx,
            { actor, ip: actor.ip },
            {
              action: 'laborer.import_upload',
              entity: 'laborer_import',
              entityId: row.id,
              details: { file: fileName, mode, ...(opts.registry ? { source: opts.registry.sourceName } : {}) },
            },
          );
          return row;
        });
        id = String(job.id);
      } catch (error) {
        removeUpload(filePath);
        // Two uploads of one account racing past assertCanStart: the unique index lets one through.
        if ((error as { code?: string; constraint?: string }).constraint === 'laborer_import_one_pending_per_account') {
          throw inProgress((await pendingOf(actor.id))?.id);
        }
        throw error;
      }
      void pump();
      if (opts.wait) await this.settle();
      return id;
    },

    run,

    /** A received upload, decrypted as it is read (the registry import's preview reads its header). */
    openReceived: openUpload,
    /** Removes a received upload that no import will read. */
    discard: removeUpload,

    /** The import row, if `actor` may see it (the uploader, or an admin above the uploader); NOT_FOUND otherwise. */
    visibleJob: findVisible,

    async status(actor: Actor, id: string): Promise<ImportStatus> {
      return statusOf(actor, await findVisible(actor, id));
    },

    /**
     * The status of a job row read once (visibleJob): what a caller adds to it must come from the
     * same row. A second read of the job could meet an import that finished in between, and mix
     * the finished counts with results read before they existed (the registry page showed 不在名单中
     * 0 on a finished import that had listed one person).
     */
    statusOf,

    /** Checks that `actor` may download the report of `id` (the route calls it before the download starts). */
    async reportAccess(actor: Actor, id: string) {
      await reportJob(actor, id);
    },

    /**
     * The error report: the rejected rows only — Excel row number, the form's columns with ID and
     * phone numbers masked, 错误说明 — written from the database (the upload is gone by then) and
     * on record (audit row committed) before the download completes.
     */
    async report(actor: Actor, id: string, output: Writable) {
      const job = await reportJob(actor, id);
      const columns = (job.report_columns as string[] | null) ?? [];
      async function* rows(): AsyncGenerator<ExportCell[]> {
        let after = 0;
        for (;;) {
          const page = await db
            .selectFrom('laborer_import_rejected_row')
            .select(['row', 'cells'])
            .where('import_id', '=', id)
            .where('row', '>', after)
            .orderBy('row')
            .limit(BATCH)
            .execute();
          if (!page.length) return;
          const last = page[page.length - 1]!.row;
          const errors = await db
            .selectFrom('laborer_import_error')
            .select(['row', 'col', 'message'])
            .where('import_id', '=', id)
            .where('row', '>', after)
            .where('row', '<=', last)
            .where('warning', '=', false)
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
            audit.record(
              tx,
              { actor, ip: actor.ip },
              { action: 'laborer.import_report', entity: 'laborer_import', entityId: id, details: { file: job.file_name, rows: count } },
            ),
          ),
      );
    },

    /**
     * At start: imports that were running when the process stopped are queued again — unless they
     * have had MAX_ATTEMPTS already: those stop as failed, so a file that kills the process cannot
     * kill every restart. Upload files no pending import names (an earlier version's clear copies,
     * a crash between storing and queueing) are removed. Then the queue runs. Returns how many
     * imports are pending.
     */
    async resumePending() {
      const interrupted = await db
        .selectFrom('laborer_import')
        .select(['id', 'attempts', 'created_by', 'file_name', 'file_path'])
        .where('status', '=', 'running')
        .execute();
      for (const job of interrupted) {
        if (job.attempts < MAX_ATTEMPTS) {
          await db
            .updateTable('laborer_import')
            .set({ status: 'queued' })
            .where('id', '=', job.id)
            .where('status', '=', 'running')
            .execute();
          continue;
        }
        const message = `导入已开始 ${job.attempts} 次，每次都在处理中中断（服务器停止或重启），已停止重试。请检查文件（可分成几个较小的文件）后重新上传`;
        const actor = await actorOf(String(job.created_by));
        await db.transaction().execute(async (tx) => {
          await tx
            .updateTable('laborer_import')
            .set({ status: 'failed', message, error_code: 'IMPORT_ATTEMPTS_EXHAUSTED', finished_at: new Date() })
            .where('id', '=', job.id)
            .execute();
          await audit.record(
            tx,
            { actor, ip: null },
            {
              action: 'laborer.import',
              entity: 'laborer_import',
              entityId: job.id,
              result: 'failure',
              details: { file: job.file_name, code: 'IMPORT_ATTEMPTS_EXHAUSTED', attempts: job.attempts },
            },
          );
        });
        removeUpload(job.file_path);
      }
      const pending = await db.selectFrom('laborer_import').select('file_path').where('status', 'in', ['queued', 'running']).execute();
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

    /** Wait until the queue is empty and nothing runs (tests, the CLI, shutdown). */
    async settle() {
      while (pumping || running.size) {
        await Promise.allSettled([pumping, ...running.values()]);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

class AllOrNothing extends Error {
  constructor(readonly rejected: number) {
    super('all or nothing');
  }
}

export type LaborerImports = ReturnType<typeof createLaborerImports>;
