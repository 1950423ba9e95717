/**
 * Writing user-supplied text into spreadsheets without it turning into a formula
 * (OWASP "CSV Injection": cells starting with = + - @ tab or carriage return), and a small
 * streaming .xlsx writer for the registers' exports.
 */
import { PassThrough, type Writable } from 'node:stream';
import { once } from 'node:events';
import ExcelJS from './exceljs.ts';

const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/**
 * `=1+1` → `'=1+1`, `+86…` → `'+86…`, `-5` → `'-5`, `@SUM(A1)` → `'@SUM(A1)`; anything else unchanged.
 * Apply to every user-supplied string written to .xlsx or .csv.
 */
export function safeCell(value: string): string {
  return FORMULA_TRIGGER.test(value) ? `'${value}` : value;
}

/** Excel sheet names: 1–31 characters, none of : \ / ? * [ ], not starting or ending with '. */
export function safeSheetName(name: string, fallback = 'Sheet1'): string {
  const cleaned = name
    .replace(/[:\\/?*[\]]/g, '_')
    .replace(/^'+|'+$/g, '')
    .trim();
  return [...cleaned].slice(0, 31).join('') || fallback;
}

export type ExportCell = string | number | null;

/**
 * Streams rows into a one-sheet .xlsx on `output`: row 1 = headers (bold, frozen; below a title row
 * when `options.title` is given), strings
 * through safeCell, numbers as numbers, null as an empty cell. Memory stays flat: each row is
 * committed as soon as it is written and strings are inline (no shared-string table).
 * Resolves with the number of data rows once `output` has finished. If `rows` throws, `output`
 * is destroyed with that error and the promise rejects.
 */
export async function writeRowsXlsx(
  headers: string[],
  rows: AsyncIterable<ExportCell[]> | Iterable<ExportCell[]>,
  output: Writable,
  sheetName: string,
  options: { title?: string } = {},
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  try {
    const sheet = workbook.addWorksheet(safeSheetName(sheetName), { views: [{ state: 'frozen', ySplit: options.title ? 2 : 1 }] });
    sheet.columns = headers.map((h) => ({ width: Math.min(40, Math.max(8, [...h].length * 2 + 2)) }));
    if (options.title) {
      // The title row names the list, the region, the date and the filters (issue 18 item 2).
      const title = sheet.addRow([safeCell(options.title)]);
      title.font = { bold: true, size: 13 };
      title.commit();
    }
    const header = sheet.addRow(headers.map(safeCell));
    header.font = { bold: true };
    header.commit();
    let count = 0;
    for await (const row of rows) {
      sheet.addRow(row.map(exportValue)).commit();
      count++;
    }
    sheet.commit();
    await workbook.commit();
    return count;
  } catch (error) {
    output.destroy(error as Error);
    throw error;
  }
}

/**
 * An export that is on record before it is complete: the rows stream to `output` as they come,
 * but `output` ends only after `record(count)` (the audit row, in its committed transaction) has
 * run, so whoever holds the whole file can rely on the export being in the audit log. If the rows
 * or the record fail, `output` is destroyed (the client sees a broken download, never a whole
 * file that was not recorded) and the promise rejects.
 */
export async function writeRecordedXlsx(
  headers: string[],
  rows: AsyncIterable<ExportCell[]> | Iterable<ExportCell[]>,
  output: Writable,
  sheetName: string,
  record: (count: number) => Promise<void>,
  options: { title?: string } = {},
): Promise<number> {
  const file = new PassThrough();
  file.pipe(output, { end: false });
  try {
    const drained = once(file, 'end');
    const count = await writeRowsXlsx(headers, rows, file, sheetName, options);
    await drained;
    await record(count);
    output.end();
    return count;
  } catch (error) {
    output.destroy(error as Error);
    throw error;
  }
}

function exportValue(v: ExportCell): ExportCell {
  if (typeof v === 'string') return safeCell(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}
