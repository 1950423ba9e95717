import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { type ExportCell, safeCell } from './excel-safety.ts';

/**
 * A CSV file for other systems (docs/exchange.md "Files"): UTF-8 with a byte-order mark (so Excel
 * on a Chinese Windows reads it as UTF-8, not GBK), CRLF line ends and RFC 4180 quoting (a field
 * with a comma, a quote or a line break is quoted, its quotes doubled). Text goes through
 * safeCell, as in every .xlsx the platform writes; null is an empty field.
 */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const field = (v: ExportCell): string => {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const text = safeCell(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * Streams the header line and the rows to `output`, waiting whenever `output` is full (memory
 * stays at one row); does not end `output`. Resolves with the number of data rows.
 */
export async function writeRowsCsv(
  headers: string[],
  rows: AsyncIterable<ExportCell[]> | Iterable<ExportCell[]>,
  output: Writable,
): Promise<number> {
  const write = async (line: string) => {
    if (!output.write(line)) await once(output, 'drain');
  };
  await write(`\uFEFF${headers.map(field).join(',')}\r\n`);
  let count = 0;
  for await (const row of rows) {
    await write(`${row.map(field).join(',')}\r\n`);
    count++;
  }
  return count;
}
