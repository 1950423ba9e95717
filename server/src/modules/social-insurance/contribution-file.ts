import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import ExcelJS, { decodeUtf8For } from '../../platform/excel/exceljs.ts';
import { readCell, scalarToText } from '../../platform/excel/cell-values.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * The social-insurance contribution file (.xlsx or .csv, UTF-8), read as it streams: its header
 * row is found among the first rows by the usual column names, then each line is yielded with the
 * mapped cells as text. Memory holds one line (and ExcelJS' shared strings), never the file.
 */
export type ContributionColumn = 'idNumber' | 'name' | 'unitName' | 'creditCode' | 'place' | 'months' | 'period';

/** The headers a social-insurance office's export uses for each column (spaces and case ignored). */
export const CONTRIBUTION_HEADERS: Record<ContributionColumn, readonly string[]> = {
  idNumber: ['证件号码', '身份证号', '身份证号码', '公民身份号码', '社会保障号码', 'idnumber'],
  name: ['姓名', 'name'],
  unitName: ['单位名称', '参保单位', '参保单位名称', 'unitname'],
  creditCode: ['统一社会信用代码', '信用代码', '单位统一社会信用代码', 'creditcode'],
  place: ['参保地', '参保地区', '参保地行政区划', '参保地区划', 'place'],
  months: ['缴费月数', '本期缴费月数', '实缴月数', 'months', 'monthscontributed'],
  period: ['所属期', '缴费期间', '缴费所属期', 'period'],
};
const REQUIRED: ContributionColumn[] = ['idNumber', 'months'];
const HEADER_SEARCH_ROWS = 10;
const ROWS_PER_BATCH = 2000;

export interface ContributionLine {
  lineNo: number;
  cells: Partial<Record<ContributionColumn, string>>;
}

const headerKey = (text: string) => text.replace(/[\s*＊]/g, '').toLowerCase();
const byHeader = new Map(
  Object.entries(CONTRIBUTION_HEADERS).flatMap(([column, names]) => names.map((n) => [headerKey(n), column as ContributionColumn])),
);

/** The columns of a header row, or null when it is not the header (fewer than the required columns). */
function mapHeader(cells: string[]): Map<ContributionColumn, number> | null {
  const map = new Map<ContributionColumn, number>();
  cells.forEach((text, index) => {
    const column = byHeader.get(headerKey(text));
    if (column && !map.has(column)) map.set(column, index);
  });
  return REQUIRED.every((c) => map.has(c)) ? map : null;
}

/** The first worksheet's rows as text cells, in batches; a file ExcelJS cannot read is the uploader's error, in Chinese. */
async function* xlsxRows(input: Readable): AsyncGenerator<string[][]> {
  try {
    yield* xlsxRowsUnchecked(input);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('IMPORT_NOT_A_WORKBOOK', '文件内容已损坏，无法读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再上传', {
      reason: (error as Error).message,
    });
  }
}

async function* xlsxRowsUnchecked(input: Readable): AsyncGenerator<string[][]> {
  const reader = decodeUtf8For(
    new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore' }),
  );
  // The first worksheet only: a contribution export is one sheet.
  for await (const sheet of reader) {
    let batch: string[][] = [];
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (row.values as unknown[]) ?? [];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) {
        const read = readCell(values[i]);
        cells.push(read.kind === 'value' ? scalarToText(read.value).trim() : '');
      }
      batch.push(cells);
      if (batch.length >= ROWS_PER_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
    return;
  }
}

/** RFC 4180 fields of one line (quoted fields with doubled quotes; no line breaks inside a field). */
export function splitCsvLine(line: string): string[] {
  // Most lines of an export have no quotes: split at once.
  if (!line.includes('"')) return line.split(',').map((f) => f.trim());
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.trim());
  return out;
}

/** The CSV's rows in batches: the stream's chunks split into lines here (a per-line async iterator costs more than the parsing). */
async function* csvRows(input: Readable): AsyncGenerator<string[][]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let first = true;
  const rowsOf = (text: string) => {
    const lines = text.split('\n');
    const rows: string[][] = [];
    for (let line of lines) {
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (first) {
        line = line.replace(/^\uFEFF/, '');
        first = false;
      }
      rows.push(splitCsvLine(line));
    }
    return rows;
  };
  for await (const chunk of input) {
    const text = rest + decoder.write(chunk as Buffer);
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      rest = text;
      continue;
    }
    rest = text.slice(cut + 1);
    yield rowsOf(text.slice(0, cut));
  }
  const tail = rest + decoder.end();
  if (tail.trim()) yield rowsOf(tail);
}

/**
 * The file's lines, mapped, in batches of at most a few thousand. `kind` from the file name. A file
 * with no recognisable header in its first rows is refused (SOCIAL_INSURANCE_FILE_COLUMNS).
 */
export async function* readContributionFile(input: Readable, kind: 'xlsx' | 'csv'): AsyncGenerator<ContributionLine[]> {
  let header: Map<ContributionColumn, number> | null = null;
  let rowNo = 0;
  let searching = true;
  for await (const rows of kind === 'xlsx' ? xlsxRows(input) : csvRows(input)) {
    const lines: ContributionLine[] = [];
    for (const cells of rows) {
      rowNo++;
      if (!header) {
        header = mapHeader(cells);
        if (!header && rowNo >= HEADER_SEARCH_ROWS) {
          searching = false;
          break;
        }
        continue;
      }
      if (cells.every((c) => c === '')) continue;
      const mapped: ContributionLine['cells'] = {};
      for (const [column, index] of header) {
        const text = cells[index];
        if (text) mapped[column] = text;
      }
      lines.push({ lineNo: rowNo, cells: mapped });
    }
    if (!searching) break;
    if (lines.length) yield lines;
  }
  if (!header) {
    input.resume();
    throw new AppError('SOCIAL_INSURANCE_FILE_COLUMNS', undefined, { required: ['证件号码', '缴费月数'] });
  }
}
