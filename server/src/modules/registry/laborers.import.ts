import { mkdirSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import path from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { ImportStatus } from '../../../../contracts/laborers.ts';
import { regionLevelOf } from '../../platform/access.ts';
import { readCollectionForm, writeErrorReport, type FormRow } from '../imports/collection-form.ts';
import { FormError } from '../imports/form-error.ts';
import * as accountsRepo from '../accounts/accounts.repo.ts';
import { regionRefs } from '../regions/regions.service.ts';
import { parseIdNumber } from './identity.ts';
import * as repo from './laborers.repo.ts';
import { CARD_WRITERS, type LaborersService } from './laborers.service.ts';

/**
 * Imports of the collection form: rows upsert by ID number in batches, each batch one transaction
 * that also records its errors and the progress, so a crash leaves no half-written row and a
 * re-run finishes the job (rows already imported are found unchanged). Importing the same sheet
 * twice changes nothing the second time. In all-or-nothing mode the whole sheet is one transaction
 * and any row error keeps it from being saved.
 */
const BATCH = 1000;

export function createLaborerImports({ config, db, audit, laborers }: { config: Config; db: Db; audit: AuditLog; laborers: LaborersService }) {
  const dir = path.join(config.dataDir, 'imports');
  const running = new Map<string, Promise<void>>();

  async function actorOf(accountId: string): Promise<Actor> {
    const a = await accountsRepo.findById(db, accountId);
    if (!a) throw new Error(`import owner ${accountId} is gone`);
    return { id: a.id, username: a.username, displayName: a.displayName, role: a.role, regionCode: a.regionCode, regionLevel: regionLevelOf(a.regionCode), hostRegionCode: a.hostRegionCode, totpEnabled: a.totpEnabled, ip: 'import' };
  }

  /** One batch: validate villages and scope, insert new cards, update changed ones, record errors. */
  async function processBatch(tx: DbOrTx, importId: string, actor: Actor, rows: FormRow[]) {
    const errors: { row: number; col: string; message: string }[] = [];
    const reject = (row: number, col: string, message: string) => errors.push({ row, col, message });
    const good: FormRow[] = [];
    for (const r of rows) {
      if (r.errors.length) r.errors.forEach((e) => reject(e.row, e.column, e.message));
      else good.push(r);
    }
    const villages = await regionRefs(tx, good.map((r) => r.values.homeVillageCode ?? null));
    const valid: { row: FormRow; identity: ReturnType<typeof parseIdNumber> & { ok: true }; index: Buffer }[] = [];
    for (const r of good) {
      const code = r.values.homeVillageCode!;
      const village = villages.get(code);
      if (!village || village.level !== 'village') reject(r.row, '户籍所在村代码', `村代码 ${code} 不存在`);
      else if (!code.startsWith(actor.regionCode)) reject(r.row, '户籍所在村代码', `${village.fullName} 不在您的管辖范围内`);
      else {
        const identity = parseIdNumber(r.values.idNumber!);
        if (!identity.ok) reject(r.row, '身份证号', identity.message);
        else valid.push({ row: r, identity, index: laborers.idIndex(identity.value.idNumber) });
      }
    }
    const existing = new Map(
      (await repo.findByIdentities(tx, valid.map((v) => v.index))).map((c) => [c.id_index.toString('hex'), c]),
    );
    const fresh: repo.NewCard[] = [];
    let updated = 0;
    let unchanged = 0;
    const countyNames = await regionRefs(tx, [...existing.values()].map((c) => c.home_village_code.slice(0, 6)));
    for (const { row, identity, index } of valid) {
      const card = existing.get(index.toString('hex'));
      if (!card) {
        fresh.push({ ...laborers.buildNewCard(identity.value, row.values, index), created_by: actor.id });
        continue;
      }
      if (!card.home_village_code.startsWith(actor.regionCode) || card.deleted_at) {
        const county = countyNames.get(card.home_village_code.slice(0, 6));
        reject(row.row, '身份证号', `该身份证号已在${county?.fullName ?? '其他县'}登记，可向该县申请转移`);
        continue;
      }
      const { patch: columns, changes } = laborers.changesFor(card, row.values);
      if (!Object.keys(changes).length) {
        unchanged++;
        continue;
      }
      await repo.updateCard(tx, String(card.id), columns, { by: actor.id, kind: 'import', reason: `导入 #${importId} 第 ${row.row} 行`, changes });
      updated++;
    }
    // Two rows of one batch naming the same new person were already refused by the reader.
    const inserted = await repo.insertCards(tx, fresh, 'import');
    if (errors.length) await tx.insertInto('laborer_import_error').values(errors.map((e) => ({ import_id: importId, ...e }))).execute();
    const rejectedRows = new Set(errors.map((e) => e.row)).size;
    await tx
      .updateTable('laborer_import')
      .set({
        processed: sql`processed + ${rows.length}`,
        accepted: sql`accepted + ${inserted + updated}`,
        unchanged: sql`unchanged + ${unchanged}`,
        rejected: sql`rejected + ${rejectedRows}`,
      })
      .where('id', '=', importId)
      .execute();
    return { inserted, updated, unchanged, rejected: rejectedRows };
  }

  async function run(importId: string, onProgress?: (processed: number) => void): Promise<void> {
    const job = await db.selectFrom('laborer_import').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
    const actor = await actorOf(String(job.created_by));
    // A re-run starts over: counts and errors are recomputed, rows already saved come out unchanged.
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('laborer_import_error').where('import_id', '=', importId).execute();
      await tx.updateTable('laborer_import').set({ status: 'running', processed: 0, accepted: 0, unchanged: 0, rejected: 0, message: null }).where('id', '=', importId).execute();
    });
    let processed = 0;
    try {
      if (job.mode === 'all_or_nothing') {
        await db.transaction().execute(async (tx) => {
          let batch: FormRow[] = [];
          let rejected = 0;
          for await (const row of readCollectionForm(job.file_path)) {
            batch.push(row);
            if (batch.length >= BATCH) {
              rejected += (await processBatch(tx, importId, actor, batch)).rejected;
              processed += batch.length;
              onProgress?.(processed);
              batch = [];
            }
          }
          if (batch.length) rejected += (await processBatch(tx, importId, actor, batch)).rejected;
          processed += batch.length;
          if (rejected > 0) throw new AllOrNothing(rejected);
        });
      } else {
        // Up to two batches in flight while the next is read: Node parses and encrypts while
        // PostgreSQL writes. The reader has already refused repeated ID numbers, so two batches
        // never touch the same card.
        let batch: FormRow[] = [];
        const inFlight = new Set<Promise<void>>();
        let failure: unknown = null;
        const flush = (rows: FormRow[]) => {
          const task: Promise<void> = db
            .transaction()
            .execute(async (tx) => {
              // A batch need not wait for its own WAL flush: the import's final commit below is
              // synchronous and flushes every batch before it, and a crash in between loses only
              // batches that the resumed import upserts again (rows are keyed by ID number).
              await sql`SET LOCAL synchronous_commit = off`.execute(tx);
              return processBatch(tx, importId, actor, rows);
            })
            .then(() => {
              processed += rows.length;
              onProgress?.(processed);
            })
            .catch((error) => void (failure ??= error))
            .finally(() => inFlight.delete(task));
          inFlight.add(task);
        };
        try {
          for await (const row of readCollectionForm(job.file_path)) {
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
        const done = await tx.updateTable('laborer_import').set({ status: 'done', total: processed, finished_at: new Date() }).where('id', '=', importId).returningAll().executeTakeFirstOrThrow();
        await audit.record(tx, { actor, ip: null }, { action: 'laborer.import', entity: 'laborer_import', entityId: importId, details: { file: job.file_name, total: processed, accepted: done.accepted, unchanged: done.unchanged, rejected: done.rejected } });
      });
    } catch (error) {
      const message = error instanceof AllOrNothing
        ? `有 ${error.rejected} 行存在问题，按“全部成功才保存”的要求，本次未保存任何数据`
        : error instanceof FormError || error instanceof AppError ? error.message : '导入失败，请稍后重试';
      await db.transaction().execute(async (tx) => {
        if (error instanceof AllOrNothing) {
          // The rolled-back transaction took the row errors with it: read them again for the report.
          const errors: { row: number; col: string; message: string }[] = [];
          for await (const row of readCollectionForm(job.file_path)) for (const e of row.errors) errors.push({ row: e.row, col: e.column, message: e.message });
          for (let i = 0; i < errors.length; i += 1000) await tx.insertInto('laborer_import_error').values(errors.slice(i, i + 1000).map((e) => ({ import_id: importId, ...e }))).execute();
          await tx.updateTable('laborer_import').set({ total: processed, processed, accepted: 0, unchanged: 0, rejected: error.rejected }).where('id', '=', importId).execute();
        }
        await tx.updateTable('laborer_import').set({ status: 'failed', message, finished_at: new Date() }).where('id', '=', importId).execute();
        await audit.record(tx, { actor, ip: null }, { action: 'laborer.import', entity: 'laborer_import', entityId: importId, result: 'failure', details: { file: job.file_name, message } });
      });
      if (!(error instanceof AllOrNothing || error instanceof AppError)) throw error;
    }
  }

  function launch(importId: string) {
    const task = run(importId)
      .catch(() => undefined)
      .finally(() => running.delete(importId));
    running.set(importId, task);
    return task;
  }

  return {
    /** Keep the uploaded file under the data directory and queue its import. */
    async start(actor: Actor, fileName: string, save: (target: Writable) => Promise<void>, mode: 'partial' | 'all_or_nothing', opts: { wait?: boolean } = {}) {
      if (!(CARD_WRITERS as readonly string[]).includes(actor.role)) throw new AppError('FORBIDDEN');
      return this.startSaved(actor, fileName, await this.receive(save), mode, opts);
    },

    /** Stores an uploaded file under the data directory; returns where. */
    async receive(save: (target: Writable) => Promise<void>): Promise<string> {
      mkdirSync(dir, { recursive: true });
      const filePath = path.join(dir, `${Date.now()}-${Math.random().toString(36).slice(2)}.xlsx`);
      await save(createWriteStream(filePath));
      return filePath;
    },

    /** Starts the import of a file already received. */
    async startSaved(actor: Actor, fileName: string, filePath: string, mode: 'partial' | 'all_or_nothing', opts: { wait?: boolean } = {}) {
      if (!(CARD_WRITERS as readonly string[]).includes(actor.role)) throw new AppError('FORBIDDEN');
      const job = await db.transaction().execute(async (tx) => {
        const row = await tx.insertInto('laborer_import').values({ file_name: fileName.slice(0, 200), file_path: filePath, mode, created_by: actor.id, total: null, message: null, finished_at: null }).returning('id').executeTakeFirstOrThrow();
        await audit.record(tx, { actor, ip: actor.ip }, { action: 'laborer.import_upload', entity: 'laborer_import', entityId: row.id, details: { file: fileName, mode } });
        return row;
      });
      const id = String(job.id);
      const task = launch(id);
      if (opts.wait) await task;
      return id;
    },

    run,

    async status(actor: Actor, id: string): Promise<ImportStatus> {
      const job = await db.selectFrom('laborer_import').selectAll().where('id', '=', id).executeTakeFirst();
      // Imports are visible to the one who uploaded them and to admins above them.
      const owner = job ? await accountsRepo.findById(db, String(job.created_by)) : undefined;
      if (!job || !owner || !(owner.id === actor.id || (actor.role === 'admin' && owner.regionCode.startsWith(actor.regionCode)))) throw new AppError('NOT_FOUND');
      const errors = await db.selectFrom('laborer_import_error').select(['row', 'col', 'message']).where('import_id', '=', id).orderBy('row').limit(1000).execute();
      return {
        id,
        fileName: job.file_name,
        mode: job.mode,
        status: job.status,
        total: job.total,
        processed: job.processed,
        accepted: job.accepted,
        unchanged: job.unchanged,
        rejected: job.rejected,
        message: job.message,
        errors: errors.map((e) => ({ row: e.row, column: e.col, message: e.message })),
      };
    },

    async report(actor: Actor, id: string, output: Writable) {
      await this.status(actor, id);
      const job = (await db.selectFrom('laborer_import').select('file_path').where('id', '=', id).executeTakeFirstOrThrow());
      const errors = await db.selectFrom('laborer_import_error').select(['row', 'col', 'message']).where('import_id', '=', id).orderBy('row').execute();
      const byRow = new Map<number, string[]>();
      for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), `${e.col}：${e.message}`]);
      await writeErrorReport(job.file_path, byRow, output);
    },

    /** After a crash or a restart: imports left queued or running are run again to completion. */
    async resumePending() {
      const pending = await db.selectFrom('laborer_import').select('id').where('status', 'in', ['queued', 'running']).execute();
      for (const p of pending) launch(String(p.id));
      return pending.length;
    },

    /** Wait for imports in flight (tests, shutdown). */
    async settle() {
      await Promise.all(running.values());
    },
  };
}

class AllOrNothing extends Error {
  constructor(readonly rejected: number) {
    super('all or nothing');
  }
}

export type LaborerImports = ReturnType<typeof createLaborerImports>;
