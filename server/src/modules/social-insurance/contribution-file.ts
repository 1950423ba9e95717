import { createInterface } from 'node:readline';
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

async function* xlsxRows(input: Readable): AsyncGenerator<string[]> {
  const reader = decodeUtf8For(
    new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore' }),
  );
  // The first worksheet only: a contribution export is one sheet.
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (row.values as unknown[]) ?? [];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) {
        const read = readCell(values[i]);
        cells.push(read.kind === 'value' ? scalarToText(read.value).trim() : '');
      }
      yield cells;
    }
    return;
  }
}

/** RFC 4180 fields of one line (quoted fields with doubled quotes; no line breaks inside a field). */
export function splitCsvLine(line: string): string[] {
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
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.trim());
  return out;
}

async function* csvRows(input: Readable): AsyncGenerator<string[]> {
  input.setEncoding('utf8');
  let first = true;
  for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    const line = first ? raw.replace(/^\uFEFF/, '') : raw;
    first = false;
    yield splitCsvLine(line);
  }
}

/**
 * The file's lines, mapped. `kind` from the file name. A file with no recognisable header in its
 * first rows is refused (SOCIAL_INSURANCE_FILE_COLUMNS) before any line is read.
 */
export async function* readContributionFile(input: Readable, kind: 'xlsx' | 'csv'): AsyncGenerator<ContributionLine> {
  let header: Map<ContributionColumn, number> | null = null;
  let rowNo = 0;
  for await (const cells of kind === 'xlsx' ? xlsxRows(input) : csvRows(input)) {
    rowNo++;
    if (!header) {
      header = mapHeader(cells);
      if (!header && rowNo >= HEADER_SEARCH_ROWS) break;
      continue;
    }
    if (cells.every((c) => c === '')) continue;
    const mapped: ContributionLine['cells'] = {};
    for (const [column, index] of header) {
      const text = cells[index];
      if (text) mapped[column] = text;
    }
    yield { lineNo: rowNo, cells: mapped };
  }
  if (!header) {
    input.resume();
    throw new AppError('SOCIAL_INSURANCE_FILE_COLUMNS', undefined, { required: ['证件号码', '缴费月数'] });
  }
}
