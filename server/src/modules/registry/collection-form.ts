/**
 * The collection form (劳动力资源信息采集表): the blank template, the streaming reader for uploaded
 * forms, and the error report handed back to the cadre.
 *
 * Everything streams (ExcelJS stream.xlsx WorkbookReader / WorkbookWriter): memory stays flat
 * whatever the number of rows, apart from the workbook's shared-string table and one entry per
 * valid ID number (for the duplicate check).
 *
 * File-level problems throw FormError (form-error.ts) with a stable `formCode`:
 *   IMPORT_NOT_A_WORKBOOK, IMPORT_ZIP_BOMB, IMPORT_SHEET_NOT_FOUND, IMPORT_MISSING_COLUMNS,
 *   IMPORT_TOO_MANY_ROWS.
 * Row-level problems are collected per row (FormRow.errors) so one upload reports all of them.
 * The village code is checked for shape only; whether it exists and lies in the uploader's
 * scope is for the caller, against the database.
 */
import type { Writable } from 'node:stream';
import ExcelJS from '../../platform/excel/exceljs.ts';
import { hasBidiControls } from '../../platform/http.ts';
import type * as X from 'exceljs';
import type { CreateLaborerInput } from '../../../../contracts/laborers.ts';
import { checkIdAgainst, parseIdNumber, type IdentityInfo } from './identity.ts';
import { parseMobile } from './phone.ts';
import {
  DICTIONARIES,
  DICTIONARY_SHEET_NAME,
  FORM_COLUMNS,
  FORM_SHEET_NAME,
  GENERAL_NOTES,
  INSTRUCTIONS_SHEET_NAME,
  TEMPLATE_DATA_ROWS,
  type FormColumn,
  type FormDictionary,
} from './collection-form.columns.ts';
import {
  cellToPlain,
  dictionaryLabels,
  lookupDictionary,
  parseDateCell,
  parseIntegerCell,
  readCell,
  scalarToText,
  splitList,
  type CellScalar,
  type Parsed,
} from '../../platform/excel/cell-values.ts';
import { safeCell, safeSheetName } from '../../platform/excel/excel-safety.ts';
import {
  columnLetter,
  scanFormSheet,
  type FormSheetInfo,
  type MappedColumn,
  type RawRow,
  type ScanEvent,
  type SheetScanOptions,
} from './form-sheet.ts';
import type { ZipInput } from '../../platform/excel/zip-guard.ts';

export { FormError, FORM_ERROR_CODES, type FormErrorCode } from '../../platform/excel/form-error.ts';
export { safeCell, writeRowsXlsx, type ExportCell } from '../../platform/excel/excel-safety.ts';
export { FORM_COLUMNS, FORM_SHEET_NAME, DICTIONARIES, type FormColumn, type ColumnKind } from './collection-form.columns.ts';
export type { FormSheetInfo, MappedColumn } from './form-sheet.ts';
export { DEFAULT_ZIP_LIMITS, PART_LIMITS, type ZipLimits, type ZipInput, type ByteSource } from '../../platform/excel/zip-guard.ts';
export type { RawRow } from './form-sheet.ts';

// =============================================================================================
// Reader

export interface FormRowError {
  /** Row number as Excel shows it. */
  row: number;
  /** The column's Chinese name (姓名, 身份证号, 户类型 …). */
  column: string;
  message: string;
}

export interface FormRow {
  /** Row number as Excel shows it. */
  row: number;
  /** Only fields that were filled and valid; codes for dictionary columns. */
  values: Partial<CreateLaborerInput> & { idNumber?: string };
  errors: FormRowError[];
  /** The cells as read (for an error report of the rejected rows). */
  raw: RawRow;
}

export interface ReadCollectionFormOptions extends SheetScanOptions {
  /** Called once, before the first row, with the sheet and columns that were found. */
  onSheet?: (info: FormSheetInfo) => void;
  /** "Today" for ID birth-date checks (tests). */
  today?: Date;
  /** Where the rows come from: the workbook's sheet (default) or another scanner (the registry import's CSV). */
  scan?: (input: ZipInput, options: SheetScanOptions) => AsyncIterable<ScanEvent>;
}

export const ID_STORED_AS_NUMBER = '身份证号被 Excel 存成了数字，末尾数字可能已丢失，请把该列设为文本后重新填写';
export const REQUIRED_MESSAGE = '必填';

interface RowContext {
  date1904: boolean;
  today?: Date;
  /** normalized 18-digit ID → first row it appeared on */
  seenIds: Map<string, number>;
}

/**
 * Streams the data rows of an uploaded collection form. Empty rows are skipped (not yielded).
 * Throws FormError for file-level problems — possibly after some rows were yielded
 * (IMPORT_TOO_MANY_ROWS is only known when row maxRows + 1 arrives), so callers should stage
 * rows and commit only when the generator finished normally.
 */
export async function* readCollectionForm(
  input: ZipInput,
  options: ReadCollectionFormOptions = {},
): AsyncGenerator<FormRow, void, undefined> {
  let ctx: RowContext | undefined;
  let columns: MappedColumn[] = [];
  for await (const event of (options.scan ?? scanFormSheet)(input, options)) {
    if (event.type === 'header') {
      ctx = { date1904: event.info.date1904, today: options.today, seenIds: new Map() };
      columns = event.info.columns;
      options.onSheet?.(event.info);
      continue;
    }
    if (event.empty || !ctx) continue;
    yield parseFormRow(event.row, columns, ctx);
  }
}

function parseFormRow(row: RawRow, columns: MappedColumn[], ctx: RowContext): FormRow {
  const values: Record<string, unknown> = {};
  const errors: FormRowError[] = [];
  const fail = (column: FormColumn, message: string) => errors.push({ row: row.number, column: column.name, message });
  let identity: IdentityInfo | undefined;

  for (const { column, index } of columns) {
    const cell = readCell(row.cells[index]);
    if (cell.kind === 'error') {
      fail(column, cell.message);
      continue;
    }
    if (cell.kind === 'empty' || (typeof cell.value === 'string' && scalarToText(cell.value) === '')) {
      if (column.required) fail(column, REQUIRED_MESSAGE);
      continue;
    }
    const parsed = parseValue(column, cell.value, ctx);
    if (!parsed.ok) {
      fail(column, parsed.message);
      continue;
    }
    if (parsed.value === undefined) {
      if (column.required) fail(column, REQUIRED_MESSAGE);
      continue;
    }
    if (column.kind === 'idNumber') {
      const info = parsed.value as IdentityInfo;
      const first = ctx.seenIds.get(info.idNumber);
      if (first !== undefined) {
        fail(column, `与第 ${first} 行身份证号重复`);
        continue;
      }
      ctx.seenIds.set(info.idNumber, row.number);
      identity = info;
      values.idNumber = info.idNumber;
      continue;
    }
    values[column.key] = parsed.value;
  }

  // Typed sex / birth date must agree with the ID number.
  if (identity && (values.sex !== undefined || values.birthDate !== undefined)) {
    for (const problem of checkIdAgainst(identity, {
      sex: values.sex as 'male' | 'female' | undefined,
      birthDate: values.birthDate as string | undefined,
    })) {
      const column = FORM_COLUMNS.find((c) => c.key === problem.field)!;
      fail(column, problem.message);
      delete values[problem.field];
    }
  }
  return { row: row.number, values: values as FormRow['values'], errors, raw: row };
}

function allowedValues(dict: FormDictionary): string {
  const labels = dictionaryLabels(dict);
  return labels.length > 15 ? `可填写的值见“${DICTIONARY_SHEET_NAME}”工作表` : `可填：${labels.join('、')}`;
}

/** One cell's value for its column; `{ok:true, value: undefined}` means "nothing there". */
function parseValue(column: FormColumn, v: CellScalar, ctx: RowContext): Parsed<unknown> {
  const text = () => scalarToText(v);
  switch (column.kind) {
    case 'idNumber': {
      if (typeof v === 'number' && Math.abs(v) >= 1e15) return { ok: false, message: ID_STORED_AS_NUMBER };
      const r = parseIdNumber(text(), { today: ctx.today });
      return r.ok ? { ok: true, value: r.value } : { ok: false, message: r.message };
    }
    case 'phone': {
      const r = parseMobile(text());
      return r.ok ? { ok: true, value: r.value } : { ok: false, message: r.message };
    }
    case 'villageCode': {
      const code = text().replace(/[\s-]/g, '');
      return /^\d{12}$/.test(code)
        ? { ok: true, value: code }
        : { ok: false, message: `${column.name}应为 12 位数字（村级行政区划代码），现为“${text()}”` };
    }
    case 'date':
      return parseDateCell(v, ctx.date1904);
    case 'integer': {
      const r = parseIntegerCell(v);
      if (!r.ok) return { ok: false, message: `${r.message}，${column.name}应为整数` };
      const { min = -Infinity, max = Infinity } = column;
      if (r.value < min || r.value > max) return { ok: false, message: `${column.name}应为 ${min} 到 ${max} 之间的整数` };
      return r;
    }
    case 'dict': {
      const t = text();
      const code = lookupDictionary(column.dictionary!, t);
      return code !== undefined
        ? { ok: true, value: code }
        : { ok: false, message: `“${t}”不是有效的${column.name}，${allowedValues(column.dictionary!)}` };
    }
    case 'dictList': {
      const items = splitList(text());
      if (items.length === 0) return { ok: true, value: undefined };
      const codes: string[] = [];
      const unknown: string[] = [];
      for (const item of items) {
        const code = lookupDictionary(column.dictionary!, item);
        if (code === undefined) unknown.push(item);
        else if (!codes.includes(code)) codes.push(code);
      }
      if (unknown.length)
        return { ok: false, message: `“${unknown.join('、')}”不是有效的${column.name}，${allowedValues(column.dictionary!)}` };
      if (column.maxItems !== undefined && codes.length > column.maxItems)
        return { ok: false, message: `${column.name}最多填写 ${column.maxItems} 项` };
      return { ok: true, value: codes };
    }
    case 'list': {
      const items = splitList(text());
      if (items.length === 0) return { ok: true, value: undefined };
      const tooLong = items.find((item) => column.maxLength !== undefined && [...item].length > column.maxLength);
      if (tooLong) return { ok: false, message: `${column.name}每项不超过 ${column.maxLength} 个字：“${tooLong}”` };
      if (column.maxItems !== undefined && items.length > column.maxItems)
        return { ok: false, message: `${column.name}最多填写 ${column.maxItems} 项` };
      return { ok: true, value: items };
    }
    case 'text': {
      let t = text();
      if (column.key === 'name') {
        // 张  三 → 张三 (cadres pad two-character names); 阿卜杜·热合曼 keeps its dot.
        t = t.replace(/(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g, '');
        if (/[\u0000-\u001f\u007f<>]/.test(t)) return { ok: false, message: `${column.name}不能包含 < > 或控制字符` };
        // Right-to-left overrides and other direction controls make a name read differently than it is stored (issue 15).
        if (hasBidiControls(t)) return { ok: false, message: `${column.name}不能包含文字方向控制字符（如 U+202E）` };
      }
      const length = [...t].length;
      if (column.minLength !== undefined && length < column.minLength)
        return { ok: false, message: `${column.name}至少 ${column.minLength} 个字` };
      if (column.maxLength !== undefined && length > column.maxLength)
        return { ok: false, message: `${column.name}不能超过 ${column.maxLength} 个字（现为 ${length} 个字）` };
      return { ok: true, value: t };
    }
  }
}

// =============================================================================================
// Template

const RED = 'FFFF0000';
const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } } as const;
const DICTIONARY_ORDER = Object.keys(DICTIONARIES) as (keyof typeof DICTIONARIES)[];

/** Row ranges of each dictionary on the 字典 sheet (labels in column C), header on row 1. */
function dictionaryLayout(): Map<FormDictionary, { first: number; last: number }> {
  const layout = new Map<FormDictionary, { first: number; last: number }>();
  let row = 2;
  for (const key of DICTIONARY_ORDER) {
    const dict: FormDictionary = DICTIONARIES[key];
    layout.set(dict, { first: row, last: row + dict.codes.length - 1 });
    row += dict.codes.length;
  }
  return layout;
}

/** Excel caps a literal list at 255 characters; longer lists point at the 字典 sheet instead. */
export function listValidationFormula(dict: FormDictionary, range?: { first: number; last: number }): string {
  const literal = `"${dictionaryLabels(dict).join(',')}"`;
  if (literal.length <= 255 || !range) return literal;
  return `'${DICTIONARY_SHEET_NAME}'!$C$${range.first}:$C$${range.last}`;
}

function allowedText(c: FormColumn): string {
  switch (c.kind) {
    case 'idNumber':
      return '18 位数字，末位可为 X（15 位旧号也可）';
    case 'phone':
      return '11 位手机号码';
    case 'villageCode':
      return '12 位数字';
    case 'date':
      return '日期，如 2016-03-01';
    case 'integer':
      return `${c.min} 到 ${c.max} 的整数`;
    case 'dict':
    case 'dictList': {
      const labels = dictionaryLabels(c.dictionary!);
      return labels.length > 15 ? `见“${DICTIONARY_SHEET_NAME}”工作表（${c.dictionary!.title}）` : labels.join('、');
    }
    case 'list':
      return `自由填写，多项用顿号“、”分隔，每项不超过 ${c.maxLength} 字`;
    case 'text':
      return c.maxLength !== undefined ? `不超过 ${c.maxLength} 字` : '';
  }
}

/**
 * Writes the blank collection form (.xlsx) to `output`: sheet 1 劳动力资源信息采集表 (header row,
 * required headers in red, frozen, drop-downs on rows 2..5001, ID/phone/code columns as text),
 * sheet 2 填表说明, sheet 3 字典.
 */
export async function writeTemplate(output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = '劳务协作脱贫综合信息服务平台';
  const layout = dictionaryLayout();

  // --- Sheet 1: the form
  const form = workbook.addWorksheet(FORM_SHEET_NAME, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: 1, topLeftCell: 'B2', activeCell: 'A2' }],
  });
  form.columns = FORM_COLUMNS.map((c) => ({ key: c.key, width: c.width, style: c.textFormat ? { numFmt: '@' } : {} }));
  const header = form.addRow(FORM_COLUMNS.map((c) => c.header));
  header.height = 45;
  FORM_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.font = c.required ? { bold: true, color: { argb: RED } } : { bold: true };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.fill = HEADER_FILL;
  });
  header.commit();
  const lastRow = TEMPLATE_DATA_ROWS + 1;
  // The streaming WorksheetWriter has data validations; ExcelJS' typings only declare them on cells.
  const validations = (form as unknown as { dataValidations: { add(range: string, v: X.DataValidation): void } }).dataValidations;
  FORM_COLUMNS.forEach((c, i) => {
    if (c.kind !== 'dict' || !c.dictionary) return;
    const letter = columnLetter(i + 1);
    validations.add(`${letter}2:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: true,
      formulae: [listValidationFormula(c.dictionary, layout.get(c.dictionary))],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: `${c.name}填写有误`,
      error: `请从下拉列表中选择${c.name}`,
      showInputMessage: true,
      promptTitle: c.name,
      prompt: c.help.slice(0, 250),
    });
  });
  form.commit();

  // --- Sheet 2: instructions
  const help = workbook.addWorksheet(INSTRUCTIONS_SHEET_NAME);
  help.columns = [{ width: 18 }, { width: 10 }, { width: 56 }, { width: 48 }, { width: 24 }];
  const wrap = { vertical: 'top', wrapText: true } as const;
  const title = help.addRow([`${FORM_SHEET_NAME}填表说明`]);
  title.font = { bold: true, size: 14 };
  title.commit();
  const helpHeader = help.addRow(['列名', '是否必填', '填写说明', '可填写的值', '示例']);
  helpHeader.font = { bold: true };
  helpHeader.eachCell((cell) => (cell.fill = HEADER_FILL));
  helpHeader.commit();
  for (const c of FORM_COLUMNS) {
    const row = help.addRow([c.header, c.required ? '必填' : '选填', c.help, allowedText(c), c.example]);
    row.alignment = wrap;
    if (c.required) row.getCell(2).font = { color: { argb: RED } };
    row.commit();
  }
  help.addRow([]).commit();
  const notesTitle = help.addRow(['填写注意事项']);
  notesTitle.font = { bold: true };
  notesTitle.commit();
  GENERAL_NOTES.forEach((note, i) => {
    const row = help.addRow([`${i + 1}.`, '', note]);
    row.alignment = wrap;
    row.commit();
  });
  help.commit();

  // --- Sheet 3: dictionaries
  const dictSheet = workbook.addWorksheet(DICTIONARY_SHEET_NAME);
  dictSheet.columns = [{ width: 14 }, { width: 14, style: { numFmt: '@' } }, { width: 24 }];
  const dictHeader = dictSheet.addRow(['字典', '代码', '名称']);
  dictHeader.font = { bold: true };
  dictHeader.commit();
  for (const key of DICTIONARY_ORDER) {
    const dict: FormDictionary = DICTIONARIES[key];
    for (const code of dict.codes) dictSheet.addRow([dict.title, code, dict.labels[code]!]).commit();
  }
  dictSheet.commit();

  await workbook.commit();
}

// =============================================================================================
// Error report

export const ERROR_COLUMN_HEADER = '错误说明';

export interface ErrorReportOptions extends SheetScanOptions {
  /** Write only the title/header rows and the rows that have errors. Default false (all rows). */
  onlyRowsWithErrors?: boolean;
}

/** A cell copied into the report: values, never formulas; text through safeCell. */
function reportValue(v: unknown): CellScalar | null {
  const plain = cellToPlain(v);
  return typeof plain === 'string' ? safeCell(plain) : plain;
}

/**
 * Re-writes the uploaded form's data sheet to `output` (streaming) with an extra last column
 * 错误说明 holding each row's messages joined with '；', so the cadre can fix the rows and upload
 * the file again. Row numbers are kept (row 12 of the report is row 12 of the upload); title
 * rows and the header are kept; values are copied (formulas as their results, all text through
 * safeCell); other sheets are dropped. Pass the same scan options as when reading, so the same
 * rows are covered. If writing fails midway, `output` is destroyed with the error.
 */
export async function writeErrorReport(
  sourcePath: ZipInput,
  errorsByRow: Map<number, string[]>,
  output: Writable,
  options: ErrorReportOptions = {},
): Promise<void> {
  let workbook: InstanceType<typeof ExcelJS.stream.xlsx.WorkbookWriter> | undefined;
  let sheet: X.Worksheet | undefined;
  let errorColumn = 0;
  const writeRow = (raw: RawRow, bold: boolean, note: string | undefined) => {
    const row = sheet!.getRow(raw.number);
    raw.cells.forEach((v, col) => {
      // Stray cells right of the header move one column over, so 错误说明 stays next to the table.
      const target = col >= errorColumn ? col + 1 : col;
      const value = reportValue(v);
      if (value === null) return;
      const cell = row.getCell(target);
      cell.value = value;
      if (bold) cell.font = { bold: true };
    });
    if (note !== undefined) {
      const cell = row.getCell(errorColumn);
      cell.value = safeCell(note);
      cell.font = bold ? { bold: true, color: { argb: RED } } : { color: { argb: RED } };
      cell.alignment = { wrapText: true, vertical: 'top' };
    }
    row.commit();
  };

  try {
    for await (const event of scanFormSheet(sourcePath, options)) {
      if (event.type === 'header') {
        const { info, before, columnWidths, lastHeaderColumn } = event;
        errorColumn = lastHeaderColumn + 1;
        workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
        sheet = workbook.addWorksheet(safeSheetName(info.sheetName, FORM_SHEET_NAME), {
          views: [{ state: 'frozen', ySplit: info.headerRow }],
        });
        const textColumns = new Set(info.columns.filter((c) => c.column.textFormat).map((c) => c.index));
        const widths: Partial<X.Column>[] = [];
        for (let col = 1; col <= errorColumn; col++) {
          const mapped = info.columns.find((c) => c.index === col);
          widths.push({
            width: col === errorColumn ? 50 : (columnWidths[col - 1] ?? mapped?.column.width ?? 12),
            style: textColumns.has(col) ? { numFmt: '@' } : {},
          });
        }
        sheet.columns = widths;
        for (const raw of before)
          writeRow(raw, raw.number === info.headerRow, raw.number === info.headerRow ? ERROR_COLUMN_HEADER : undefined);
        continue;
      }
      const messages = errorsByRow.get(event.row.number);
      const note = messages?.length ? messages.join('；') : undefined;
      if (options.onlyRowsWithErrors && note === undefined) continue;
      writeRow(event.row, false, note);
    }
    if (!workbook || !sheet) throw new Error('unreachable: scanFormSheet ended without a header');
    sheet.commit();
    await workbook.commit();
  } catch (error) {
    if (workbook) output.destroy(error as Error);
    throw error;
  }
}

/** For callers turning FormRow errors into the report's input. */
export function errorsByRowOf(rows: Iterable<Pick<FormRow, 'row' | 'errors'>>): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const r of rows) {
    if (!r.errors.length) continue;
    const list = map.get(r.row) ?? [];
    for (const e of r.errors) list.push(`${e.column}：${e.message}`);
    map.set(r.row, list);
  }
  return map;
}
