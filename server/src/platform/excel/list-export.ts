/**
 * What every list's export shares (issue 18 item 2): one snapshot read in batches, a title row,
 * a file name with the region and the date, and an audit row that has committed before the file
 * ends. The subsidies export (modules/subsidies/subsidies.export.ts) was the first of them; the
 * lists after it build on these pieces instead of repeating its plumbing.
 */
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { Db, Tx } from '../../db/database.ts';
import { chinaToday } from '../time.ts';
import { type ExportCell, writeRowsXlsx } from './excel-safety.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The batch a list export reads at a time: one round trip per thousand rows, memory flat. */
export const EXPORT_BATCH = 1000;

/** `服务记录 — 新邵县 — 导出日期 2026-05-01 — 筛选：类别 职业培训、…`; no filter reads 无（全部）. */
export function exportTitle(list: string, regionName: string, filters: (string | false | null | undefined)[]): string {
  const words = filters.filter((f): f is string => Boolean(f));
  return `${list} — ${regionName} — 导出日期 ${chinaToday()} — 筛选：${words.length ? words.join('、') : '无（全部）'}`;
}

/** `<list>-<region name>-<date>.xlsx`, the name every export is saved under. */
export const exportFileName = (list: string, regionName: string): string => `${list}-${regionName}-${chinaToday()}.xlsx`;

/**
 * The rows `read(limit, offset)` gives, a batch at a time, until a batch comes back short. Inside
 * one repeatable-read transaction the batches are pages of one snapshot: nothing is doubled or
 * skipped when someone writes during the download.
 */
export async function* inBatches<T>(read: (limit: number, offset: number) => Promise<T[]>, size = EXPORT_BATCH): AsyncGenerator<T> {
  for (let offset = 0; ; offset += size) {
    const batch = await read(size, offset);
    yield* batch;
    if (batch.length < size) return;
  }
}

export interface ListExportSheet {
  sheet: string;
  title: string;
  headers: string[];
  rows: AsyncIterable<ExportCell[]> | Iterable<ExportCell[]>;
  /** The export's audit row, written in the snapshot's transaction once the rows are counted. */
  record(count: number): Promise<void>;
}

/**
 * Streams the sheet `build(tx)` describes to `output` from one repeatable-read transaction, and
 * ends `output` only after that transaction (with the audit row) has committed: whoever holds the
 * whole file can rely on the export being on record. A failure on the way destroys `output` (a
 * broken download, never a whole unrecorded file). Resolves with the number of data rows.
 */
export async function exportSnapshot(db: Db, output: Writable, build: (tx: Tx) => Promise<ListExportSheet>): Promise<number> {
  const file = new PassThrough();
  file.pipe(output, { end: false });
  try {
    const drained = once(file, 'end');
    const count = await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (tx) => {
        const s = await build(tx);
        const n = await writeRowsXlsx(s.headers, s.rows, file, s.sheet, { title: s.title });
        await drained;
        await s.record(n);
        return n;
      });
    output.end();
    return count;
  } catch (error) {
    output.destroy(error as Error);
    throw error;
  }
}

/** The download's headers: the file name in UTF-8 (RFC 6266) with an ASCII fallback. */
export function sendXlsx(reply: FastifyReply, fileName: string, write: (output: Writable) => Promise<unknown>) {
  const stream = new PassThrough();
  void write(stream).catch((error) => stream.destroy(error));
  return reply
    .header('content-type', XLSX_CONTENT_TYPE)
    .header('content-disposition', `attachment; filename="laowu.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    .send(stream as never);
}
