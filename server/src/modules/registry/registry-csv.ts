/**
 * A registry export saved as CSV, streamed into the same events as a workbook's sheet
 * (form-sheet.ts), so the import reads both the same way. The poverty registry's exports are GBK
 * more often than not: a file that is not valid UTF-8 in its first 64 KB is read as GB18030 (a
 * superset of GBK). Fields follow RFC 4180 (quotes, doubled quotes, line breaks inside quotes).
 */
import iconv from 'iconv-lite';
import { DEFAULT_EMPTY_ROWS_TO_STOP, DEFAULT_MAX_ROWS, HEADER_SEARCH_ROWS, REQUIRED_COLUMNS } from './collection-form.columns.ts';
import { FormError } from '../../platform/excel/form-error.ts';
import type { ByteSource, ZipInput } from '../../platform/excel/zip-guard.ts';
import { openPlain } from '../../platform/sealed-file.ts';
import {
  isEmptyRow,
  isHeader,
  matchHeaderRow,
  type HeaderMatch,
  type RawRow,
  type ScanEvent,
  type SheetScanOptions,
} from './form-sheet.ts';

/** A CSV field longer than this is not a registry cell: the file is refused rather than held in memory. */
const MAX_FIELD = 10_000;

async function isUtf8(source: ByteSource): Promise<boolean> {
  const head = await source.read(0, Math.min(source.size, 65_536));
  // A multi-byte character cut at the end of the sample is not an error.
  let end = head.length;
  if (end === 65_536) while (end > 0 && (head[end - 1]! & 0xc0) === 0x80) end--;
  if (end === 65_536 && end > 0 && head[end - 1]! >= 0xc0) end--;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** CSV records (arrays of fields) from a text stream. */
async function* records(chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false;
  let any = false;
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (quoted) {
        if (c === '"') {
          quoted = false;
          afterQuote = true;
        } else field += c;
      } else if (c === '"') {
        if (afterQuote) field += '"';
        quoted = true;
        afterQuote = false;
      } else if (c === ',') {
        record.push(field);
        field = '';
        afterQuote = false;
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && chunk[i + 1] === '\n') i++;
        record.push(field);
        yield record;
        record = [];
        field = '';
        afterQuote = false;
        any = false;
        continue;
      } else {
        field += c;
        afterQuote = false;
      }
      any = true;
      if (field.length > MAX_FIELD)
        throw new FormError('IMPORT_NOT_A_WORKBOOK', `CSV 文件中有超过 ${MAX_FIELD} 个字的单元格，请确认文件是逗号分隔的表格`, {
          reason: 'csv-field-too-long',
        });
    }
  }
  if (any || field !== '' || record.length) {
    record.push(field);
    yield record;
  }
}

/** Streams a CSV file's header and rows as form-sheet events. */
export async function* scanCsv(input: ZipInput, options: SheetScanOptions = {}): AsyncGenerator<ScanEvent, void, undefined> {
  const source = typeof input === 'string' ? await openPlain(input) : input;
  try {
    const utf8 = await isUtf8(source);
    const bytes = source.stream();
    const text = bytes.pipe(iconv.decodeStream(utf8 ? 'utf8' : 'gb18030')) as unknown as AsyncIterable<string>;
    const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    const emptyRowsToStop = Math.max(1, options.emptyRowsToStop ?? DEFAULT_EMPTY_ROWS_TO_STOP);
    let number = 0;
    const before: RawRow[] = [];
    let header: HeaderMatch | undefined;
    let best: HeaderMatch | undefined;
    let lastNonEmpty = 0;
    let dataRows = 0;
    try {
      for await (const fields of records(text)) {
        number++;
        // 1-based cells as a sheet's; a BOM is not part of the first header.
        const cells: unknown[] = [];
        fields.forEach((f, i) => {
          const value = number === 1 && i === 0 ? f.replace(/^\ufeff/, '') : f;
          if (value !== '') cells[i + 1] = value;
        });
        const row: RawRow = { number, cells };
        if (!header) {
          if (number > HEADER_SEARCH_ROWS) break;
          before.push(row);
          const m = matchHeaderRow(row, options.headerMatcher);
          if (!best || m.columns.length > best.columns.length) best = m;
          if (!isHeader(m, options.requiredColumns)) continue;
          header = m;
          lastNonEmpty = number;
          yield {
            type: 'header',
            info: {
              sheetName: 'CSV',
              sheetNames: ['CSV'],
              headerRow: number,
              columns: m.columns,
              ignoredHeaders: m.ignored,
              date1904: false,
            },
            before,
            columnWidths: [],
            lastHeaderColumn: m.lastColumn,
            headerCells: m.cells,
          };
          continue;
        }
        const empty = isEmptyRow(row, header.columns);
        if (empty) {
          if (number - lastNonEmpty >= emptyRowsToStop) break;
          yield { type: 'row', row, empty };
          continue;
        }
        lastNonEmpty = number;
        if (++dataRows > maxRows) throw new FormError('IMPORT_TOO_MANY_ROWS', `文件超过 ${maxRows} 行，请分成多个文件上传`, { maxRows });
        yield { type: 'row', row, empty };
      }
    } finally {
      bytes.destroy();
    }
    if (!header) {
      const present = new Set((best?.columns ?? []).map((c) => c.column.key));
      const missing = (options.requiredColumns ?? REQUIRED_COLUMNS).filter((c) => !present.has(c.key)).map((c) => c.name);
      throw new FormError('IMPORT_MISSING_COLUMNS', `CSV 文件的前 ${HEADER_SEARCH_ROWS} 行中没有找到表头，缺少：${missing.join('、')}`, {
        missing,
      });
    }
  } finally {
    if (typeof input === 'string') await source.close();
  }
}
