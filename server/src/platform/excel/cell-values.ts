/**
 * Turning what ExcelJS hands over for a cell (string, number, Date, rich text, formula with or
 * without a cached result, hyperlink, error value) into plain values, plus the text, number,
 * date, dictionary and list conventions of the collection form.
 */

/** A coded dictionary: code → Chinese label (contracts/laborers.ts `dict`). */
export interface CodedDictionary {
  /** Shown on the 字典 sheet and in messages. */
  title: string;
  labels: Readonly<Record<string, string>>;
  codes: readonly string[];
  /** Other spellings accepted on upload (normalized text → code). */
  aliases?: Readonly<Record<string, string>>;
}

export type CellScalar = string | number | boolean | Date;
export type CellRead = { kind: 'empty' } | { kind: 'value'; value: CellScalar } | { kind: 'error'; message: string };

const EMPTY: CellRead = { kind: 'empty' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !(v instanceof Date);
}

function richTextToString(runs: unknown): string {
  if (!Array.isArray(runs)) return '';
  return runs.map((r) => (isRecord(r) && typeof r.text === 'string' ? r.text : '')).join('');
}

/**
 * One cell's value as a plain scalar. Formulas give their cached result (none → error
 * `公式没有计算结果`); rich text and hyperlinks give their text; Excel error values (#N/A…) are errors.
 */
export function readCell(v: unknown): CellRead {
  if (v === null || v === undefined) return EMPTY;
  if (typeof v === 'string') return v.trim() === '' ? EMPTY : { kind: 'value', value: v };
  if (typeof v === 'number') return Number.isFinite(v) ? { kind: 'value', value: v } : { kind: 'error', message: '公式计算出错' };
  if (typeof v === 'boolean') return { kind: 'value', value: v };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { kind: 'error', message: '日期无效' } : { kind: 'value', value: v };
  if (!isRecord(v)) return EMPTY;
  if ('formula' in v || 'sharedFormula' in v) {
    const result = v.result;
    if (result === undefined || result === null) return { kind: 'error', message: '公式没有计算结果' };
    if (isRecord(result) && 'error' in result) return { kind: 'error', message: `公式计算出错（${String(result.error)}）` };
    if (typeof result === 'number' && !Number.isFinite(result)) return { kind: 'error', message: '公式计算出错' };
    return readCell(result);
  }
  if ('richText' in v) return readCell(richTextToString(v.richText));
  if ('hyperlink' in v || 'text' in v) return readCell(isRecord(v.text) ? richTextToString(v.text.richText) : v.text);
  if ('error' in v) return { kind: 'error', message: `单元格是错误值 ${String(v.error)}` };
  return EMPTY;
}

/** Plain text of a cell for writing elsewhere (error report): cached formula results, rich text flattened. */
export function cellToPlain(v: unknown): CellScalar | null {
  if (isRecord(v) && 'error' in v && !('formula' in v) && !('sharedFormula' in v)) return String(v.error);
  const r = readCell(v);
  return r.kind === 'value' ? r.value : null;
}

const FULL_WIDTH_DIGIT = /[\uff10-\uff19]/g;
const toHalfWidthDigit = (c: string) => String.fromCharCode(c.charCodeAt(0) - 0xfee0);

/**
 * Trims; drops zero-width characters; NBSP and the ideographic space U+3000 become spaces;
 * full-width digits become ASCII. A leading `'` put there by safeCell (before = + - @ tab CR)
 * is removed, so a downloaded error report can be uploaded again unchanged.
 */
export function cleanText(s: string): string {
  let t = s
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\u00a0\u3000]/g, ' ')
    .replace(FULL_WIDTH_DIGIT, toHalfWidthDigit)
    .trim();
  if (/^'[=+\-@\t\r]/.test(t)) t = t.slice(1).trim();
  return t;
}

/** 12 → "12", 12.50 → "12.5", 1e20 → "100000000000000000000": never a trailing .0, never an exponent. */
export function numberToText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return BigInt(n).toString();
  const s = String(Number(n.toPrecision(15)));
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** A date as text: YYYY-MM-DD. */
export function dateToText(d: Date): string {
  // +12 h rounds both UTC-midnight dates (ExcelJS) and local-midnight dates (UTC+8) to their day.
  return new Date(d.getTime() + 12 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Any scalar as cleaned text. */
export function scalarToText(v: CellScalar): string {
  if (typeof v === 'string') return cleanText(v);
  if (typeof v === 'number') return numberToText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return dateToText(v);
}

// ---------------------------------------------------------------------------------------------
// Dates

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;
/** 9999-12-31 */
const MAX_SERIAL = 2958465;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function ymd(year: number, month: number, day: number): string | null {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Excel serial day number → YYYY-MM-DD (1900 system with Lotus' phantom 1900-02-29, or 1904 system). */
export function excelSerialToDate(serial: number, date1904 = false): string | null {
  const day = Math.floor(serial + 1e-9);
  if (day < 1 || day > MAX_SERIAL) return null;
  let epoch: number;
  if (date1904) epoch = Date.UTC(1904, 0, 1);
  else if (day < 60) epoch = Date.UTC(1899, 11, 31);
  else if (day === 60)
    return null; // 1900-02-29 does not exist
  else epoch = Date.UTC(1899, 11, 30);
  const d = new Date(epoch + day * 86_400_000);
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

const DATE_FORMAT_HINT = '请写成 2016-03-01 的格式';
const TIME_SUFFIX = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`;
const DATE_TEXT = new RegExp(String.raw`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:(?:[-/.月]\s*(\d{1,2})\s*日?)|月)?${TIME_SUFFIX}$`);
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Dates as cadres type them: Excel serial numbers, Date values, `2016-03-01`, `2016/3/1`,
 * `2016.3.1`, `2016年3月1日`, `20160301`; month-only forms (`2016.03`, `2016-3`, `2016年3月`)
 * give the first day. A number like 2016.03 (typed into a General cell) is year.month;
 * 2016.1 is refused as ambiguous (Excel stores 2016.10 the same way).
 */
export function parseDateCell(v: CellScalar, date1904 = false): Parsed<string> {
  if (v instanceof Date) {
    const text = dateToText(v);
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    const value = ymd(y, m, d);
    return value ? { ok: true, value } : { ok: false, message: `日期 ${text} 超出范围` };
  }
  if (typeof v === 'number') {
    const year = Math.trunc(v);
    if (year >= MIN_YEAR && year <= MAX_YEAR) {
      if (Number.isInteger(v)) return { ok: false, message: `日期“${v}”不完整，${DATE_FORMAT_HINT}` };
      const cents = Math.round((v - year) * 100);
      let month = cents;
      if (cents % 10 === 0) {
        if (cents === 10) {
          return { ok: false, message: `日期“${numberToText(v)}”有歧义（可能是 1 月也可能是 10 月），${DATE_FORMAT_HINT}` };
        }
        month = cents / 10;
      }
      const value = ymd(year, month, 1);
      return value ? { ok: true, value } : { ok: false, message: `“${numberToText(v)}”不是有效日期，${DATE_FORMAT_HINT}` };
    }
    if (Number.isInteger(v) && v >= 10_000_000) return parseDateCell(String(v), date1904);
    const value = excelSerialToDate(v, date1904);
    return value ? { ok: true, value } : { ok: false, message: `“${numberToText(v)}”不是有效日期，${DATE_FORMAT_HINT}` };
  }
  const text = typeof v === 'string' ? cleanText(v).normalize('NFKC') : String(v);
  const m = DATE_TEXT.exec(text) ?? COMPACT_DATE.exec(text);
  if (m) {
    const value = ymd(Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3]));
    if (value) return { ok: true, value };
  }
  return { ok: false, message: `“${text}”不是有效日期，${DATE_FORMAT_HINT}` };
}

// ---------------------------------------------------------------------------------------------
// Integers

/** `3`, `3.0`, `３`, `3,000`, `4000元`, `4 人` → integer. */
export function parseIntegerCell(v: CellScalar): Parsed<number> {
  if (typeof v === 'number') {
    return Number.isInteger(v) ? { ok: true, value: v } : { ok: false, message: `“${numberToText(v)}”不是整数` };
  }
  const raw = scalarToText(v);
  const text = raw
    .normalize('NFKC')
    .replace(/[\s,]/g, '')
    .replace(/(元|人|口|名)$/, '');
  if (/^-?\d+(\.0+)?$/.test(text)) return { ok: true, value: Number.parseInt(text, 10) };
  return { ok: false, message: `“${raw}”不是整数` };
}

// ---------------------------------------------------------------------------------------------
// Dictionaries and lists

const lookupCache = new WeakMap<CodedDictionary, Map<string, string>>();

function dictKey(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

function lookupTable(dict: CodedDictionary): Map<string, string> {
  let table = lookupCache.get(dict);
  if (!table) {
    table = new Map();
    for (const [alias, code] of Object.entries(dict.aliases ?? {})) table.set(dictKey(alias), code);
    for (const code of dict.codes) table.set(dictKey(code), code);
    for (const code of dict.codes) table.set(dictKey(dict.labels[code]!), code);
    lookupCache.set(dict, table);
  }
  return table;
}

/** The code for a label, a code, or an accepted alias; single-digit numbers match two-digit codes (1 → 01). */
export function lookupDictionary(dict: CodedDictionary, raw: string): string | undefined {
  const key = dictKey(raw);
  const table = lookupTable(dict);
  return table.get(key) ?? (/^\d$/.test(key) ? table.get(`0${key}`) : undefined);
}

export function dictionaryLabels(dict: CodedDictionary): string[] {
  return dict.codes.map((c) => dict.labels[c]!);
}

/** Splits on 、，, ; ； and whitespace; drops empties and repeats. `无` alone means none. */
export function splitList(text: string): string[] {
  const items = text
    .split(/[、，,;；\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 1 && /^(无|没有|\/|／)$/.test(items[0]!)) return [];
  return [...new Set(items)];
}
