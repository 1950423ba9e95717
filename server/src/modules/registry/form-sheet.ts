/**
 * Locating the collection form's data sheet in an uploaded workbook and streaming its rows.
 * Shared by the reader and by the error report, so both see exactly the same rows.
 *
 * The workbook is checked by zip-guard first; sheet names come from xl/workbook.xml and its
 * relationships (read by us: ExcelJS' streaming reader misses absolute relationship targets),
 * then ExcelJS' streaming WorkbookReader delivers rows one at a time.
 */
import type { EventEmitter } from 'node:events';
import ExcelJS, { decodeUtf8For } from '../../platform/excel/exceljs.ts';
import {
  DEFAULT_EMPTY_ROWS_TO_STOP,
  DEFAULT_MAX_ROWS,
  FORM_SHEET_NAME,
  HEADER_KEYS,
  HEADER_SEARCH_ROWS,
  REQUIRED_COLUMNS,
  matchHeader,
  type FormColumn,
} from './collection-form.columns.ts';
import { readCell, scalarToText } from '../../platform/excel/cell-values.ts';
import { FormError } from '../../platform/excel/form-error.ts';
import {
  inspectZip,
  readZipEntry,
  reorderedEntries,
  type ByteSource,
  type ZipDirectory,
  type ZipInput,
  type ZipLimits,
} from '../../platform/excel/zip-guard.ts';
import { openPlain } from '../../platform/sealed-file.ts';

export interface SheetScanOptions {
  /** Data rows (non-empty) allowed; one more → IMPORT_TOO_MANY_ROWS. Default 200,000. */
  maxRows?: number;
  /** Reading stops after this many consecutive empty rows. Default 1,000. */
  emptyRowsToStop?: number;
  /** Overrides for the zip-bomb limits (tests). */
  zipLimits?: Partial<ZipLimits>;
  /**
   * Another file's headers (the registry import's saved mapping): header cell → column. The
   * collection form's own header names otherwise.
   */
  headerMatcher?: (header: string) => FormColumn | undefined;
  /** The columns a header row must have, with headerMatcher: the row is the header when it has all of them. */
  requiredColumns?: readonly FormColumn[];
}

export interface SheetListing {
  name: string;
  state: 'visible' | 'hidden' | 'veryHidden';
}

/** Where each known column was found. */
export interface MappedColumn {
  column: FormColumn;
  /** 1-based column number. */
  index: number;
  /** A, B, … AA */
  letter: string;
  /** The header text as typed in the file. */
  header: string;
}

/** What was found, reported before the first row. */
export interface FormSheetInfo {
  sheetName: string;
  /** Every sheet of the workbook, in tab order. */
  sheetNames: string[];
  /** Row number (as Excel shows it) of the header row. */
  headerRow: number;
  columns: MappedColumn[];
  /** Header cells not recognised (or repeated), ignored. */
  ignoredHeaders: string[];
  date1904: boolean;
}

/** A raw row: `cells[c]` is what ExcelJS gave for column c (1-based), formulas as {formula, result}. */
export interface RawRow {
  number: number;
  cells: unknown[];
}

export type ScanEvent =
  | {
      type: 'header';
      info: FormSheetInfo;
      before: RawRow[];
      columnWidths: (number | undefined)[];
      lastHeaderColumn: number;
      /** Every non-empty header cell, in column order (the registry import's mapping page). */
      headerCells: { index: number; text: string }[];
    }
  | { type: 'row'; row: RawRow; empty: boolean };

interface WorkbookMeta {
  /** The checked ZIP directory. */
  dir: ZipDirectory;
  sheets: SheetListing[];
  /** N of xl/worksheets/sheetN.xml → sheet name */
  nameByFileNumber: Map<string, string>;
  date1904: boolean;
}

const MAX_META_BYTES = 8 * 1024 * 1024;

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === 'apos') return "'";
    const code = k.startsWith('#x') ? Number.parseInt(k.slice(2), 16) : Number.parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function attributes(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of s.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set(m[1]!, decodeXml(m[2] ?? m[3] ?? ''));
  return out;
}

/** Zip guard, then the sheet list (tab order), which file holds which sheet, and the 1904 date system flag. */
async function inspectWorkbook(path: ByteSource, zipLimits?: Partial<ZipLimits>): Promise<WorkbookMeta> {
  const dir = await inspectZip(path, zipLimits);
  const byName = new Map(dir.entries.map((e) => [e.name, e]));
  const workbookEntry = byName.get('xl/workbook.xml');
  if (!workbookEntry) {
    throw new FormError('IMPORT_NOT_A_WORKBOOK', '文件是压缩包，但不是 Excel 工作簿（.xlsx），请确认上传的是采集表', {
      reason: 'no-workbook-part',
    });
  }
  const workbookXml = (await readZipEntry(path, workbookEntry, MAX_META_BYTES)).toString('utf8');
  const relsEntry = byName.get('xl/_rels/workbook.xml.rels');
  const relsXml = relsEntry ? (await readZipEntry(path, relsEntry, MAX_META_BYTES)).toString('utf8') : '';

  const targets = new Map<string, string>();
  for (const m of relsXml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*?)\/?>/g)) {
    const a = attributes(m[1]!);
    const id = a.get('Id');
    const target = a.get('Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`);
  }
  const sheets: SheetListing[] = [];
  const nameByFileNumber = new Map<string, string>();
  for (const m of workbookXml.matchAll(/<(?:[\w.-]+:)?sheet\s([^>]*?)\/?>/g)) {
    const a = attributes(m[1]!);
    const name = a.get('name');
    if (name === undefined) continue;
    const state = a.get('state');
    sheets.push({ name, state: state === 'hidden' || state === 'veryHidden' ? state : 'visible' });
    const relId = [...a.entries()].find(([k]) => /(^|:)id$/.test(k))?.[1];
    const file = relId ? targets.get(relId) : undefined;
    const n = file && /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(file);
    if (n) nameByFileNumber.set(n[1]!, name);
  }
  const date1904 = /<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(workbookXml);
  return { dir, sheets, nameByFileNumber, date1904 };
}

// --- minimal views of ExcelJS' streaming reader internals --------------------------------------

interface CellLike {
  type: number;
  value: unknown;
  result?: unknown;
}
interface RowLike {
  number: number;
  eachCell(callback: (cell: CellLike, col: number) => void): void;
}
interface WorksheetLike {
  name: string;
  iterator?: unknown;
  columns?: ({ width?: number } | undefined)[] | null;
  [Symbol.asyncIterator](): AsyncGenerator<RowLike>;
}
interface ParseEvent {
  eventType: string;
  value: unknown;
}

const FORMULA_TYPE = ExcelJS.ValueType.Formula;

function toRawRow(row: RowLike): RawRow {
  const cells: unknown[] = [];
  row.eachCell((cell, col) => {
    // cell.value drops falsy cached results (0, false); the formula's own result keeps them.
    cells[col] = cell.type === FORMULA_TYPE ? { formula: true, result: cell.result } : cell.value;
  });
  return { number: row.number, cells };
}

/** The rest of the data sheet, once the form has ended (its stream is open already): dropped. */
function discardWorksheet(ws: WorksheetLike): void {
  const it = ws.iterator as { destroy?: () => void; on?: (event: string, listener: () => void) => void } | undefined;
  if (it && typeof it.on === 'function') it.on('error', () => undefined);
  if (it && typeof it.destroy === 'function') it.destroy();
}

/**
 * A sheet that is not wanted. ExcelJS may have cached it in a temp file, read through a stream
 * that opens lazily, and deletes the file as soon as the sheet is passed over: destroying that
 * stream still left a late open to fail (ENOENT, an uncaught error seen once in CI). Reading the
 * sheet through, keeping none of its rows, closes the stream before the file goes.
 */
async function skipWorksheet(ws: WorksheetLike): Promise<void> {
  const it = ws.iterator as { on?: (event: string, listener: () => void) => void } | undefined;
  if (it && typeof it.on === 'function') it.on('error', () => undefined);
  try {
    for await (const row of ws as unknown as AsyncIterable<unknown>) void row;
  } catch {
    // a damaged sheet nobody asked for
  }
}

export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function headerText(v: unknown): string {
  const c = readCell(v);
  return c.kind === 'value' ? scalarToText(c.value) : '';
}

export interface HeaderMatch {
  columns: MappedColumn[];
  ignored: string[];
  lastColumn: number;
  cells: { index: number; text: string }[];
}

export function matchHeaderRow(row: RawRow, matcher: (header: string) => FormColumn | undefined = matchHeader): HeaderMatch {
  const columns: MappedColumn[] = [];
  const ignored: string[] = [];
  const cells: { index: number; text: string }[] = [];
  const seen = new Set<string>();
  let lastColumn = 0;
  row.cells.forEach((v, index) => {
    const text = headerText(v);
    if (text === '') return;
    cells.push({ index, text });
    lastColumn = Math.max(lastColumn, index);
    const column = matcher(text);
    if (!column || seen.has(column.key)) {
      ignored.push(text);
      return;
    }
    seen.add(column.key);
    columns.push({ column, index, letter: columnLetter(index), header: text });
  });
  return { columns, ignored, lastColumn, cells };
}

export const isHeader = (m: HeaderMatch, required?: readonly FormColumn[]) =>
  required
    ? required.every((r) => m.columns.some((c) => c.column === r))
    : HEADER_KEYS.every((k) => m.columns.some((c) => c.column.key === k));

/** True when none of the mapped columns holds anything (unmapped columns such as 序号 do not count). */
export function isEmptyRow(row: RawRow, columns: MappedColumn[]): boolean {
  for (const { index } of columns) {
    const c = readCell(row.cells[index]);
    if (c.kind === 'error') return false;
    if (c.kind === 'value' && scalarToText(c.value) !== '') return false;
  }
  return true;
}

const damaged = (error: unknown) =>
  error instanceof FormError
    ? error
    : new FormError('IMPORT_NOT_A_WORKBOOK', '文件内容已损坏，无法读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再上传', {
        reason: (error as Error)?.message,
      });

const sheetList = (names: string[]) => (names.length ? names.map((n) => `「${n}」`).join('、') : '（无）');

/**
 * Finds the data sheet — the one named 劳动力资源信息采集表, else the first sheet with a header
 * row (in its first 10 rows) holding 姓名 and 身份证号 — checks its required columns, then
 * streams its rows. Emits one `header` event, then one `row` event per row after the header
 * (empty rows included, flagged), until `emptyRowsToStop` consecutive empty rows or the end.
 */
export async function* scanFormSheet(input: ZipInput, options: SheetScanOptions = {}): AsyncGenerator<ScanEvent, void, undefined> {
  let started = false;
  let path: ByteSource;
  if (typeof input === 'string') {
    try {
      path = await openPlain(input);
    } catch (error) {
      throw new FormError('IMPORT_NOT_A_WORKBOOK', '无法读取上传的文件', { reason: (error as Error).message });
    }
  } else path = input;
  try {
    for await (const event of scanFormSheetOnce(path, options)) {
      started = true;
      yield event;
    }
  } catch (error) {
    if (started || !(error instanceof FormError) || !RESCANNED.has(error.code)) throw error;
    // ExcelJS's streaming reader now and then ends its single pass over the ZIP early and drops
    // the entries after one (exceljs#2790, #3064; here about 1 scan in 600 on a loaded machine: a
    // cover sheet read, the form sheet never seen). The sheets are known from the central
    // directory, so a form that seems to lack its sheet or its header is read once more before
    // the answer stands; nothing has been emitted yet.
    yield* scanFormSheetOnce(path, options);
  } finally {
    if (typeof input === 'string') await path.close();
  }
}
const RESCANNED = new Set(['IMPORT_SHEET_NOT_FOUND', 'IMPORT_MISSING_COLUMNS', 'IMPORT_NOT_A_WORKBOOK']);

/** The order in which ExcelJS's one pass needs the parts: relationships, workbook, shared strings, then the sheets. */
const PART_ORDER = [
  '[Content_Types].xml',
  '_rels/.rels',
  'xl/_rels/workbook.xml.rels',
  'xl/workbook.xml',
  'xl/sharedStrings.xml',
  'xl/styles.xml',
];
function partOrder(name: string): number {
  const known = PART_ORDER.indexOf(name);
  if (known >= 0) return known;
  return /^xl\/worksheets\/sheet\d+\.xml$/.test(name) ? PART_ORDER.length + 1 : PART_ORDER.length;
}

async function* scanFormSheetOnce(path: ByteSource, options: SheetScanOptions): AsyncGenerator<ScanEvent, void, undefined> {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const emptyRowsToStop = Math.max(1, options.emptyRowsToStop ?? DEFAULT_EMPTY_ROWS_TO_STOP);
  const meta = await inspectWorkbook(path, options.zipLimits);
  const sheetNames = meta.sheets.map((s) => s.name);
  const preferred = sheetNames.includes(FORM_SHEET_NAME) ? FORM_SHEET_NAME : undefined;

  // The parts ExcelJS needs before a worksheet come first: a worksheet it meets before the shared
  // strings (Excel's and ExcelJS's own order) it writes, in clear, to a temporary file and parses
  // at the end — identifiers on disk outside the encrypted upload (issue 15). Reordered, every
  // sheet is parsed as it streams past.
  const input = reorderedEntries(path, meta.dir, partOrder);
  const reader = decodeUtf8For(
    new ExcelJS.stream.xlsx.WorkbookReader(input, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      entries: 'emit',
    }),
    options.zipLimits?.partLimits,
  );
  // ExcelJS reads sheet names from `model` when a worksheet arrives; a file whose xl/workbook.xml
  // comes after its worksheets (valid ZIP order) would crash it. Names come from `meta` anyway.
  (reader as unknown as { model?: unknown }).model = { sheets: [] };
  // A workbook without a shared-strings part (inline strings only) would otherwise send every
  // sheet to a temporary file too: there are simply no shared strings to wait for.
  if (!meta.dir.entries.some((e) => e.name === 'xl/sharedStrings.xml'))
    (reader as unknown as { sharedStrings?: unknown[] }).sharedStrings = [];
  // The 'entry' event for a worksheet fires just before that worksheet is yielded.
  let lastSheetFile: string | undefined;
  (reader as unknown as EventEmitter).on('entry', (e: { type?: string; id?: unknown }) => {
    if (e.type === 'worksheet') lastSheetFile = String(e.id);
  });
  const parser = (reader as unknown as { parse(): AsyncGenerator<ParseEvent> }).parse();
  let parserDone = false;
  const nextEvent = async (): Promise<IteratorResult<ParseEvent>> => {
    try {
      const r = await parser.next();
      if (r.done) parserDone = true;
      return r;
    } catch (error) {
      parserDone = true;
      throw damaged(error);
    }
  };

  let found = false;
  try {
    while (!found) {
      const event = await nextEvent();
      if (event.done) break;
      if (event.value.eventType !== 'worksheet') continue;
      const ws = event.value.value as WorksheetLike;
      const name = (lastSheetFile !== undefined ? meta.nameByFileNumber.get(lastSheetFile) : undefined) ?? ws.name;
      if (preferred !== undefined && name !== preferred) {
        await skipWorksheet(ws);
        continue;
      }
      const rows = ws[Symbol.asyncIterator]();
      const nextRow = async (): Promise<RawRow | undefined> => {
        try {
          const r = await rows.next();
          return r.done ? undefined : toRawRow(r.value);
        } catch (error) {
          throw damaged(error);
        }
      };
      try {
        const before: RawRow[] = [];
        let header: HeaderMatch | undefined;
        let best: HeaderMatch | undefined;
        for (let row = await nextRow(); row && row.number <= HEADER_SEARCH_ROWS; row = await nextRow()) {
          before.push(row);
          const m = matchHeaderRow(row, options.headerMatcher);
          if (!best || m.columns.length > best.columns.length) best = m;
          if (isHeader(m, options.requiredColumns)) {
            header = m;
            break;
          }
        }
        if (!header) {
          if (preferred === undefined) continue;
          const present = new Set((best?.columns ?? []).map((c) => c.column.key));
          const missing = (options.requiredColumns ?? REQUIRED_COLUMNS).filter((c) => !present.has(c.key)).map((c) => c.name);
          throw new FormError(
            'IMPORT_MISSING_COLUMNS',
            `工作表「${name}」的前 ${HEADER_SEARCH_ROWS} 行中没有找到表头（表头须包含“姓名”和“身份证号”），缺少：${missing.join('、')}`,
            { sheet: name, missing },
          );
        }
        found = true;
        const headerRow = before[before.length - 1]!.number;
        const present = new Set(header.columns.map((c) => c.column.key));
        const missing = (options.requiredColumns ?? REQUIRED_COLUMNS).filter((c) => !present.has(c.key));
        if (missing.length) {
          throw new FormError(
            'IMPORT_MISSING_COLUMNS',
            `工作表「${name}」缺少必填列：${missing.map((c) => c.name).join('、')}。请使用系统提供的采集表模板，或补上这些列后重新上传`,
            { sheet: name, headerRow, missing: missing.map((c) => c.name) },
          );
        }
        yield {
          type: 'header',
          info: {
            sheetName: name,
            sheetNames,
            headerRow,
            columns: header.columns,
            ignoredHeaders: header.ignored,
            date1904: meta.date1904,
          },
          before,
          columnWidths: (ws.columns ?? []).map((c) => c?.width),
          lastHeaderColumn: header.lastColumn,
          headerCells: header.cells,
        };

        let lastNonEmpty = headerRow;
        let dataRows = 0;
        for (let row = await nextRow(); row; row = await nextRow()) {
          const empty = isEmptyRow(row, header.columns);
          if (empty) {
            if (row.number - lastNonEmpty >= emptyRowsToStop) break;
            yield { type: 'row', row, empty };
            continue;
          }
          // Rows absent from the file between the last data row and this one are empty too.
          if (row.number - lastNonEmpty - 1 >= emptyRowsToStop) break;
          lastNonEmpty = row.number;
          if (++dataRows > maxRows) {
            throw new FormError('IMPORT_TOO_MANY_ROWS', `采集表超过 ${maxRows} 行，请分成多个文件上传`, { sheet: name, maxRows });
          }
          yield { type: 'row', row, empty };
        }
      } finally {
        await rows.return(undefined).catch(() => undefined);
        discardWorksheet(ws);
      }
    }
    if (!found) {
      throw new FormError(
        'IMPORT_SHEET_NOT_FOUND',
        `没有找到“${FORM_SHEET_NAME}”工作表：工作簿中的工作表为 ${sheetList(sheetNames)}，` +
          `都没有在前 ${HEADER_SEARCH_ROWS} 行中包含“姓名”和“身份证号”的表头行`,
        { sheetNames },
      );
    }
  } finally {
    // Run ExcelJS' parser to its end, skipping the remaining sheets, so it removes its temp files.
    if (!parserDone) {
      try {
        for (let e = await parser.next(); !e.done; e = await parser.next()) {
          if (e.value.eventType === 'worksheet') await skipWorksheet(e.value.value as WorksheetLike);
        }
      } catch {
        // already failing or abandoned: nothing more to clean
      }
    }
    input.destroy();
  }
}
