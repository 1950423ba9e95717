/**
 * An import's file read in a worker thread (issue 21: the registry import at ≥ 5,000 rows/s on a
 * two-core machine). Node was one busy core while PostgreSQL waited: unzipping and parsing the
 * sheet, each row's validation, the SM4/SM3 of its identifiers and the name's pinyin all ran on
 * the thread that also builds the batches' SQL. Now a worker thread opens the sealed upload, reads
 * it with the same reader (readCollectionForm: CSV or workbook, the saved mapping's columns) and
 * computes each valid row's identifiers ahead (card-identifiers.ts), while the main thread looks
 * the rows up and writes them in batches, as before.
 *
 * - Order and semantics are the reader's own: rows arrive in file order, and a file-level error
 *   (FormError, AppError) arrives after the rows read before it, where the reader threw it, so
 *   laborers.import.ts handles both exactly as when it read the file itself.
 * - Bounded: the worker sends chunks of CHUNK_ROWS rows and stops after CHUNKS_AHEAD chunks the
 *   main thread has not taken yet (back-pressure); its heap is capped (resourceLimits), so a file
 *   that blows it up ends the thread, not the server.
 * - A worker that dies (out of memory, a crash) fails the import with IMPORT_READER_FAILED after
 *   the rows it had sent; the batches committed before stay, as after any failure, and importing
 *   the file again finishes the job (rows saved come out unchanged).
 * - Identifiers are computed for every valid row, new card or not: the reader cannot know which
 *   rows are new. On a re-import of an unchanged file that work is wasted, on the other core.
 */
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MappingColumn } from '../../../../contracts/registry-import.ts';
import { AppError, type ErrorCode } from '../../platform/errors.ts';
import { FormError, type FormErrorCode } from '../../platform/excel/form-error.ts';
import { openSealed, SealedFileError, type ByteSource, type SealKeys } from '../../platform/sealed-file.ts';
import { sealIdentifiers, type IdentifierKeys, type SealedIdentifiers } from './card-identifiers.ts';
import type { FormRow, MappedColumn } from './collection-form.ts';

/** A row of the file with its identifiers computed ahead (when it is valid so far). */
export type ReadRow = FormRow & { sealed?: SealedIdentifiers };

export interface ReaderJob {
  filePath: string;
  sealKeys: SealKeys;
  keys: IdentifierKeys;
  /** A registry import's saved mapping and file format; none for the collection form. */
  registry: { columns: MappingColumn[]; format: 'xlsx' | 'csv' } | null;
}

export type ReaderMessage =
  | { type: 'sheet'; columns: MappedColumn[] }
  | { type: 'rows'; rows: ReadRow[] }
  | { type: 'end' }
  | { type: 'error'; error: { kind: 'form' | 'app' | 'other'; code?: string; message: string; details?: unknown } };

export const CHUNK_ROWS = 500;
export const CHUNKS_AHEAD = 8;
/**
 * A new card's identifiers are sealed ahead while at least this share of the rows of the last
 * batch became new cards: a re-import of an unchanged file makes none, and the reader then stops
 * sealing for nothing (a new card it did not seal is sealed by the card service, as before).
 */
export const SEAL_AHEAD_SHARE = 0.1;

/** Main thread → worker: read a file; take another chunk; the share of new cards among a batch's rows. */
export type ReaderRequest =
  | { type: 'job'; id: number; job: ReaderJob }
  | { type: 'more'; id: number }
  | { type: 'fresh'; id: number; share: number };
/** The worker's heap ceiling: the reader keeps a workbook's shared strings (≤ 32 MB of XML) and a few chunks. */
const WORKER_HEAP_MB = 512;
/**
 * Room for the short-lived objects of parsing (every cell's XML, strings and row objects die young):
 * with V8's default the reader spent about a fifth of its time collecting them. Measured with
 * `BENCH_ONLY=registry-import npm run bench`, 100,000 new rows, 2026-12-07 03:55–04:13 UTC, runs
 * alternating on a machine whose speed drifted: default 4,318 and 5,201 rows/s, 128 MB 5,592 and
 * 7,215 (64 MB once 7,518). At most two imports run at once (LAOWU_IMPORT_CONCURRENCY).
 */
const WORKER_YOUNG_MB = 128;

/** The upload, decrypted as it is read; a file that is not sealed by us, or was altered, is refused. */
export async function openUpload(keys: SealKeys, filePath: string): Promise<ByteSource> {
  try {
    return await openSealed(keys, filePath);
  } catch (error) {
    if (error instanceof SealedFileError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('IMPORT_NOT_A_WORKBOOK', '上传的文件已失效（不存在或被改动），请重新上传', { reason: 'sealed-file' });
    }
    throw error;
  }
}

/**
 * Rows as the worker sends them: each valid row's ID number indexed and, with `cards`, its
 * identifiers sealed for the card it may become.
 */
export function sealRows(keys: IdentifierKeys, rows: FormRow[], cards: boolean): ReadRow[] {
  const valid = rows.filter((r) => !r.errors.length && r.values.idNumber);
  const sealed = sealIdentifiers(
    keys,
    valid.map((r) => ({ idNumber: r.values.idNumber!, phone: r.values.phone ?? undefined, name: r.values.name })),
    cards,
  );
  const of = new Map(valid.map((r, i) => [r, sealed[i]!]));
  return rows.map((r) => (of.has(r) ? { ...r, sealed: of.get(r) } : r));
}

/** An error as it crosses the thread: its kind, stable code, message and details. */
export function errorMessage(error: unknown): Extract<ReaderMessage, { type: 'error' }>['error'] {
  if (error instanceof FormError) return { kind: 'form', code: error.formCode, message: error.message, details: error.details };
  if (error instanceof AppError) return { kind: 'app', code: error.code, message: error.message, details: error.details };
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

function errorOf(e: Extract<ReaderMessage, { type: 'error' }>['error']): Error {
  if (e.kind === 'form') {
    const { formCode: _, ...details } = (e.details ?? {}) as Record<string, unknown>;
    return new FormError(e.code as FormErrorCode, e.message, details);
  }
  if (e.kind === 'app') return new AppError(e.code as ErrorCode, e.message, e.details);
  return new Error(e.message);
}

const readerFailed = (reason: string) =>
  new AppError(
    'IMPORT_READER_FAILED',
    '读取文件的后台线程意外停止，导入已中止。已保存的行保留，可重新上传该文件继续导入（已保存的行不会重复）',
    {
      reason,
    },
  );

export interface WorkerReader {
  /** The file's rows in order; throws where the reader threw. Leaving early ends the worker. */
  rows: AsyncGenerator<ReadRow, void, undefined>;
  /** Tells the reader the share of a batch's rows that became new cards (whether sealing ahead pays). */
  fresh(share: number): void;
}

/**
 * A reader thread takes about a second to start (loading ExcelJS and the reader's modules), so one
 * is kept ready: started when an upload arrives (warmReader), and taken back after an import it
 * read to the end, for the next; one that is left idle for SPARE_IDLE_MS is ended. A thread an
 * import left early, or whose file failed (a hostile file may leave its streams behind), is ended,
 * never reused. Idle, it never keeps the process alive.
 */
const SPARE_IDLE_MS = 5 * 60_000;
let spare: { thread: Worker; tmpdir: string; idle: NodeJS.Timeout } | null = null;
let jobs = 0;

function startThread(): Worker {
  return new Worker(new URL('../../platform/ts-worker.mjs', import.meta.url), {
    workerData: { entry: new URL('./import-reader.worker.ts', import.meta.url).href },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    // tsx, which loads the worker's TypeScript, would otherwise keep a compile cache in the temp
    // folder: the import writes nothing there (laborers.import.test.ts watches it).
    env: { ...process.env, TSX_DISABLE_CACHE: '1' },
  });
}

function keepSpare(thread: Worker) {
  if (spare) return void thread.terminate();
  const idle = setTimeout(() => {
    if (spare?.thread === thread) spare = null;
    void thread.terminate();
  }, SPARE_IDLE_MS);
  idle.unref();
  thread.unref();
  // A spare that dies while idle is simply gone.
  thread.on('error', () => undefined);
  thread.once('exit', () => {
    if (spare?.thread === thread) {
      clearTimeout(spare.idle);
      spare = null;
    }
  });
  spare = { thread, tmpdir: tmpdir(), idle };
}

/** Starts a reader thread ahead of an import (an upload has arrived), if none is ready. */
export function warmReader() {
  if (!spare) keepSpare(startThread());
}

function takeThread(): Worker {
  const ready = spare;
  spare = null;
  if (ready) {
    clearTimeout(ready.idle);
    ready.thread.removeAllListeners();
    // Its environment was copied when it started: one started under another temp folder is not used.
    if (ready.tmpdir === tmpdir()) return ready.thread;
    void ready.thread.terminate();
  }
  return startThread();
}

/** Reads the file in a worker thread; `onSheet` is called before the first row with the columns found. */
export function readInWorker(job: ReaderJob, onSheet: (columns: MappedColumn[]) => void): WorkerReader {
  const id = ++jobs;
  let worker: Worker | null = null;
  const ask = (m: ReaderRequest) => worker?.postMessage(m);
  async function* rows(): AsyncGenerator<ReadRow, void, undefined> {
    const thread = takeThread();
    thread.ref();
    worker = thread;
    const inbox: ReaderMessage[] = [];
    let stopped: Error | null = null;
    let finished = false;
    let wake: (() => void) | null = null;
    const nudge = () => {
      wake?.();
      wake = null;
    };
    thread.on('message', (m: ReaderMessage) => {
      inbox.push(m);
      nudge();
    });
    thread.on('error', (error) => {
      stopped ??= readerFailed(error.message);
      nudge();
    });
    thread.on('exit', (code) => {
      stopped ??= readerFailed(`exit ${code}`);
      nudge();
    });
    thread.postMessage({ type: 'job', id, job } satisfies ReaderRequest);
    try {
      for (;;) {
        const m = inbox.shift();
        if (!m) {
          // What the worker sent before it stopped is taken first: those rows were read.
          if (stopped) throw stopped;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          continue;
        }
        if (m.type === 'sheet') onSheet(m.columns);
        else if (m.type === 'rows') {
          for (const row of m.rows) yield row;
          ask({ type: 'more', id });
        } else if (m.type === 'end') {
          finished = true;
          return;
        } else throw errorOf(m.error);
      }
    } finally {
      worker = null;
      thread.removeAllListeners();
      if (finished && !stopped) keepSpare(thread);
      else await thread.terminate();
    }
  }
  return { rows: rows(), fresh: (share) => ask({ type: 'fresh', id, share }) };
}
